"""Find the mentions of entities in the texts: Arabic-aware alias matching.

An alias matches a run of whole words of the normalized text (hamza/alef forms, diacritics,
shadda, tatweel, ى/ي, ة/ه folded; Latin case-insensitive). Its first word may carry the
proclitics و ف (conjunctions) and ب ل ك (prepositions), and an article ال after ل becomes لل.
Matching is greedy from the start of the text: the longest alias wins and links never overlap.
"""
from __future__ import annotations

import functools
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


def first_word_matches(text_word: str, alias_word: str) -> bool:
    """``text_word`` is ``alias_word`` with optional Arabic proclitics before it."""
    for prefix in PREFIXES:
        if text_word == prefix + alias_word:
            return True
        if prefix.endswith("ل") and alias_word.startswith("ال") and text_word == prefix + alias_word[1:]:
            return True  # ل + الموصل → للموصل
    return False


@functools.lru_cache(maxsize=200_000)
def first_word_cores(text_word: str) -> frozenset[str]:
    """Every alias first word that ``text_word`` can be, with its proclitics taken off."""
    cores = set()
    for prefix in PREFIXES:
        if text_word.startswith(prefix):
            rest = text_word[len(prefix):]
            cores.add(rest)
            if prefix.endswith("ل") and rest.startswith("ل"):
                cores.add("ا" + rest)  # للموصل → الموصل
    return frozenset(cores)


class Matcher:
    def __init__(self, aliases: list[Alias], fold_case: bool = True):
        self.fold_case = fold_case
        # Longest alias first (by words, then characters), then a stable order.
        self.aliases = sorted(aliases, key=lambda a: (-len(a.words), -len("".join(a.words)), a.entity_id, a.text))
        self.rank = {alias: rank for rank, alias in enumerate(self.aliases)}
        self.starting: dict[str, list[Alias]] = {}
        self.by_first_word: dict[str, list[Alias]] = {}
        for alias in self.aliases:
            self.by_first_word.setdefault(alias.words[0], []).append(alias)

    def find(self, text: str) -> list[Match]:
        spans = list(word_spans(text, self.fold_case))
        tokens = [span[0] for span in spans]
        matches: list[Match] = []
        starting = self.starting
        index = 0
        while index < len(tokens):
            candidates = starting.get(tokens[index])
            if candidates is None:
                candidates = self.candidates(tokens[index])
            alias = self._match_at(tokens, index, candidates) if candidates else None
            if alias is None:
                index += 1
                continue
            last = index + len(alias.words) - 1
            matches.append(Match(spans[index][1], spans[last][2], alias))
            index = last + 1
        return matches

    def candidates(self, token: str) -> list[Alias]:
        """The aliases that may start at a word, best first (computed once per distinct word)."""
        found = self.starting.get(token)
        if found is None:
            found = sorted((alias for core in first_word_cores(token) for alias in self.by_first_word.get(core, ())),
                           key=self.rank.__getitem__)
            self.starting[token] = found
        return found

    def _match_at(self, tokens: list[str], index: int, candidates: list[Alias]) -> Alias | None:
        for alias in candidates:
            count = len(alias.words)
            if index + count > len(tokens):
                continue
            if tokens[index + 1:index + count] != list(alias.words[1:]):
                continue
            if first_word_matches(tokens[index], alias.words[0]) \
                    and tuple(tokens[index:index + count]) not in alias.exclusions:
                return alias
        return None
