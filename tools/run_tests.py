#!/usr/bin/env python3
"""`make test`: both test suites, each showing its progress, then one summary line per suite.

The Python suite runs with pytest (`-q`: a dot per test, a percentage per line), the Node suite
with `node --test` and its dot reporter; each also writes a machine-readable report (JUnit XML,
TAP) from which the summary is counted. Exit status 0 only if both suites ran at least one test
and none failed: pytest's "no tests collected" (exit 5) is a failure here, not a pass.
Extra arguments go to pytest (e.g. `-x`, `-k serve`).
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from edition.wording import count  # noqa: E402

PYTEST_NO_TESTS = 5


@dataclass
class Outcome:
    suite: str
    exit_code: int
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    note: str = ""  # why the counts are missing or do not tell the whole story

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and self.failed == 0 and self.passed > 0 and not self.note

    def line(self) -> str:
        ran = self.passed + self.failed + self.skipped
        verdict = "ok" if self.ok else "FAILED"
        counts = f"{count(ran, 'test')}: {self.passed} passed, {self.failed} failed, {self.skipped} skipped"
        return f"{self.suite}: {verdict}, {counts}" + (f" ({self.note})" if self.note else "")


def banner(text: str) -> None:
    print(f"\n==> {text}", flush=True)


def run_pytest(arguments: list[str], reports: Path) -> Outcome:
    banner("Python tests (pytest; the browser tests drive Chromium and take a few minutes)")
    report = reports / "pytest.xml"
    code = subprocess.call([sys.executable, "-m", "pytest", "-q", f"--junitxml={report}", *arguments], cwd=ROOT)
    outcome = Outcome("pytest", code)
    if report.is_file():
        suites = ElementTree.parse(report).getroot().iter("testsuite")
        for suite in suites:
            total, skipped = int(suite.get("tests", 0)), int(suite.get("skipped", 0))
            failed = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
            outcome.passed += total - failed - skipped
            outcome.failed += failed
            outcome.skipped += skipped
    if code == PYTEST_NO_TESTS:
        outcome.note = "no tests were collected"
    elif code != 0 and outcome.failed == 0:
        outcome.note = f"pytest exited with status {code}"
    return outcome


def run_node(reports: Path) -> Outcome:
    banner("Node tests (node --test tests/js/)")
    node = shutil.which("node")
    if node is None:
        return Outcome("node --test", 127, note="node is not installed")
    report = reports / "node.tap"
    code = subprocess.call([node, "--test", "--test-reporter=dot", "--test-reporter-destination=stdout",
                            "--test-reporter=tap", f"--test-reporter-destination={report}", "tests/js/"], cwd=ROOT)
    print(flush=True)
    outcome = Outcome("node --test", code)
    totals = tap_totals(report.read_text(encoding="utf-8") if report.is_file() else "")
    outcome.passed, outcome.failed = totals.get("pass", 0), totals.get("fail", 0) + totals.get("cancelled", 0)
    outcome.skipped = totals.get("skipped", 0) + totals.get("todo", 0)
    if not totals:
        outcome.note = f"no summary from node (exit status {code})"
    elif code != 0 and outcome.failed == 0:
        outcome.note = f"node exited with status {code}"
    return outcome


def tap_totals(tap: str) -> dict[str, int]:
    """The closing comments of a TAP report from node --test: '# pass 47', '# fail 0', …"""
    return {name: int(number) for name, number in re.findall(r"^# (\w+) (\d+)$", tap, re.MULTILINE)}


def main(arguments: list[str]) -> int:
    with tempfile.TemporaryDirectory(prefix="edition-tests-") as folder:
        outcomes = [run_pytest(arguments, Path(folder)), run_node(Path(folder))]
    banner("Summary")
    for outcome in outcomes:
        print(outcome.line())
    return 0 if all(outcome.ok for outcome in outcomes) else 1


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(130)
