"""A language's search index in parts: a small manifest, the index's terms in buckets, the
documents in files of a few each. The browser (``templates/static/search-parts.js``) fetches the
manifest, then only the buckets holding the terms a query and its expansions need and the
documents it shows, and assembles a ``lunr.Index`` that answers that query exactly as the whole
index (``search.index_json``) would.

lunr scores a document by the dot product of the query vector with the document's field
vector over the query's terms only, divided by the query vector's magnitude. So a bucket holds,
for each of its terms, its number and its postings per field with the weight each document's
field vector gives that term; the assembled field vectors are the whole ones restricted to the
fetched terms, which changes no score.

Files, in ``Urls.search_parts(lang)``:

- ``index.json``, the manifest: the first term of each bucket, the number of documents and
  of documents per file, the fields, the search pipeline, the stop words and protected names;
- ``facets.json``, fetched only when the reader filters: for each kind (report, gloss, note) and
  each meeting, the runs of documents that have it, ``[first, last]`` (the documents of a report
  are consecutive). At 10,000 reports they are 140 KB (57 KB gzipped), and the Arabic manifest
  without them 26 KB (8 KB gzipped), 166 KB with them;
- ``t<i>.json``, bucket *i*: ``[[term, number, [ref gaps, weights] per field], ...]``, terms in
  the order of JavaScript strings (UTF-16), refs as gaps from the previous one, weights in
  thousandths (lunr rounds them to three decimals);
- ``w<i>.json`` and ``v<i>.json``, the terms a typo can reach: lunr's one edit (an insertion, a
  deletion, a substitution or two neighbours swapped, counted in UTF-16 units) keeps a term's
  first unit, or leaves the term beginning with its second (a deletion or a swap at the start),
  or changes only the first unit, keeping the rest, the "tail" (a substitution or an insertion
  at the start). So the terms one edit from a typed term are among those beginning with its
  first or its second unit (the ``w`` files: every term, in order, in runs of about
  ``PART_BYTES``) and those whose tail is the typed term or its tail (the ``v`` files: every
  term but those whose first character lies outside the BMP, ordered by its tail). The page
  intersects lunr's automaton with those terms only, which finds what the whole list would;
- ``terms.json``: every term, in that order, for expansions that need the whole list (edit
  distances above one, wildcards other than a trailing one);
- ``d<i>.json``: documents ``DOCS_PER_FILE * i`` onwards, as the results show them.
"""
from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator

from .search import FIELDS, STEM_LABEL, STOP_WORDS, IndexArrays, dumps, index_documents
from .urls import Urls

PART_BYTES = 8_000  # a bucket is closed once it holds this many bytes (before gzip)
DOCS_PER_FILE = 8
MANIFEST = "index.json"
FACETS = "facets.json"


def search_parts(docs: Callable[[], Iterable[dict]], lang: str, protected: frozenset[str],
                 analysis: dict | None = None) -> Iterator[tuple[str, bytes]]:
    """Every file of ``lang``'s split index as (site path, bytes). ``docs()`` gives the documents
    (it is called twice, so that they need not all be in memory at once); ``analysis`` is the
    live preview's, as for ``search.index_json``."""
    folder = Urls.search_parts(lang)
    count = 0
    facets = Facets()
    for number, batch in document_files(docs(), facets):
        count += len(batch)
        yield f"{folder}d{number}.json", encode(batch)
    index = IndexArrays(index_documents(docs()), protected, analysis)
    terms = sorted(index.numbers, key=js_order)
    firsts: list[str] = []
    for first, bucket in buckets(term_entries(index, terms)):
        yield f"{folder}t{len(firsts)}.json", bucket.encode("utf-8")
        firsts.append(first)
    yield f"{folder}terms.json", encode(terms)
    words = []
    for first, chunk in buckets((term, dumps(term)) for term in terms):
        yield f"{folder}w{len(words)}.json", chunk.encode("utf-8")
        words.append(first)
    tails = []
    by_tail = sorted((term for term in terms if not astral(term[:1])), key=lambda term: (js_order(term[1:]), js_order(term)))
    for first, chunk in buckets((term[1:], dumps(term)) for term in by_tail):
        yield f"{folder}v{len(tails)}.json", chunk.encode("utf-8")
        tails.append(first)
    yield f"{folder}{FACETS}", encode(facets.runs)
    from lunr import __TARGET_JS_VERSION__
    manifest = {"count": count, "docsPerFile": DOCS_PER_FILE,
                "fields": [name for name, _ in FIELDS], "lang": lang,
                "parts": firsts, "pipeline": [STEM_LABEL], "protected": sorted(protected), "stem": STEM_LABEL,
                "stopWords": STOP_WORDS, "tails": tails, "version": __TARGET_JS_VERSION__, "words": words}
    yield folder + MANIFEST, encode(manifest)


def encode(value) -> bytes:
    return dumps(value).encode("utf-8")


def astral(char: str) -> bool:
    """Whether a character lies outside the BMP (two UTF-16 units in JavaScript, which a one-unit
    tail would cut in half)."""
    return bool(char) and ord(char) > 0xFFFF


def js_order(term: str) -> bytes:
    """The sort key that orders strings as JavaScript compares them (by UTF-16 code units)."""
    return term.encode("utf-16-be")


class Facets:
    """What a reader filters by, as runs of consecutive documents: ``runs[facet][value]`` is a list
    of ``[first, last]`` positions (inclusive) of the documents with that value."""

    def __init__(self) -> None:
        self.runs: dict[str, dict[str, list[list[int]]]] = {"kind": {}, "meeting": {}}

    def add(self, position: int, doc: dict) -> None:
        self.extend("kind", doc["kind"], position)
        for meeting in doc.get("meetings", ()):
            self.extend("meeting", meeting, position)

    def extend(self, facet: str, value: str, position: int) -> None:
        runs = self.runs[facet].setdefault(value, [])
        if runs and runs[-1][1] == position - 1:
            runs[-1][1] = position
        else:
            runs.append([position, position])


def shown(doc: dict) -> dict:
    """A document as the results show it: its page's title, kind and address, the text of its
    snippet and its paragraph number (a report's title: ``"title"``, search.title_documents; a block
    that is no paragraph: its kind, search.report_documents)."""
    return {"t": doc["title"], "k": doc["kind"], "u": doc["url"], "x": doc.get("shown", doc["body"]), "n": doc["n"]}


def document_files(docs: Iterable[dict], facets: Facets | None = None) -> Iterator[tuple[int, list[dict]]]:
    """The documents as the results show them, ``DOCS_PER_FILE`` to a file (and their facets noted)."""
    batch: list[dict] = []
    number = 0
    for position, doc in enumerate(docs):
        if facets is not None:
            facets.add(position, doc)
        batch.append(shown(doc))
        if len(batch) == DOCS_PER_FILE:
            yield number, batch
            number, batch = number + 1, []
    if batch:
        yield number, batch


def term_entries(index: IndexArrays, terms: list[str]) -> Iterator[tuple[str, str]]:
    """Each term and its bucket entry (JSON text): its number and, per field, the gaps between
    the positions of the documents that have it and the weights they give it."""
    weights = field_weights(index)
    for term in terms:
        number = index.numbers[term]
        fields = []
        for f in range(len(FIELDS)):
            positions = index.postings[number][f]
            gaps = map(int.__sub__, positions, [0, *positions])
            fields.append(f"[[{','.join(map(str, gaps))}],[{','.join(map(str, weights[number][f]))}]]")  # ints: as JSON
        yield term, f"[{dumps(term)},{number},{','.join(fields)}]"


def field_weights(index: IndexArrays) -> list[list[array]]:
    """Per term and field, the weights (in thousandths) of the documents in its postings, in the
    same order: both follow the documents' order."""
    weights = [[array("i") for _ in FIELDS] for _ in index.numbers]
    for i, vector in enumerate(index.vectors):
        f = i % len(FIELDS)
        boost = FIELDS[f][1]
        norm = index.norm(i)
        for number, tf in zip(vector[::2], vector[1::2]):
            weights[number][f].append(round(index.weight(number, tf, norm, boost) * 1000))
    return weights


def buckets(entries: Iterable[tuple[str, str]]) -> Iterator[tuple[str, str]]:
    """Consecutive (key, JSON text) entries gathered into buckets of about ``PART_BYTES``: (the
    first one's key, JSON array)."""
    first, pieces, size = None, [], 0
    for term, entry in entries:
        if first is None:
            first = term
        pieces.append(entry)
        size += len(entry.encode("utf-8")) + 1
        if size >= PART_BYTES:
            yield first, "[" + ",".join(pieces) + "]"
            first, pieces, size = None, [], 0
    if pieces:
        yield first, "[" + ",".join(pieces) + "]"
