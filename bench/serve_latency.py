#!/usr/bin/env python3
"""Save-to-reload latency of `build.py --serve`, on the real project or any other.

Copies the project to a temporary folder, starts the live preview (with the project's
.venv/bin/python) on a free port, opens a report page in headless Chromium and, N times, saves an
edit to one paragraph of the English translation and times how long it takes from the save until
the open page has reloaded by itself and shows the new text (the `load` event of the new page).
Prints the median and the maximum and writes bench/results-serve.md (or --results).

Runs with the benchmark's venv, which has Playwright (bench/run.py creates it):

    /tmp/bench-venv/bin/python bench/serve_latency.py [--runs 11] [--project /tmp/edition-1000 --results out.md]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"  # the project's own, which has what build.py needs
RESULTS = Path(__file__).resolve().parent / "results-serve.md"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
NOT_COPIED = shutil.ignore_patterns(".git", ".venv", "node_modules", "site", ".site-*", "__pycache__", "bench-corpus.json",
                                    ".pytest_cache", "test-artifacts", "tests", "bench")
STARTUP, TIMEOUT, SETTLE, LOG_WAIT = 600, 30, 1.0, 10  # seconds
SHOWS = "m => !!document.querySelector('main') && document.querySelector('main').innerText.includes(m)"


def copy_project(target: Path, source: Path = ROOT) -> Path:
    project = target / "project"
    shutil.copytree(source, project, ignore=NOT_COPIED)
    (project / "node_modules").symlink_to(ROOT / "node_modules")  # lunr.js for the search page
    return project


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """build.py --serve in a subprocess, its output lines collected as they come."""

    def __init__(self, project: Path, port: int):
        self.port, self.lines, self.changed = port, [], threading.Condition()
        self.proc = subprocess.Popen([str(PYTHON), str(ROOT / "build.py"), "--serve", "--project", str(project),
                                      "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True, encoding="utf-8")
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            with self.changed:
                self.lines.append(line.rstrip("\n"))
                self.changed.notify_all()

    def wait_for(self, pattern: str, after: int = 0, timeout: float = TIMEOUT) -> re.Match:
        """The first output line from index `after` on that matches pattern."""
        def found():
            return next((m for line in self.lines[after:] if (m := re.search(pattern, line))), None)
        with self.changed:
            if not self.changed.wait_for(found, timeout):
                raise SystemExit(f"no line matching {pattern!r} within {timeout}s:\n" + "\n".join(self.lines))
            return found()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


def first_paragraph(project: Path) -> tuple[Path, str]:
    """The English file of the first report, and the first line of its first paragraph p1."""
    report = sorted(p for p in (project / "content" / "reports").iterdir() if p.is_dir())[0]
    lines = (report / "en.md").read_text(encoding="utf-8").splitlines()
    return report / "en.md", lines[lines.index("{#p1}") + 1]


def measure(page, path: Path, original: str, line: str, run: int) -> float:
    """Seconds from saving an edit of `line` to the open page showing it: the first `load` event of
    the reloaded page that shows the new text. Waiting for the event, not polling the page, leaves
    both cores to the server and the browser (polling every 5 ms took a good share of one)."""
    marker = f"latencyprobe{run}"
    edited = original.replace(line, f"{line} {marker}", 1)
    started = time.perf_counter()
    path.write_text(edited, encoding="utf-8")
    deadline = started + TIMEOUT
    while (remaining := deadline - time.perf_counter()) > 0:
        try:
            page.wait_for_event("load", timeout=remaining * 1000)
        except PlaywrightTimeout:
            break
        loaded = time.perf_counter()
        if page.evaluate(SHOWS, marker):
            return loaded - started
    raise SystemExit(f"run {run}: the open page did not show the new text within {TIMEOUT}s")


def run_benchmark(runs: int, source: Path = ROOT) -> dict:
    with tempfile.TemporaryDirectory(prefix="serve-latency-") as tmp:
        project = copy_project(Path(tmp), source)
        path, line = first_paragraph(project)
        original = path.read_text(encoding="utf-8")
        server = Server(project, free_port())
        try:
            first = server.wait_for(r"\] built (\d+) pages|build failed", timeout=STARTUP)
            if "build failed" in first.group(0):
                raise SystemExit("the project does not build:\n" + "\n".join(server.lines))
            server.wait_for(r"^serving ")
            url = f"http://127.0.0.1:{server.port}/en/reports/{path.parent.name}/"
            latencies, builds, indexes, firsts = measure_all(server, url, path, original, line, runs)
        finally:
            server.stop()
    return {"latencies": latencies, "builds": builds, "indexes": indexes, "firsts": firsts, "pages": int(first.group(1)),
            "file": f"content/reports/{path.parent.name}/en.md", "url_path": f"/en/reports/{path.parent.name}/"}


def measure_all(server: Server, url: str, path: Path, original: str, line: str, runs: int):
    latencies, builds, indexes, firsts = [], [], [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(url)
            for run in range(1, runs + 1):
                time.sleep(SETTLE)  # the page's event stream is connected, the server idle
                seen = len(server.lines)
                latencies.append(measure(page, path, original, line, run))
                build = rebuild_line(server, seen)
                index = build and re.search(r"search index (?:and data files )?updated ([\d.]+)s later", build.string)
                first = build and re.search(r"its own pages shown first, after ([\d.]+)s", build.string)
                builds.append(float(build.group(1)) if build else None)
                indexes.append(float(index.group(1)) if index else None)
                firsts.append(float(first.group(1)) if first else None)
                print(f"run {run:2}: {latencies[-1] * 1000:6.0f} ms (rebuild "
                      + (f"{builds[-1]:.2f} s" if build else "not in the server log")
                      + (f"; the report's own pages shown after {firsts[-1]:.2f} s)" if first else ")"), flush=True)
        finally:
            browser.close()
    return latencies, builds, indexes, firsts


def rebuild_line(server: Server, after: int) -> re.Match | None:
    """The server's line for the rebuild (its time in group 1), None if it prints none within LOG_WAIT."""
    try:
        return server.wait_for(r"\brebuilt \d+ pages?\D.*?\bin ([\d.]+) ?s\b", after=after, timeout=LOG_WAIT)
    except SystemExit:
        return None


def machine() -> dict[str, str]:
    return {"CPUs (nproc)": str(os.cpu_count()), "load average (1 min) at the end": f"{os.getloadavg()[0]:.2f}",
            "Python": platform.python_version(),
            "system": f"{platform.system()} {platform.release()} ({platform.machine()})",
            "browser": "Debian Chromium, headless (Playwright)"}


def write_results(result: dict, runs: int) -> str:
    ms = [s * 1000 for s in result["latencies"]]
    median, worst = statistics.median(ms), max(ms)
    known = [(latency, b) for latency, b in zip(ms, result["builds"]) if b is not None]
    build = statistics.median(b for _, b in known) * 1000 if known else None
    rest = statistics.median(latency - b * 1000 for latency, b in known) if known else None
    split = (f"The rebuild itself takes {build:.0f} ms (median, as the server's log reports it); the rest, "
             f"{rest:.0f} ms (median), is the quiet period before rebuilding, the message to the page and the "
             "page's update." if known else "The server's log reported no rebuild time.")
    firsts = result.get("firsts") or [None] * len(ms)
    shown = [f * 1000 for f in firsts if f is not None]
    if shown:
        split += (f" A save of a report's text shows that report's own pages first (made alone, every other file "
                  f"waiting for the build): {statistics.median(shown):.0f} ms (median) after the rebuild began; "
                  "the open page reloads then.")
    rows = "\n".join(f"| {i} | {latency:.0f} | {'–' if first is None else f'{first:.3f}'} | "
                     f"{'–' if build is None else f'{build:.2f}'} | {'–' if index is None else f'{index:.2f}'} |"
                     for i, (latency, first, build, index) in enumerate(zip(ms, firsts, result["builds"], result["indexes"]), 1))
    facts = "\n".join(f"| {key} | {value} |" for key, value in machine().items())
    text = f"""# Live preview latency (`build.py --serve`)

Measured by `bench/serve_latency.py` on {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC. In a copy of the
project ({result['pages']} pages), the server runs on a free port and headless Chromium shows
`{result['url_path']}`. Each of {runs} runs saves an edit to paragraph p1 of
`{result['file']}`
and times from the save (just before the file is written) until the `load` event of the reloaded
page whose `main` shows the new text (the script waits for the event rather than asking the page
every few milliseconds, which kept a share of a core busy).

**Median {median:.0f} ms, max {worst:.0f} ms.** {split} The last column: when the server's log says
the search index was brought up to date after the page had the change.

| machine | |
|---|---|
{facts}

| run | save → page shows the edit (ms) | the report's own pages shown (s) | rebuild, as the server reports it (s) | search index, after it (s) |
|---|---|---|---|---|
{rows}
"""
    RESULTS.write_text(text, encoding="utf-8")
    return f"median {median:.0f} ms, max {worst:.0f} ms over {runs} runs"


def main() -> int:
    global RESULTS
    parser = argparse.ArgumentParser(description="Save-to-reload latency of build.py --serve.")
    parser.add_argument("--runs", type=int, default=11, help="saves to time (default 11; the median counts)")
    parser.add_argument("--project", type=Path, default=ROOT,
                        help="project to measure (copied first), e.g. a synthetic edition from bench/synth.py")
    parser.add_argument("--results", type=Path, default=RESULTS, help=f"where to write the table (default {RESULTS.name})")
    args = parser.parse_args()
    RESULTS = args.results.resolve()
    result = run_benchmark(args.runs, args.project.resolve())
    summary = write_results(result, args.runs)
    print(f"{summary}; written to {args.results}")
    print("RESULT " + json.dumps(result), flush=True)  # for bench/run.py
    return 0


if __name__ == "__main__":
    sys.exit(main())
