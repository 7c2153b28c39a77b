"""Where a build puts its files: straight into a folder (the command line, so that a large
edition never has to fit in memory) or into memory (the live preview, ``--check``, tests).

A forked worker writes through its own copy of the output and sends back ``written()``; the
parent adds that with ``merge()``.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path


class MemoryOutput:
    def __init__(self) -> None:
        self.data: dict[str, bytes] = {}

    def write(self, path: str, data: bytes) -> None:
        self.data[path] = data

    def write_parts(self, path: str, parts: Iterable[bytes]) -> None:
        self.data[path] = b"".join(parts)

    def twin(self) -> "MemoryOutput":
        """An output of the same kind for a worker process."""
        return MemoryOutput()

    def written(self) -> dict[str, bytes]:
        return self.data

    def merge(self, written: dict[str, bytes]) -> None:
        self.data.update(written)

    def files(self) -> dict[str, bytes]:
        return dict(sorted(self.data.items()))


class FolderOutput:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.sizes: dict[str, int] = {}
        self.made: set[Path] = set()

    def write(self, path: str, data: bytes) -> None:
        self.target(path).write_bytes(data)
        self.sizes[path] = len(data)

    def target(self, path: str) -> Path:
        target = self.folder / path
        if target.parent not in self.made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self.made.add(target.parent)
        return target

    def write_parts(self, path: str, parts: Iterable[bytes]) -> None:
        """A large file written piece by piece, never whole in memory."""
        size = 0
        with open(self.target(path), "wb") as file:
            for part in parts:
                file.write(part)
                size += len(part)
        self.sizes[path] = size

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

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)

    def size(self, path: str) -> int:
        return (self.folder / path).stat().st_size


@contextlib.contextmanager
def staged(target: Path) -> Iterator[Path]:
    """A new folder beside ``target`` to write a build into; swapped in for ``target`` when the
    block ends normally, deleted (and ``target`` left as it was) when it raises."""
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=target.parent))
    try:
        yield staging
        swap_in(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def write_site(files: dict[str, bytes], target: Path) -> None:
    """Write ``files`` into a staging folder and swap it in for ``target`` only when complete."""
    with staged(target) as staging:
        output = FolderOutput(staging)
        for relative, data in sorted(files.items()):
            output.write(relative, data)


def swap_in(staging: Path, target: Path) -> None:
    """Replace ``target`` with the complete folder ``staging`` (one rename each)."""
    os.chmod(staging, 0o755)
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}-old-{os.getpid()}")
        os.replace(target, old)
    os.replace(staging, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def update_site(files: dict[str, bytes], target: Path, previous: dict[str, bytes]) -> int:
    """Bring ``target`` (holding ``previous``) to ``files`` by writing only what differs, each file
    replaced whole; returns how many files were written or removed. For the live preview."""
    changed = 0
    for relative, data in sorted(files.items()):
        if previous.get(relative) != data:
            path = target / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            staging = path.with_name(f".{path.name}.new")
            staging.write_bytes(data)
            os.replace(staging, path)
            changed += 1
    for relative in sorted(set(previous) - set(files)):
        (target / relative).unlink(missing_ok=True)
        changed += 1
    return changed
