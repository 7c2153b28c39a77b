"""Where a build puts its files: straight into a folder (the command line, so that a large
edition never has to fit in memory) or into memory (the live preview, ``--check``, tests).

A forked worker writes through its own copy of the output and sends back ``written()``; the
parent adds that with ``merge()``.

A folder the build writes is replaced whole, so the command line first refuses any folder that
is not the build's own (``refusal``): every folder the build makes holds the marker file
``MARKER``. The swap is one atomic exchange where the system has it (Linux), so that ``site/`` is
always either the old or the new complete tree; what a killed build left beside it is removed by
the next one.
"""
from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path


class MemoryOutput:
    def __init__(self) -> None:
        self.data: dict[str, bytes] = {}

    def write(self, path: str, data: bytes) -> None:
        self.data[path] = data

    def write_parts(self, path: str, parts) -> None:
        """A file given in pieces (a file too large to hold twice)."""
        self.data[path] = b"".join(parts)

    def twin(self) -> "MemoryOutput":
        """An output of the same kind for a worker process."""
        return MemoryOutput()

    def written(self) -> dict[str, bytes]:
        return self.data

    def merge(self, written: dict[str, bytes]) -> None:
        self.data.update(written)

    def files(self) -> dict[str, bytes]:
        return {path: self.data[path] for path in sorted(self.data)}


class FolderOutput:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.sizes: dict[str, int] = {}
        self.made: set[Path] = set()

    def write(self, path: str, data: bytes) -> None:
        self.target(path).write_bytes(data)
        self.sizes[path] = len(data)

    def write_parts(self, path: str, parts) -> None:
        """A file given in pieces, each written as it comes (a file too large to hold whole)."""
        size = 0
        with open(self.target(path), "wb") as file:
            for part in parts:
                size += file.write(part)
        self.sizes[path] = size

    def target(self, path: str) -> Path:
        target = self.folder / path
        if target.parent not in self.made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self.made.add(target.parent)
        return target

    def twin(self) -> "FolderOutput":
        """An output of the same kind for a worker process."""
        return FolderOutput(self.folder)

    def written(self) -> dict[str, int]:
        return self.sizes

    def merge(self, written: dict[str, int]) -> None:
        self.sizes.update(written)

    def files(self) -> "FolderFiles":
        return FolderFiles(self.folder, sorted(self.sizes))


class FolderFiles(Mapping):
    """The files of a build in a folder, read when asked for (path -> bytes)."""

    def __init__(self, folder: Path, names: list[str]) -> None:
        self.folder = folder
        self.names = names
        self.known = set(names)

    def __getitem__(self, path: str) -> bytes:
        if path not in self.known:
            raise KeyError(path)
        return (self.folder / path).read_bytes()

    def __contains__(self, path) -> bool:  # without reading the file, as Mapping's would
        return path in self.known

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)

    def size(self, path: str) -> int:
        return (self.folder / path).stat().st_size


def _file_mode() -> int:
    """The mode a new file gets here (what the umask leaves of rw for all)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


FILE_MODE = _file_mode()
MARKER = ".edition-site"
MARKER_TEXT = b"This folder is made by build.py, which replaces it whole on every build.\n"
SOURCE_FOLDERS = ("content", "templates", ".git")


def refusal(out: Path, root: Path, default: bool) -> str | None:
    """Why ``out`` cannot be the output folder of the project ``root``, or None. Never the
    project or a folder above it, never in its sources or holding a tracked file, never a
    non-empty folder without the build's marker (except the default ``site/``, which the project
    reserves for the build: a site/ from before the marker existed is replaced), never a symbolic
    link (the build would replace the folder it points to)."""
    if os.path.islink(out):
        return ("is a symbolic link; the build replaces its output folder whole, so give the folder "
                f"itself ('{os.path.realpath(out)}') or another")
    out, root = Path(os.path.realpath(out)), Path(os.path.realpath(root))
    if out == root or out in root.parents:
        return "is the project folder or holds it; the build replaces its output folder whole"
    name = source_folder_of(out, root, SOURCE_FOLDERS)
    if name is not None:
        return f"is or lies in the project's {name}/ folder; choose a folder of its own, such as site/"
    blocker = next((p for p in (out, *out.parents) if p.exists() and not p.is_dir()), None)
    if blocker is not None:
        return "is a file, not a folder" if blocker == out else f"lies under '{blocker}', which is a file"
    if root in out.parents and tracked_files(root, out):
        return "holds files tracked by git; choose a folder of its own, such as site/"
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file() and not default:
        return (f"is a folder the build did not make (no {MARKER} in it) and is not empty; the build "
                "replaces its output folder whole: empty it or choose another")
    return None


def source_folder_of(path: Path, root: Path, names: tuple[str, ...]) -> str | None:
    """The name of the folder of ``names`` in the project ``root`` that is or holds ``path`` (both
    real paths), or None. Each folder is taken where it really is: a content/ that is a link to
    another folder of the project is that folder."""
    for name in names:
        folder = Path(os.path.realpath(root / name))
        if path == folder or folder in path.parents:
            return name
    return None


def tracked_files(root: Path, folder: Path) -> bool:
    """Whether git tracks any file in ``folder`` (False when the project is not a git work tree)."""
    if not (root / ".git").exists():
        return False
    try:
        listed = subprocess.run(["git", "-C", str(root), "ls-files", "-z", "--", str(folder.relative_to(root))],
                                capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return listed.returncode == 0 and bool(listed.stdout)


class OutputBusy(Exception):
    """Another process writes the output folder (a live preview, another build)."""


@contextlib.contextmanager
def claimed(target: Path, holder: str) -> Iterator[None]:
    """``target`` written by this process alone while the block runs: a lock file beside it
    (``.<name>-lock``, removed at the end) names the holder. A plain build would otherwise swap
    a new tree under a running preview, which then patches files it did not write; raises
    OutputBusy, naming the process that holds it. (No lock where the system has no flock.)"""
    try:
        import fcntl
    except ImportError:
        yield
        return
    target = Path(os.path.realpath(target))
    path = target.parent / f".{target.name}-lock"
    made = missing_folders(target.parent)
    target.parent.mkdir(parents=True, exist_ok=True)
    while True:
        lock = open(path, "a+", encoding="utf-8")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            held_by = lock.read().strip() or "another process"
            lock.close()
            raise OutputBusy(f"is being written by {held_by}") from None
        try:
            if os.path.samestat(os.fstat(lock.fileno()), os.stat(path)):
                break
        except FileNotFoundError:
            pass
        lock.close()  # the holder before removed the file as this one locked it: lock the new one
    try:
        lock.truncate(0)
        lock.write(f"{holder} (process {os.getpid()})\n")
        lock.flush()
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
        fcntl.flock(lock, fcntl.LOCK_UN)  # forked workers share the lock: released for them too
        lock.close()
        remove_emptied(made)  # the folders made to hold it go too, if the build left nothing in them


@contextlib.contextmanager
def staged(target: Path) -> Iterator[Path]:
    """A new folder beside ``target`` to write a build into; swapped in for ``target`` when the
    block ends normally, deleted (and ``target`` left as it was) when it raises. What killed
    builds left beside ``target`` goes first."""
    target = target.resolve()
    made = missing_folders(target.parent)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(target)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-{os.getpid()}-", dir=target.parent))
    try:
        (staging / MARKER).write_bytes(MARKER_TEXT)
        yield staging
        swap_in(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        remove_emptied(made)  # the folders made to hold it go too, if nothing else came into them
        raise


def missing_folders(folder: Path) -> list[Path]:
    """``folder`` and those of its parents that do not exist yet, innermost first."""
    missing = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    return missing


def remove_emptied(made: list[Path]) -> None:
    """The folders ``missing_folders`` listed (and a build then made), innermost first, while empty."""
    for folder in made:
        try:
            folder.rmdir()
        except OSError:
            break


def remove_leftovers(target: Path) -> None:
    """Staging and old folders of builds that were killed (their process is gone). If a build
    died between its two renames (systems without an atomic exchange), its old tree comes back."""
    pattern = re.compile(rf"\.{re.escape(target.name)}-(new|old)-(?:(\d+)(?:-.*)?|[^-]*)")
    for path in sorted(target.parent.iterdir()):
        found = pattern.fullmatch(path.name)
        if not found or (found.group(2) and running(int(found.group(2)))):
            continue
        if found.group(1) == "old" and not target.exists() and not target.is_symlink():
            os.replace(path, target)
        else:
            shutil.rmtree(path, ignore_errors=True)


def running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process
    return True


def write_site(files: dict[str, bytes], target: Path) -> None:
    """Write ``files`` into a staging folder and swap it in for ``target`` only when complete."""
    with staged(target) as staging:
        output = FolderOutput(staging)
        for relative, data in sorted(files.items()):
            output.write(relative, data)


def swap_in(staging: Path, target: Path) -> None:
    """Replace ``target`` with the complete folder ``staging``: one atomic exchange where the
    system has it (then ``staging`` holds the old tree), else one rename each."""
    os.chmod(staging, 0o755)
    if target.is_dir() and not target.is_symlink() and exchange(staging, target):
        shutil.rmtree(staging, ignore_errors=True)
        return
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}-old-{os.getpid()}")
        os.replace(target, old)
    os.replace(staging, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one step (Linux's renameat2 with RENAME_EXCHANGE); False if the
    system or the file system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange) == 0


def update_site(files: dict[str, bytes], target: Path, previous: dict[str, bytes]) -> int:
    """Bring ``target`` (holding ``previous``) to ``files`` by writing only what differs, each file
    replaced whole; returns how many files were written or removed. For the live preview."""
    changed, root = 0, target.resolve()
    emptied = set()
    for relative in sorted(previous.keys() - files.keys()):  # first: a new file may take a gone folder's name
        (target / relative).unlink(missing_ok=True)
        emptied.add((target / relative).parent)
        changed += 1
    for folder in sorted(emptied, key=lambda path: -len(path.parts)):  # a page's folder goes with it, as in
        remove_empty_folders(folder, target)  # a full build (a deleted report's /en/reports/x/)
    for relative, data in sorted((relative, data) for relative, data in files.items()
                                 if previous.get(relative) is not data):  # a kept page is the same object
        if previous.get(relative) != data:
            path = target / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            folder = path.parent.resolve()
            if folder != root and root not in folder.parents:  # a link in the site to elsewhere
                raise OSError(errno.EXDEV, "a folder in the site leads out of it (a symbolic link)", str(path.parent))
            replace_file(path, data)
            changed += 1
    return changed


def replace_file(path: Path, data: bytes) -> None:
    """Write ``path`` whole, through a new file of its own beside it (never one that exists, nor a
    link planted under a known name), renamed over it."""
    descriptor, staging = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".new", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as file:
            os.fchmod(file.fileno(), FILE_MODE)
            file.write(data)
        os.replace(staging, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(staging)
        raise


def remove_empty_folders(folder: Path, target: Path) -> None:
    """``folder`` and the folders above it, up to ``target`` (kept), while they are empty."""
    while folder != target and target in folder.parents:
        try:
            folder.rmdir()  # only an empty folder
        except OSError:
            return
        folder = folder.parent
