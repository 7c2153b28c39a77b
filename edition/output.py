"""Where a build puts its files: straight into a folder (the command line, so that a large
edition never has to fit in memory) or into memory (the live preview, ``--check``, tests).

A forked worker writes through its own copy of the output and sends back ``written()``; the
parent adds that with ``merge()``.
"""
from __future__ import annotations

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
