"""Inline Markdown of the texts, parsed into a small tree the linker and renderer share.

Report text is inline Markdown with raw HTML, links and images off. Two attribute spans carry
the edition's markup: ``[الخاصعة]{corr="الخاضعة"}`` (as printed, with the editors' reading) and
``[المجموعة]{ref="counter-isis-finance-group"}`` (an explicit mention; ``ref="-"`` suppresses
automatic linking inside the span). A correction is typed (``type="misprint"``, one of
``CORRECTION_TYPES``) and may give its grounds (``grounds="004 p4"``, shown as "cf. …") and the id of a note in
the report's front matter (``note="…"``, under ``correction_notes``). Brackets and braces are checked before parsing
(``markup_slips``): one that is not part of a well-formed span is an error at its column, so that
no slip of the markup silently reaches the reader as raw text. A literal bracket is written ``\\[``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from mdit_py_plugins.attrs import attrs_plugin

from .safety import not_ascii

SPAN_KEYS = {"corr", "ref", "type", "grounds", "note"}
CORRECTION_KEYS = ("type", "grounds", "note")  # what only a correction (corr="…") takes
# The kinds of editorial intervention, in the order the principles page explains them.
CORRECTION_TYPES = ("misprint", "grammar", "insertion", "deletion", "conjecture", "parallel")


@dataclass(slots=True)
class Node:
    kind: str  # text | em | strong | code | sic | ref | nolink | mention
    text: str = ""
    children: list["Node"] = field(default_factory=list)
    value: str | None = None  # corr reading, or entity id
    correction: dict | None = None  # a sic's type, grounds and note id (None when not given)
    # a span's: the column of each of its attributes in its source line (its errors are told there)
    columns: dict[str, int] | None = field(default=None, compare=False, repr=False)


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}).use(attrs_plugin, spans=True)
    md.disable(["link", "image", "autolink", "html_inline", "entity", "attr"])
    return md


_MD = _markdown()


MARKUP = set("[]{}*_`\\<>&!")  # characters that can start inline Markdown


def parse_inline(source: str) -> tuple[list[Node], list[tuple[int, str]]]:
    """Parse one line of inline Markdown. Returns the nodes and the problems (column, message)."""
    if MARKUP.isdisjoint(source):  # plain text, the common case: nothing to parse
        return ([Node("text", source)] if source else []), []
    problems, groups = markup_slips(source)
    if problems:
        return [Node("text", source)], problems
    tokens = _MD.parseInline(source)[0].children or []
    spans = sum(1 for token in tokens if token.type == "span_open")
    if spans < len(groups):  # a span inside `code`, or nested deeper than markdown-it goes: left as text
        why = "inside `code`?" if "`" in source else f"spans nest at most {_MD.options['maxNesting']} deep"
        return [Node("text", source)], [(min(groups) + 1, f"this span is not read as markup here ({why})")]
    root = Node("root")
    stack, braces = [root], iter(groups)
    for token in tokens:
        if token.type == "text":
            stack[-1].children.append(Node("text", token.content))
        elif token.type in ("softbreak", "hardbreak"):
            stack[-1].children.append(Node("text", " "))
        elif token.type == "code_inline":
            stack[-1].children.append(Node("code", token.content))
        elif token.type in ("em_open", "strong_open"):
            node = Node(token.type.removesuffix("_open"))
            stack[-1].children.append(node)
            stack.append(node)
        elif token.type == "span_open":
            brace = next(braces, min(groups, default=0))
            node = _span(dict(token.attrs), source, brace, problems)
            if node.kind == "sic" and any(outer.kind == "sic" for outer in stack):
                problems.append((node.columns["corr"], CORRECTION_IN_CORRECTION))
            stack[-1].children.append(node)
            stack.append(node)
        elif token.type in ("em_close", "strong_close", "span_close"):
            node = stack.pop()
            if node.kind == "sic" and " ".join(plain_text(node.children).split()) == " ".join(node.value.split()):
                problems.append((column_of(node, "corr"), f"corr: the reading '{node.value}' is the text as printed; "
                                                          "a correction gives another reading (or drop the span)"))
        else:  # pragma: no cover - every other rule is disabled
            problems.append((1, f"unsupported inline markup '{token.type}'"))
    return root.children, problems


# the pages show a correction's words as printed and then its reading: one inside another would show
# its reading among the words the outer one replaces, and the exports' offsets of the outer one
# would take it in (they count the words as printed)
CORRECTION_IN_CORRECTION = ("a correction inside another correction: the outer reading replaces all the words it marks; "
                            "give it the reading of them all, or correct the words in spans side by side")


ATTRIBUTE = re.compile(r'([A-Za-z][A-Za-z0-9_-]*)="')  # ASCII, as markdown-it's attributes are


def markup_slips(source: str) -> tuple[list[tuple[int, str]], list[int]]:
    """Brackets and braces that are not part of a well-formed span ``[text]{key="value" …}``
    (spans may nest; a bracket pair without attributes is literal text). Returns the problems
    (column, message) and the index of each attribute group's '{', in the order of the spans' '['
    (markdown-it's order of their span_open tokens: an enclosing span before those it holds)."""
    problems: list[tuple[int, str]] = []
    groups: list[tuple[int, int]] = []  # ('[', '{') of each span
    opened: list[int] = []
    index = 0
    while index < len(source):
        char = source[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            opened.append(index)
        elif char == "]":
            start = opened.pop() if opened else None
            if start is None:
                problems.append((index + 1, "']' closes no '[' (write a literal bracket as \\])"))
            after = index + 1
            gap = len(source[after:]) - len(source[after:].lstrip(" \t"))
            if source.startswith("{", after + gap):
                if start is not None and not source[start + 1:index].strip():
                    problems.append((start + 1, "empty span: a span marks the words between its brackets, "
                                                "as in [text]{corr=\"…\"}; put them inside"))
                if gap:
                    problems.append((after + 1, "space between ']' and '{': write [text]{corr=\"…\"} with nothing between"))
                groups.append((index if start is None else start, after + gap))
                index = _attribute_group(source, after + gap, problems)
                continue
            if start is not None and source.startswith("(", after):  # links are off: markdown-it prints it as text
                problems.append((start + 1, "a link [text](…) is printed as written: the texts take no links (mark an "
                                            "entity as [text]{ref=\"…\"}; write a literal bracket as \\[)"))
        elif char == "{":
            problems.append((index + 1, "'{' outside a span: attributes follow ']' directly, as in [text]{corr=\"…\"}"))
        elif char == "}":
            problems.append((index + 1, "'}' closes no '{'"))
        index += 1
    problems += [(start + 1, "'[' is not closed by ']' (write a literal bracket as \\[)") for start in opened]
    return problems, [brace for _bracket, brace in sorted(groups)]


def _attribute_group(source: str, start: int, problems: list[tuple[int, str]]) -> int:
    """Check ``{key="value" …}`` at ``start``; returns the index after it."""
    index, count, keys = start + 1, 0, set()
    while True:
        while source.startswith(" ", index):
            index += 1
        if source.startswith("}", index):
            if not count:
                problems.append((start + 1, "empty attributes '{}': write corr=\"…\" or ref=\"…\""))
            return index + 1
        attribute = ATTRIBUTE.match(source, index)
        if attribute is None:
            end = source.find("}", index)
            if end < 0:
                problems.append((start + 1, "'{' is not closed by '}'"))
                return len(source)
            name = re.match(r'[^\s="}]*', source[index:]).group()
            problems.append((index + 1, f"malformed attribute{not_ascii(name)}: write key=\"value\" (corr=\"…\" or "
                                        "ref=\"…\")"))
            return end + 1
        quote = attribute.end() - 1
        if attribute.group(1) in keys:
            problems.append((index + 1, f"attribute '{attribute.group(1)}' given twice in one span"))
        keys.add(attribute.group(1))
        closing = source.find('"', quote + 1)
        if closing < 0:
            problems.append((quote + 1, "unclosed quote: the value that starts here has no closing '\"'"))
            return len(source)
        if escapes_its_quote(source[quote + 1:closing]):
            problems.append((closing, "a backslash just before the closing quote makes the quote part of the value, "
                                      "which is then not closed: a value cannot end in '\\'"))
            end = source.find("}", closing)
            return len(source) if end < 0 else end + 1
        index, count = closing + 1, count + 1
        if index >= len(source):
            problems.append((start + 1, "'{' is not closed by '}'"))
            return index
        if not source.startswith((" ", "}"), index):
            problems.append((index + 1, "expected a space or '}' after the attribute's closing quote"))
            end = source.find("}", index)
            return len(source) if end < 0 else end + 1


def escapes_its_quote(value: str) -> bool:
    """Whether a span's value ends in a backslash that escapes the quote after it (an odd run of
    them): markdown-it's attributes read \\" as a quote inside the value and find it unclosed, so
    that the span is left as text."""
    return (len(value) - len(value.rstrip("\\"))) % 2 == 1


def _span(attrs: dict, source: str, brace: int, problems: list[tuple[int, str]]) -> Node:
    """The node of a span whose attributes (``attrs``) are written from ``brace``, the index of
    its '{' in the line, with the column of each (``Node.columns``): its problems, and those the
    build finds later (column_of), are at its own attributes, not at the first of the line's spans
    that has one of that name."""
    column = {key: source.find(f"{key}=", brace) + 1 for key in attrs}
    node = _span_node(attrs, column, source, brace, problems)
    node.columns = column
    return node


def _span_node(attrs: dict, column: dict[str, int], source: str, brace: int, problems: list[tuple[int, str]]) -> Node:
    for key in sorted(set(attrs) - SPAN_KEYS):
        problems.append((column[key] if key not in ("class", "id") else brace + 1,
                         f"unknown attribute '{key}' in a text span (use corr=\"…\" or ref=\"…\")"))
    if "corr" in attrs and "ref" in attrs:
        problems.append((column["ref"], "a span takes either corr or ref, not both"))
    if "corr" in attrs:
        return Node("sic", value=str(attrs["corr"]), correction=_correction(attrs, column["corr"], source, problems))
    for key in CORRECTION_KEYS:
        if key in attrs and not set(attrs) - SPAN_KEYS:
            problems.append((column[key], f"{key}=\"…\" qualifies a correction: the span needs corr=\"…\""))
    if "ref" in attrs:
        ref = str(attrs["ref"])
        return Node("nolink") if ref == "-" else Node("ref", value=ref)
    return Node("nolink")


def _correction(attrs: dict, corr: int, source: str, problems: list[tuple[int, str]]) -> dict:
    """A correction's type (checked against CORRECTION_TYPES), grounds and note id; ``corr`` is the
    column of its corr=."""
    kind = attrs.get("type")
    if kind is None:
        problems.append((corr, "a correction needs its type: type=\"…\" (" + ", ".join(CORRECTION_TYPES) + ")"))
    elif kind not in CORRECTION_TYPES:
        problems.append((source.find(f'type="{kind}"', max(corr - 1, 0)) + 1,
                         f"unknown correction type '{kind}' (known: {', '.join(CORRECTION_TYPES)})"))
    given = {key: attrs.get(key) or None for key in ("grounds", "note")}
    for key, what in (("grounds", "the grounds"), ("note", "the id of a note of correction_notes")):
        if key in attrs and not str(attrs[key]).strip():  # (told once: not also as a note that is not there)
            given[key] = None
            problems.append((source.find(f"{key}=", max(corr - 1, 0)) + 1,
                             f"{key}=\"{attrs[key]}\" is empty: give {what}, or leave the attribute out"))
    return {"type": kind, **given}


def plain_text(nodes: list[Node]) -> str:
    """The text as printed (sic readings kept, markup dropped)."""
    return "".join(node.text if node.kind in ("text", "code") else plain_text(node.children)
                   for node in nodes)


def offsets_of(kind: str, nodes: list[Node], offset: int = 0):
    """Each node of ``kind`` among ``nodes`` and within the spans and emphasis that hold them (not
    within one of that kind), with its offset in their plain text."""
    for node in nodes:
        if node.kind == kind:
            yield node, offset
        elif node.children:
            yield from offsets_of(kind, node.children, offset)
        offset += len(plain_text([node]))


def column_of(node: Node, key: str) -> int:
    """The column of a span's attribute ``key`` in its source line (1 if not known)."""
    return max((node.columns or {}).get(key, 1), 1)


def walk(nodes: list[Node]):
    for node in nodes:
        yield node
        yield from walk(node.children)
