"""Word-by-word collation of the witnesses of one meeting, aligned with CollateX.

Each witness is its established Arabic text as tokens (``tokens``): the runs between spaces, in
their printed form, each with the block it stands in (whether it starts a line of that block, and
whether the editors began that paragraph), the editors' correction it falls under (if any) and its
normalized form (the edition's own normalization, normalize.py: hamza and alef forms, diacritics,
shadda, tatweel, ة/ه, ى/ي, digits; punctuation dropped). CollateX aligns the
witnesses on the normalized forms (``align``); the alignment is then read as a run of places,
each an agreement or a variant, and each variant classified (``KINDS``):

- ``orthographic``: every witness has the place and their normalized forms are equal; only the
  printed forms differ (e.g. «الأموال» / «الاموال»);
- ``addition`` / ``omission``: seen from the base text, another witness has words the base does
  not have (addition), or lacks words the base has (omission);
- ``substitution``: the witnesses have different words there.

Adjacent variant columns of the alignment are merged into one place, so that «التنظيم الإرهابي»
against «الإرهابي» is one omission and not several. CollateX is imported only when a collation is
actually computed; a computed alignment is kept by the digest of the texts it aligned
(``collate``), so the live preview aligns again only when a collated text changed.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from difflib import SequenceMatcher

from .catalog import digest
from .inline import Node, plain_text
from .normalize import WORD, normalize

KINDS = ("addition", "omission", "substitution", "orthographic")
SUBSTANTIVE = ("addition", "omission", "substitution")


@dataclass(frozen=True, slots=True)
class Correction:
    """The editors' correction a token falls under, as its report's apparatus gives it."""

    printed: str
    reading: str
    type: str | None


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # as printed in the established text
    norm: str  # what it is matched on
    block: str  # the id of the block it stands in
    correction: Correction | None = None
    first: bool = False  # the first token of its correction (where the reading is shown)
    line_start: bool = False  # the first token of a line after its block's first (a teaser after the
    # one before): shown on a line of its own, never run on from the line before
    editorial_break: bool = False  # the first token of a paragraph the editors began (``editorial-break``):
    # in the witness it runs on from the paragraph before


@dataclass(frozen=True)
class Place:
    """One stretch of the alignment: an agreement (``kind`` None) or a variant place.

    ``readings`` holds, for each witness in the group's order, its tokens at this place (empty
    where it has none)."""

    number: int  # variant places are numbered from 1; agreements have 0
    kind: str | None
    readings: tuple[tuple[Token, ...], ...]

    @property
    def substantive(self) -> bool:
        return self.kind in SUBSTANTIVE


@dataclass(frozen=True)
class Collation:
    witnesses: tuple[str, ...]  # report slugs, in the group's order
    base: str
    places: tuple[Place, ...]

    @property
    def variants(self) -> list[Place]:
        return [place for place in self.places if place.kind]

    def counts(self) -> dict[str, int]:
        return {kind: sum(1 for place in self.places if place.kind == kind) for kind in KINDS}


# ---------------------------------------------------------------- tokens

def tokens(report) -> tuple[Token, ...]:
    """A report's established Arabic text as tokens, block by block."""
    found: list[Token] = []
    for block in report.blocks("ar"):
        editorial = "editorial-break" in block.classes
        for index, line in enumerate(block.lines):
            found += line_tokens(line, block.id, line_start=index > 0, editorial_break=editorial and not index)
    return tuple(found)


def line_tokens(nodes: list[Node], block: str, line_start: bool = False, editorial_break: bool = False) -> list[Token]:
    """A line's tokens (``line_start``: the line is not its block's first, so its first token
    starts a line; ``editorial_break``: the line begins a paragraph the editors began)."""
    chars: list[tuple[str, Correction | None]] = []
    _printed(nodes, None, chars)
    found: list[Token] = []
    run: list[tuple[str, Correction | None]] = []
    for char, correction in [*chars, (" ", None)]:
        if not char.isspace():
            run.append((char, correction))
            continue
        if run:
            text = "".join(c for c, _ in run)
            correction = next((c for _, c in run if c is not None), None)
            first = correction is not None and not (found and found[-1].correction is correction)
            found.append(Token(text, normalized(text), block, correction, first, line_start and not found,
                               editorial_break and not found))
            run = []
    return found


def _printed(nodes: list[Node], correction: Correction | None, chars: list) -> None:
    """Each printed character of a line with the correction it falls under."""
    for node in nodes:
        if node.kind in ("text", "code"):
            chars += [(char, correction) for char in node.text]
        elif node.kind == "sic":
            details = node.correction or {}
            own = Correction(plain_text(node.children), node.value or "", details.get("type"))
            _printed(node.children, own, chars)
        else:
            _printed(node.children, correction, chars)


def normalized(text: str) -> str:
    """What a token is matched on: its normalized letters and digits, or (punctuation) itself."""
    return "".join(WORD.findall(normalize(text))) or text


# ---------------------------------------------------------------- alignment

_ALIGNED: dict[str, Collation] = {}  # digest of the texts aligned -> their collation
KEPT = 16  # collations kept (a few per group: the preview's edits come and go)


def collate(witnesses: dict[str, tuple[Token, ...]], base: str) -> Collation:
    """The collation of the witnesses (slug -> tokens, in the group's order), computed once per
    content: the same texts give the kept collation."""
    key = digest(base, tuple((slug, tuple((t.text, t.block, t.correction, t.line_start, t.editorial_break)
                                          for t in found))
                             for slug, found in witnesses.items()))
    if key not in _ALIGNED:
        while len(_ALIGNED) >= KEPT:  # the oldest first: what the current texts need stays
            del _ALIGNED[next(iter(_ALIGNED))]
        _ALIGNED[key] = classify(tuple(witnesses), base, align(list(witnesses.values())))
    return _ALIGNED[key]


ANCHOR = 4  # tokens: a run the two texts share at least this long is aligned as it stands


def align(witnesses: list[tuple[Token, ...]]) -> list[tuple[tuple[Token, ...], ...]]:
    """The alignment table: columns, each with each witness's tokens there (maybe none).

    Two witnesses are first anchored on the long runs of tokens they share (difflib, on the
    normalized forms); CollateX aligns what lies between two anchors, so that its pure-Python edit
    graph stays small. More witnesses go to CollateX whole."""
    if len(witnesses) != 2:
        return collatex_columns(witnesses)
    first, second = witnesses
    matcher = SequenceMatcher(None, [t.norm for t in first], [t.norm for t in second], autojunk=False)
    columns: list = []
    at_first = at_second = 0
    for start_first, start_second, size in matcher.get_matching_blocks():
        if size < ANCHOR and size:  # too short to trust: left to CollateX with its surroundings
            continue
        columns += gap_columns(first[at_first:start_first], second[at_second:start_second])
        columns += [((first[start_first + i],), (second[start_second + i],)) for i in range(size)]
        at_first, at_second = start_first + size, start_second + size
    return columns


def gap_columns(first: tuple[Token, ...], second: tuple[Token, ...]) -> list:
    if first and second:
        return collatex_columns([first, second])
    return [((token,), ()) for token in first] + [((), (token,)) for token in second]


def load_engine() -> None:
    """Import CollateX (and networkx, which it loads): a quarter of a second."""
    import collatex  # noqa: F401


def collatex_columns(witnesses: list[tuple[Token, ...]]) -> list:
    """CollateX's alignment table of the witnesses (tokens matched on their normalized form)."""
    from collatex import collate as collatex

    data = {"witnesses": [{"id": f"w{index}", "tokens": [{"t": token.text, "n": token.norm, "i": position}
                                                          for position, token in enumerate(found)]}
                          for index, found in enumerate(witnesses)]}
    rows = json.loads(collatex(data, output="json", segmentation=False))["table"]
    return [tuple(tuple(witnesses[w][cell["i"]] for cell in (cells or [])) for w, cells in enumerate(column))
            for column in zip(*rows)]


def classify(slugs: tuple[str, ...], base: str, columns: list) -> Collation:
    """The alignment as places: runs of agreeing columns, and runs of variant columns merged."""
    places: list[Place] = []
    pending: list = []
    agreed: list = []

    def flush_agreement() -> None:
        if agreed:
            places.append(Place(0, None, _joined(agreed, len(slugs))))
            agreed.clear()

    def flush_variant() -> None:
        if pending:
            readings = _joined(pending, len(slugs))
            number = sum(1 for place in places if place.kind) + 1
            places.append(Place(number, kind_of(readings, slugs.index(base)), readings))
            pending.clear()

    for column in columns:
        if _agrees(column):
            flush_variant()
            agreed.append(column)
        else:
            flush_agreement()
            pending.append(column)
    flush_variant()
    flush_agreement()
    return Collation(slugs, base, tuple(places))


def _agrees(column) -> bool:
    texts = {tuple(token.text for token in cell) for cell in column}
    return len(texts) == 1 and all(column)


def _joined(columns: list, width: int) -> tuple[tuple[Token, ...], ...]:
    return tuple(tuple(token for column in columns for token in column[w]) for w in range(width))


def kind_of(readings: tuple[tuple[Token, ...], ...], base: int) -> str:
    """How the witnesses differ at one place, seen from the base text."""
    norms = [tuple(token.norm for token in reading) for reading in readings]
    if all(readings) and len(set(norms)) == 1:
        return "orthographic"
    others = [reading for w, reading in enumerate(readings) if w != base]
    if not readings[base]:
        return "addition"
    if not all(others):
        return "omission" if not any(others) or len(readings) == 2 else "substitution"
    return "substitution"
