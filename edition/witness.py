"""A witness file as its page shows it: numbered lines, each cut into runs that say which recorded
omission or which correction of the report they belong to (found by their text in the witness)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str  # "omission" or "correction"
    number: int  # the omission's or the correction's number on the report page


def find_in_order(witness: str, texts: list[tuple[int, str]], kind: str) -> list[Span]:
    """Where each (number, text) stands in the witness, searched after the one before (the order of
    the report), else anywhere; a text not found (or empty: an insertion) has no span."""
    spans, cursor = [], 0
    for number, text in texts:
        if not text:
            continue
        start = witness.find(text, cursor)
        if start < 0:
            start = witness.find(text)
        if start < 0:
            continue
        spans.append(Span(start, start + len(text), kind, number))
        cursor = start + len(text)
    return spans


def witness_lines(witness: str, spans: list[Span]) -> list[dict]:
    """Every line of the witness (its line breaks dropped, nothing else), numbered from 1, as runs:
    {"text", "omission": number or None, "correction": number or None}; and the numbers of the
    omissions and corrections each line holds."""
    lines, offset = [], 0
    texts = witness.split("\n")
    if texts[-1] == "":  # the file's final line break ends its last line
        texts.pop()
    for number, text in enumerate(texts, start=1):
        end = offset + len(text)
        inside = [s for s in spans if s.start < end and s.end > offset]
        cuts = sorted({offset, end} | {min(max(p, offset), end) for s in inside for p in (s.start, s.end)})
        runs = []
        for left, right in zip(cuts, cuts[1:]):
            covering = {s.kind: s.number for s in inside if s.start <= left and right <= s.end}
            runs.append({"text": witness[left:right], "omission": covering.get("omission"),
                         "correction": covering.get("correction")})
        if not runs:
            runs.append({"text": "", "omission": None, "correction": None})
        lines.append({"n": number, "runs": runs,
                      "omissions": sorted({s.number for s in inside if s.kind == "omission"}),
                      "corrections": sorted({s.number for s in inside if s.kind == "correction"}),
                      "omitted": bool(text.strip()) and all(r["omission"] for r in runs if r["text"].strip())})
        offset = end + 1
    return lines
