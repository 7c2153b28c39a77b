#!/usr/bin/env python3
"""The benchmark of issue 18: every figure in one command, written to bench/results.md (+ .json).

    .venv/bin/python bench/run.py                              # everything: N = 1,000 and 10,000 (see bench/README.md)
    .venv/bin/python bench/run.py --sizes 200 --only search    # one part at a small N, for development
    .venv/bin/python bench/run.py --report-only                # rewrite results.md from results.json

First it makes sure of its tools (bench/benchenv.py: its own venv outside the checkout with Hugo,
Pelican, MkDocs, Pagefind and Playwright; Debian's Chromium); a part whose tool is missing is
recorded as not measured, with the true reason. For each N, bench/synth.py generates the
edition, then the parts (`--only` picks some):

- build: ours (`build.py --project X --out Y`, cold, both search indexes) and the peers
  (Hugo and Pelican at N <= 1,000, Hugo alone above) `--runs` times: median wall time, peak
  memory of the process tree, output size; at N = 1,000 one of our builds under cProfile.
- search: bench/search_compare.py: our search and Pagefind on the same built HTML, in Chromium.
- serve: at N = 1,000, save-to-reload in `--serve` (bench/serve_latency.py, >= 10 saves).

Results accumulate in bench/results.json (one entry per N; a part run again replaces only
that part of that N) and are written out as bench/results.md with the machine, the versions and
each target met or missed with its margin.
"""
from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import platform
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import benchenv  # noqa: E402
import peers  # noqa: E402
import report  # noqa: E402
import search_compare  # noqa: E402
import synth  # noqa: E402

RESULTS_JSON = BENCH / "results.json"
RESULTS_MD = BENCH / "results.md"
PYTHON = ROOT / ".venv" / "bin" / "python"

TARGET_N = 1000  # the size of the profile and of save-to-reload

SERVE_RUNS = 11
PARTS = ("build", "search", "serve")
IN_MEMORY_ROOM = 2 * 2**30  # bytes free in /dev/shm for the in-memory builds (ours writes 0.34 GiB at N = 1,000)
PAGEFIND_TIMEOUT, PAGEFIND_MEMORY_MIB = 3600, 12 * 1024  # Pagefind needed ~8 GB at 10,500 pages

def log(message: str) -> None:
    print(message, flush=True)


# ------------------------------------------------------------------ environment

def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    mem = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0)
    return {"nproc": os.cpu_count(), "cpu": cpu, "memory_gib": round(mem / 1024 / 1024, 1),
            "system": f"{platform.system()} {platform.release()} ({platform.machine()})"}


def our_versions() -> dict:
    code = ("import sys, importlib.metadata as m; print(sys.version.split()[0]); "
            "print(*(m.version(p) for p in ('lunr', 'Jinja2', 'markdown-it-py', 'pydantic', 'PyYAML')))")
    lines = subprocess.run([str(PYTHON), "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")
    lunr, jinja, mdit, pydantic, pyyaml = lines[1].split()
    return {"Python": lines[0], "lunr.py (ours)": lunr, "Jinja2": jinja, "markdown-it-py": mdit,
            "pydantic": pydantic, "PyYAML": pyyaml}


# ------------------------------------------------------------------ our build

def site_folder(project: Path) -> Path:
    return project.parent / f"site-{project.name}"


def run_ours(project: Path, runs: int, timeout: float, out: Path | None = None) -> tuple[peers.Result, dict]:
    """Our build, cold, `runs` times; the last run's site stays in ``out`` (site_folder(project))."""
    result = peers.Result("ours")
    extra: dict = {}
    out = out or site_folder(project)
    for i in range(runs):
        shutil.rmtree(out, ignore_errors=True)
        os.sync()  # the previous run's output deleted and on disk before the clock starts (peers.run_peer)
        run = peers.measure([str(PYTHON), str(ROOT / "build.py"), "--project", str(project), "--out", str(out)],
                            cwd=ROOT, timeout=timeout)
        result.runs.append(run)
        log(f"  ours run {i + 1}/{runs}: {run.seconds:.2f}s, peak {run.peak_mib:.0f} MiB"
            + ("" if run.returncode == 0 else f" FAILED ({run.returncode}):\n{run.output[-3000:]}"))
        if run.returncode != 0:
            result.note = "timed out" if run.returncode == -9 else f"exit {run.returncode}"
            return result, extra
    summary = [line for line in result.runs[-1].output.splitlines() if line.startswith("built ")]
    extra["summary"] = summary[-1] if summary else ""
    warnings = re.search(r"(\d+) warnings?\b", extra["summary"])
    extra["warnings"] = int(warnings.group(1)) if warnings else None
    result.pages = peers.count_pages(out)
    files = [p for p in out.rglob("*") if p.is_file()]
    extra["output_bytes"] = sum(p.stat().st_size for p in files)
    extra["output_files"] = len(files)
    for lang in ("ar", "en"):  # the split index: every part, each gzipped as a server sends it
        parts = [p.read_bytes() for p in sorted((out / "assets" / "search" / lang).iterdir())]
        extra[f"index_{lang}"] = {"raw": sum(map(len, parts)),
                                  "gzip": sum(len(gzip.compress(data, 6, mtime=0)) for data in parts)}
    return result, extra


PROFILE_DRIVER = """
import cProfile, sys
sys.path.insert(0, {root!r})
sys.argv = ["build.py", "--project", {project!r}, "--out", {out!r}]
import build
from edition import cli, workers
# Forked render workers are invisible to cProfile: profile the build in one process.
serial = hasattr(workers, "can_fork")
if serial:
    workers.can_fork = lambda: False
print("SERIAL" if serial else "AS-IS", file=sys.stderr)
cProfile.run("cli.main(build.parse_args(sys.argv[1:]))", {stats!r})
"""


STAGES = [  # (what, the function that does it): found by name in the profile, skipped if the engine renamed it
    ("whole command (cli.main)", r"edition/cli\.py:\d+\(main\)"),
    ("reports: read, link, render, write (read_and_render_reports)", r"edition/(pipeline|reports|workers)\.py:\d+\((read_and_render_reports|reports)\)"),
    ("  of which: reading and parsing", r"edition/content\.py:\d+\(load_report\)"),
    ("  of which: linking mentions", r"edition/mentions\.py:\d+\(link_reports?\)"),
    ("  of which: report pages (report_pages)", r"edition/render\.py:\d+\(report_pages\)"),
    ("entity and overview pages (render.language_pages)", r"edition/render\.py:\d+\(language_pages\)"),
    ("search indexes, both languages (search_parts)", r"edition/search(parts)?\.py:\d+\((search_parts|search_file|build_search_files)\)"),
    ("  of which: the lunr index itself", r"edition/search\.py:\d+\((__init__|index_json|build_index_fast|build_index)\)"),
    ("writing files (output.write)", r"edition/output\.py:\d+\(write\)"),
    ("gzip for the summary line (zlib.compress, own time)", r"zlib\.compress"),
]


def profile_ours(project: Path, top: int = 30) -> dict:
    """One build under cProfile: total and the functions with the most cumulative time."""
    with tempfile.TemporaryDirectory(prefix="bench-prof-") as tmp:
        stats_file, out = Path(tmp) / "build.prof", Path(tmp) / "site"
        code = PROFILE_DRIVER.format(root=str(ROOT), project=str(project), out=str(out), stats=str(stats_file))
        started = time.perf_counter()
        done = subprocess.run([str(PYTHON), "-c", code], cwd=ROOT, check=True, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        stats = pstats.Stats(str(stats_file), stream=io.StringIO())
    rows = []
    for (file, line, name), (cc, nc, tt, ct, callers) in stats.stats.items():  # type: ignore[attr-defined]
        where = file.replace(str(project) + "/", "").replace(str(ROOT) + "/", "")
        where = re.sub(r".*/site-packages/", "", where)
        where = re.sub(r".*/lib/python3\.\d+/", "stdlib/", where)
        rows.append({"function": f"{where}:{line}({name})", "calls": nc, "tottime": tt, "cumtime": ct})
    rows.sort(key=lambda r: -r["cumtime"])
    by_self = sorted(rows, key=lambda r: -r["tottime"])[:15]
    stages = []
    for label, pattern in STAGES:
        found = [r for r in rows if re.search(pattern, r["function"])]
        if found:
            best = max(found, key=lambda r: r["cumtime"] if "zlib" not in pattern else r["tottime"])
            stages.append({"stage": label, "function": best["function"],
                           "seconds": best["tottime"] if "zlib" in pattern else best["cumtime"]})
    mode = ("serially (render workers switched off so that cProfile sees everything)"
            if "SERIAL" in done.stderr else "as the build runs (work in forked workers is not seen)")
    return {"seconds": seconds, "mode": mode, "stages": stages,
            "top_cumulative": [r for r in rows if not r["function"].startswith(("~", "stdlib/", "<"))][:top],
            "top_self": by_self}


# ------------------------------------------------------------------ save-to-reload

def serve_latency(project: Path, tools: dict[str, str]) -> dict:
    """bench/serve_latency.py on the synthetic project, with the bench venv's Playwright."""
    missing = tools.get("playwright") or tools.get("chromium")
    if missing:
        return {"status": f"not measured: {missing}"}
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        cmd = [str(benchenv.PYTHON), str(BENCH / "serve_latency.py"), "--project", str(project),
               "--runs", str(SERVE_RUNS), "--results", str(Path(tmp) / "serve.md")]
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=3600)
    found = [line[len("RESULT "):] for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode != 0 or not found:
        return {"status": f"serve_latency.py failed (exit {done.returncode}): {(done.stdout + done.stderr)[-500:]}"}
    result = json.loads(found[-1])
    ms = [s * 1000 for s in result["latencies"]]
    builds = [b * 1000 for b in result["builds"] if b is not None]
    return {"status": "measured", "runs_ms": [round(v, 1) for v in ms], "median_ms": round(statistics.median(ms), 1),
            "max_ms": round(max(ms), 1), "rebuild_ms": [round(b, 1) for b in builds],
            "median_rebuild_ms": round(statistics.median(builds), 1) if builds else None,
            "median_first_ms": round(statistics.median(firsts), 1) if (firsts := [f * 1000 for f in result.get("firsts") or ()
                                                                                  if f is not None]) else None}


# ------------------------------------------------------------------ one size

def build_part(project: Path, n: int, runs: int, peer_names: list[str], timeout: float, profile: bool,
               tools: dict[str, str]) -> dict:
    corpus = json.loads((project / "bench-corpus.json").read_text(encoding="utf-8"))
    ours, extra = run_ours(project, runs, timeout)
    part: dict = {"runs": runs, "ours": extra, "builders": {}}
    results = [ours]
    for name in peer_names:
        tool = "hugo" if name == "hugo" else "pelican" if name == "pelican" else "mkdocs"
        if tools.get(tool):
            part["builders"][name] = {"ok": False, "note": f"not run: {tools[tool]}", "seconds": []}
            continue
        results.append(peers.run_peer(name, corpus, runs, timeout, log=log))
    for result in results:
        part["builders"][result.name] = {
            "ok": result.ok, "note": result.note, "pages": result.pages,
            "seconds": [round(r.seconds, 3) for r in result.runs],
            "median": round(result.median, 3) if result.runs else None,
            "peak_mib": round(result.peak_mib, 1) if result.runs else None,
            "maxrss_mib": round(max(r.maxrss_mib for r in result.runs), 1) if result.runs else None,
            "tree_pss_mib": round(max(r.tree_mib for r in result.runs), 1) if result.runs else None,
            "output_bytes": extra.get("output_bytes") if result.name == "ours" else result.output_bytes,
            "output_files": extra.get("output_files") if result.name == "ours" else result.output_files,
            **cpu_times(result)}
    if n <= TARGET_N and "hugo" in part["builders"] and ours.ok:
        part["in_memory"] = in_memory_builds(project, corpus, timeout, tools)
    if profile and ours.ok:
        log("  profiling one of our builds (cProfile)")
        part["profile"] = profile_ours(project)
    return part


def cpu_times(result: peers.Result) -> dict:
    """The median CPU seconds of a generator's runs, in user space and in the kernel."""
    if not result.runs:
        return {}
    return {"user_s": round(statistics.median(r.user_s for r in result.runs), 2),
            "system_s": round(statistics.median(r.system_s for r in result.runs), 2)}


def memory_folder() -> tuple[Path | None, str]:
    """A folder in memory (tmpfs) with room for a site, or None and why not."""
    shm = Path("/dev/shm")
    mounts = Path("/proc/mounts").read_text().split("\n") if Path("/proc/mounts").exists() else []
    if not any(line.split()[1:3] == [str(shm), "tmpfs"] for line in mounts if len(line.split()) > 2):
        return None, "no tmpfs at /dev/shm"
    stat = os.statvfs(shm)
    free = stat.f_bavail * stat.f_frsize
    if free < IN_MEMORY_ROOM:
        return None, f"/dev/shm has {free / 2**30:.1f} GiB free, under {IN_MEMORY_ROOM / 2**30:.0f} GiB"
    return shm, ""


def in_memory_builds(project: Path, corpus: dict, timeout: float, tools: dict[str, str]) -> dict:
    """One cold build of ours and one of Hugo's with their output in memory (tmpfs): the build
    without the disk's share, which on some machines is much of ours (it writes about ten times
    Hugo's bytes, in five times as many files)."""
    folder, why = memory_folder()
    if folder is None or tools.get("hugo"):
        return {"status": f"not measured: {why or tools['hugo']}"}
    log("  one build each of ours and Hugo with the output in memory (tmpfs)")
    with tempfile.TemporaryDirectory(prefix="bench-site-", dir=folder) as tmp:
        ours, _extra = run_ours(project, 1, timeout, out=Path(tmp) / "site")
    hugo = peers.run_peer("hugo", corpus, 1, timeout, log=log, folder=str(folder))
    if not (ours.ok and hugo.ok):
        return {"status": "not measured: a build failed"}
    return {"status": "measured", "folder": str(folder),
            "ours": {"seconds": round(ours.median, 3), **cpu_times(ours)},
            "hugo": {"seconds": round(hugo.median, 3), **cpu_times(hugo)}}


def search_part(project: Path, tools: dict[str, str], timeout: float) -> dict:
    site = site_folder(project)
    if not (site / "assets" / "search").is_dir():
        log("  building our site for the search (untimed)")
        shutil.rmtree(site, ignore_errors=True)
        subprocess.run([str(PYTHON), str(ROOT / "build.py"), "--project", str(project), "--out", str(site)],
                       cwd=ROOT, check=True, capture_output=True)
    return search_compare.measure(project, site, tools, timeout, PAGEFIND_MEMORY_MIB, log=log)


def bench_size(n: int, parts: list[str], args, workdir: Path, tools: dict[str, str]) -> dict:
    started = time.perf_counter()
    project = workdir / f"edition-{n}"
    log(f"N = {n}: generating {project}")
    t = time.perf_counter()
    counts = synth.generate(n, project)
    gen_seconds = time.perf_counter() - t
    log(f"  generated in {gen_seconds:.1f}s: {counts}")
    entry: dict = {"n": n, "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                   "corpus": counts, "generate_seconds": round(gen_seconds, 2)}
    if "build" in parts:
        runs = args.runs or (3 if n <= TARGET_N else 1)
        peer_names = args.peers if args.peers is not None else (["hugo", "pelican"] if n <= TARGET_N else ["hugo"])
        entry["build"] = build_part(project, n, runs, peer_names, args.timeout,
                                    profile=n == TARGET_N and not args.no_profile, tools=tools)
    if "search" in parts:
        log("  search: ours and Pagefind in Chromium")
        entry["search"] = search_part(project, tools, args.pagefind_timeout)
    if "serve" in parts and n == TARGET_N or "serve" in (args.only or []):
        log(f"  save-to-reload (bench/serve_latency.py, {SERVE_RUNS} saves)")
        entry["serve"] = serve_latency(project, tools)
    entry["total_seconds"] = round(time.perf_counter() - started, 1)
    log(f"N = {n} done in {entry['total_seconds']:.0f}s")
    return entry


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Every figure of issue 18: builds, search against Pagefind, preview.")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="numbers of reports (default 1000 10000)")
    parser.add_argument("--only", nargs="+", choices=PARTS, help="measure only these parts (default all)")
    parser.add_argument("--runs", type=int, help="builds per generator and size; the median counts "
                                                 "(default 3 up to N = 1000, 1 above)")
    parser.add_argument("--peers", nargs="*", choices=peers.PEERS,
                        help="peers to build (default Hugo and Pelican up to N = 1000, Hugo above; none: --peers)")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds allowed per build (default 3600)")
    parser.add_argument("--pagefind-timeout", type=float, default=PAGEFIND_TIMEOUT,
                        help=f"seconds allowed for Pagefind's indexing (default {PAGEFIND_TIMEOUT})")
    parser.add_argument("--no-profile", action="store_true", help="skip the cProfile run at N = 1000")
    parser.add_argument("--workdir", type=Path, help="where the corpora go (default: a temporary folder, removed)")
    parser.add_argument("--fresh", action="store_true", help="forget earlier sizes in bench/results.json")
    parser.add_argument("--report-only", action="store_true", help="rewrite bench/results.md from bench/results.json")
    args = parser.parse_args(argv)
    if args.report_only:
        saved = json.loads(RESULTS_JSON.read_text())
        RESULTS_MD.write_text(report.markdown(saved["sizes"], saved["meta"]), encoding="utf-8")
        log(f"wrote {RESULTS_MD.relative_to(ROOT)}")
        return 0

    parts = args.only or list(PARTS)
    tools = benchenv.ensure(log)
    for tool, why in tools.items():
        if why:
            log(f"warning: {why}")
    results = {} if args.fresh or not RESULTS_JSON.exists() else json.loads(RESULTS_JSON.read_text())["sizes"]
    tmp = None
    if args.workdir:
        workdir = args.workdir.resolve()
        workdir.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="bench-")
        workdir = Path(tmp.name)
    started = time.perf_counter()
    try:
        for n in sorted(args.sizes):  # smallest first
            entry = bench_size(n, parts, args, workdir, tools)
            results[str(n)] = {**results.get(str(n), {}), **entry}
            meta = {"machine": machine(), "ours": our_versions(), "peers": {**peers.versions(), **benchenv.versions()},
                    "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}
            RESULTS_JSON.write_text(json.dumps({"meta": meta, "sizes": results}, indent=1, ensure_ascii=False) + "\n")
            RESULTS_MD.write_text(report.markdown(results, meta), encoding="utf-8")
            shutil.rmtree(workdir / f"edition-{n}", ignore_errors=True)
            shutil.rmtree(site_folder(workdir / f"edition-{n}"), ignore_errors=True)
    finally:
        if tmp:
            tmp.cleanup()
    log(f"wrote {RESULTS_MD.relative_to(ROOT)} and {RESULTS_JSON.relative_to(ROOT)} "
        f"in {(time.perf_counter() - started) / 60:.1f} min")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
