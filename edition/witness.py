"""A witness file as its page shows it: numbered lines, each cut into runs that say which recorded
omission or which correction of the report they belong to, and where each paragraph of the report
begins, all found by following the report's text and omissions through the witness in order
(``piece_starts``; views.witness_places), never by searching for their words, which finds the
first place with those words; the grounds of a correction that cite a witness's paragraph
(``004 p1``, ``cited_paragraph``) lead there."""
from __future__ import annotations

import re
from dataclasses import dataclass

CITED = re.compile(r"(\S+) p([1-9][0-9]*)")  # a correction's grounds citing a witness's paragraph: 004 p1


def siglum(seed: str) -> str:
    """A witness's siglum: the number its file's name begins with (003), else the name without .txt."""
    return seed.removesuffix(".txt").split("_")[0]


def by_siglum(names) -> dict[str, list[str]]:
    """Witness files' names by their siglum (two files may share one: an error, reports.check_grounds)."""
    found: dict[str, list[str]] = {}
    for name in names:
        found.setdefault(siglum(name), []).append(name)
    return found


def cited_paragraph(grounds: str | None) -> tuple[str, int] | None:
    """(siglum, paragraph number) when a correction's grounds are one witness's paragraph, written
    as its siglum and the paragraph's number on its report's page (``004 p1``); else None (any
    other grounds are shown as written)."""
    found = CITED.fullmatch(grounds.strip()) if grounds else None
    return (found.group(1), int(found.group(2))) if found else None


BETWEEN = re.compile(r"\s*")  # what may stand between two pieces of a report's text in its witness


def piece_starts(witness: str, pieces: list[str]) -> list[int]:
    """Where each piece (a line of the text as printed, or an omission) begins in the witness,
    followed in order with only white space between them, as the build requires of a report's
    text (reports.check_fidelity); a piece that does not follow begins where the one before ended.
    Exact, where searching for a piece's words finds the first place that has them (an omitted
    or corrected «أن» in the third paragraph was marked on the first paragraph's)."""
    starts, position = [], 0
    for piece in pieces:
        position = BETWEEN.match(witness, position).end()
        starts.append(position)
        if witness.startswith(piece, position):
            position += len(piece)
    return starts


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str  # "omission" or "correction"
    number: int  # the omission's or the correction's number on the report page


def witness_lines(witness: str, spans: list[Span], starts: dict[int, list[int]] | None = None) -> list[dict]:
    """Every line of the witness (its line breaks dropped, nothing else), numbered from 1, as runs:
    {"text", "omission": number or None, "correction": number or None, "paragraphs": the numbers of
    the paragraphs that begin where the run does (``starts``: offset -> numbers)}; and the numbers of
    the omissions and corrections each line holds."""
    starts = starts or {}
    lines, offset = [], 0
    texts = witness.split("\n")
    if texts[-1] == "":  # the file's final line break ends its last line
        texts.pop()
    for number, text in enumerate(texts, start=1):
        end = offset + len(text)
        inside = [s for s in spans if s.start < end and s.end > offset]
        cuts = sorted({offset, end} | {min(max(p, offset), end) for s in inside for p in (s.start, s.end)}
                      | {p for p in starts if offset <= p < end})
        runs = []
        for left, right in zip(cuts, cuts[1:]):
            covering = {s.kind: s.number for s in inside if s.start <= left and right <= s.end}
            runs.append({"text": witness[left:right], "omission": covering.get("omission"),
                         "correction": covering.get("correction"), "paragraphs": starts.get(left, [])})
        if not runs:
            runs.append({"text": "", "omission": None, "correction": None, "paragraphs": []})
        lines.append({"n": number, "runs": runs,
                      "omissions": sorted({s.number for s in inside if s.kind == "omission"}),
                      "corrections": sorted({s.number for s in inside if s.kind == "correction"}),
                      "omitted": bool(text.strip()) and all(r["omission"] for r in runs if r["text"].strip())})
        offset = end + 1
    return lines
