"""A block's text as its page publishes it, and where each mention and correction stands in it.

The text of a block is the text content of its column on the page of the column's language
(``div#<block id> > div.col-<lang>``; a title is the page's ``h1``), leading and trailing white
space removed: what a reader selects, and what the exports' offsets count in (Unicode code
points). It is made from the same parsed lines the page renders (``views.Views.inline``), so it
holds what the page adds to them: after a corrected word its reading in ⟨…⟩ (or the word for
"delete" when the reading is empty), before an editorial break the sign ⁋ and its label, and a
list of teasers run together as their items are. A test holds it to the built HTML.
"""
from __future__ import annotations

from dataclasses import dataclass

from .content import Block
from .inline import Node


@dataclass(frozen=True, slots=True)
class Span:
    node: Node  # a mention or a correction (sic)
    start: int  # code points from the start of the block's text
    end: int  # a correction's span is the word as printed, without its ⟨reading⟩


@dataclass(frozen=True, slots=True)
class Published:
    text: str
    spans: tuple[Span, ...]  # in text order (an enclosing span before those it holds)


_MADE: dict[tuple, tuple[Block, Published]] = {}  # (block's id, the strings it read) -> (the block, its text)
MADE_KEPT = 1024  # blocks: a report's exports ask for each of its blocks several times (a report has tens)


def published(block: Block, t: dict) -> Published:
    """The block's text as the page in the strings ``t``'s language shows it, with its spans; made
    once per block (a block is not changed once linked; one held here keeps its id its own)."""
    key = (id(block), t["editorial_break"], t["omit_word"])
    made = _MADE.get(key)
    if made is not None and made[0] is block:
        return made[1]
    if len(_MADE) >= MADE_KEPT:
        _MADE.clear()
    text = make_published(block, t)
    _MADE[key] = (block, text)
    return text


def make_published(block: Block, t: dict) -> Published:
    parts: list[str] = []
    spans: list[Span] = []
    if "editorial-break" in block.classes and block.kind == "paragraph":
        parts.append(f"⁋({t['editorial_break']}) ")
    lines = block.lines[:1] if block.kind in ("title", "heading", "dateline", "paragraph") else block.lines
    length = sum(map(len, parts))
    for number, line in enumerate(lines):
        if number:
            parts.append("\n")  # between a list's items, as the page has it
            length += 1
        length = _collect(line, parts, spans, t, length)
    text = "".join(parts)
    lead = len(text) - len(text.lstrip())
    stripped = text.strip()
    return Published(stripped, tuple(Span(s.node, s.start - lead, s.end - lead) for s in spans))


def _collect(nodes: list[Node], parts: list[str], spans: list[Span], t: dict, length: int) -> int:
    """Append the text of ``nodes`` to ``parts`` (``length`` characters long so far) and their spans
    to ``spans``; returns the length after them. (Counted as it goes: summing the parts again at
    each node took a line of thousands of emphases minutes.)"""
    for node in nodes:
        if node.kind in ("text", "code"):
            parts.append(node.text)
            length += len(node.text)
            continue
        start, at = length, len(spans)
        length = _collect(node.children, parts, spans, t, length)
        if node.kind in ("mention", "sic"):
            spans.insert(at, Span(node, start, length))
        if node.kind == "sic":
            reading = f"⟨{node.value or t['omit_word']}⟩"
            parts.append(reading)
            length += len(reading)
    return length
