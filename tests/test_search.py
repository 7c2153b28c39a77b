"""Search: the Python side of the shared vectors, lunr.js parity, and the built index."""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from edition import stemmer_en
from edition.normalize import words
from edition.search import STOP_WORDS, build_index, index_json, protected_words, terms

ROOT = Path(__file__).resolve().parent.parent
VECTORS = json.loads((ROOT / "tests" / "vectors" / "search.json").read_text(encoding="utf-8"))
PROTECTED = frozenset(VECTORS["protected"])


def node(script: str, stdin: str) -> str:
    result = subprocess.run(["node", "-e", script], input=stdin, capture_output=True, text=True,
                            cwd=ROOT, timeout=120, check=True)
    return result.stdout


@pytest.mark.parametrize("case", VECTORS["cases"], ids=lambda c: repr(c["input"])[:30])
def test_vector_python(case):
    assert words(case["input"]) == case["words"]
    assert terms(case["input"], PROTECTED) == case["terms"]


def english_words() -> list[str]:
    """A large English word list: every lower-case word in the Python standard library's source."""
    found: set[str] = set()
    stdlib = Path(os.__file__).parent
    for path in [*stdlib.glob("*.py"), *stdlib.glob("*/*.py")]:
        found.update(re.findall(r"\b[a-z]{2,20}\b", path.read_text(encoding="utf-8", errors="ignore")))
    found.update(["day", "days", "monday", "turkey", "envoy", "convoy", "deployed", "destroy", "attorney",
                  "try", "delay", "delayed", "kerry", "fighters", "yearly", "syzygy"])
    return sorted(found)


def test_english_stemmer_agrees_with_lunr_js():
    vocabulary = english_words()
    assert len(vocabulary) > 10000
    script = ("const lunr = require('lunr'); let s = ''; process.stdin.on('data', d => s += d);"
              "process.stdin.on('end', () => { for (const w of s.split('\\n')) if (w) "
              "console.log(lunr.stemmer(new lunr.Token(w)).toString()); });")
    js = node(script, "\n".join(vocabulary)).split("\n")
    differences = [(w, stemmer_en.stem(w), j) for w, j in zip(vocabulary, js) if stemmer_en.stem(w) != j]
    assert differences == []


def test_lunr_py_default_stemmer_would_disagree():
    """The reason for our own stemmer: lunr.py's Porter stems 'days' and 'Turkey' unlike lunr.js."""
    from lunr.stemmer import porter_stemmer
    assert porter_stemmer.stem("turkey") != stemmer_en.stem("turkey")


def test_protected_words_come_from_names_without_article():
    assert protected_words(["الرقة", "جون كيري", "لبنان"]) == {"رقه", "جون", "كيري", "لبنان"}


def test_index_loads_in_lunr_js_and_answers_like_python():
    docs = [{"id": "1", "title": "تقرير", "body": "أكد المشاركون أن معركة الموصل والرقّة باتت قريبة"},
            {"id": "2", "title": "Report", "body": "Kerry said the fighters crossed from Turkey for days"},
            {"id": "3", "title": "لبنان", "body": "وأشار البيان إلى المقاتلين الأجانب"}]
    index = build_index(docs, frozenset({"لبنان"}))
    assert index["pipeline"] == ["edition-stem"]
    script = (
        "const lunr = require('lunr'); const E = require('./templates/static/search-pipeline.js');"
        "let s = ''; process.stdin.on('data', d => s += d); process.stdin.on('end', () => {"
        " const data = JSON.parse(s); E.state.protectedSet = new Set(['لبنان']);"
        " const idx = lunr.Index.load(data.index); const out = {};"
        " for (const q of data.queries) out[q] = idx.query(b => E.words(q).forEach(w =>"
        "   E.variants(w).forEach(v => b.term(E.stem(v, E.state.protectedSet), {usePipeline: false}))))"
        "   .map(r => r.ref).sort();"
        " console.log(JSON.stringify(out)); });")
    queries = ["موصل", "الرقه", "اجانب", "مقاتل", "أشار", "Turkey", "day", "fighter", "kerry", "لبنان"]
    found = json.loads(node(script, json.dumps({"index": index, "queries": queries}, ensure_ascii=False)))
    assert found == {"موصل": ["1"], "الرقه": ["1"], "اجانب": ["3"], "مقاتل": ["3"], "أشار": ["3"],
                     "Turkey": ["2"], "day": ["2"], "fighter": ["2"], "kerry": ["2"], "لبنان": ["3"]}


def test_built_index_files(built_site):
    for lang in ("ar", "en"):
        folder = built_site / "assets" / "search" / lang
        manifest = json.loads((folder / "index.json").read_text(encoding="utf-8"))
        assert manifest["pipeline"] == ["edition-stem"]
        assert "trimmer" not in json.dumps(manifest["pipeline"])
        kinds = {d["k"] for path in folder.glob("d*.json") for d in json.loads(path.read_text(encoding="utf-8"))}
        assert kinds == {"report", "gloss", "note"}  # editorial notes are found too


def test_missing_lunr_is_a_clear_error(mini, tmp_path):
    (mini / "node_modules").unlink()
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--project", str(mini)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "package.json:1:1: error: lunr.js is not installed (node_modules/lunr/lunr.min.js missing): run `npm ci`" \
        in result.stderr.splitlines()


def test_fast_index_is_identical_to_lunr_py():
    """The build's own index writer gives byte for byte what lunr.py's Builder gives (the parts the
    build writes hold that index: tests/test_search_parts.py)."""
    from edition.annotations import load_annotations
    from edition.content import load_report
    from edition.problems import Problems
    from edition.search import gloss_documents, report_documents
    from edition.urls import Urls
    problems = Problems(root=ROOT)
    entities = load_annotations(sorted((ROOT / "content/annotations").glob("*.yaml")), problems)
    reports = [load_report(folder, problems) for folder in sorted((ROOT / "content/reports").iterdir())]
    assert not problems.items
    names = [n for e in entities.values() for n in (e.entity.name.ar, *e.entity.aliases.ar)]
    protected = protected_words(names)
    for lang in ("ar", "en"):
        documents = [d for r in reports for d in report_documents(r, Urls("/"), lang)]
        documents += gloss_documents(entities, Urls("/"), lang)
        docs = [{"id": str(i), "title": d.get("names", d["title"]), "body": d["body"]} for i, d in enumerate(documents)]
        reference = build_index(docs, protected)
        assert "".join(index_json(docs, protected)) == compact(reference)  # byte for byte


def compact(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def test_fast_index_on_hostile_documents():
    docs = [{"id": "a", "title": "", "body": ""}, {"id": "b", "title": "Kerry Kerry", "body": "الموصل، والموصل - للموصل"},
            {"id": "c", "title": "ﻻ ٢٢٥٤", "body": "يوم days Day-to-day ‏كيري"}]
    protected = frozenset({"كيري"})
    assert "".join(index_json(docs, protected)) == compact(build_index(docs, protected))


@pytest.mark.parametrize("case", VECTORS["typos"], ids=lambda c: f'{c["query"]}->{c["text"]}')
def test_typo_vector_terms_python(case):
    assert terms(case["query"], PROTECTED) == case["query_terms"]
    assert terms(case["text"], PROTECTED) == case["text_terms"]


def test_typo_tolerance_on_a_python_built_index():
    """The page's query (plan, words one edit away, clauses, every word required) run by lunr.js on
    an index built here finds each typo vector's text exactly when the vector says so, and a
    document with the exact word before one with the word one edit away."""
    typos = VECTORS["typos"]
    docs = [{"id": str(i), "title": "", "body": c["text"]} for i, c in enumerate(typos)]
    docs.append({"id": "exact", "title": "", "body": "keri"})
    index = build_index(docs, PROTECTED)
    script = (
        "const lunr = require('lunr'); const E = require('./templates/static/search-pipeline.js');"
        "let s = ''; process.stdin.on('data', d => s += d); process.stdin.on('end', async () => {"
        " const data = JSON.parse(s); const stop = new Set(data.stop); E.state.protectedSet = new Set(data.protected);"
        " const idx = lunr.Index.load(data.index); const out = {};"
        " const near = t => idx.tokenSet.intersect(lunr.TokenSet.fromFuzzyString(t, 1)).toArray();"
        " for (const q of data.queries) { const p = await E.withTypos(E.plan(q + ' ', stop, E.state.protectedSet), near);"
        "   out[q] = E.matchingEvery(idx.query(b => E.addClauses(b, p)), p).map(r => r.ref); }"
        " console.log(JSON.stringify(out)); });")
    payload = {"index": index, "queries": sorted({c["query"] for c in typos}), "stop": sorted(STOP_WORDS),
               "protected": sorted(PROTECTED)}
    found = json.loads(node(script, json.dumps(payload, ensure_ascii=False)))
    for i, case in enumerate(typos):
        assert (str(i) in found[case["query"]]) == case["finds"], case
    assert found["Kery"][0] == "exact"  # «keri» itself, then Kerry one edit away
    assert found["Kery"].index("0") > 0
