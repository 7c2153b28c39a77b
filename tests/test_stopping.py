"""A build stopped from outside (SIGTERM from a service manager, Ctrl-C in a terminal, SIGKILL)
leaves nothing behind: no worker process, no temporary folder, the previous site/ as it was.

The build under test is build.py itself, with its report workers slowed down (each says it has
started, then sleeps) so that the signal always lands while the workers hold work."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

SLOW_BUILD = """
import os, runpy, sys, time
import edition.workers as workers
started = sys.argv[1]
def slow_group(numbered):
    with open(os.path.join(started, str(os.getpid())), "w"):
        pass
    time.sleep(120)
slow_group.__module__, slow_group.__qualname__ = "edition.workers", "report_group"  # pickled by name
workers.report_group = slow_group
sys.argv = ["build.py", "--project", sys.argv[2]]
runpy.run_path(os.path.join(os.getcwd(), "build.py"), run_name="__main__")
"""


@pytest.fixture
def project(tmp_path) -> Path:
    """A synthetic edition of four reports (two groups, one for each worker), built once."""
    project = tmp_path / "synthetic"
    subprocess.run([sys.executable, str(ROOT / "bench" / "synth.py"), "4", str(project)], check=True,
                   capture_output=True, timeout=120)
    subprocess.run([sys.executable, str(ROOT / "build.py"), "--project", str(project)], check=True,
                   capture_output=True, timeout=120)
    return project


@pytest.fixture
def workers_killed_after():
    """Whatever the outcome, no worker of a failed case is left running."""
    pids: list[int] = []
    yield pids
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def start_slow_build(project: Path, tmp_path: Path) -> tuple[subprocess.Popen, list[int], Path]:
    """The build, its two workers (once both have started on their reports) and its TMPDIR."""
    started, scratch = tmp_path / "started", tmp_path / "scratch"
    started.mkdir()
    scratch.mkdir()
    build = subprocess.Popen([sys.executable, "-c", SLOW_BUILD, str(started), str(project)], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "TMPDIR": str(scratch)}, start_new_session=True)
    deadline = time.monotonic() + 60
    while len(list(started.iterdir())) < 2:
        assert build.poll() is None, build.communicate()
        assert time.monotonic() < deadline, "the workers never started"
        time.sleep(0.05)
    return build, [int(path.name) for path in started.iterdir()], scratch


def alive(pid: int) -> bool:
    """Whether ``pid`` still runs (a zombie, dead but not yet reaped by its new parent, does not)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


def gone_within(pids: list[int], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while any(alive(pid) for pid in pids):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def site_of(project: Path) -> dict[str, bytes]:
    return {path.relative_to(project).as_posix(): path.read_bytes()
            for path in (project / "site").rglob("*") if path.is_file()}


pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


@pytest.mark.parametrize("how", ["SIGTERM to the build", "Ctrl-C to the terminal's process group"])
def test_a_stopped_build_stops_its_workers_and_leaves_nothing_behind(project, tmp_path, how, workers_killed_after):
    before = site_of(project)
    build, workers, scratch = start_slow_build(project, tmp_path)
    workers_killed_after += workers
    if how.startswith("SIGTERM"):
        build.send_signal(signal.SIGTERM)
    else:
        os.killpg(build.pid, signal.SIGINT)  # what a terminal does: every process of the group gets it
    try:
        _out, err = build.communicate(timeout=30)  # the workers hold two minutes of work
    except subprocess.TimeoutExpired:
        os.killpg(build.pid, signal.SIGKILL)
        pytest.fail(f"the build did not stop after {how}")
    expected = (143, "stopped by SIGTERM") if how.startswith("SIGTERM") else (130, "interrupted")
    assert build.returncode == expected[0], err
    assert err == f"build.py: {expected[1]}; the output folder is left as it was\n"
    assert gone_within(workers, 5), "a worker outlived the build"
    assert list(scratch.iterdir()) == []  # the workers' parts folder went with them
    assert not any(path.name.startswith(".site-") for path in project.iterdir())  # no staging folder
    assert site_of(project) == before


def test_a_killed_build_takes_its_workers_with_it_and_the_next_build_clears_what_it_left(project, tmp_path,
                                                                                        workers_killed_after):
    build, workers, scratch = start_slow_build(project, tmp_path)
    workers_killed_after += workers
    build.send_signal(signal.SIGKILL)  # nothing runs in the build to clean up
    build.communicate(timeout=30)
    assert gone_within(workers, 5), "a worker outlived the build that was killed"
    assert [path.name.startswith(f"edition-parts-{build.pid}-") for path in scratch.iterdir()] == [True]
    assert any(path.name.startswith(".site-new-") for path in project.iterdir())
    rebuilt = subprocess.run([sys.executable, str(ROOT / "build.py"), "--project", str(project)], cwd=ROOT,
                             capture_output=True, text=True, timeout=120, env={**os.environ, "TMPDIR": str(scratch)})
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert list(scratch.iterdir()) == []
    assert not any(path.name.startswith(".site-") for path in project.iterdir())
