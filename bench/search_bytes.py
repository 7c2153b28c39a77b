#!/usr/bin/env python3
"""Bytes a reader's first search transfers, on the synthetic corpus (issue 18, item 1).

    .venv/bin/python bench/search_bytes.py                 # N = 1,000 and 10,000; writes bench/results-search.md
    .venv/bin/python bench/search_bytes.py --sizes 1000

For each N: ``bench/synth.py`` makes the edition (kept in ``/tmp/bench-search-<N>``), its split
search indexes are written exactly as the build writes them (``searchparts.search_parts`` over the
same documents, without the HTML pages), and ``bench/search-bytes.js`` runs each query of a fixed
set as the search page does on a cold cache: the manifest, the term buckets the query needs, the
files of the 50 documents it shows. The figure is the sum of those files gzipped (level 6), as a
server with gzip sends them. The set holds each language's five most frequent words, a few
everyday queries and words of middling frequency; each is typed whole with no space after it, so
its last word is also a prefix, as when the page searches while the reader types.
Not a timing: bytes only, the same on any machine.
"""
from __future__ import annotations

import argparse
import gzip
import json
import statistics
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from edition.models import LANGS  # noqa: E402
from edition.normalize import words  # noqa: E402
from edition.search import STOP_WORDS  # noqa: E402
from edition.searchparts import search_parts  # noqa: E402
from searchindexes import project_documents  # noqa: E402

RESULTS = ROOT / "bench" / "results-search.md"
EVERYDAY = {"ar": ["الموصل", "والتحالف", "وزير الخارجية", "مكافحة الإرهاب", "الرقة"],
            "en": ["Mosul", "coalition", "foreign ministers", "Kerry", "Raqqa"]}
TARGETS = {1000: 300_000, 10000: 800_000}


def frequent_words(docs: list[dict]) -> list[str]:
    """The words of the documents by how many documents have them, most first (stop words out)."""
    stop = set(STOP_WORDS)
    counts = Counter(w for d in docs for w in set(words(d["body"])) if w not in stop and not w.isdigit())
    return [w for w, _ in counts.most_common()]


def query_set(docs: list[dict], lang: str) -> list[str]:
    ranked = frequent_words(docs)
    middling = [ranked[i] for i in (100, 300, 1000, 3000) if i < len(ranked)]
    return list(dict.fromkeys(ranked[:5] + EVERYDAY[lang] + middling))


def measure(n: int) -> list[dict]:
    project = Path(f"/tmp/bench-search-{n}")
    if not (project / "content").is_dir():
        subprocess.run([sys.executable, str(ROOT / "bench" / "synth.py"), str(n), str(project)], check=True)
    docs, protected = project_documents(project)
    rows = []
    for lang in LANGS:
        folder = project / "search" / lang
        folder.mkdir(parents=True, exist_ok=True)
        sizes: dict[str, tuple[int, int]] = {}
        for path, data in search_parts(lambda: docs[lang], lang, protected):
            name = path.rsplit("/", 1)[1]
            (folder / name).write_bytes(data)
            sizes[name] = (len(data), len(gzip.compress(data, 6, mtime=0)))
        queries = query_set(docs[lang], lang)
        runs = json.loads(subprocess.run(["node", str(ROOT / "bench" / "search-bytes.js"), str(folder)],
                                         input=json.dumps(queries), capture_output=True, text=True, check=True,
                                         cwd=ROOT).stdout)
        total = sum(gz for _raw, gz in sizes.values())
        for run in runs:
            rows.append({"n": n, "lang": lang, "query": run["text"], "hits": run["hits"], "files": len(run["files"]),
                         "gzip": sum(sizes[f][1] for f in run["files"]), "index_gzip": total,
                         "terms_gzip": sum(sizes[f][1] for f in run["files"] if f.startswith("t")),
                         "docs_gzip": sum(sizes[f][1] for f in run["files"] if f.startswith("d")),
                         "manifest_gzip": sizes["index.json"][1],
                         "documents": len(docs[lang]), "buckets": sum(1 for f in sizes if f.startswith("t"))})
    return rows


def report(rows: list[dict]) -> str:
    lines = ["# Bytes per first search (split index)", "",
             "Measured by `bench/search_bytes.py` on the synthetic corpus (`bench/synth.py`): for each query, "
             "the files the search page fetches on a cold cache (manifest, term buckets, the files of the 50 "
             "documents shown), gzipped at level 6. Bytes, not time: the same on any machine.", ""]
    for n in sorted({r["n"] for r in rows}):
        mine = [r for r in rows if r["n"] == n]
        median = statistics.median(r["gzip"] for r in mine)
        target = TARGETS.get(n)
        verdict = f"; target ≤ {target / 1000:.0f} KB: **{'met' if median <= target else 'missed'}**" if target else ""
        lines += [f"## N = {n:,}", "",
                  f"Median of {len(mine)} queries: **{median / 1000:.1f} KB**; largest {max(r['gzip'] for r in mine) / 1000:.1f} KB"
                  + verdict + ".", ""]
        for lang in LANGS:
            first = next(r for r in mine if r["lang"] == lang)
            lines.append(f"- `{lang}`: {first['documents']:,} documents, {first['buckets']} term buckets, manifest "
                         f"{first['manifest_gzip'] / 1000:.1f} KB; the whole split index is "
                         f"{first['index_gzip'] / 1e6:.2f} MB gzipped.")
        lines += ["", "| lang | query | hits | files | term buckets (KB) | documents (KB) | total KB gzipped |",
                  "|---|---|---:|---:|---:|---:|---:|"]
        lines += [f"| {r['lang']} | {r['query']} | {r['hits']} | {r['files']} | {r['terms_gzip'] / 1000:.1f} | "
                  f"{r['docs_gzip'] / 1000:.1f} | {r['gzip'] / 1000:.1f} |" for r in mine]
        lines.append("")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    rows = [row for n in args.sizes for row in measure(n)]
    RESULTS.write_text(report(rows), encoding="utf-8")
    print(f"wrote {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
