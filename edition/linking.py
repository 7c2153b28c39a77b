"""Find the mentions of entities in the texts: Arabic-aware alias matching.

An alias matches a run of whole words of the normalized text (hamza/alef forms, diacritics,
shadda, tatweel, ى/ي, ة/ه folded; Latin case-insensitive). Its first word may carry the
proclitics و ف (conjunctions) and ب ل ك (prepositions), and an article ال after ل becomes لل.
Matching is greedy from the start of the text: the longest alias wins and links never overlap.
"""
from __future__ import annotations

from dataclasses import dataclass

from .normalize import WORD, normalize, word_spans

CONJUNCTIONS = ("", "و", "ف")
PREPOSITIONS = ("", "ب", "ل", "ك")
PREFIXES = tuple(sorted({c + p for c in CONJUNCTIONS for p in PREPOSITIONS}, key=len))


@dataclass(frozen=True)
class Alias:
    entity_id: str
    lang: str
    text: str  # as written in the YAML
    words: tuple[str, ...]  # normalized
    exclusions: frozenset[tuple[str, ...]] = frozenset()  # text forms this alias must not link


@dataclass(frozen=True)
class Match:
    start: int  # offsets in the original text
    end: int
    alias: Alias


def alias_words(text: str, fold_case: bool = True) -> tuple[str, ...]:
    return tuple(WORD.findall(normalize(text, fold_case)))


def first_word_forms(alias_word: str) -> set[str]:
    """Every text word that is ``alias_word`` with optional Arabic proclitics before it."""
    forms = {prefix + alias_word for prefix in PREFIXES}
    if alias_word.startswith("ال"):
        forms |= {prefix + alias_word[1:] for prefix in PREFIXES if prefix.endswith("ل")}  # للموصل
    return forms


class Matcher:
    def __init__(self, aliases: list[Alias], fold_case: bool = True):
        self.fold_case = fold_case
        # Longest alias first (by words, then characters), then a stable order.
        self.aliases = sorted(aliases, key=lambda a: (-len(a.words), -len("".join(a.words)), a.entity_id, a.text))
        # text word -> the aliases that may start at it, best first: made from the aliases alone, so
        # that it stays the same size whatever the texts hold (a table of the texts' words grew
        # with them: 16 MiB more in each worker by the end of 10,000 reports)
        self.starting: dict[str, list[Alias]] = {}
        for alias in self.aliases:
            for form in first_word_forms(alias.words[0]):
                self.starting.setdefault(form, []).append(alias)

    def find(self, text: str) -> list[Match]:
        spans = list(word_spans(text, self.fold_case))
        tokens = [span[0] for span in spans]
        matches: list[Match] = []
        starting = self.starting
        index = 0
        while index < len(tokens):
            candidates = starting.get(tokens[index])
            alias = self._match_at(tokens, index, candidates) if candidates else None
            if alias is None:
                index += 1
                continue
            last = index + len(alias.words) - 1
            matches.append(Match(spans[index][1], spans[last][2], alias))
            index = last + 1
        return matches

    def _match_at(self, tokens: list[str], index: int, candidates: list[Alias]) -> Alias | None:
        for alias in candidates:
            count = len(alias.words)
            if index + count > len(tokens):
                continue
            if tokens[index + 1:index + count] != list(alias.words[1:]):
                continue
            if tuple(tokens[index:index + count]) not in alias.exclusions:
                return alias
        return None
