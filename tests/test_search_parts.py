"""The search index in parts: the parts hold exactly the whole index, the build writes them, and
the index the browser assembles from the parts a query needs answers like the whole one."""
import itertools
import json
import subprocess
import sys
from pathlib import Path

import pytest

from edition.search import FIELDS, build_index, index_documents
from edition.searchparts import PART_BYTES, js_order, search_parts
from searchindexes import project_documents

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def edition_documents():
    return project_documents(ROOT)


def reassembled(files: dict[str, bytes], lang: str) -> dict:
    """The serialized lunr index the parts of ``lang`` make together, every bucket included."""
    folder = f"assets/search/{lang}/"
    manifest = json.loads(files[folder + "index.json"])
    inverted, vectors = [], {}
    for i, first in enumerate(manifest["parts"]):
        entries = json.loads(files[f"{folder}t{i}.json"])
        assert entries[0][0] == first
        for term, number, *fields in entries:
            posting = {"_index": number}
            for (name, _boost), (gaps, weights) in zip(FIELDS, fields):
                refs = list(itertools.accumulate(gaps))
                posting[name] = {str(ref): {} for ref in refs}
                for ref, weight in zip(refs, weights):
                    vectors.setdefault(f"{name}/{ref}", []).append((number, weight / 1000))
            inverted.append([term, posting])
    field_vectors = [[key, [x for pair in sorted(vectors.get(key, [])) for x in pair]]
                     for key in (f"{name}/{p}" for p in range(manifest["count"]) for name, _ in FIELDS)]
    return {"fieldVectors": field_vectors, "fields": manifest["fields"], "invertedIndex": sorted(inverted),
            "pipeline": manifest["pipeline"], "version": manifest["version"]}


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_parts_hold_the_whole_index(edition_documents, lang):
    """Every posting and every weight of lunr.py's own index, no more, as floats equal to the bit."""
    docs, protected = edition_documents
    files = dict(search_parts(lambda: docs[lang], lang, protected))
    assert reassembled(files, lang) == build_index(list(index_documents(docs[lang])), protected)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_buckets_are_runs_of_terms_in_javascript_order_within_the_budget(edition_documents, lang):
    docs, protected = edition_documents
    files = dict(search_parts(lambda: docs[lang], lang, protected))
    folder = f"assets/search/{lang}/"
    manifest = json.loads(files[folder + "index.json"])
    buckets = [json.loads(files[f"{folder}t{i}.json"]) for i in range(len(manifest["parts"]))]
    assert len(buckets) > 3
    in_buckets = [entry[0] for bucket in buckets for entry in bucket]
    assert in_buckets == json.loads(files[folder + "terms.json"])
    assert in_buckets == sorted(in_buckets, key=js_order) and len(set(in_buckets)) == len(in_buckets)
    for i in range(len(buckets)):
        data = files[f"{folder}t{i}.json"]
        largest = max(len(json.dumps(e, ensure_ascii=False, separators=(",", ":")).encode()) for e in buckets[i])
        assert len(data) <= PART_BYTES + largest + 2
    assert sorted(files) == sorted([folder + "index.json", folder + "terms.json", folder + "facets.json"]
                                   + [f"{folder}w{i}.json" for i in range(len(manifest["words"]))]
                                   + [f"{folder}v{i}.json" for i in range(len(manifest["tails"]))]
                                   + [f"{folder}t{i}.json" for i in range(len(buckets))]
                                   + [f"{folder}d{i}.json" for i in range(-(-manifest["count"] // manifest["docsPerFile"]))])


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_terms_a_typo_can_reach_are_every_term_by_its_start_and_by_its_tail(edition_documents, lang):
    """The w files hold every term in order, the v files every term ordered by its tail (all but
    its first letter); the manifest gives the first of each, by which the page finds the files
    holding the terms that begin with a letter, or that have a given tail."""
    docs, protected = edition_documents
    files = dict(search_parts(lambda: docs[lang], lang, protected))
    folder = f"assets/search/{lang}/"
    manifest = json.loads(files[folder + "index.json"])
    terms = json.loads(files[folder + "terms.json"])
    words = [json.loads(files[f"{folder}w{i}.json"]) for i in range(len(manifest["words"]))]
    tails = [json.loads(files[f"{folder}v{i}.json"]) for i in range(len(manifest["tails"]))]
    assert len(words) > 1 and len(tails) > 1
    assert [t for chunk in words for t in chunk] == terms
    assert manifest["words"] == [chunk[0] for chunk in words]
    by_tail = [t for chunk in tails for t in chunk]
    assert sorted(by_tail) == sorted(terms)  # no term of the edition begins outside the BMP
    assert by_tail == sorted(terms, key=lambda t: (t[1:].encode("utf-16-be"), t.encode("utf-16-be")))
    assert manifest["tails"] == [chunk[0][1:] for chunk in tails]


def test_document_files_hold_what_results_show_in_order(edition_documents):
    docs, protected = edition_documents
    files = dict(search_parts(lambda: docs["en"], "en", protected))
    manifest = json.loads(files["assets/search/en/index.json"])
    shown = [doc for i in range(-(-manifest["count"] // manifest["docsPerFile"]))
             for doc in json.loads(files[f"assets/search/en/d{i}.json"])]
    assert manifest["count"] == len(docs["en"]) == len(shown)
    assert [d["t"] for d in shown] == [d["title"] for d in docs["en"]]
    assert [d["u"] for d in shown] == [d["url"] for d in docs["en"]]
    # a report's title is shown as its title (the snippet), a paragraph by its text and number
    titles = [i for i, d in enumerate(docs["en"]) if d["kind"] == "report" and d["body"] == ""]
    assert titles and all(shown[i]["x"] == shown[i]["t"] and shown[i]["n"] == "title" for i in titles)
    assert all(shown[i]["x"] == d["body"] and shown[i]["n"] == d["n"] for i, d in enumerate(docs["en"]) if i not in titles)


def test_a_block_that_is_no_paragraph_is_shown_by_its_kind(edition_documents):
    """A result's "n" is its paragraph's number or, for a dateline, a heading or the headlines
    under a title, that kind (the results name it so: search.js); a report's title, "title"."""
    docs, _ = edition_documents
    for lang in ("ar", "en"):
        where = {d["url"].rsplit("/", 2)[-2] + d["url"][d["url"].index("#"):]: d["n"]
                 for d in docs[lang] if d["kind"] == "report" and "#" in d["url"]}
        assert where["kuwait-2018-ajiban#d"] == "dateline" and where["kuwait-2018-ajiban#s1"] == "heading"
        assert where["washington-2016-agencies#teasers"] == "teasers" and where["washington-2016-agencies#p1"] == 1
        assert {n for n in where.values() if not isinstance(n, int)} == {"dateline", "heading", "teasers"}


def test_an_edition_without_documents_has_an_empty_index():
    files = dict(search_parts(lambda: [], "ar", frozenset()))
    manifest = json.loads(files["assets/search/ar/index.json"])
    assert manifest["parts"] == [] and manifest["count"] == 0
    assert json.loads(files["assets/search/ar/facets.json"]) == {"kind": {}, "meeting": {}}
    assert sorted(files) == ["assets/search/ar/facets.json", "assets/search/ar/index.json", "assets/search/ar/terms.json"]


def test_the_build_writes_the_parts_and_no_whole_index(built_site, edition_documents):
    docs, protected = edition_documents
    assert not list((built_site / "assets").glob("search-*.json"))
    for lang in ("ar", "en"):
        expected = dict(search_parts(lambda: docs[lang], lang, protected))
        written = {p.relative_to(built_site).as_posix(): p.read_bytes()
                   for p in (built_site / "assets" / "search" / lang).iterdir()}
        assert written == expected
        assert b"\\u06" not in b"".join(written.values())  # Arabic stored as UTF-8


def test_the_assembled_index_answers_like_the_whole_one_on_a_synthetic_edition(tmp_path):
    """Hundreds of queries (prefixes, phrases, clitics, typos with edit distance, stop words only,
    no match, lunr's other clause kinds) on a generated edition large enough for many buckets."""
    project, out = tmp_path / "edition", tmp_path / "indexes"
    subprocess.run([sys.executable, str(ROOT / "bench" / "synth.py"), "25", str(project)], check=True,
                   capture_output=True, timeout=300)
    subprocess.run([sys.executable, str(ROOT / "tests" / "searchindexes.py"), str(project), str(out)], check=True,
                   timeout=300)
    assert len(list((out / "ar" / "parts").glob("t*.json"))) > 20
    result = subprocess.run(["node", "tests/js/split-parity.js", str(out), "40"], cwd=ROOT, capture_output=True,
                            text=True, timeout=1800, check=True)
    found = json.loads(result.stdout)
    assert found["mismatches"] == []
    assert found["count"] > 1000


def test_facets_give_each_kind_and_meeting_its_documents(edition_documents):
    """The runs of documents per kind and per meeting (facets.json) hold exactly the documents with
    it: what the search page filters by without fetching any document. The manifest, which every
    search fetches, does not carry them."""
    docs, protected = edition_documents
    files = dict(search_parts(lambda: docs["en"], "en", protected))
    facets = json.loads(files["assets/search/en/facets.json"])
    assert "facets" not in json.loads(files["assets/search/en/index.json"])

    def positions(runs):
        return [p for first, last in runs for p in range(first, last + 1)]

    for kind in ("report", "gloss", "note"):
        assert positions(facets["kind"][kind]) == [i for i, d in enumerate(docs["en"]) if d["kind"] == kind]
    assert sorted(facets["meeting"]) == ["kuwait-2018", "washington-2016"]
    for meeting, runs in facets["meeting"].items():
        assert positions(runs) == [i for i, d in enumerate(docs["en"]) if meeting in d["meetings"]]
    for runs in [*facets["kind"].values(), *facets["meeting"].values()]:
        assert all(a[1] + 1 < b[0] for a, b in zip(runs, runs[1:]))  # separate, ascending runs


def test_editorial_notes_are_found_under_their_meetings(edition_documents):
    docs, _ = edition_documents
    notes = {d["id"]: d for d in docs["ar"] if d["kind"] == "note"}
    note = notes["n/fighters-lost"]
    assert note["url"] == "/ar/notes/#note-fighters-lost"
    assert note["meetings"] == ["washington-2016"]  # both its reports are of the Washington meeting
    assert "كيري" in note["body"] and note["title"].startswith("كم خسر التنظيم")
