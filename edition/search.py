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
from collections import Counter
from pathlib import Path

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

    The reference: the build writes its indexes with ``build_index_fast``, which the tests hold
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


def build_index_fast(documents: list[dict], protected: frozenset[str], analysis: dict | None = None) -> dict:
    """The same serialized index as ``build_index`` (lunr.py), built directly.

    lunr.py spends most of its time on Token objects and a token-set automaton that is never
    serialized; this keeps only what the serialized index holds: the inverted index (terms
    numbered in order of first appearance) and BM25 field vectors computed exactly as
    lunr.Builder computes them. tests/test_search.py checks the two agree byte for byte.

    ``analysis`` (field text -> its term counts and length) is kept by the live preview for the
    next build; it is valid only for the same ``protected`` set.
    """
    analysis = analyse(documents, protected, {} if analysis is None else analysis)
    inverted: dict[str, dict] = {}
    frequencies: dict[str, dict[str, int]] = {}
    lengths: dict[str, int] = {}
    for doc in documents:
        ref = str(doc["id"])
        for field, _boost in FIELDS:
            counts, length = analysis[doc[field]]
            for term in counts:
                posting = inverted.get(term)
                if posting is None:
                    posting = inverted[term] = {name: {} for name, _ in FIELDS}
                    posting["_index"] = len(inverted) - 1
                posting[field][ref] = {}
            frequencies[f"{field}/{ref}"] = counts
            lengths[f"{field}/{ref}"] = length
    average = {field: sum(n for key, n in lengths.items() if key.startswith(field + "/")) / len(documents)
               for field, _ in FIELDS} if documents else {}
    boosts = dict(FIELDS)
    numbers = {term: posting["_index"] for term, posting in inverted.items()}
    idf = {}
    for term, posting in inverted.items():
        with_term = sum(len(posting[name]) for name, _ in FIELDS)
        x = (len(documents) - with_term + 0.5) / (with_term + 0.5)
        idf[term] = math.log(1 + abs(x))
    vectors = []
    for field_ref, counts in frequencies.items():
        field = field_ref.split("/", 1)[0]
        boost = boosts[field]
        # lunr's BM25, evaluated in the same order so that every float is the same
        norm = K1 * (1 - B + B * (lengths[field_ref] / average[field]))
        elements = sorted((numbers[term], round(idf[term] * ((K1 + 1) * tf) / (norm + tf) * boost * 1, 3))
                          for term, tf in counts.items())
        vectors.append([field_ref, [v for pair in elements for v in pair]])  # already rounded, as lunr has them
    from lunr import __TARGET_JS_VERSION__
    return {"version": __TARGET_JS_VERSION__, "fields": [name for name, _ in FIELDS], "fieldVectors": vectors,
            "invertedIndex": [[term, inverted[term]] for term in sorted(inverted)], "pipeline": [STEM_LABEL]}


def analyse(documents: list[dict], protected: frozenset[str], analysis: dict) -> dict:
    """Add to ``analysis`` the term counts (in order of first appearance, as lunr numbers new
    terms) and the length of every field text it does not have yet."""
    stems: dict[str, str] = {}
    for doc in documents:
        for field, _boost in FIELDS:
            text = doc[field]
            if text in analysis:
                continue
            tokens = prepare(text).lower().split()
            terms = []
            for word in tokens:
                term = stems.get(word)
                if term is None:
                    term = stems[word] = stem(word, protected)
                terms.append(term)
            analysis[text] = (Counter(terms), len(tokens))
    return analysis


def index_documents(docs: list[dict]) -> list[dict]:
    """What the index holds of each document; short refs (its position) keep the index small."""
    return [{"id": str(i), "title": d.get("names", d["title"]), "body": d["body"]} for i, d in enumerate(docs)]


def prepare(text: str) -> str:
    """Text as lunr.py's whitespace tokenizer should see it: normalized words, stop words out."""
    return " ".join(word for word in words(text) if word not in _STOP)


def report_documents(report, urls, lang: str) -> list[dict]:
    """What a reader can find of a report in one language: every paragraph (and heading)."""
    numbers = report.paragraph_numbers()
    title = report.meta.title[lang]
    url = urls.href(urls.report(lang, report.slug)) + "#"
    return [{"id": f"r/{report.slug}/{block.id}", "kind": "report", "title": title, "body": block.text,
             "url": url + block.id, "n": numbers.get(block.id)}
            for block in report.blocks(lang) if block.kind != "title"]


def gloss_documents(edition, urls, lang: str) -> list[dict]:
    """Every gloss, in one language, found by its names and aliases too."""
    docs = []
    for entity_id in sorted(edition.entities):
        entity = edition.entity(entity_id)
        names = " ".join([entity.name[lang], *entity.aliases[lang]])
        gloss = re.sub(r"[*_`#>]", "", entity.gloss[lang])
        docs.append({"id": f"g/{entity.id}", "kind": "gloss", "title": entity.name[lang], "names": names,
                     "body": gloss, "url": urls.href(urls.entity(lang, entity.id, entity.kind)), "n": None})
    return docs


def protected_names(edition) -> frozenset[str]:
    return protected_words([n for e in edition.entities.values() for n in (e.entity.name.ar, *e.entity.aliases.ar)])


def search_file(docs: list[dict], lang: str, protected: frozenset[str], analysis: dict | None = None) -> tuple[str, bytes]:
    """``assets/search-<lang>.json``: the index over ``docs`` (the reports' paragraphs, then the
    glosses), the documents themselves and the lists the browser needs."""
    index = build_index_fast(index_documents(docs), protected, analysis)
    payload = {
        "lang": lang, "stem": STEM_LABEL, "stopWords": STOP_WORDS, "protected": sorted(protected),
        "docs": [{"id": d["id"], "t": d["title"], "k": d["kind"], "u": d["url"], "x": d["body"], "n": d["n"]}
                 for d in docs],
        "index": index,
    }
    return f"assets/search-{lang}.json", json.dumps(payload, ensure_ascii=False, sort_keys=True,
                                                    separators=(",", ":")).encode("utf-8")
