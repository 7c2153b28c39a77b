"""Normalization of Arabic and Latin text, shared by entity matching and search.

Per character: drop diacritics, tatweel and invisible marks; NFKC (presentation forms, ligatures);
NFD and drop every mark (hamza and madda on alef, Latin accents); fold the letter variants below;
lower-case. The browser twin (``templates/static/search-pipeline.js``) applies the same rules;
the shared vectors in ``tests/vectors/search.json`` hold both to the same results.
"""
from __future__ import annotations

import functools
import re
from bisect import bisect_right
import unicodedata

# Removed outright: Arabic diacritics (harakat, shadda, sukun, superscript alef), tatweel,
# Quranic marks, and invisible format characters (ZWNJ, ZWJ, LRM, RLM, ALM, BOM, soft hyphen…).
_DROP = re.compile(
    "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"
    "\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]"
)
_FOLD = str.maketrans({
    "\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627", "\u0671": "\u0627",  # أ إ آ ٱ → ا
    "\u0649": "\u064a",  # ى → ي
    "\u0629": "\u0647",  # ة → ه
    "\u0624": "\u0648",  # ؤ → و
    "\u0626": "\u064a",  # ئ → ي
    "\u06cc": "\u064a", "\u06a9": "\u0643",  # Persian yeh, keheh
    **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
    **{chr(0x06F0 + d): str(d) for d in range(10)},  # Extended Arabic-Indic digits
})
WORD = re.compile(r"[^\W_]+")


@functools.lru_cache(maxsize=None)
def normalize_char(char: str, fold_case: bool = True) -> str:
    """The normalized form of one character (may be empty or several characters)."""
    if _DROP.match(char):
        return ""
    text = unicodedata.normalize("NFKC", char)
    text = unicodedata.normalize("NFD", text)
    text = "".join(c for c in text if not unicodedata.category(c).startswith("M") and not _DROP.match(c))
    text = unicodedata.normalize("NFC", text).translate(_FOLD)
    return text.lower() if fold_case else text


def normalize(text: str, fold_case: bool = True) -> str:
    if text.isascii():  # nothing to fold but case
        return text.lower() if fold_case else text
    return "".join([normalize_char(char, fold_case) for char in text])


def normalize_with_map(text: str, fold_case: bool = True) -> tuple[str, list[int]]:
    """Normalize ``text`` and map each normalized character back to its source index."""
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        normalized = normalize_char(char, fold_case)
        out.append(normalized)
        origin.extend([index] * len(normalized))
    return "".join(out), origin


NON_SPACE = re.compile(r"\S+")


@functools.lru_cache(maxsize=500_000)
def chunk_words(chunk: str, fold_case: bool = True) -> tuple[tuple[str, int, int], ...]:
    """The normalized words of a run of non-space characters, each with its (start, end) in the run.

    Normalization works character by character and no space becomes a letter, so a text's words
    are its runs' words; runs repeat a great deal, so each is normalized once.
    """
    normalized, origin = normalize_with_map(chunk, fold_case)
    return tuple((m.group(), origin[m.start()], origin[m.end() - 1] + 1) for m in WORD.finditer(normalized))


class _Translation:
    """Normalization as one ``str.translate`` when no character of a text becomes several (the
    common case: only ligatures and a few compatibility forms do). Characters that vanish
    (diacritics, tatweel, invisible marks) are dropped, and the source index of every character
    kept is worked out only for texts that have any. Learns characters as it meets them."""

    def __init__(self, fold_case: bool) -> None:
        self.fold_case = fold_case
        self.known: set[str] = set()
        self.table: dict[int, str | None] = {}  # characters that change or vanish
        self.vanish: set[str] = set()
        self.vanishing = re.compile("(?!)")  # matches any character of ``vanish``
        self.expand: set[str] = set()  # characters that become several: not handled here

    def __call__(self, text: str) -> tuple[str, list[int] | None] | None:
        """The normalized text and, if characters vanished, where: for the j-th of them, the index
        in the normalized text it would have had (so a normalized index i comes from the source
        index i + the number of those at or before i). None if some character becomes several."""
        chars = set(text)
        for char in chars - self.known:
            normalized = normalize_char(char, self.fold_case)
            if len(normalized) > 1:
                self.expand.add(char)
            elif normalized != char:
                self.table[ord(char)] = normalized or None
                if not normalized:
                    self.vanish.add(char)
                    self.vanishing = re.compile("[" + "".join(map(re.escape, sorted(self.vanish))) + "]")
            self.known.add(char)
        if self.expand and not self.expand.isdisjoint(chars):
            return None
        if self.vanish.isdisjoint(chars):
            return text.translate(self.table), None
        return text.translate(self.table), [m.start() - j for j, m in enumerate(self.vanishing.finditer(text))]


_TRANSLATION = {True: _Translation(True), False: _Translation(False)}


def word_spans(text: str, fold_case: bool = True) -> list[tuple[str, int, int]]:
    """(normalized word, start, end) for each word of ``text``, with offsets into ``text``."""
    translated = _TRANSLATION[fold_case](text)
    if translated is None:
        return word_spans_by_run(text, fold_case)
    normalized, vanished = translated
    if vanished is None:
        return [(m.group(), m.start(), m.end()) for m in WORD.finditer(normalized)]
    return [(m.group(), m.start() + bisect_right(vanished, m.start()), m.end() + bisect_right(vanished, m.end() - 1))
            for m in WORD.finditer(normalized)]


def word_spans_by_run(text: str, fold_case: bool = True) -> list[tuple[str, int, int]]:
    """``word_spans`` for any text: each run of non-space characters normalized with its map."""
    spans = []
    for run in NON_SPACE.finditer(text):
        words_of_run = chunk_words(run.group(), fold_case)
        if len(words_of_run) == 1 and words_of_run[0][1] == 0:  # the common case: the run is one word
            word, _, end = words_of_run[0]
            spans.append((word, run.start(), run.start() + end))
        else:
            offset = run.start()
            spans += [(word, offset + start, offset + end) for word, start, end in words_of_run]
    return spans


def words(text: str) -> list[str]:
    """Normalized words of ``text``: runs of letters and digits."""
    translated = _TRANSLATION[True](text)
    return words_by_run(text) if translated is None else WORD.findall(translated[0])


def words_by_run(text: str) -> list[str]:
    """``words`` for any text, run by run."""
    return [word for run in text.split() for word, _, _ in chunk_words(run)]
