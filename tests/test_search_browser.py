"""Search in headless Chromium against the built site: the table of queries readers type."""
import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent




def results(page, site_url, lang, query):
    """The links of the results (each page's heading and its paragraphs), without the ?hl= of the words to mark."""
    page.goto(f"{site_url}/{lang}/search/")
    page.fill("#q", query)
    page.wait_for_selector(".status:not(:empty)", timeout=10000)
    return links(page)


def links(page):
    return [re.sub(r"\?hl=[^#]*", "", a.get_attribute("href")) for a in page.query_selector_all(".results a")]


SAME = [
    ("ar", ["موصل", "الموصل", "والموصل"]),
    ("ar", ["الرقة", "الرقّة", "الرقه"]),
    ("ar", ["اجانب", "الأجانب"]),
    ("ar", ["٢٢٥٤", "2254"]),
    ("en", ["fighter", "fighters"]),
]


@pytest.mark.parametrize("lang,queries", SAME, ids=[" = ".join(q) for _, q in SAME])
def test_variants_find_the_same_passages(page, site_url, lang, queries):
    found = [results(page, site_url, lang, q) for q in queries]
    assert found[0], f"{queries[0]} found nothing"
    for other in found[1:]:
        assert sorted(other) == sorted(found[0])
    assert not page.errors


@pytest.mark.parametrize("lang,query", [("en", "Tillerson"), ("ar", "تيلرسون"), ("ar", "والتحالف"), ("en", "Kuwait")])
def test_every_passage_listed_holds_the_words(page, site_url, lang, query):
    """A report's title words find its title, not every paragraph under it: each hit listed has the
    words marked in its snippet, and the count is of those hits."""
    found = results(page, site_url, lang, query)
    hits = page.query_selector_all(".results .hits li")
    titles = page.query_selector_all(".results h2 a:has(mark)")  # a report's title that has the words
    assert found and hits and titles
    assert all(hit.query_selector("mark") for hit in hits), [h.inner_text()[:80] for h in hits if not h.query_selector("mark")]
    total = int(re.search(r"\d+", page.inner_text(".status").translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))).group())
    assert len(hits) + len(titles) == min(total, 60)  # the first 60 are shown (search.js SHOWN)
    assert not page.errors


EXPECTED = [
    # (page language, query, a link that must be among the results)
    ("ar", "موصل", "/ar/entities/mosul/"),
    ("ar", "والموصل", "/ar/reports/washington-2016-almodon/#p6"),
    ("ar", "الرقّة", "/ar/reports/washington-2016-agencies/#p7"),
    ("ar", "أشار", "/ar/reports/washington-2016-agencies/#p6"),  # «وأشار البيان»
    ("ar", "تحرير", "/ar/reports/washington-2016-almodon/#p6"),  # «تحرير الموصل»
    ("ar", "مقاتل", "/ar/reports/washington-2016-iraq-news-network/#p6"),  # «المقاتلين الاجانب»
    ("ar", "٢٢٥٤", "/ar/entities/unscr-2254/"),
    ("ar", "كير", "/ar/entities/john-kerry/"),  # type-ahead: the unfinished word is a prefix
    ("en", "Kerry", "/en/entities/john-kerry/"),
    ("en", "kerry", "/en/reports/washington-2016-agencies/#p11"),
    ("en", "fighters", "/en/entities/foreign-terrorist-fighters-working-group/"),
    ("en", "Turkey", "/en/reports/washington-2016-iraq-news-network/#p11"),
    ("en", "days", "/en/reports/washington-2016-almodon/#p6"),
    ("en", "Mosul Raqqa", "/en/entities/raqqa/"),
    ("en", "Tillers", "/en/entities/rex-tillerson/"),
]


@pytest.mark.parametrize("lang,query,link", EXPECTED, ids=[q for _, q, _ in EXPECTED])
def test_query_finds_expected(page, site_url, lang, query, link):
    assert link in results(page, site_url, lang, query)
    assert not page.errors


@pytest.mark.parametrize("query", ["الموصل:", "Kerry^", "~", "*", "fighter~1", "+Mosul -Raqqa", "title:Kerry", "\\"])
def test_lunr_syntax_never_throws(page, site_url, query):
    page.goto(f"{site_url}/en/search/")
    page.fill("#q", query)
    page.wait_for_timeout(400)
    assert not page.errors


def test_all_words_must_match(page, site_url):
    both = set(results(page, site_url, "en", "Mosul Kerry"))
    assert both and both <= set(results(page, site_url, "en", "Mosul"))
    assert both <= set(results(page, site_url, "en", "Kerry"))


def test_hits_show_title_kind_language_and_highlight(page, site_url):
    results(page, site_url, "ar", "الموصل")
    first = page.query_selector(".results li.group")
    assert first.query_selector("h2 a").inner_text()
    meta = first.query_selector(".hit-meta").inner_text()
    assert "حاشية" in meta or "تقرير" in meta
    assert "العربية" in meta
    marks = [m.inner_text() for m in page.query_selector_all(".results mark")]
    assert marks and all("موصل" in m for m in marks)


@pytest.mark.parametrize("lang,query,line,next_line", [
    ("en", "Mosul", "ways of fighting", "Tightening the noose"),
    ("ar", "الموصل", "ابتكار طرق جديدة في القتال", "تضييق الخناق"),
])
def test_the_headlines_of_a_snippet_stay_on_lines_of_their_own(page, site_url, lang, query, line, next_line):
    """The teaser headlines are a list on the report's page and lines in the index: a snippet of
    them shows each on its line, not run together into one sentence ("… ways of fighting
    Tightening the noose …")."""
    results(page, site_url, lang, query)
    hit = page.locator(".hits > li:has(> a.hit[href*='#teasers']) > .snippet")
    assert f"{line}\n{next_line}" in hit.inner_text()


def test_query_text_is_never_html(page, site_url):
    results(page, site_url, "en", '<img src=x onerror="window.pwned=1"> Kerry')
    assert page.query_selector(".results img") is None
    assert page.evaluate("window.pwned") is None


def test_query_from_url_and_keyboard(page, site_url):
    page.goto(f"{site_url}/en/search/?q=Raqqa")
    page.wait_for_selector(".status:not(:empty)", timeout=10000)
    assert page.query_selector_all(".results li")
    assert page.get_attribute(".status", "role") == "status"
    page.keyboard.press("Tab")  # skip link, then the reader can tab into results


def test_header_search_box_leads_to_results(page, site_url):
    page.goto(f"{site_url}/ar/")
    page.fill("#site-search", "الرقة")
    page.press("#site-search", "Enter")
    page.wait_for_selector(".status:not(:empty)", timeout=10000)
    assert "/ar/entities/raqqa/" in links(page)


def test_search_index_is_loaded_only_on_use(browser, site_url, built_site):
    context = browser.new_context()
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{site_url}/en/reports/washington-2016-agencies/")
    page.goto(f"{site_url}/en/search/")
    assert not [u for u in requested if "/search/" in u and u.endswith(".json")]
    page.fill("#q", "law")
    page.wait_for_selector(".status:not(:empty)", timeout=10000)
    fetched = [u.rsplit("/assets/search/", 1)[1] for u in requested if "/assets/search/" in u]
    assert "en/index.json" in fetched and [u for u in fetched if u.startswith("en/t")]
    assert not [u for u in fetched if u.startswith("ar/")]
    assert not [u for u in fetched if u.startswith(("en/terms.json", "en/w", "en/v"))]  # terms a typo reaches: words of 4 letters or more
    assert "en/facets.json" not in fetched  # the documents' kinds and meetings only to filter by them
    page.fill("#q", "Kery")
    page.wait_for_selector(".results a[href^='/en/entities/john-kerry/']", timeout=10000)
    fetched = [u.rsplit("/assets/search/", 1)[1] for u in requested if "/assets/search/" in u]
    assert [u for u in fetched if u.startswith("en/w")] and [u for u in fetched if u.startswith("en/v")]
    assert "en/terms.json" not in fetched  # the terms one edit from «kery» only, not the whole list
    page.select_option("#filter-kind", "gloss")
    page.wait_for_function("() => location.search.includes('kind=gloss')")
    page.wait_for_selector(".status:not(:empty)", timeout=10000)
    assert "/en/facets.json" in " ".join(requested)
    buckets = len(json.loads((built_site / "assets/search/en/index.json").read_text(encoding="utf-8"))["parts"])
    assert len([u for u in fetched if u.startswith("en/t")]) < buckets  # not the whole index
    context.close()


def first_results_shown(page, site_url, query):
    """Search for ``query`` with the file of documents asked for last (one that only hits after
    the first need) held back; once the first results are shown, the held file's route and those
    of any files asked for later (to let through or fail)."""
    held = []
    page.goto(f"{site_url}/ar/search/")
    page.route("**/assets/search/ar/d*.json", lambda route: held.append(route))
    page.fill("#q", query)
    asked = 0
    for _ in range(200):  # until the page has asked for every file (none new for 0.3 s)
        page.wait_for_timeout(300)
        if held and len(held) == asked:
            break
        asked = len(held)
    assert len(held) > 1, "the documents of every hit are in one file: nothing to show first"
    last = held.pop()
    released = list(held)
    for route in released:
        route.continue_()
    page.wait_for_selector(".results a[href]", timeout=10000)
    return [last, *held[len(released):]]


def test_first_results_are_shown_before_the_documents_of_the_others(page, site_url):
    """The documents of the first hits are asked for first and shown at once; the others' come
    after. Until they have, the list is busy and the status, which announces the results, is
    silent; then the whole list is shown and announced."""
    whole = results(page, site_url, "ar", "داعش")
    assert len(whole) > 12, "the query must have more hits than are shown first"
    rest = first_results_shown(page, site_url, "داعش")
    assert page.get_attribute(".results", "aria-busy") == "true"
    assert page.text_content(".status") == ""
    first = links(page)
    assert 0 < len(first) < len(whole)
    assert first == [link for link in whole if link in first]  # the best hits, in the same order
    page.press("#q", "ArrowDown")  # a reader already in the results stays on the link they are on
    page.press(".results a >> nth=0", "ArrowDown")
    on = page.evaluate("document.activeElement.getAttribute('href')")
    for route in rest:
        route.continue_()
    page.wait_for_selector(".status:not(:empty)", timeout=10000)
    assert page.get_attribute(".results", "aria-busy") == "false"
    assert links(page) == whole
    assert page.evaluate("document.activeElement.getAttribute('href')") == on
    assert not page.errors


def test_documents_that_fail_after_the_first_results_are_said_to_have_failed(page, site_url):
    strings = yaml.safe_load((ROOT / "templates" / "strings.yaml").read_text(encoding="utf-8"))
    rest = first_results_shown(page, site_url, "داعش")
    for route in rest:
        route.abort()
    page.wait_for_selector(".status:not(:empty)", timeout=10000)
    assert page.text_content(".status").strip() == strings["search_failed"]["ar"]
    assert page.get_attribute(".results", "aria-busy") == "false"  # not left busy for ever


def test_without_javascript_the_search_page_points_to_the_index(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site_url}/en/search/")
    assert page.is_visible(".nojs")
    assert page.get_attribute(".nojs a", "href") == "/en/entities/"
    context.close()
