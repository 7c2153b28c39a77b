"""What escaped a preview rebuild, as `file:line:col: error:` lines for the terminal and the open
pages.

The build reports the problems of the sources itself. What escapes it, a template error, a
source it could not decode or a bug, is still shown as a line naming a file: the source with the
bad byte, the template line, or the engine's own line; never a place inside Python such as
`<frozen codecs>:322:1`.
"""
from __future__ import annotations

import traceback
from dataclasses import dataclass
from pathlib import Path

from jinja2 import TemplateError

ENGINE = Path(__file__).resolve().parent.parent
SOURCE_FOLDERS = ("content", "templates")
TEXT_SUFFIXES = {".md", ".yaml", ".yml", ".html", ".css", ".js", ".json", ".txt", ".svg", ".xml"}


@dataclass
class Crash:
    lines: list[str]
    in_sources: bool  # the cause is in a source file (no bug of the engine to report)


def explain(exc: BaseException, project: Path, changed: list[str] | None = None) -> Crash:
    """The lines that say what went wrong; `changed` (project-relative) are looked at first."""
    if isinstance(exc, UnicodeDecodeError):
        found = undecodable(project, changed) or undecodable(project, None)
        if found:
            return Crash(found, True)
    filename, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)  # Jinja's syntax errors
    if not (isinstance(filename, str) and isinstance(line, int)):
        filename, line = innermost_file(exc, project)
    return Crash([problem_line(Path(filename), project, line, exc)], isinstance(exc, TemplateError))


def problem_line(path: Path, project: Path, line: int, exc: BaseException) -> str:
    message = (str(exc).splitlines() or [""])[0]
    return f"{shown(path, project)}:{line}:1: error: {type(exc).__name__}: {message}"


def innermost_file(exc: BaseException, project: Path) -> tuple[Path, int]:
    """The innermost frame in the project, else in the engine, else in any real file."""
    frames = [frame for frame in traceback.extract_tb(exc.__traceback__)
              if not frame.filename.startswith("<") and Path(frame.filename).is_file()]
    for base in (project, ENGINE, None):
        ours = [frame for frame in frames if base is None or Path(frame.filename).resolve().is_relative_to(base)]
        if ours:
            return Path(ours[-1].filename), ours[-1].lineno or 1
    return ENGINE / "edition" / "pipeline.py", 1


def shown(path: Path, project: Path) -> str:
    for base in (project, ENGINE):
        if path.resolve().is_relative_to(base):
            return path.resolve().relative_to(base).as_posix()
    return path.as_posix()


# ---------------------------------------------------------------- undecodable sources


def undecodable(project: Path, candidates: list[str] | None) -> list[str]:
    """A line for each text source (of `candidates`, or all of them) that is not valid UTF-8."""
    paths = [project / name for name in candidates] if candidates else list(text_sources(project))
    lines = []
    for path in sorted(paths):
        if path.suffix in TEXT_SUFFIXES and path.is_file():
            try:
                data = path.read_bytes()
            except OSError:
                continue
            where = first_bad_byte(data)
            if where:
                line, col, byte = where
                lines.append(f"{shown(path, project)}:{line}:{col}: error: not valid UTF-8 (byte 0x{byte:02x}); "
                             f"save the file as UTF-8")
    return lines


def text_sources(project: Path):
    yield project / "config.yaml"
    for folder in SOURCE_FOLDERS:
        yield from (path for path in (project / folder).rglob("*") if path.suffix in TEXT_SUFFIXES)


def first_bad_byte(data: bytes) -> tuple[int, int, int] | None:
    """(line, column in characters, the byte) of the first byte that is not UTF-8, or None."""
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError as bad:
        start = bad.start
    line_start = data.rfind(b"\n", 0, start) + 1
    column = len(data[line_start:start].decode("utf-8", "replace")) + 1
    return data.count(b"\n", 0, start) + 1, column, data[start]
