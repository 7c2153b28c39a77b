"""Problems found in the sources, reported as ``file:line:col: severity: message``."""
from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    col: int
    severity: str  # "error" | "warning"
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.severity}: {self.message}"

    def github_annotation(self) -> str:
        kind = "error" if self.severity == "error" else "warning"
        message = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::{kind} file={self.file},line={self.line},col={self.col}::{message}"


@dataclass
class Problems:
    """Collects every problem of a run; nothing stops at the first one."""

    root: Path = Path(".")
    items: list[Problem] = field(default_factory=list)
    # invisible format characters the edition explains (config.yaml's format_characters): not flagged
    format_allowed: frozenset[str] = frozenset()

    def relative(self, path: Path | str) -> str:
        return relative_to(os.fspath(path), os.path.abspath(self.root))  # (absolute: the key holds no cwd)

    def twin(self) -> "Problems":
        """An empty collection with the same settings (for a worker process)."""
        return Problems(root=self.root, format_allowed=self.format_allowed)

    def error(self, path: Path | str, line: int, col: int, message: str) -> None:
        self.items.append(Problem(one_line(self.relative(path)), max(line, 1), max(col, 1), "error", one_line(message)))

    def warning(self, path: Path | str, line: int, col: int, message: str) -> None:
        self.items.append(Problem(one_line(self.relative(path)), max(line, 1), max(col, 1), "warning", one_line(message)))

    @property
    def errors(self) -> list[Problem]:
        return sorted(p for p in set(self.items) if p.severity == "error")

    @property
    def warnings(self) -> list[Problem]:
        return sorted(p for p in set(self.items) if p.severity == "warning")

    def sorted(self) -> list[Problem]:
        return sorted(set(self.items))


# What str.splitlines() breaks a line at: a message quotes values of the sources, and a key or a
# text written "a\nb" in YAML (or a block scalar) would make one problem two lines
LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def one_line(message: str) -> str:
    """``message`` (or a file's name) on one line: each line break in it written as its escape (\\n)."""
    return LINE_BREAKS.sub(lambda match: repr(match.group())[1:-1], message)


@functools.lru_cache(maxsize=4096)
def relative_to(path: str, root: str) -> str:
    """Paths are shown relative to the project, as they sit in its tree (a symbolic link is named,
    never its target); a relative path already is. (Remembered: a build warns of the same few
    files hundreds of times.)"""
    if not os.path.isabs(path):
        return Path(path).as_posix()
    try:
        return Path(os.path.relpath(os.path.abspath(path), root)).as_posix()
    except ValueError:
        return Path(path).as_posix()


class BuildFailed(Exception):
    """Raised when validation found errors; carries every problem found."""

    def __init__(self, problems: Problems):
        super().__init__(f"{len(problems.errors)} error(s)")
        self.problems = problems

    def __reduce__(self):  # raised in a worker process, it crosses to the parent whole
        return (BuildFailed, (self.problems,))
