"""Reading a source file safely: it must lie inside the project (a symbolic link that leads out
of it is refused and nothing of its target is read), be a regular file no larger than
``MAX_SOURCE_BYTES``, and be valid UTF-8. Each failure is one problem at ``file:line:col``,
naming the path as it sits in the project's tree; invisible format characters are flagged at
their position (see ``flag_format_characters``)."""
from __future__ import annotations

import fnmatch
import os
import re
import stat
import unicodedata
from pathlib import Path

from .problems import BuildFailed, Problems

MAX_SOURCE_BYTES = 2 * 1024 * 1024  # 2 MiB: the largest text of the edition is about 12 KB
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# every character of Unicode category Cf (format) in Python 3.11's Unicode 14; a test holds it to unicodedata
FORMAT_CHARACTERS = re.compile("[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f"
                               "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
                               "\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
                               "\U000e0020-\U000e007f]")


def inside(path: Path | str, root: Path) -> bool:
    """Whether ``path``, with every symbolic link followed, lies in ``root``, and not in its .git/
    (``in_git``)."""
    real, top = os.path.realpath(path), os.path.realpath(root)
    return (real == top or real.startswith(top.rstrip(os.sep) + os.sep)) and not in_git(real, top)


def in_git(real: str, top: str) -> bool:
    """Whether the real path ``real`` lies in the .git/ folder of the project ``top``: git's own
    files, never a source (a link there from templates/static/ would publish .git/config, where CI
    keeps the checkout's credentials)."""
    git = os.path.join(top, ".git")
    return real == git or real.startswith(git + os.sep)


def escaping_link(path: Path, root: Path) -> Path | None:
    """The first part of ``path`` (as written under ``root``) that is a symbolic link leading
    out of the project, or None."""
    try:
        parts = Path(os.path.abspath(path)).relative_to(os.path.abspath(root)).parts
    except ValueError:
        return Path(path)
    current = Path(os.path.abspath(root))
    for part in parts:
        current = current / part
        if current.is_symlink() and not inside(current, root):
            return current
    return None


def refuse_link(link: Path, problems: Problems) -> None:
    if in_git(os.path.realpath(link), os.path.realpath(problems.root)):
        problems.error(link, 1, 1, "symbolic link into the project's .git/ folder, which holds git's own files "
                                   "(in CI, the checkout's credentials) and no source (replace the link with the file "
                                   "itself)")
        return
    problems.error(link, 1, 1, "symbolic link to a place outside the project; the build reads only files "
                               "inside it (replace the link with the file itself)")


def check_tree(folder: Path, problems: Problems) -> None:
    """Every symbolic link under ``folder`` (files and folders) that leads out of the project."""
    root = problems.root
    try:
        if not folder.exists() and not folder.is_symlink():
            return
        link = escaping_link(folder, root)
    except OSError as exc:  # a folder on the way cannot be entered
        cannot_read(folder, exc, problems, "the folder")
        return
    if link is not None:
        refuse_link(link, problems)
        return
    _refuse_escaping_links(str(folder), root, problems)


def _refuse_escaping_links(directory: str, root: Path, problems: Problems, hidden: bool = False) -> None:
    """The walk of ``check_tree``: a directory's entries tell whether each is a link without a
    system call per file (the live preview walks the whole tree on every save). A folder that
    cannot be read is an error at the folder (the sources in it would be passed over in silence),
    but for a hidden one (.git, an editor's), which holds no source."""
    for entry in folder_entries(Path(directory), None if hidden else problems):
        if entry.is_symlink():
            if not inside(entry.path, root):
                refuse_link(Path(entry.path), problems)
        elif entry.is_dir():
            _refuse_escaping_links(entry.path, root, problems, hidden or entry.name.startswith("."))


UNREADABLE_FOLDER = "cannot read the folder"


def cannot_read(path: Path | str, exc: OSError, problems: Problems, what: str = "the file") -> None:
    """The error for a source (``what``: "the file" or "the folder") that the system refuses to
    read: an unreadable folder, a file without read permission, a path through a folder that cannot
    be entered."""
    problems.error(path, 1, 1, f"cannot read {what}: {exc.strerror or exc}")


def folder_entries(folder: Path, problems: Problems | None) -> list[os.DirEntry]:
    """The entries of a source folder, sorted by name: none if there is no such folder; none and
    an error at the folder if it cannot be read (its files are never passed over in silence;
    ``problems`` None: a folder that holds no source, passed over)."""
    try:
        with os.scandir(folder) as listing:
            return sorted(listing, key=lambda entry: entry.name)
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError as exc:
        if problems is None:
            return []
        shown = problems.relative(folder)
        if not any(problem.message.startswith(UNREADABLE_FOLDER) and shown.startswith(problem.file + "/")
                   for problem in problems.items):  # (a folder above it cannot be read: said there, once)
            cannot_read(folder, exc, problems, "the folder")
        return []


def listed(folder: Path, problems: Problems, pattern: str = "*") -> list[Path]:
    """The paths in ``folder`` whose names match ``pattern`` (``*.yaml``), sorted, as
    ``folder.glob(pattern)`` finds them, but a folder that cannot be read is an error
    (``folder_entries``), where glob finds nothing."""
    entries = folder_entries(folder, problems)
    return [folder / entry.name for entry in entries if fnmatch.fnmatchcase(entry.name, pattern)]


def absent(path: Path) -> bool:
    """Whether there is nothing at ``path`` (no file, folder, link or pipe: reading any of those
    says what it is, ``read_bytes``); False when that cannot be told (a folder on the way cannot be
    entered): reading it then says why."""
    try:
        return not path.exists() and not path.is_symlink()
    except OSError:
        return False


def regular_file(path: Path | str) -> bool | None:
    """Whether ``path`` (its links followed) is a regular file, as ``os.path.isfile``, but None when
    that cannot be told: reading it then says why (``read_bytes``)."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError:
        return None


def read_bytes(path: Path, problems: Problems) -> bytes | None:
    """The bytes of a source file inside the project, or None with the problem recorded."""
    try:
        link = escaping_link(path, problems.root)
    except OSError as exc:  # a folder on the way that cannot be entered
        cannot_read(path, exc, problems)
        return None
    if link is not None:
        refuse_link(link, problems)
        return None
    try:
        with open(path, "rb", opener=_no_blocking) as file:
            info = os.fstat(file.fileno())
            if not stat.S_ISREG(info.st_mode):
                problems.error(path, 1, 1, "not a regular file; a source must be a plain text file")
                return None
            if info.st_size > MAX_SOURCE_BYTES:
                problems.error(path, 1, 1, f"file is {info.st_size:,} bytes; a source file may have at most "
                                           f"{MAX_SOURCE_BYTES:,} bytes (split it)")
                return None
            return file.read(MAX_SOURCE_BYTES + 1)[:MAX_SOURCE_BYTES]
    except OSError as exc:
        cannot_read(path, exc, problems)
        return None


def _no_blocking(path: str, flags: int) -> int:
    """Open without waiting on a named pipe or a device (they are refused once opened)."""
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))


def read_text(path: Path, problems: Problems, flag: bool = True) -> str | None:
    """The text of a source file (UTF-8, a leading byte order mark dropped), or None with the
    problem recorded. With ``flag``, its invisible format characters are flagged."""
    data = read_bytes(path, problems)
    if data is None:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = position(data, exc.start)
        problems.error(path, line, col, f"invalid UTF-8: byte 0x{data[exc.start]:02x} cannot be read as text; "
                                        "save the file as UTF-8")
        return None
    text = text.removeprefix("\ufeff")
    if flag:
        if control_characters(text, path, problems) | lone_carriage_returns(text, path, problems):
            return None
        flag_format_characters(text, path, problems)
    return text


# A carriage return that ends no line with a line feed (the one that ends a text is harmless: a
# front matter's last line of a file saved with CRLF)
LONE_CR = re.compile("\r(?!\n|\\Z)")


def lone_carriage_returns(text: str, path: Path, problems: Problems, line_offset: int = 0) -> bool:
    """An error for each carriage return that ends no line with a line feed (pasted inside a line),
    or one for a file whose every line ends so (old Mac line endings); whether there was one. YAML
    breaks a line there, the texts do not: the file would be read otherwise than it shows, and every
    position after it told on the wrong line."""
    found = list(LONE_CR.finditer(text))
    if found and "\n" not in text:
        found = found[:1]
        message = ("its lines end in a carriage return (U+000D) alone, as old Mac files do: save it with LF (or "
                   "CRLF) line endings")
    else:
        message = "carriage return (U+000D) without a line feed inside a line: delete it"
    for match in found:
        problems.error(path, *text_position(text, match.start(), line_offset), message)
    return bool(found)


# C0 controls but tab, line feed and carriage return, DEL and the C1 controls, and the
# non-characters (U+FDD0 to U+FDEF and the last two code points of each of the 17 planes): what an
# HTML page cannot carry (its parser's "control character" and "noncharacter" errors), nor, for
# most of them, an XML file (the TEI)
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff"
                                + "".join(chr(plane << 16 | 0xfffe) + chr(plane << 16 | 0xffff) for plane in range(1, 17))
                                + "]")


def control_characters(text: str, path: Path, problems: Problems) -> bool:
    """An error for each control character of a source; whether there was one."""
    found = False
    for match in CONTROL_CHARACTERS.finditer(text):
        line, col = text_position(text, match.start())
        problems.error(path, line, col, f"control character {code_point(match.group())}: a text cannot carry it "
                                        "(HTML and XML forbid it); delete it")
        found = True
    return found


def text_position(text: str, offset: int, line_offset: int = 0) -> tuple[int, int]:
    """Line and column of character ``offset``, counting only line feeds as line breaks."""
    return text.count("\n", 0, offset) + 1 + line_offset, offset - text.rfind("\n", 0, offset)


def position(data: bytes, offset: int) -> tuple[int, int]:
    """Line and column (in characters) of byte ``offset``."""
    start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    return line, len(data[start:offset].decode("utf-8", errors="replace")) + 1


def flag_format_characters(text: str, path: Path, problems: Problems, line_offset: int = 0) -> None:
    """A warning for each invisible format character (Unicode category Cf: bidirectional
    controls, zero-width joiners, soft hyphens …) that config.yaml does not explain under
    ``format_characters``; an error under ``--check --strict``."""
    allowed = problems.format_allowed
    for found in FORMAT_CHARACTERS.finditer(text):
        char = found.group()
        if code_point(char) in allowed:
            continue
        line, col = text_position(text, found.start(), line_offset)
        kind = "bidirectional control" if char in BIDI_CONTROLS else "invisible format character"
        problems.warning(path, line, col, f"{kind} {format_advice(char)}")


def format_advice(char: str) -> str:
    """What to do about an invisible format character that config.yaml does not explain."""
    return (f"{code_point(char)} {unicodedata.name(char, '')}: delete it, or state why the edition needs it "
            "under format_characters in config.yaml")


def not_ascii(name: str) -> str:
    """For a name written in ASCII letters, digits and hyphens (an id, a key, a class, a slug) that
    holds other characters, a clause that names them, or '': a Cyrillic а, a fullwidth ｔ or a
    no-break space looks like what it stands for, and the message would quote the name as it seems
    right."""
    odd = [char for char in dict.fromkeys(name) if not char.isascii()]
    if not odd:
        return ""
    named = ", ".join(f"{code_point(char)} {unicodedata.name(char, '')}".rstrip() for char in odd[:3])
    return f" (not ASCII: {named}{', …' if len(odd) > 3 else ''})"


def code_point(char: str) -> str:
    return f"U+{ord(char):04X}"


def template_failure(exc: Exception, templates: Path) -> BuildFailed:
    """A Jinja error (syntax, undefined variable, missing template) as one problem at the
    template's line: the template that failed, or the one whose line was running."""
    problems = Problems(root=templates.parent)
    file, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if file is None or line is None:
        file, line = template_line(exc, templates) or (templates / (getattr(exc, "name", None) or "."), 1)
    message = getattr(exc, "message", None) or str(exc)
    problems.error(Path(file), line or 1, 1, f"{type(exc).__name__}: {message}")
    return BuildFailed(problems)


def template_line(exc: Exception, templates: Path) -> tuple[str, int] | None:
    """The innermost line of a template in the traceback (Jinja gives its frames the
    template's file name and line)."""
    folder = os.path.abspath(templates) + os.sep
    found, trace = None, exc.__traceback__
    while trace is not None:
        name = trace.tb_frame.f_code.co_filename
        if name.startswith(folder):
            found = (name, trace.tb_lineno)
        trace = trace.tb_next
    return found
