"""Passage by passage: the sentences independent accounts of one meeting share.

Each witness's established Arabic text is cut into sentences (at . ! ? ؟ and at the end of each
block), each sentence a set of shingles (pairs of consecutive normalized tokens, as
collation.tokens gives them). Two sentences of different witnesses are parallel when the Jaccard
similarity of their shingles reaches ``THRESHOLD``; parallel sentences are gathered into passages
(connected groups), in the order of their first sentence in the base text (or, failing that, in
the first witness that has them). What no other witness shares is what that report alone says.
"""
from __future__ import annotations

from dataclasses import dataclass

SENTENCE_END = (".", "!", "?", "؟")
THRESHOLD = 0.15  # Jaccard similarity of two sentences' shingles
SHINGLE = 2  # tokens per shingle


@dataclass(frozen=True)
class Sentence:
    witness: int
    index: int  # its position in its witness
    tokens: tuple  # collation.Token

    @property
    def block(self) -> str:
        return self.tokens[0].block

    @property
    def text(self) -> str:
        return " ".join(token.text for token in self.tokens)


@dataclass(frozen=True)
class Passage:
    sentences: tuple[tuple[Sentence, ...], ...]  # for each witness, its sentences in this passage
    similarity: float  # the highest similarity of two of its sentences


def sentences(tokens: tuple, witness: int) -> list[Sentence]:
    found, current = [], []
    for position, token in enumerate(tokens):
        current.append(token)
        ends_block = position + 1 == len(tokens) or tokens[position + 1].block != token.block
        if token.text.rstrip("»\"”)").endswith(SENTENCE_END) or ends_block:
            found.append(Sentence(witness, len(found), tuple(current)))
            current = []
    return found


def shingles(sentence: Sentence) -> frozenset:
    norms = [token.norm for token in sentence.tokens if any(c.isalnum() for c in token.norm)]
    return frozenset(zip(*(norms[i:] for i in range(SHINGLE)))) if len(norms) >= SHINGLE else frozenset()


def jaccard(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def passages(witnesses: list[tuple], base: int) -> tuple[list[Passage], list[list[Sentence]]]:
    """The passages the witnesses share, and for each witness the sentences only it has."""
    cut = [sentences(tokens, w) for w, tokens in enumerate(witnesses)]
    sets = {(s.witness, s.index): shingles(s) for found in cut for s in found}
    parent: dict = {key: key for key in sets}
    best: dict = {}

    def root(key):
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for w, found in enumerate(cut):
        for other in range(w + 1, len(cut)):
            for s in found:
                for t in cut[other]:
                    score = jaccard(sets[(w, s.index)], sets[(other, t.index)])
                    if score >= THRESHOLD:
                        a, b = root((w, s.index)), root((other, t.index))
                        parent[b] = a
                        best[(w, s.index)] = max(best.get((w, s.index), 0), score)
                        best[(other, t.index)] = max(best.get((other, t.index), 0), score)
    groups: dict = {}
    for found in cut:
        for s in found:
            groups.setdefault(root((s.witness, s.index)), []).append(s)
    shared = [members for members in groups.values() if len({s.witness for s in members}) > 1]
    order = [base] + [w for w in range(len(witnesses)) if w != base]
    shared.sort(key=lambda members: min((order.index(s.witness), s.index) for s in members))
    result = [Passage(tuple(tuple(s for s in members if s.witness == w) for w in range(len(witnesses))),
                      round(max(best[(s.witness, s.index)] for s in members), 2)) for members in shared]
    in_shared = {(s.witness, s.index) for members in shared for s in members}
    alone = [[s for s in found if (s.witness, s.index) not in in_shared] for found in cut]
    return result, alone
