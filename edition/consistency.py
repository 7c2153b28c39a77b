"""A check across the witnesses of one meeting: the same words corrected in one report and left
standing uncorrected in a passage another report shares.

Each report's Arabic text becomes a list of normalized word tokens, each marked with the
correction it belongs to (if any). A correction and ``CONTEXT`` words either side of it form an
n-gram; where another report of the same meeting has that n-gram with none of its words under a
correction, the check warns at that place.
"""
from __future__ import annotations

import sys
from array import array
from bisect import bisect_left
from dataclasses import dataclass

from .inline import Node
from .normalize import WORD, normalize
from .problems import Problems

CONTEXT = 2  # words of shared context on each side of a corrected passage


def passages(report) -> "Passages":
    """What the check keeps of a report (``Passages``); a token read here is (word, correction
    index or -1, line, block id); the corrected passages are found here, once per report read
    (the live preview keeps them with the report), not on every build (``_corrected_passages``)."""
    tokens: list[tuple[str, int, int, str]] = []
    counter = [0]
    for block in report.blocks("ar"):
        for offset, line in enumerate(block.lines, start=1):
            for text, correction in _pieces(line, -1, counter):
                tokens += [(word, correction, block.line + offset, block.id) for word in WORD.findall(normalize(text))]
    return passage(report.meta.meeting, str(report.docs["ar"].path), tuple(tokens))


@dataclass(frozen=True, slots=True)
class Passages:
    """A report as the check reads it, compactly: held for every report of the edition until the
    check has run (a tuple per word held 0.7 GiB at 10,000 reports)."""

    meeting: str
    file: str
    words: tuple[str, ...]  # its normalized words, in order (interned: one string per distinct word)
    lines: array  # the line of each word
    under_correction: tuple[int, ...]  # the indexes of the words a correction covers, ascending
    corrected: tuple  # (first, last + 1, its words with CONTEXT either side, where the correction
    # starts in them, the block it stands in) of each correction

    def __reduce__(self):
        """Pickled by a worker, its words are interned again in the process that loads it (pickle
        shares equal strings only within one file, and each group of reports is one)."""
        return _interned, (self.meeting, self.file, self.words, self.lines, self.under_correction, self.corrected)

    def uncorrected(self, start: int, end: int) -> bool:
        """No word from ``start`` to ``end`` (excluded) is under a correction."""
        at = bisect_left(self.under_correction, start)
        return at == len(self.under_correction) or self.under_correction[at] >= end


def _interned(meeting: str, file: str, words: tuple, *rest) -> Passages:
    return Passages(meeting, file, tuple(map(sys.intern, words)), *rest)


def passage(meeting: str, file: str, tokens: tuple) -> Passages:
    """What the check keeps of a report: its meeting, file and words, and its corrected passages."""
    return Passages(meeting, file, tuple(sys.intern(token[0]) for token in tokens),
                    array("I", (token[2] for token in tokens)),
                    tuple(index for index, token in enumerate(tokens) if token[1] >= 0),
                    tuple((*found, tokens[found[0]][3]) for found in _corrected_passages(tokens)))


def _pieces(nodes: list[Node], correction: int, counter: list[int]):
    """(text, correction index) of each run of printed text, in order."""
    for node in nodes:
        if node.kind in ("text", "code"):
            yield node.text, correction
        elif node.kind == "sic":
            counter[0] += 1
            yield from _pieces(node.children, counter[0], counter)
        else:
            yield from _pieces(node.children, correction, counter)


def check_consistency(found: dict[str, Passages], problems: Problems, kept: dict | None = None) -> None:
    """Warn where a passage corrected in one report stands uncorrected in another of its meeting.
    ``kept`` (the live preview's): where the wanted words stand in each report, from the last check,
    for the reports that did not change."""
    words_at = _word_positions(found, {gram[at] for report in found.values() for _, _, gram, at, _ in report.corrected},
                               kept)
    for slug, report in found.items():
        for start, end, gram, offset, block in report.corrected:
            for other, at in _occurrences(gram, offset, words_at[report.meeting], found):
                if other == slug:
                    continue
                first = at + offset
                if found[other].uncorrected(first, first + end - start):
                    words = " ".join(report.words[start:end])
                    problems.warning(found[other].file, found[other].lines[first], 1,
                                     f"«{words}» stands uncorrected here, but report '{slug}' ({block}) "
                                     "corrects it in the passage both print")


def _word_positions(found: dict[str, Passages], wanted: set[str],
                    kept: dict | None = None) -> dict[str, dict[str, list[tuple[str, int]]]]:
    """Per meeting, where each ``wanted`` word stands: (report, word index), in edition order.
    Only the first word of each corrected passage is wanted (every place that prints the
    passage has it): indexing every word cost the live preview 0.3 s a save at 1,000 reports.
    With ``kept`` (slug -> (its Passages, the wanted words, where they stand)), a report whose
    passages and the wanted words are the same as last time is not read again."""
    positions: dict[str, dict[str, list[tuple[str, int]]]] = {}
    frozen = frozenset(wanted)
    if kept:  # the same words as last time: then the very same set, compared by identity below
        last = next(iter(kept.values()))[1]
        frozen = last if last == frozen else frozen
    for slug, report in found.items():
        previous = kept.get(slug) if kept is not None else None
        if previous and previous[0] is report and previous[1] is frozen:
            at = previous[2]
        else:
            at = {}
            for index, word in enumerate(report.words):
                if word in wanted:
                    at.setdefault(word, []).append((slug, index))
            if kept is not None:
                kept[slug] = (report, frozen, at)
        in_meeting = positions.setdefault(report.meeting, {})
        for word, places in at.items():
            in_meeting.setdefault(word, []).extend(places)
    if kept is not None:
        for slug in kept.keys() - found.keys():
            del kept[slug]
    return positions


def _corrected_passages(tokens: tuple) -> list[tuple[int, int, tuple[str, ...], int]]:
    """(first, last + 1, its words with ``CONTEXT`` either side, where the correction starts in
    them) of each correction."""
    return [(start, end, tuple(token[0] for token in tokens[max(start - CONTEXT, 0):end + CONTEXT]),
             min(start, CONTEXT)) for start, end in _corrected_runs(tokens)]


def _corrected_runs(tokens: tuple) -> list[tuple[int, int]]:
    """(first, last + 1) index of the tokens of each correction."""
    runs: dict[int, list[int]] = {}
    for index, token in enumerate(tokens):
        if token[1] >= 0:
            runs.setdefault(token[1], []).append(index)
    return [(indexes[0], indexes[-1] + 1) for indexes in runs.values()]


def _occurrences(gram: tuple, offset: int, words_at: dict[str, list[tuple[str, int]]],
                 found: dict[str, Passages]) -> list[tuple[str, int]]:
    """(report, index) of every place the meeting's reports print ``gram``, in edition order.

    Candidates are the places of the corrected passage's first word (``gram[offset]``), looked
    up in the meeting's word positions: scanning every report of the meeting for every
    correction grew as the square of the edition (44 s of a 157 s profile at 1,000 reports)."""
    size = len(gram)
    places = []
    for other, index in words_at.get(gram[offset], ()):
        at = index - offset
        if at >= 0 and found[other].words[at:at + size] == gram:
            places.append((other, at))
    return places
