#!/usr/bin/env python3
"""The peers: Hugo, Pelican and MkDocs building the same synthetic corpus as our generator.

    .venv/bin/python bench/peers.py /tmp/edition-1000 [--runs 3] [--only hugo pelican ...]

reads <project>/bench-corpus.json (written by bench/synth.py), writes one project per peer
into a temporary folder and times each build (cold: a fresh output folder every run). The peers
run from the venv /tmp/bench-venv (or $BENCH_VENV), created by bench/run.py, or by hand:
`python3 -m venv /tmp/bench-venv && /tmp/bench-venv/bin/pip install -r bench/requirements-bench.txt`.

What each peer builds, from the same texts: one page per report per language (title, date,
dateline, the paragraphs in that language with every mention a link to the entity's page) and
one page per entity per language (name, the name in the other language, gloss, links to the
reports that mention it), plus whatever the peer adds by default (Hugo: home, section lists,
RSS, sitemap; Pelican: index, archives, categories, authors, feeds, translations; MkDocs: home,
404, sitemap). Search: Hugo and Pelican have none; MkDocs runs its built-in `search` plugin,
once writing only the JSON that the browser indexes (`mkdocs`), once with
`prebuild_index: python`, i.e. lunr.py builds the index at build time (`mkdocs-search`).

`measure()` is also what bench/run.py uses to time our own build.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
import benchenv  # noqa: E402

PEERS_VENV = benchenv.VENV  # outside the checkout (bench/benchenv.py); $BENCH_VENV moves it
PEERS = ("hugo", "pelican", "mkdocs", "mkdocs-search")


# ------------------------------------------------------------------ timing

@dataclass
class Run:
    seconds: float
    maxrss_mib: float  # largest single process: the highest VmHWM sampled in the tree (see measure)
    tree_mib: float  # peak of the summed PSS of the whole process tree, sampled (see measure)
    returncode: int
    output: str = ""
    stopped: str = ""  # why the benchmark stopped it: "" (it ended by itself), "timeout" or "memory"
    user_s: float = 0.0  # CPU time of the command and the children it waited for, in user space
    system_s: float = 0.0  # ... and in the kernel (creating and writing files, page faults)

    @property
    def peak_mib(self) -> float:
        return max(self.maxrss_mib, self.tree_mib)


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


def _proc_kib(pid: int, file: str, field: str) -> int:
    """A figure in kB from /proc/<pid>/<file> (``field``: the line's name, e.g. "Pss:"), 0 if the
    process has gone."""
    try:
        with open(f"/proc/{pid}/{file}") as f:
            for line in f:
                if line.startswith(field):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _pss_kib(pid: int) -> int:
    return _proc_kib(pid, "smaps_rollup", "Pss:")


def _hwm_kib(pid: int) -> int:
    """The process's peak resident set (VmHWM) since it began its program."""
    return _proc_kib(pid, "status", "VmHWM:")


def measure(cmd: list[str], cwd: Path | None = None, env: dict | None = None, timeout: float | None = None,
            memory_limit_mib: float | None = None) -> Run:
    """Run ``cmd``; wall time, peak memory; output kept for error messages. Killed past `timeout`
    seconds or when its process tree's memory passes `memory_limit_mib` (the sampler's reading).

    The largest process is the highest VmHWM read of any process of the tree, not the child's
    ``ru_maxrss``: Linux gives a child, when it starts its program, the high-water mark of the
    process it was spawned from (measured: a child spawned after this process peaked at 500 MiB
    reports 515 MiB for /bin/true), and this process holds a whole synthetic corpus."""
    out = tempfile.TemporaryFile()
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    peak, largest = [0], [0]
    over_limit = threading.Event()
    done = threading.Event()

    def sample():
        # Reading smaps_rollup walks the page tables: for a process of some GiB one pass takes
        # milliseconds. Wait ten times as long as a pass took, so that the sampler never takes
        # more than ~10 % of a core from the build it measures (on 2 cores, that matters).
        while not done.is_set():
            began = time.perf_counter()
            total, stack, seen = 0, [proc.pid], set()
            while stack:
                pid = stack.pop()
                if pid in seen:
                    continue
                seen.add(pid)
                total += _pss_kib(pid)
                largest[0] = max(largest[0], _hwm_kib(pid))
                stack.extend(_children(pid))
            peak[0] = max(peak[0], total)
            if memory_limit_mib and total > memory_limit_mib * 1024 and not over_limit.is_set():
                over_limit.set()
                _kill_tree(proc.pid, seen)
            done.wait(max(0.05, 10 * (time.perf_counter() - began)))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    deadline = None if timeout is None else started + timeout
    timed_out = False
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if deadline and time.perf_counter() > deadline:
            proc.kill()
            timed_out = True
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.01)
    seconds = time.perf_counter() - started
    proc.returncode = code = -9 if timed_out else os.waitstatus_to_exitcode(status)
    done.set()
    sampler.join()
    out.seek(0)
    text = out.read().decode("utf-8", "replace")
    out.close()
    stopped = "timeout" if timed_out else "memory" if over_limit.is_set() else ""
    return Run(seconds, largest[0] / 1024, peak[0] / 1024, code, text, stopped, usage.ru_utime, usage.ru_stime)


def _kill_tree(root: int, pids: set[int]) -> None:
    """SIGKILL the measured command and the children the sampler saw (only those: our own tree)."""
    for pid in sorted(pids, key=lambda p: p != root):
        try:
            os.kill(pid, 9)
        except OSError:
            pass


@dataclass
class Result:
    name: str
    runs: list[Run] = field(default_factory=list)
    pages: int = 0
    note: str = ""
    output_bytes: int | None = None  # size of what the last run wrote
    output_files: int | None = None  # and its number of files

    @property
    def ok(self) -> bool:
        return bool(self.runs) and all(r.returncode == 0 for r in self.runs)

    @property
    def median(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def peak_mib(self) -> float:
        return max(r.peak_mib for r in self.runs)


def count_pages(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.html"))


# ------------------------------------------------------------------ corpus → text

def _link_md(segments: list, link) -> str:
    out = []
    for seg in segments:
        if isinstance(seg, str):
            out.append(seg)
        elif "e" in seg:
            out.append(f"[{seg['t']}]({link(seg['e'])})")
        else:  # a correction: the printed form
            out.append(seg["t"])
    return "".join(out).replace("*", "").replace("_", " ")


def report_date(report: dict, meetings: dict) -> str:
    return report["date"].get("value") or meetings[report["meeting"]]["date"]


def mentioned_in(corpus: dict) -> dict[str, list[dict]]:
    """entity id -> the reports that mention it (in order, once each)."""
    found: dict[str, list[dict]] = {}
    for report in corpus["reports"]:
        ids = []
        for block in report["blocks"]:
            for seg in block["ar"]:
                if isinstance(seg, dict) and "e" in seg and seg["e"] not in ids:
                    ids.append(seg["e"])
        for entity_id in ids:
            found.setdefault(entity_id, []).append(report)
    return found


def body_md(report: dict, lang: str, link) -> str:
    parts = []
    for block in report["blocks"]:
        text = _link_md(block[lang], link)
        if "title" in block["classes"]:
            continue
        if "heading" in block["classes"]:
            parts.append("## " + text)
        elif "dateline" in block["classes"]:
            parts.append("**" + text.strip() + "**")
        else:
            parts.append(text)
    return "\n\n".join(parts) + "\n"


def entity_md(entity: dict, lang: str, reports: list[dict], report_link) -> str:
    other = "en" if lang == "ar" else "ar"
    lines = [f"*{entity['name'][other]}*", "", entity["gloss"][lang], ""]
    if reports:
        lines += ["## " + ("ورد في" if lang == "ar" else "Mentioned in"), ""]
        lines += [f"- [{r['title'][lang]}]({report_link(r)})" for r in reports]
    return "\n".join(lines) + "\n"


def yq(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


# ------------------------------------------------------------------ Hugo

def make_hugo(corpus: dict, root: Path) -> None:
    meetings = {e["id"]: e for e in corpus["entities"] if e["kind"] == "meeting"}
    (root / "layouts").mkdir(parents=True)
    (root / "hugo.toml").write_text('baseURL = "https://example.org/"\ntitle = "Synthetic edition"\n'
                                    'disableKinds = ["taxonomy", "term"]\n', encoding="utf-8")
    (root / "layouts" / "baseof.html").write_text(
        '<!doctype html>\n<html lang="{{ .Params.lang | default "en" }}" dir="{{ if eq .Params.lang "ar" }}rtl{{ else }}ltr{{ end }}">\n'
        '<head><meta charset="utf-8"><title>{{ .Title }} – {{ site.Title }}</title></head>\n'
        '<body><nav><a href="{{ "/" | relURL }}">{{ site.Title }}</a></nav>\n<main>{{ block "main" . }}{{ end }}</main></body></html>\n',
        encoding="utf-8")
    (root / "layouts" / "page.html").write_text(
        '{{ define "main" }}<article><h1>{{ .Title }}</h1>{{ with .Params.meta }}<p>{{ . }}</p>{{ end }}'
        '{{ .Content }}</article>{{ end }}\n', encoding="utf-8")
    (root / "layouts" / "section.html").write_text(
        '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>'
        '{{ end }}</ul>{{ end }}\n', encoding="utf-8")
    (root / "layouts" / "home.html").write_text(
        '{{ define "main" }}<h1>{{ site.Title }}</h1><ul>{{ range .Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>'
        '</li>{{ end }}</ul>{{ end }}\n', encoding="utf-8")
    content = root / "content"
    content.mkdir()
    (content / "_index.md").write_text("---\ntitle: Synthetic edition\n---\n", encoding="utf-8")
    for lang in ("ar", "en"):
        for section in ("reports", "entities"):
            (content / lang / section).mkdir(parents=True)
            (content / lang / section / "_index.md").write_text(f"---\ntitle: {section} ({lang})\n---\n", encoding="utf-8")
        (content / lang / "_index.md").write_text(f"---\ntitle: {lang}\n---\n", encoding="utf-8")

    def link(lang):
        return lambda entity_id: f"/{lang}/entities/{entity_id}/"

    for report in corpus["reports"]:
        for lang in ("ar", "en"):
            meta = f"{report_date(report, meetings)} · " + meetings[report["meeting"]]["name"][lang]
            front = (f"---\ntitle: {yq(report['title'][lang])}\ndate: {report_date(report, meetings)}\n"
                     f"lang: {lang}\nmeta: {yq(meta)}\n---\n")
            (content / lang / "reports" / f"{report['slug']}.md").write_text(
                front + body_md(report, lang, link(lang)), encoding="utf-8")
    mentions = mentioned_in(corpus)
    for entity in corpus["entities"]:
        for lang in ("ar", "en"):
            front = f"---\ntitle: {yq(entity['name'][lang])}\nlang: {lang}\n---\n"
            body = entity_md(entity, lang, mentions.get(entity["id"], []), lambda r, l=lang: f"/{l}/reports/{r['slug']}/")
            (content / lang / "entities" / f"{entity['id']}.md").write_text(front + body, encoding="utf-8")


def hugo_binary() -> Path:
    found = benchenv.hugo_binary()
    if found is None:
        raise SystemExit(f"hugo is not installed in {PEERS_VENV}")
    return found


# ------------------------------------------------------------------ Pelican

def make_pelican(corpus: dict, root: Path) -> None:
    meetings = {e["id"]: e for e in corpus["entities"] if e["kind"] == "meeting"}
    (root / "content" / "reports").mkdir(parents=True)
    (root / "content" / "pages").mkdir(parents=True)
    (root / "pelicanconf.py").write_text(
        "AUTHOR = 'bench'\nSITENAME = 'Synthetic edition'\nSITEURL = ''\nPATH = 'content'\nTIMEZONE = 'UTC'\n"
        "DEFAULT_LANG = 'en'\nRELATIVE_URLS = True\nDEFAULT_PAGINATION = False\n"
        "# the default theme lists every page in every page's menu (quadratic output); our pages do not\n"
        "DISPLAY_PAGES_ON_MENU = False\n", encoding="utf-8")

    def link(lang):
        return lambda entity_id: "{filename}/pages/" + f"{entity_id}.{lang}.md"

    for report in corpus["reports"]:
        for lang in ("ar", "en"):
            head = (f"Title: {report['title'][lang]}\nDate: {report_date(report, meetings)}\nSlug: {report['slug']}\n"
                    f"Lang: {lang}\nCategory: {meetings[report['meeting']]['name']['en']}\n\n")
            (root / "content" / "reports" / f"{report['slug']}.{lang}.md").write_text(
                head + body_md(report, lang, link(lang)), encoding="utf-8")
    mentions = mentioned_in(corpus)
    for entity in corpus["entities"]:
        for lang in ("ar", "en"):
            head = f"Title: {entity['name'][lang]}\nSlug: {entity['id']}\nLang: {lang}\n\n"
            body = entity_md(entity, lang, mentions.get(entity["id"], []),
                             lambda r, l=lang: "{filename}/reports/" + f"{r['slug']}.{l}.md")
            (root / "content" / "pages" / f"{entity['id']}.{lang}.md").write_text(head + body, encoding="utf-8")


# ------------------------------------------------------------------ MkDocs

def make_mkdocs(corpus: dict, root: Path, prebuild: bool) -> None:
    meetings = {e["id"]: e for e in corpus["entities"] if e["kind"] == "meeting"}
    docs = root / "docs"
    for lang in ("ar", "en"):
        (docs / "reports" / lang).mkdir(parents=True)
        (docs / "entities" / lang).mkdir(parents=True)
    search = "  - search:\n      prebuild_index: python\n" if prebuild else "  - search\n"
    # An explicit nav of one page: MkDocs' automatic nav would put every page into every page's
    # sidebar (quadratic output); the home page links to every report and entity instead.
    (root / "mkdocs.yml").write_text(f"site_name: Synthetic edition\nsite_url: https://example.org/\n"
                                     f"nav:\n  - Home: index.md\nplugins:\n{search}", encoding="utf-8")
    index = ["# Synthetic edition", ""]
    for lang in ("ar", "en"):
        index += [f"## Reports ({lang})", ""] + [f"- [{r['title'][lang]}](reports/{lang}/{r['slug']}.md)" for r in corpus["reports"]]
        index += ["", f"## Entities ({lang})", ""] + [f"- [{e['name'][lang]}](entities/{lang}/{e['id']}.md)" for e in corpus["entities"]]
        index.append("")
    (docs / "index.md").write_text("\n".join(index), encoding="utf-8")

    def link(lang):
        return lambda entity_id: f"../../entities/{lang}/{entity_id}.md"

    for report in corpus["reports"]:
        for lang in ("ar", "en"):
            head = f"# {report['title'][lang]}\n\n*{report_date(report, meetings)} · {meetings[report['meeting']]['name'][lang]}*\n\n"
            (docs / "reports" / lang / f"{report['slug']}.md").write_text(head + body_md(report, lang, link(lang)),
                                                                          encoding="utf-8")
    mentions = mentioned_in(corpus)
    for entity in corpus["entities"]:
        for lang in ("ar", "en"):
            body = entity_md(entity, lang, mentions.get(entity["id"], []), lambda r, l=lang: f"../../reports/{l}/{r['slug']}.md")
            (docs / "entities" / lang / f"{entity['id']}.md").write_text(f"# {entity['name'][lang]}\n\n" + body,
                                                                         encoding="utf-8")


# ------------------------------------------------------------------ running

def peer_env() -> dict:
    env = dict(os.environ)
    env["PATH"] = f"{PEERS_VENV / 'bin'}:{env.get('PATH', '')}"
    env.pop("PYTHONPATH", None)
    return env


def setup(name: str, corpus: dict, root: Path) -> tuple[list[str], Path]:
    """Write the peer's project into root; return its build command and output folder."""
    py = str(PEERS_VENV / "bin" / "python")
    if name == "hugo":
        make_hugo(corpus, root)
        return [str(hugo_binary()), "--source", str(root), "--destination", str(root / "public"), "--quiet"], root / "public"
    if name == "pelican":
        make_pelican(corpus, root)
        return [py, "-m", "pelican", str(root / "content"), "-s", str(root / "pelicanconf.py"), "-o", str(root / "output"),
                "-q"], root / "output"
    if name in ("mkdocs", "mkdocs-search"):
        make_mkdocs(corpus, root, prebuild=name == "mkdocs-search")
        return [py, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml"), "-d", str(root / "site")], root / "site"
    raise ValueError(name)


def run_peer(name: str, corpus: dict, runs: int, timeout: float | None = None, log=print,
             folder: str | None = None) -> Result:
    """``runs`` cold builds by the peer ``name`` of the corpus, its project made in a temporary
    folder (under ``folder``: e.g. a tmpfs, to time the build without the disk)."""
    result = Result(name)
    with tempfile.TemporaryDirectory(prefix=f"bench-{name}-", dir=folder) as tmp:
        root = Path(tmp)
        cmd, out = setup(name, corpus, root)
        env = peer_env()
        for i in range(runs):
            shutil.rmtree(out, ignore_errors=True)
            for cache in ("resources", ".hugo_build.lock", "cache", "__pycache__"):
                target = root / cache
                shutil.rmtree(target, ignore_errors=True) if target.is_dir() else target.unlink(missing_ok=True)
            # Each run starts on a settled disk: the previous run's files deleted and written out
            # (the 0.4 GB our build deletes before its next run would otherwise be released by
            # the file system during that run, and each peer's own output during its next)
            os.sync()
            run = measure(cmd, cwd=root, env=env, timeout=timeout)
            result.runs.append(run)
            log(f"  {name} run {i + 1}/{runs}: {run.seconds:.2f}s, peak {run.peak_mib:.0f} MiB"
                + ("" if run.returncode == 0 else f" FAILED ({run.returncode}): {run.output[-2000:]}"))
            if run.returncode != 0:
                result.note = {"timeout": f"stopped after {timeout:.0f} s (timeout)",
                               "memory": "stopped: memory limit"}.get(run.stopped, f"exit {run.returncode}")
                break
        if out.is_dir():
            result.pages = count_pages(out)
            files = [p for p in out.rglob("*") if p.is_file()]
            result.output_bytes, result.output_files = sum(p.stat().st_size for p in files), len(files)
    return result


def versions() -> dict[str, str]:
    py = str(PEERS_VENV / "bin" / "python")
    found = {}
    try:
        text = subprocess.run([str(hugo_binary()), "version"], capture_output=True, text=True).stdout
        found["Hugo"] = (re.search(r"v(\d+\.\d+\.\d+\S*)", text) or [None, text.strip()])[1].split("-")[0]
    except SystemExit:
        found["Hugo"] = "not installed"
    for name, module in (("Pelican", "pelican"), ("MkDocs", "mkdocs"), ("lunr.py (peers)", "lunr"), ("Markdown", "markdown")):
        text = subprocess.run([py, "-c", f"import importlib.metadata as m; print(m.version('{module}'))"],
                              capture_output=True, text=True).stdout.strip()
        found[name] = text or "not installed"
    return found


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Build the synthetic corpus with Hugo, Pelican and MkDocs, timed.")
    parser.add_argument("project", type=Path, help="a project generated by bench/synth.py")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", nargs="+", choices=PEERS, default=list(PEERS))
    parser.add_argument("--timeout", type=float, default=None, help="seconds per build")
    args = parser.parse_args(argv)
    corpus = json.loads((args.project / "bench-corpus.json").read_text(encoding="utf-8"))
    for name in args.only:
        result = run_peer(name, corpus, args.runs, args.timeout)
        if result.ok:
            print(f"{name}: median {result.median:.2f}s over {len(result.runs)} run(s), {result.pages} pages, "
                  f"peak {result.peak_mib:.0f} MiB")
        else:
            print(f"{name}: failed ({result.note})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
