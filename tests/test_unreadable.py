"""A source the system will not let the build read (a folder or a file without permission) is one
`path:1:1: error: cannot read …` line among the other problems, exit 1, the previous site/ intact:
never passed over in silence, never a traceback, never called a write error.

The tests run as root, which chmod 000 does not stop: ``Unreadable`` makes the system calls the
build reads with refuse one path as the kernel would. Where the kernel can be made to refuse it
for real (not root, or root inside a user namespace), a second test does that too."""
import errno
import importlib.util
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

NOTE = ("id: first\ntitle: {ar: ملاحظة, en: A note}\nanchors:\n  - report: sample\n    paragraphs: [p1]\n"
        "note: {ar: ملاحظة., en: A note.}\n")


def build_cli():
    spec = importlib.util.spec_from_file_location("build_cli", ROOT / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Unreadable:
    """``path`` as chmod 000 leaves it for anyone but root: its folder's listing still names it,
    and it can be looked at (stat), but it cannot be listed or opened, nor anything in it reached."""

    def __init__(self, monkeypatch, path: Path):
        self.path = os.path.abspath(path)
        real_scandir, real_stat, real_lstat, real_open, real_io_open = os.scandir, os.stat, os.lstat, os.open, io.open

        def scandir(target="."):
            self.refuse(target, itself=True)
            return real_scandir(target)

        def stat(target, *args, **kwargs):
            self.refuse(target, itself=False)
            return real_stat(target, *args, **kwargs)

        def lstat(target, *args, **kwargs):
            self.refuse(target, itself=False)
            return real_lstat(target, *args, **kwargs)

        def open_(target, *args, **kwargs):
            self.refuse(target, itself=True)
            return real_open(target, *args, **kwargs)

        def io_open(target, *args, **kwargs):
            self.refuse(target, itself=True)
            return real_io_open(target, *args, **kwargs)

        monkeypatch.setattr(os, "scandir", scandir)
        monkeypatch.setattr(os, "stat", stat)
        monkeypatch.setattr(os, "lstat", lstat)
        monkeypatch.setattr(os, "open", open_)
        monkeypatch.setattr(io, "open", io_open)

    def refuse(self, target, itself: bool) -> None:
        if isinstance(target, int):  # a file descriptor: opened already
            return
        path = os.path.abspath(os.fsdecode(os.fspath(target)))
        if path.startswith(self.path + os.sep) or (itself and path == self.path):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), path)


# (path in the project, "file" or "folder")
TARGETS = [
    ("content/notes", "folder"),
    ("content/pages", "folder"),
    ("content/collations", "folder"),
    ("content/annotations", "folder"),
    ("content/reports", "folder"),
    ("content/reports/sample", "folder"),
    ("content/witnesses", "folder"),
    ("templates", "folder"),
    ("templates/static", "folder"),
    ("content/notes/first.yaml", "file"),
    ("content/annotations/mosul.yaml", "file"),
    ("content/reports/sample/ar.md", "file"),
    ("content/witnesses/sample.txt", "file"),
    ("config.yaml", "file"),
    ("templates/_head.html", "file"),
    ("templates/strings.yaml", "file"),
    ("templates/static/style.css", "file"),
]


@pytest.fixture
def project(mini) -> Path:
    """The mini project with a note and an (empty) folder of collation groups."""
    (mini / "content/notes").mkdir()
    (mini / "content/notes/first.yaml").write_text(NOTE, encoding="utf-8")
    (mini / "content/collations").mkdir()
    return mini


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.mark.parametrize("mode", ["build", "check", "release"])
@pytest.mark.parametrize("target,kind", TARGETS)
def test_an_unreadable_source_is_one_line_at_it(project, monkeypatch, capsys, mode, target, kind):
    cli = build_cli()
    from edition import cli as edition_cli
    if mode == "build":
        assert edition_cli.main(cli.parse_args(["--project", str(project)])) == 0
        capsys.readouterr()
    site = snapshot(project / "site") if mode == "build" else {}
    Unreadable(monkeypatch, project / target)
    flags = {"build": [], "check": ["--check"], "release": ["--release"]}[mode]
    status = edition_cli.main(cli.parse_args(["--project", str(project), *flags]))
    monkeypatch.undo()
    out, err = capsys.readouterr()
    printed = (out if mode == "check" else err).splitlines()
    assert status == 1, out + err
    assert f"{target}:1:1: error: cannot read the {kind}: Permission denied" in printed, out + err
    assert "Traceback" not in out + err and "cannot write" not in out + err
    assert printed[-1].startswith({"build": "build failed: ", "check": "check: ", "release": "release failed: "}[mode])
    assert snapshot(project / "site") == site  # the previous site is left as it was
    assert not (project / "dist").exists()


def launcher() -> list[str] | None:
    """How to run the build so that the kernel refuses what chmod refuses: as it is when not root;
    as root, in a user namespace of its own (where root's files are another user's); else None."""
    if os.geteuid() != 0:
        return []
    if shutil.which("unshare") and subprocess.run(["unshare", "--user", "true"], capture_output=True).returncode == 0:
        return ["unshare", "--user"]
    return None


@pytest.mark.parametrize("target,kind", [("content/notes", "folder"), ("content/reports/sample", "folder"),
                                         ("content/witnesses", "folder"), ("content/annotations/mosul.yaml", "file")])
def test_a_folder_or_file_without_permission_is_reported(project, target, kind):
    prefix = launcher()
    if prefix is None:
        pytest.skip("running as root, without user namespaces: chmod 000 does not stop root")
    command = [*prefix, sys.executable, str(ROOT / "build.py"), "--project", str(project)]
    assert subprocess.run(command, capture_output=True, timeout=120).returncode == 0
    site = snapshot(project / "site")
    mode = (project / target).stat().st_mode
    (project / target).chmod(0)
    try:
        results = {flag: subprocess.run([*command, *flag], capture_output=True, text=True, timeout=120)
                   for flag in ((), ("--check",), ("--release",))}
    finally:
        (project / target).chmod(mode)
    for flag, result in results.items():
        printed = (result.stdout if flag == ("--check",) else result.stderr).splitlines()
        assert result.returncode == 1, (flag, result.stdout, result.stderr)
        assert f"{target}:1:1: error: cannot read the {kind}: Permission denied" in printed, (flag, result.stderr)
        assert "Traceback" not in result.stdout + result.stderr
    assert snapshot(project / "site") == site
    assert not (project / "dist").exists()
