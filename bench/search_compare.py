"""Our search against Pagefind on one built synthetic site (issue 18, item 2), for bench/run.py.

1. The query set, from the corpus itself (`bench-corpus.json` of bench/synth.py): each language's
   five words found in the most reports (the index's own stop words left out), fixed everyday
   queries, words of middling frequency, and the Arabic clitic forms (والتحالف, فالحكومة, ووزير…)
   whose bare form the reports use.
2. Our hits for each query (every page a hit is on), by bench/search-hits.js with the site's
   split index, as the search page plans and runs them.
3. Pagefind indexes the same HTML (`pagefind --site`), timed with its peak memory (process tree),
   killed past a timeout or a memory limit; what happened is recorded.
4. bench/search_browser.py (the bench venv's Playwright) runs every query on a cold cache in
   headless Chromium through each engine's search page: bytes sent gzipped, time to first result.
5. For the Arabic clitic set, the report pages our search finds and Pagefind's API does not.
"""
from __future__ import annotations

import json
import re
import shutil
import statistics
import subprocess
import sys
from collections import Counter
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import benchenv  # noqa: E402
import peers  # noqa: E402

EVERYDAY = {"ar": ["الموصل", "وزير الخارجية", "مكافحة الإرهاب", "الرقة"],
            "en": ["Mosul", "coalition", "foreign ministers", "Kerry", "Raqqa"]}
# Typed with a clitic, found by our search in reports that have the bare form (issue 18).
ARABIC_CLITICS = ["والتحالف", "فالحكومة", "ووزير", "والرقة", "بالموصل", "للتحالف", "وأشار", "والعراق"]
LANGS = ("ar", "en")
WORD = re.compile(r"[^\W\d_]+")
PAGEFIND_PAGE = """<!doctype html>
<html lang="{lang}" dir="{dir}"><head><meta charset="utf-8"><title>Pagefind</title>
<link href="/pagefind/pagefind-ui.css" rel="stylesheet"><script src="/pagefind/pagefind-ui.js"></script>
<script src="/pagefind-init.js" defer></script></head><body><main><div id="search"></div></main></body></html>
"""


# ------------------------------------------------------------------ queries

def report_words(corpus: dict, lang: str) -> Counter:
    """Each word (as printed) → the number of reports whose text in `lang` has it."""
    counts: Counter = Counter()
    for report in corpus["reports"]:
        text = " ".join(seg if isinstance(seg, str) else seg["t"] for block in report["blocks"] for seg in block[lang])
        counts.update(set(WORD.findall(text)))
    return counts


def query_sets(corpus: dict, site: Path) -> dict[str, list[str]]:
    out = {}
    for lang in LANGS:
        counts = report_words(corpus, lang)
        ranked = [w for w, _ in counts.most_common()]
        searched = our_hits(site, lang, ranked[:60])  # our own stop words out: a query of them searches nothing
        frequent = [w for w in ranked[:60] if searched[w]["words"]][:5]
        middling = [ranked[i] for i in (100, 300, 1000) if i < len(ranked)]
        clitics = [q for q in ARABIC_CLITICS if counts[q[1:]] or counts[q[2:]]] if lang == "ar" else []
        out[lang] = list(dict.fromkeys(frequent + EVERYDAY[lang] + middling + clitics))
    return out


def our_hits(site: Path, lang: str, queries: list[str], pages: bool = False) -> dict[str, dict]:
    done = subprocess.run(["node", str(BENCH / "search-hits.js"), str(site / "assets/search" / lang)]
                          + (["--pages"] if pages else []),
                          input=json.dumps(queries), capture_output=True, text=True, check=True, cwd=ROOT)
    return {row["text"]: row for row in json.loads(done.stdout)}


# ------------------------------------------------------------------ Pagefind

def pagefind_index(site: Path, timeout: float, memory_limit_mib: float) -> dict:
    shutil.rmtree(site / "pagefind", ignore_errors=True)
    run = peers.measure([str(benchenv.pagefind_binary()), "--site", str(site)], cwd=site, timeout=timeout,
                        memory_limit_mib=memory_limit_mib)
    result = {"seconds": round(run.seconds, 2), "peak_mib": round(run.peak_mib, 1), "exit": run.returncode,
              "stopped": run.stopped, "ok": run.returncode == 0 and not run.stopped}
    pages = re.search(r"Indexed (\d+) pages", run.output)
    result["pages"] = int(pages.group(1)) if pages else None
    if run.stopped == "timeout":
        result["what_happened"] = f"stopped after {timeout:.0f} s (the timeout), peak {run.peak_mib:,.0f} MiB so far"
    elif run.stopped == "memory":
        result["what_happened"] = (f"stopped at {run.peak_mib:,.0f} MiB (the limit is {memory_limit_mib:,.0f} MiB) "
                                   f"after {run.seconds:.0f} s")
    elif run.returncode != 0:
        result["what_happened"] = f"exit {run.returncode}: {run.output.strip()[-300:]}"
    if result["ok"]:
        for lang in LANGS:
            (site / f"pagefind-{lang}.html").write_text(
                PAGEFIND_PAGE.format(lang=lang, dir="rtl" if lang == "ar" else "ltr"), encoding="utf-8")
        (site / "pagefind-init.js").write_text('new PagefindUI({ element: "#search" });\n', encoding="utf-8")
        result["bytes"] = sum(p.stat().st_size for p in (site / "pagefind").rglob("*") if p.is_file())
    return result


# ------------------------------------------------------------------ browser

def browse(site: Path, queries: list[dict], pagefind_pages: list[dict], log=print) -> dict:
    job = {"site": str(site), "queries": queries, "pagefind_pages": pagefind_pages}
    done = subprocess.run([str(benchenv.PYTHON), str(BENCH / "search_browser.py")], input=json.dumps(job),
                          stdout=subprocess.PIPE, stderr=None, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"search_browser.py failed (exit {done.returncode})")
    return json.loads(done.stdout)


def median(values: list[float]) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def measure(project: Path, site: Path, tools: dict[str, str], timeout: float, memory_limit_mib: float,
            log=print) -> dict:
    """Every search figure of one size; `tools` is benchenv's problems (a missing tool skips its part)."""
    if tools.get("playwright") or tools.get("chromium"):
        return {"status": f"not measured: {tools.get('playwright') or tools.get('chromium')}"}
    corpus = json.loads((project / "bench-corpus.json").read_text(encoding="utf-8"))
    queries = query_sets(corpus, site)
    hits = {lang: our_hits(site, lang, queries[lang]) for lang in LANGS}
    result: dict = {"status": "measured", "queries": queries}
    engines = ["ours"]
    if tools.get("pagefind"):
        result["pagefind"] = {"ok": False, "what_happened": f"not run: {tools['pagefind']}"}
    else:
        log("  Pagefind: indexing the same HTML")
        result["pagefind"] = pagefind_index(site, timeout, memory_limit_mib)
        log(f"  Pagefind: {result['pagefind'].get('what_happened') or 'indexed'} in {result['pagefind']['seconds']} s, "
            f"peak {result['pagefind']['peak_mib']:.0f} MiB")
        if result["pagefind"]["ok"]:
            engines.append("pagefind")
    runs = [{"engine": e, "lang": lang, "text": q} for lang in LANGS for q in queries[lang] for e in engines]
    checks = [{"lang": "ar", "text": q} for q in queries["ar"] if q in ARABIC_CLITICS] if "pagefind" in engines else []
    log(f"  Chromium: {len(runs)} cold searches" + (f", {len(checks)} Pagefind hit lists" if checks else ""))
    answer = browse(site, runs, checks, log)
    rows = answer["queries"]
    for row in rows:
        if row["engine"] == "ours":
            row["hits"] = hits[row["lang"]][row["text"]]["hits"]
    result["rows"] = rows
    result["summary"] = {e: {"median_bytes": median([r["bytes"] for r in rows if r["engine"] == e]),
                             "median_first_result_ms": median([r["first_result_ms"] for r in rows if r["engine"] == e]),
                             "page_bytes": median([r["page_bytes"] for r in rows if r["engine"] == e])}
                         for e in engines}
    ours_pages = our_hits(site, "ar", [c["text"] for c in checks], pages=True) if checks else {}
    result["clitics"] = [missed(ours_pages[c["text"]]["pages"], c) for c in answer["pagefind_pages"]]
    return result


def missed(ours_pages: list[str], check: dict) -> dict:
    """The report pages our search finds for a query and Pagefind does not."""
    ours = {p for p in ours_pages if "/reports/" in p}
    theirs = {p for p in check["pages"] if "/reports/" in p}
    return {"query": check["text"], "ours_reports": len(ours), "pagefind_reports": len(theirs),
            "missed_by_pagefind": len(ours - theirs), "missed_by_ours": len(theirs - ours),
            "example": sorted(ours - theirs)[:1]}
