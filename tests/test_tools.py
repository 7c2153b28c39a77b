"""The helpers of `make`: one summary for both test suites, and installs that wait for each other."""
from __future__ import annotations

import fcntl
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import run_tests  # noqa: E402


def test_a_pytest_run_that_collects_no_test_is_a_failure(tmp_path, capfd):
    (tmp_path / "empty").mkdir()
    outcome = run_tests.run_pytest([str(tmp_path / "empty"), "-p", "no:cacheprovider"], tmp_path)
    assert outcome.exit_code == 5
    assert not outcome.ok
    assert outcome.line() == "pytest: FAILED, 0 tests: 0 passed, 0 failed, 0 skipped (no tests were collected)"


def test_the_pytest_summary_counts_what_ran(tmp_path, capfd):
    suite = tmp_path / "suite"
    suite.mkdir()
    (suite / "test_sample.py").write_text(
        "import pytest\n"
        "def test_passes(): assert True\n"
        "def test_fails(): assert False\n"
        "@pytest.mark.skip(reason='not here')\n"
        "def test_skipped(): pass\n", encoding="utf-8")
    outcome = run_tests.run_pytest([str(suite), "-p", "no:cacheprovider"], tmp_path)
    assert (outcome.passed, outcome.failed, outcome.skipped) == (1, 1, 1)
    assert not outcome.ok
    assert outcome.line() == "pytest: FAILED, 3 tests: 1 passed, 1 failed, 1 skipped"
    (suite / "test_sample.py").write_text("def test_passes(): assert True\n", encoding="utf-8")
    outcome = run_tests.run_pytest([str(suite), "-p", "no:cacheprovider"], tmp_path)
    assert outcome.ok and outcome.line() == "pytest: ok, 1 test: 1 passed, 0 failed, 0 skipped"


def test_the_node_summary_is_read_from_the_tap_report():
    tap = "TAP version 13\nok 1 - a\nnot ok 2 - b\n1..2\n# tests 2\n# suites 0\n# pass 1\n# fail 1\n" \
          "# cancelled 0\n# skipped 0\n# todo 0\n# duration_ms 12.5\n"
    assert run_tests.tap_totals(tap) == {"tests": 2, "suites": 0, "pass": 1, "fail": 1, "cancelled": 0,
                                         "skipped": 0, "todo": 0}


def test_an_install_waits_while_another_holds_the_lock(tmp_path):
    lock, marker = tmp_path / "lock", tmp_path / "installed"
    command = [sys.executable, str(ROOT / "tools" / "locked.py"), str(lock),
               sys.executable, "-c", f"open({str(marker)!r}, 'w').write('done'); print('installed')"]
    with open(lock, "w") as held:  # another installation is running
        fcntl.flock(held, fcntl.LOCK_EX)
        waiting = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        try:
            assert waiting.stdout.readline().startswith("waiting for the installation running in another terminal")
            assert waiting.poll() is None and not marker.exists()
        except BaseException:
            waiting.kill()
            raise
    assert waiting.stdout.read() == "installed\n"  # once the lock is free
    assert waiting.wait(timeout=30) == 0 and marker.read_text() == "done"


def test_the_lock_passes_the_commands_exit_status_on(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "locked.py"), str(tmp_path / "lock"),
                             sys.executable, "-c", "raise SystemExit(3)"], capture_output=True, timeout=30)
    assert result.returncode == 3 and result.stdout == b""
