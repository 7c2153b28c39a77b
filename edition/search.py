"""The search index: one lunr index per language, built here, loaded by lunr.js on first use.

Index time (here) and query time (``templates/static/search-pipeline.js``) share one
tokenization (``normalize.words``), one stop-word list and one stemmer, registered on both
sides under the label ``edition-stem``. The stop words and the names protected from stemming
travel inside each index file, so the browser uses exactly the lists the index was built with.
"""
from __future__ import annotations

import json
import math
import re
from array import array
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from lunr.builder import Builder
from lunr.pipeline import Pipeline

from . import stemmer_en
from .normalize import words

STEM_LABEL = "edition-stem"
ARABIC = re.compile("[\u0600-\u06ff]")

# Stop words, in normalized form (أ/إ/آ → ا, ى → ي, ة → ه); shared with the JavaScript tests.
STOP_WORDS = sorted(json.loads((Path(__file__).parent / "stopwords.json").read_text(encoding="utf-8")))
_STOP = frozenset(STOP_WORDS)

ARTICLES = ("وال", "فال", "بال", "كال", "ولل", "فلل", "لل", "ال")
SUFFIXES = ("ات", "ون", "ين", "ان", "ها", "هم", "هن", "كم", "نا", "يه", "ه", "ي")


def strip_article(word: str) -> str:
    for article in ARTICLES:
        if word.startswith(article) and len(word) - len(article) >= 2:
            return word[len(article):]
    return word


def stem_arabic(word: str, protected: frozenset[str]) -> str:
    core = strip_article(word)
    if core in protected:
        return core
    for suffix in SUFFIXES:
        if core.endswith(suffix) and len(core) - len(suffix) >= 3:
            return core[: -len(suffix)]
    return core


def stem(word: str, protected: frozenset[str] = frozenset()) -> str:
    if ARABIC.search(word):
        return stem_arabic(word, protected)
    if word.isdigit():
        return word
    return stemmer_en.stem(word)


def terms(text: str, protected: frozenset[str] = frozenset()) -> list[str]:
    """The index terms of ``text``: normalized words, stop words dropped, stemmed."""
    return [stem(word, protected) for word in words(text) if word not in _STOP]


def protected_words(names: list[str]) -> frozenset[str]:
    """Arabic words of the glossed entities' names and aliases, kept whole by the stemmer."""
    return frozenset(strip_article(w) for name in names for w in words(name) if ARABIC.search(w) and len(w) > 2)


class EditionStemmer:
    """The lunr pipeline function ``edition-stem`` (the browser registers its twin)."""

    def __init__(self) -> None:
        self.protected: frozenset[str] = frozenset()

    def __call__(self, token, i=None, tokens=None):
        return token.update(lambda string, metadata=None: stem(string, self.protected))


STEMMER = EditionStemmer()
Pipeline.register_function(STEMMER, STEM_LABEL)


def build_index(documents: list[dict], protected: frozenset[str]) -> dict:
    """lunr.py's own index over ``documents`` ({id, title, body}), serialized for lunr.Index.load.

    The reference: the build writes its indexes with ``index_json``, which the tests hold
    to this, byte for byte."""
    STEMMER.protected = protected
    builder = Builder()
    builder.pipeline.add(STEMMER)
    builder.search_pipeline.add(STEMMER)
    builder.ref("id")
    for name, boost in FIELDS:
        builder.field(name, boost=boost)
    builder.metadata_whitelist = []
    for doc in documents:
        builder.add({"id": doc["id"], "title": prepare(doc["title"]), "body": prepare(doc["body"])})
    return builder.build().serialize()


FIELDS = (("title", 3), ("body", 1))  # (name, boost)
K1, B = 1.2, 0.75  # lunr's BM25 parameters


class IndexArrays:
    """What a lunr index holds, in compact arrays: the documents' refs, the terms (numbered in order
    of first appearance), each term's postings (per field, the positions of the documents with it,
    ascending), each document's field vectors (per document and field: term number, count, term
    number, count, ...), the field lengths and each term's idf, as lunr.Builder computes them."""

    def __init__(self, documents: Iterable[dict], protected: frozenset[str], analysis: dict | None = None):
        stems: dict[str, str] = {}
        self.refs: list[str] = []
        self.numbers: dict[str, int] = {}
        self.postings: list[tuple[array, array]] = []
        self.vectors: list[array] = []
        self.lengths = [array("i") for _ in FIELDS]
        titles: dict[str, tuple] = {}  # title -> its vector and length (a report's title is every paragraph's)
        for position, doc in enumerate(documents):
            self.refs.append(str(doc["id"]))
            for f, (field, _boost) in enumerate(FIELDS):
                text = doc[field]
                vector, length = (titles.get(text) if f == 0 else None) or (None, 0)
                if vector is None:
                    vector, length = self.vector(text, protected, stems, analysis)
                    if f == 0:
                        titles[text] = vector, length
                for number in vector[::2]:
                    self.postings[number][f].append(position)
                self.vectors.append(vector)
                self.lengths[f].append(length)
        count = len(self.refs)
        self.average = [sum(field_lengths) / count if count else 0 for field_lengths in self.lengths]
        self.idf = array("d")
        for title, body in self.postings:
            with_term = len(title) + len(body)
            x = (count - with_term + 0.5) / (with_term + 0.5)
            self.idf.append(math.log(1 + abs(x)))

    def vector(self, text: str, protected: frozenset[str], stems: dict[str, str], analysis: dict | None) -> tuple[array, int]:
        """A field text's vector of term numbers and counts (new terms numbered), and its length."""
        counted = analysis.get(text) if analysis is not None else None
        if counted is None:
            counted = count_terms(text, protected, stems)
            if analysis is not None:
                analysis[text] = counted
        terms, counts, length = counted
        vector = array("i")
        for term, count in zip(terms, counts):
            number = self.numbers.get(term)
            if number is None:
                number = self.numbers[term] = len(self.numbers)
                self.postings.append((array("i"), array("i")))
            vector.append(number)
            vector.append(count)
        return vector, length

    def norm(self, i: int) -> float:
        """The BM25 length normalization of the ``i``-th field vector (document, field)."""
        position, f = divmod(i, len(FIELDS))
        return K1 * (1 - B + B * (self.lengths[f][position] / self.average[f]))

    def weight(self, number: int, tf: int, norm: float, boost: int) -> float:
        """A term's weight in a field vector: lunr's BM25, evaluated in the same order so that
        every float is the same, rounded as lunr rounds it."""
        return round(self.idf[number] * ((K1 + 1) * tf) / (norm + tf) * boost * 1, 3)


def index_json(documents: Iterable[dict], protected: frozenset[str], analysis: dict | None = None) -> Iterator[str]:
    """The serialized index ``build_index`` (lunr.py) gives, as pieces of JSON text, built directly.

    lunr.py spends most of its time on Token objects and a token-set automaton that is never
    serialized, and holds every posting as a dict; this keeps only what the serialized index
    holds, in compact arrays (``IndexArrays``) and writes them out piece by piece.
    tests/test_search.py checks the two agree byte for byte. The site itself is given this
    index in parts (``searchparts``); this whole form is the reference the parts are held to.

    ``analysis`` (field text -> its terms, their counts and its length) is kept by the live preview for the next
    build; it is valid only for the same ``protected`` set.
    """
    index = IndexArrays(documents, protected, analysis)
    refs, numbers, postings = index.refs, index.numbers, index.postings

    from lunr import __TARGET_JS_VERSION__

    def field_vector(i: int, vector: array) -> str:
        position, f = divmod(i, len(FIELDS))
        field, boost = FIELDS[f]
        pairs = sorted(zip(vector[::2], vector[1::2]))
        values = ""
        if pairs:
            norm = index.norm(i)
            values = ",".join(f"{number},{index.weight(number, tf, norm, boost)!r}" for number, tf in pairs)
        return f'[{dumps(f"{field}/{refs[position]}")},[{values}]]'

    entries = [dumps(ref) + ":{}" for ref in refs]  # a document in a posting
    rank = array("i", [0]) * len(refs)  # position -> place of its ref in sorted order (JSON keys are sorted)
    for place, position in enumerate(sorted(range(len(refs)), key=refs.__getitem__)):
        rank[position] = place
    by_rank = rank.__getitem__

    def posting(term: str) -> str:
        number = numbers[term]
        fields = {name: "{" + ",".join([entries[p] for p in sorted(postings[number][f], key=by_rank)]) + "}"
                  for f, (name, _boost) in enumerate(FIELDS)}
        return (f'[{dumps(term)},{{"_index":{number},'
                + ",".join(f"{dumps(name)}:{fields[name]}" for name in sorted(fields)) + "}]")

    yield '{"fieldVectors":['
    yield from comma_joined(field_vector(i, vector) for i, vector in enumerate(index.vectors))
    yield '],"fields":' + dumps([name for name, _ in FIELDS]) + ',"invertedIndex":['
    yield from comma_joined(posting(term) for term in sorted(numbers))
    yield '],"pipeline":' + dumps([STEM_LABEL]) + ',"version":' + dumps(__TARGET_JS_VERSION__) + "}"


def comma_joined(pieces: Iterable[str], size: int = 1000) -> Iterator[str]:
    """The items of a JSON array, comma-separated, a thousand at a time (never all in memory)."""
    batch: list[str] = []
    for i, piece in enumerate(pieces):
        batch.append("," + piece if i else piece)
        if len(batch) >= size:
            yield "".join(batch)
            batch = []
    yield "".join(batch)


dumps = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode
"""JSON as the index files have it: sorted keys, no spaces, non-ASCII kept."""


def count_terms(text: str, protected: frozenset[str], stems: dict[str, str]) -> tuple[tuple, array, int]:
    """A field text's terms in order of first appearance (as lunr numbers new terms), how often
    each occurs, and its length in tokens."""
    tokens = prepare(text).lower().split()
    counts: dict[str, int] = {}
    for word in tokens:
        term = stems.get(word)
        if term is None:
            term = stems[word] = stem(word, protected)
        counts[term] = counts.get(term, 0) + 1
    return tuple(counts), array("i", counts.values()), len(tokens)


def index_documents(docs: Iterable[dict]) -> Iterator[dict]:
    """What the index holds of each document; short refs (its position) keep the index small. Its
    title field holds ``names`` where the document has them (a gloss: its names and aliases; a
    report's paragraph: none, its report's title is a document of its own)."""
    return ({"id": str(i), "title": d.get("names", d["title"]), "body": d["body"]} for i, d in enumerate(docs))


def prepare(text: str) -> str:
    """Text as lunr.py's whitespace tokenizer should see it: normalized words, stop words out."""
    return " ".join(word for word in words(text) if word not in _STOP)


def report_documents(report, urls, lang: str) -> list[dict]:
    """What a reader can find of a report in one language: every paragraph (and heading, dateline,
    headlines), each by its own words (a paragraph is not a hit for a word of its report's title:
    title_documents). Its "n" says where it stands: a paragraph's number, else its block's kind
    ("heading", "dateline", "teasers": the results name it so), the kind the Arabic text gives it."""
    numbers = report.paragraph_numbers()
    kinds = {block.id: block.kind for block in report.blocks("ar")}
    title = report.meta.title[lang]
    page = urls.href(urls.report(lang, report.slug))
    return [{"id": f"r/{report.slug}/{block.id}", "kind": "report", "title": title, "names": "", "body": block.text,
             "url": f"{page}#{block.id}", "n": numbers.get(block.id) or kinds.get(block.id, block.kind), "meetings": [report.meta.meeting]}
            for block in report.blocks(lang) if block.kind != "title"]


def title_documents(reports: Iterable[tuple[str, Any, str]], urls, lang: str) -> list[dict]:
    """Each report's title, a document of its own (``reports``: the slug, title and meeting of each,
    in edition order). They come before the paragraphs in the index, together: a query's title
    hits share a few of the files of documents the browser fetches. Shown, a title is its own
    snippet, and its "paragraph number" is ``"title"``."""
    return [{"id": f"r/{slug}/title", "kind": "report", "title": title[lang], "body": "", "shown": title[lang],
             "url": urls.href(urls.report(lang, slug)), "n": "title", "meetings": [meeting]}
            for slug, title, meeting in reports]


def gloss_documents(entities: dict, urls, lang: str) -> list[dict]:
    """Every gloss (``entities``: id -> annotations.EntityFile), in one language, found by its names and aliases too."""
    docs = []
    for entity_id in sorted(entities):
        entity = entities[entity_id].entity
        names = " ".join([entity.name[lang], *entity.aliases[lang]])
        gloss = re.sub(r"[*_`#>]", "", entity.gloss[lang])
        docs.append({"id": f"g/{entity.id}", "kind": "gloss", "title": entity.name[lang], "names": names,
                     "body": gloss, "url": urls.href(urls.entity(lang, entity.id, entity.kind)), "n": None,
                     "meetings": []})
    return docs


def note_documents(notes: dict, meeting_of: dict[str, str], urls, lang: str) -> list[dict]:
    """Every editorial note (``notes``: id -> notes.NoteFile), in one language, in the order of their
    files; it belongs to the meetings of the reports it is anchored to (``meeting_of``: slug -> meeting)."""
    docs = []
    for note_id, loaded in notes.items():
        note = loaded.note
        meetings = sorted({meeting_of[a.report] for a in note.anchors if a.report in meeting_of})
        docs.append({"id": f"n/{note_id}", "kind": "note", "title": note.title[lang],
                     "body": re.sub(r"[*_`#>]", "", note.note[lang]),
                     "url": urls.href(urls.notes(lang)) + f"#note-{note_id}", "n": None, "meetings": meetings})
    return docs


def protected_names(entities: dict) -> frozenset[str]:
    return protected_words([n for e in entities.values() for n in (e.entity.name.ar, *e.entity.aliases.ar)])
