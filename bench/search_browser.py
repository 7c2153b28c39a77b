#!/usr/bin/env python3
"""Cold-cache searches in headless Chromium through each engine's own search page.

Run by bench/search_compare.py with the benchmark's venv (Playwright), a JSON job on stdin:

    {"site": "<built site>", "queries": [{"engine": "ours"|"pagefind", "lang": "ar", "text": "..."}, ...],
     "pagefind_pages": [{"lang": "ar", "text": "..."}, ...]}

and prints a JSON answer: per query, the bytes the page transferred for it and the time to its
first result; per `pagefind_pages` entry, the pages Pagefind's own API returns for the text.

The site is served by bench/gzipserve.py (gzip level 6 on text types, as a host does); bytes are
the response bodies it sent, as sent. Each query gets a new browser context (an empty cache),
loads the engine's search page, waits until the page is quiet, then types the query into the
box with one `fill` (focus, then one input event: the query pasted whole). What the page
fetches from that moment until the network is quiet again is the query's cost, whatever
triggered it (focus, input, the documents shown). The page itself (HTML, scripts, styles) is
recorded apart as `page_bytes`.

Time to first result: from the box's first `input` event to the moment the first result element
is in the document (a MutationObserver, both read with performance.now() in the page, so no
round trip to Python is counted). It includes each page's own debounce (ours 120 ms, Pagefind's
UI 300 ms at the time of writing).

What this relies on in our search page (kept stable by the page, whatever its layout):
the search box is the `input[type=search]` inside `form[role=search]`; its `aria-controls` names
the element that holds the results; a result is a link (`a[href]`) inside that element.
In Pagefind's default UI: `.pagefind-ui__search-input` and `.pagefind-ui__result`.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gzipserve import GzipServer  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
RESULT_TIMEOUT = 120  # seconds
NO_RESULT_AFTER = 10.0  # seconds without a request and without a result: the query shows none
QUIET_SECONDS = 0.6  # no request in flight and none new for this long: the page is done

OURS_FOUND = """(() => {
  const box = document.querySelector('form[role=search] input[type=search]');
  const results = box && document.getElementById(box.getAttribute('aria-controls') || '');
  return !!(results && results.querySelector('a[href]'));
})()"""

ENGINES = {
    "ours": {"page": "/{lang}/search/", "box": "form[role=search] input[type=search]", "found": OURS_FOUND},
    "pagefind": {"page": "/pagefind-{lang}.html", "box": ".pagefind-ui__search-input",
                 "found": "!!document.querySelector('.pagefind-ui__result')"},
}

RECORDER = """(() => {
  const mark = { input: null, result: null };
  window.__benchSearch = mark;
  document.addEventListener('input', () => { if (mark.input === null) mark.input = performance.now(); }, true);
  const check = () => { if (mark.input !== null && mark.result === null && (FOUND)) mark.result = performance.now(); };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
})();"""

PAGEFIND_PAGES = """async (text) => {
  const pagefind = await import('/pagefind/pagefind.js');
  const search = await pagefind.search(text);
  const data = await Promise.all(search.results.map((r) => r.data()));
  return [...new Set(data.map((d) => d.url.split('#')[0]))].sort();
}"""


def wait_quiet(server: GzipServer, at_least: float = 0.0) -> None:
    """Until no request is in flight and none has come for QUIET_SECONDS (and at_least has passed)."""
    started = time.perf_counter()
    seen, since = len(server.sent), time.perf_counter()
    while True:
        time.sleep(0.05)
        now = time.perf_counter()
        if len(server.sent) != seen or server.in_flight:
            seen, since = len(server.sent), now
        elif now - since >= QUIET_SECONDS and now - started >= at_least:
            return


def wait_result(page, server: GzipServer) -> bool:
    """Until the recorder has seen the first result; False if none came (no hits, or the page failed).

    Polled from here (page.wait_for_function would need eval, which our page's CSP forbids); the
    time itself is taken in the page, so the polling interval does not enter it."""
    deadline = time.perf_counter() + RESULT_TIMEOUT
    while time.perf_counter() < deadline:
        if page.evaluate("window.__benchSearch.result !== null"):
            return True
        if time.perf_counter() - server.last_activity > NO_RESULT_AFTER and not server.in_flight:
            return False  # nothing fetched for a while and nothing shown: this query shows no result
        time.sleep(0.05)
    return False


def one_query(browser, server: GzipServer, engine: str, lang: str, text: str) -> dict:
    spec = ENGINES[engine]
    context = browser.new_context()  # a new context: an empty cache
    try:
        context.add_init_script(RECORDER.replace("FOUND", spec["found"]))
        page = context.new_page()
        page.goto(server.url + spec["page"].format(lang=lang), wait_until="load")
        wait_quiet(server)
        page_bytes = sum(s.bytes for s in server.take())
        page.fill(spec["box"], text)
        found = wait_result(page, server)
        wait_quiet(server, at_least=1.0)
        marks = page.evaluate("window.__benchSearch")
        sent = server.take()
        errors = [s.path for s in sent if s.status >= 400]
    finally:
        context.close()
    return {"engine": engine, "lang": lang, "text": text, "page_bytes": page_bytes,
            "bytes": sum(s.bytes for s in sent), "files": len(sent), "failed_requests": errors,
            "first_result_ms": round(marks["result"] - marks["input"], 1) if found and marks["input"] is not None else None}


def pagefind_pages(browser, server: GzipServer, lang: str, text: str) -> list[str]:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(server.url + ENGINES["pagefind"]["page"].format(lang=lang), wait_until="load")
        return page.evaluate(PAGEFIND_PAGES, text)
    finally:
        context.close()


def main() -> int:
    job = json.load(sys.stdin)
    answer: dict = {"queries": [], "pagefind_pages": []}
    with GzipServer(Path(job["site"])) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for q in job.get("queries", []):
                row = one_query(browser, server, q["engine"], q["lang"], q["text"])
                answer["queries"].append(row)
                print(f"    {row['engine']:8} {row['lang']} {row['text']}: {row['bytes'] / 1000:.1f} KB, "
                      f"first result {row['first_result_ms']} ms", file=sys.stderr, flush=True)
            for q in job.get("pagefind_pages", []):
                answer["pagefind_pages"].append({**q, "pages": pagefind_pages(browser, server, q["lang"], q["text"])})
                server.take()
        finally:
            browser.close()
    json.dump(answer, sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
