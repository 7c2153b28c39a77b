"""Safe YAML loading that remembers where every key and value stands in the file.

Only ``yaml.SafeLoader`` is used. Duplicate keys, tabs and malformed YAML become problems
with the line and column of the offending text, never exceptions. Anchors and aliases (``&a``,
``*a``) are refused, so that no file can expand to more than it says (an "alias bomb"), and so
is nesting deeper than ``MAX_DEPTH``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Problems
from .safety import CONTROL_CHARACTERS, FORMAT_CHARACTERS, code_point, format_advice, lone_carriage_returns, text_position

Path_ = tuple  # a path into the data: ("gloss", "ar") or ("sources", 0, "url")
# libyaml's parser when PyYAML has it (same safe semantics, several times faster).
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_DEPTH = 20  # levels of nested mappings and lists; the deepest source has 4
# PyYAML's C composer recurses once per level and has no limit of its own: some 50,000 levels
# ("- - - …" or "[[[…" in a 100 KB file) overflow its stack and kill the process without a word. A
# text with more characters that can open a level than this has its depth counted on the tokens
# first (``too_deep``), which the scanner makes without recursing; below it the composer is safe
# and ``_construct`` says where the nesting passes MAX_DEPTH.
OPENERS_UNCOUNTED = 1000


@dataclass
class Located:
    """YAML data plus the (line, col) of each value and each mapping key, 1-based."""

    data: Any
    file: Path
    line_offset: int = 0
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    text: str = field(default="", repr=False)  # the YAML as written (escapes are checked against it)

    def where(self, path: Path_, key: bool = False) -> tuple[int, int]:
        """The nearest known position for ``path`` (falls back to its parents)."""
        table = self.keys if key else self.values
        path = tuple(path)
        while path:
            if path in table:
                return table[path]
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values.get((), (self.line_offset + 1, 1))

    def find(self, path: Path_, needle: str) -> tuple[int, int]:
        """Where ``needle`` is first written from the start of the value at ``path`` on (a text's
        line once YAML has folded it is not the file's), or the value's own position."""
        line, col = self.where(path)
        lines = self.text.split("\n")
        first = line - 1 - self.line_offset
        for number in range(max(first, 0), len(lines)):
            found = lines[number].find(needle, col - 1 if number == first else 0)
            if found >= 0:
                return number + 1 + self.line_offset, found + 1
        return line, col


def _mark(node, offset: int) -> tuple[int, int]:
    return node.start_mark.line + 1 + offset, node.start_mark.column + 1


def load_yaml(text: str, file: Path, problems: Problems, line_offset: int = 0) -> Located | None:
    """Parse ``text``; on failure record a problem and return None."""
    if "\t" in text:
        for number, line in enumerate(text.splitlines(), start=1):
            indent = line[: len(line) - len(line.lstrip())]
            if "\t" in indent:
                problems.error(file, number + line_offset, indent.index("\t") + 1,
                               "tab character in indentation; YAML indents with spaces only")
                return None
    if unreadable_characters(text, file, problems, line_offset) or refuse_anchors_and_tags(text, file, problems, line_offset):
        return None
    if too_deep(text, file, problems, line_offset):
        return None
    loader = SafeLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.reader.ReaderError as exc:  # a character YAML refuses that the check above does not know
        line, col = text_position(text, exc.position, line_offset)
        problems.error(file, line, col, f"invalid YAML: character {code_point(chr(exc.character))} is not allowed")
        return None
    except yaml.MarkedYAMLError as exc:
        quote = quote_run_on(exc, text)
        if quote is not None:
            problems.error(file, quote.start_mark.line + 1 + line_offset, quote.start_mark.column + 1,
                           run_on_message(quote, exc, line_offset))
            return None
        opener = _opener(exc, text)
        line, col = _error_position(exc, text, opener)
        problems.error(file, line + line_offset, col, f"invalid YAML: {exc.problem or exc.context}"
                                                      f"{_opened(opener, text, line_offset)}")
        return None
    except RecursionError:
        problems.error(file, line_offset + 1, 1, f"YAML nested more than {MAX_DEPTH} levels deep")
        return None
    finally:
        loader.dispose()
    located = Located(data=None, file=file, line_offset=line_offset, text=text)
    if node is None or nothing_written(node):
        located.data = {}
        located.values[()] = (line_offset + 1, 1)
        return located
    ok = [True]
    located.data = _construct(node, (), located, loader, problems, ok)
    return located if ok[0] else None


def nothing_written(node) -> bool:
    """Whether a document is its start marker alone ('---', a comment at most after it): PyYAML
    gives it an empty value placed after the text's last line, where no editor goes, and the file
    holds no more than an empty one (it is read as one, at its first line)."""
    return (isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null" and node.value == ""
            and not node.style)


def _error_position(exc: yaml.MarkedYAMLError, text: str, opener: tuple[int, int] | None) -> tuple[int, int]:
    """Line (counted in ``text``) and column of a YAML error: where PyYAML gave up, but for the
    end of the text. There (a bracket or a quote left open on the last line) PyYAML names the line
    after the last one, which no editor shows: the last line with text is named instead, at the
    opening bracket or quote if it stands on that line, else at the end of the line."""
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return 1, 1
    lines = text.split("\n")
    filled = [number for number, line in enumerate(lines) if line.strip()]
    last = filled[-1] if filled else 0
    if mark.line < last or (mark.line == last and mark.column < len(lines[last].rstrip())):
        return mark.line + 1, mark.column + 1
    quoted = (exc.context or "").startswith("while scanning a quoted scalar")
    last = next((number for number in reversed(filled)  # a comment after it is no place to close it
                 if quoted or not lines[number].lstrip().startswith("#")), last)
    if opener is not None and opener[0] == last:
        return last + 1, opener[1] + 1
    return last + 1, len(lines[last].rstrip()) + 1


def _opener(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, int] | None:
    """(line, column), 0-based, of the bracket, or the quote the text ends in, that the error
    leaves open, if any: PyYAML marks it, but for an empty flow collection at the end of the text
    (``a: [``), whose innermost open bracket the tokens tell."""
    context = exc.context or ""
    quote_left_open = context.startswith("while scanning a quoted scalar") and "end of stream" in (exc.problem or "")
    if not (context.startswith("while parsing a flow") or quote_left_open):
        return None
    lines = text.split("\n")
    mark = exc.context_mark
    if mark and mark.line < len(lines) and lines[mark.line][mark.column:mark.column + 1] in OPENERS:
        return mark.line, mark.column
    if not context.startswith("while parsing a flow"):
        return None
    open_marks = []
    try:
        for token in yaml.scan(text, Loader=SafeLoader):
            if isinstance(token, (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken)):
                open_marks.append(token.start_mark)
            elif isinstance(token, (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)) and open_marks:
                open_marks.pop()
    except yaml.YAMLError:
        pass
    return (open_marks[-1].line, open_marks[-1].column) if open_marks else None


OPENERS = ("[", "{", '"', "'")


def quote_run_on(exc: yaml.MarkedYAMLError, text: str) -> yaml.ScalarToken | None:
    """The quoted text that a quote not closed on its line ran on into the lines after it, if
    PyYAML gave up on the line where the next quote closed it: one that takes in a line that starts
    with a key (KEY_LINE) indented no deeper than the line it opens on, which a text continued on
    the next lines does not. (PyYAML's error names where it gave up, not the quote left open.)"""
    mark = exc.problem_mark
    if mark is None or (exc.context or "").startswith("while scanning"):
        return None
    lines = text.split("\n")
    for token in reversed(quoted_scalars(text)):
        end = token.end_mark
        if end.line != mark.line or end.column > mark.column:
            continue
        indent = indentation(lines[token.start_mark.line])
        taken_in = [line for line in lines[token.start_mark.line + 1:end.line + 1] if line.strip()]
        return token if any(indentation(line) <= indent and KEY_LINE.match(line) for line in taken_in) else None
    return None


# A line that starts with a key (``gloss:``, ``- citation:``): what a quote left open takes in. A
# text wrapped onto a line as deep as its key's is read by PyYAML too; a quote inside it ("the
# so-called "Islamic State" …") is the slip there, and PyYAML's own error stands at it.
KEY_LINE = re.compile(r"\s*(?:-\s+)?[A-Za-z0-9_-]+:(?:\s|$)")


def quoted_scalars(text: str) -> list[yaml.ScalarToken]:
    """The quoted texts written on more than one line, as far as the text can be scanned."""
    found = []
    try:
        for token in yaml.scan(text, Loader=SafeLoader):
            if isinstance(token, yaml.ScalarToken) and token.style in ('"', "'") \
                    and token.end_mark.line > token.start_mark.line:
                found.append(token)
    except yaml.YAMLError:
        pass
    return found


def indentation(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def run_on_message(quote: yaml.ScalarToken, exc: yaml.MarkedYAMLError, line_offset: int) -> str:
    end = quote.end_mark  # just after the quote that closed it
    char = '"' if quote.style == '"' else "'"
    return (f"invalid YAML: the quote {char} opened here is not closed on its line; YAML reads the lines after it "
            f"as its text, up to the {char} on line {end.line + 1 + line_offset}, column {end.column}, where it stops: "
            f"{exc.problem or exc.context}")


def _opened(opener: tuple[int, int] | None, text: str, line_offset: int) -> str:
    """For an unclosed bracket or quote: where it opened (PyYAML reports the place it gave up,
    often the next line)."""
    if opener is None:
        return ""
    line, column = opener
    char = text.split("\n")[line][column]
    what = f"quote {char}" if char in "'\"" else f"'{char}'"
    return f"; the {what} opened on line {line + 1 + line_offset}, column {column + 1} is not closed"


# Line breaks that editors do not show: YAML counts them, so every later line would be reported
# one line off (NEL, among the control characters, is one too)
HIDDEN_BREAKS = "\x85\u2028\u2029"


def unreadable_characters(text: str, file: Path, problems: Problems, line_offset: int = 0) -> bool:
    """An error for each control character (safety.CONTROL_CHARACTERS, which YAML refuses), each
    hidden line break and each carriage return without a line feed (which YAML reads as a line
    break); whether there was one."""
    found = [*CONTROL_CHARACTERS.finditer(text), *re.finditer("[\u2028\u2029]", text)]
    for match in sorted(found, key=lambda match: match.start()):
        line, col = text_position(text, match.start(), line_offset)
        char = match.group()
        kind = "line break that editors do not show" if char in HIDDEN_BREAKS else "control character"
        problems.error(file, line, col, f"{kind} {code_point(char)}: YAML cannot take it here; delete it")
    return lone_carriage_returns(text, file, problems, line_offset) | bool(found)


def refuse_anchors_and_tags(text: str, file: Path, problems: Problems, line_offset: int = 0) -> bool:
    """One error at the first anchor, alias or tag, if there is any (then True). A tag (``!!timestamp``,
    ``!place``) would make PyYAML build a value of its own kind, or fail."""
    if "&" not in text and "*" not in text and "!" not in text:
        return False
    try:
        found = [token for token in yaml.scan(text, Loader=SafeLoader)
                 if isinstance(token, (yaml.AnchorToken, yaml.AliasToken, yaml.TagToken))]
    except yaml.YAMLError:
        return False  # reported when the text is parsed
    tags = [token for token in found if isinstance(token, yaml.TagToken)]
    if tags:
        handle, suffix = tags[0].value
        problems.error(file, *_mark(tags[0], line_offset),
                       f"YAML tags ('{handle or ''}{suffix}') are not supported; write the value as plain text, "
                       "and quote text that starts with !")
        return True
    if found:
        first = found[0]
        sign = "&" if isinstance(first, yaml.AnchorToken) else "*"
        more = f" ({len(found) - 1} more in this file)" if len(found) > 1 else ""
        problems.error(file, *_mark(first, line_offset),
                       f"YAML anchors and aliases ('{sign}{first.value}') are not supported; write the value "
                       f"out, and quote text that starts with & or *{more}")
    return bool(found)


LEVEL_OPENS = (yaml.BlockMappingStartToken, yaml.BlockSequenceStartToken, yaml.FlowMappingStartToken,
               yaml.FlowSequenceStartToken)
LEVEL_ENDS = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)


def too_deep(text: str, file: Path, problems: Problems, line_offset: int = 0) -> bool:
    """An error where the nesting passes MAX_DEPTH (then True), counted on the tokens, for a text
    that could nest deep enough to crash the composer (``OPENERS_UNCOUNTED``): each level opens at
    a '[', '{', '-', '?' or ':'. (The top-level collection is a level of the tokens, not of a path.)"""
    if sum(text.count(char) for char in "[{-?:") <= OPENERS_UNCOUNTED:
        return False
    depth = 0
    try:
        for token in yaml.scan(text, Loader=SafeLoader):
            if isinstance(token, LEVEL_OPENS):
                depth += 1
                if depth > MAX_DEPTH + 1:
                    problems.error(file, *_mark(token, line_offset), f"YAML nested more than {MAX_DEPTH} levels deep")
                    return True
            elif isinstance(token, LEVEL_ENDS):
                depth -= 1
    except yaml.YAMLError:
        pass  # reported when the text is parsed, which fails there before nesting any deeper
    return False


def escapes_readable(node, located: Located, problems: Problems) -> bool:
    """What a double-quoted scalar's escapes (``\\x01``, ``\\u202E``) make is held to the rules of
    the text itself, which cannot show it: a control character is an error (then False), an
    invisible format character a warning, both at the scalar."""
    if not isinstance(node, yaml.ScalarNode) or node.style != '"':
        return True
    raw = located.text[node.start_mark.index:node.end_mark.index]
    if "\\" not in raw:
        return True
    where = _mark(node, located.line_offset)
    made = [char for char in dict.fromkeys(node.value) if node.value.count(char) > raw.count(char)]
    bad = [char for char in made if CONTROL_CHARACTERS.match(char)]
    for char in bad:
        problems.error(located.file, *where, f"an escape in this string makes the control character {code_point(char)}, "
                                             "which a page cannot carry; delete it")
    for char in made:
        if FORMAT_CHARACTERS.match(char) and code_point(char) not in problems.format_allowed:
            problems.warning(located.file, *where, "an escape in this string makes the invisible format character "
                                                   + format_advice(char))
    return not bad


INTEGER = "tag:yaml.org,2002:int"
# The only integers read as numbers. YAML 1.1 reads 0123 as the octal 83, and 0x1F, 0b101, 1_000
# and 1:30 (base 60: 90) as numbers too: an identifier written so (geonames: 0123) became another,
# valid one without a word. Kept as the text written, each is checked as what it says.
DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")


def _construct(node, path, located: Located, loader, problems: Problems, ok: list[bool]):
    offset = located.line_offset
    located.values[path] = _mark(node, offset)
    if len(path) > MAX_DEPTH:
        problems.error(located.file, *_mark(node, offset), f"YAML nested more than {MAX_DEPTH} levels deep")
        ok[0] = False
        return None
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                problems.error(located.file, *_mark(key_node, offset), "a mapping key must be plain text")
                ok[0] = False
                continue
            key = key_node.value
            if not escapes_readable(key_node, located, problems):
                ok[0] = False
                continue
            if key == "<<":
                problems.error(located.file, *_mark(key_node, offset), "merge keys ('<<') are not supported")
                ok[0] = False
                continue
            if key in result:
                first = located.keys[path + (key,)]
                problems.error(located.file, *_mark(key_node, offset),
                               f"duplicate key '{key}' (first defined on line {first[0]})")
                ok[0] = False
                continue
            located.keys[path + (key,)] = _mark(key_node, offset)
            result[key] = _construct(value_node, path + (key,), located, loader, problems, ok)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_construct(item, path + (index,), located, loader, problems, ok)
                for index, item in enumerate(node.value)]
    if not escapes_readable(node, located, problems):
        ok[0] = False
        return None
    if node.tag == INTEGER and not DECIMAL.fullmatch(node.value):
        return node.value  # (kept as written: ``DECIMAL``)
    try:
        return loader.construct_object(node, deep=True)
    except (ValueError, TypeError, AttributeError, yaml.YAMLError) as exc:
        problems.error(located.file, *_mark(node, offset), f"invalid value {node.value!r}: {exc}")
        ok[0] = False
        return None
