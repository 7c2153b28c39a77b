"""Inline Markdown of the texts, parsed into a small tree the linker and renderer share.

Report text is inline Markdown with raw HTML, links and images off. Two attribute spans carry
the edition's markup: ``[الخاصعة]{corr="الخاضعة"}`` (as printed, with the editors' reading) and
``[المجموعة]{ref="counter-isis-finance-group"}`` (an explicit mention; ``ref="-"`` suppresses
automatic linking inside the span).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from mdit_py_plugins.attrs import attrs_plugin

SPAN_KEYS = {"corr", "ref"}


@dataclass(slots=True)
class Node:
    kind: str  # text | em | strong | code | sic | ref | nolink | mention
    text: str = ""
    children: list["Node"] = field(default_factory=list)
    value: str | None = None  # corr reading, or entity id


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
    tokens = _MD.parseInline(source)[0].children or []
    problems: list[str] = []
    root = Node("root")
    stack = [root]
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
            node = _span(dict(token.attrs), source, problems)
            stack[-1].children.append(node)
            stack.append(node)
        elif token.type in ("em_close", "strong_close", "span_close"):
            stack.pop()
        else:  # pragma: no cover - every other rule is disabled
            problems.append((1, f"unsupported inline markup '{token.type}'"))
    return root.children, problems


def _span(attrs: dict, source: str, problems: list[tuple[int, str]]) -> Node:
    for key in sorted(set(attrs) - SPAN_KEYS):
        column = source.find(f"{key}=") + 1 if key not in ("class", "id") else source.find("{") + 1
        problems.append((column, f"unknown attribute '{key}' in a text span (use corr=\"…\" or ref=\"…\")"))
    if "corr" in attrs and "ref" in attrs:
        problems.append((source.find("ref=") + 1, "a span takes either corr or ref, not both"))
    if "corr" in attrs:
        return Node("sic", value=str(attrs["corr"]))
    if "ref" in attrs:
        ref = str(attrs["ref"])
        return Node("nolink") if ref == "-" else Node("ref", value=ref)
    return Node("nolink")


def plain_text(nodes: list[Node]) -> str:
    """The text as printed (sic readings kept, markup dropped)."""
    return "".join(node.text if node.kind in ("text", "code") else plain_text(node.children)
                   for node in nodes)


def walk(nodes: list[Node]):
    for node in nodes:
        yield node
        yield from walk(node.children)
