"""The search page as a reader uses it, in headless Chromium: results grouped by page, typo
tolerance, the arrow keys and "/", the words marked on the page a result opens, the filters, the
count in each language's plural forms, and the index fetched only once the box has focus."""
import json
import re

import pytest
import yaml

from edition import plurals

from conftest import ROOT

STRINGS = yaml.safe_load((ROOT / "templates" / "strings.yaml").read_text(encoding="utf-8"))


def search(page, site_url, lang, query, **filters):
    extra = "".join(f"&{name}={value}" for name, value in filters.items())
    page.goto(f"{site_url}/{lang}/search/?q={query}{extra}")
    page.wait_for_selector(".status:not(:empty)", timeout=10000)


def groups(page):
    """Each group of results: its heading's link, whether the heading (a report's title) is itself a
    hit (its words marked), its meta line and its paragraph links (?hl= removed)."""
    def plain(href):
        return re.sub(r"\?hl=[^#]*", "", href)
    return [{"page": plain(g.query_selector("h2 a").get_attribute("href")),
             "title_hit": g.query_selector("h2 a mark") is not None,
             "meta": g.query_selector(".hit-meta").inner_text(),
             "hits": [plain(a.get_attribute("href")) for a in g.query_selector_all("a.hit")],
             "snippets": [s.inner_text() for s in g.query_selector_all(".snippet")]}
            for g in page.query_selector_all(".results li.group")]


def test_results_are_grouped_by_page(page, site_url):
    search(page, site_url, "en", "Mosul")
    found = groups(page)
    headings = [g["page"] for g in found]
    assert len(headings) == len(set(headings)) > 3  # one heading per page
    almodon = next(g for g in found if g["page"] == "/en/reports/washington-2016-almodon/")
    assert len(almodon["hits"]) > 3 and "/en/reports/washington-2016-almodon/#p6" in almodon["hits"]
    assert all(hit.startswith(almodon["page"] + "#") for hit in almodon["hits"])
    assert len(almodon["snippets"]) == len(almodon["hits"])
    assert not page.errors


def block_kinds(slug: str) -> dict[str, str]:
    """A report's blocks that are no paragraph, by id: their kind, read from the Arabic text's attribute lines."""
    text = (ROOT / "content" / "reports" / slug / "ar.md").read_text(encoding="utf-8")
    return dict(re.findall(r"^\{#([\w-]+) \.(title|dateline|heading|teasers)\}", text, re.M))


@pytest.mark.parametrize("lang,queries", [("en", ["Washington", "Mosul", "Popular Mobilization"]), ("ar", ["الكويت", "الموصل"])])
def test_a_hit_outside_the_paragraphs_is_named_by_where_it_stands(page, site_url, lang, queries):
    """A hit in a dateline, a heading or the headlines under a title is named so ("dateline",
    «مكان الإرسال»), not "heading" whatever it is; a hit in a paragraph, by its number."""
    seen = set()
    for query in queries:
        search(page, site_url, lang, query)
        for link in page.query_selector_all("a.hit"):
            slug, block = re.search(r"/reports/([\w-]+)/(?:\?hl=[^#]*)?#([\w-]+)$", link.get_attribute("href")).groups()
            kind, said = block_kinds(slug).get(block), link.inner_text()
            if kind:
                assert said == STRINGS["block_" + kind][lang], (query, block, said)
                seen.add(kind)
            else:
                assert said == STRINGS["paragraph_n"][lang].format(n=int(block[1:])), (query, block, said)
    assert {"dateline", "heading"} <= seen and (lang == "ar" or "teasers" in seen), seen
    assert not page.errors


@pytest.mark.parametrize("lang,query", [("en", "Mosul"), ("ar", "الموصل")])
def test_snippets_are_cut_at_word_boundaries(page, site_url, built_site, lang, query):
    """A long paragraph's snippet starts and ends on whole words of its text ("… discussions",
    never "… iscussions"), with an ellipsis where it was cut."""
    texts = [d["x"] for path in (built_site / "assets" / "search" / lang).glob("d*.json")
             for d in json.loads(path.read_text(encoding="utf-8"))]
    whole = {w for text in texts for w in text.split()}
    search(page, site_url, lang, query)
    cut = [s for g in groups(page) for s in g["snippets"] if s.startswith("… ") or s.endswith(" …")]
    assert len(cut) > 2, "no long paragraph was cut"
    for snippet in cut:
        inner = snippet.removeprefix("… ").removesuffix(" …").split()
        if snippet.startswith("… "):
            assert inner[0] in whole, (inner[0], snippet)
        if snippet.endswith(" …"):
            assert re.sub(r"[^\w]+$", "", inner[-1]) in {re.sub(r"[^\w]+$", "", w) for w in whole}, (inner[-1], snippet)


@pytest.mark.parametrize("lang,query,link", [
    ("en", "Kery", "/en/entities/john-kerry/"),
    ("en", "Tillersn", "/en/entities/rex-tillerson/"),
    ("ar", "التحلف", "/ar/entities/global-coalition/"),  # «التحالف» with its alef dropped
])
def test_a_word_one_edit_away_is_found(page, site_url, lang, query, link):
    search(page, site_url, lang, query)
    assert link in [g["page"] for g in groups(page)]


def test_exact_matches_rank_before_words_one_edit_away(page, site_url):
    search(page, site_url, "en", "Libyan%20")  # a finished word (no prefix); «libya» is one edit from «libyan»
    found = page.eval_on_selector_all(".results li.group", "gs => gs.map(g => g.textContent)")
    exact = [bool(re.search(r"\bLibyan\b", text)) for text in found]
    assert True in exact and False in exact  # both kinds are found
    assert exact == sorted(exact, reverse=True)  # the pages with the exact word first


def test_arrow_keys_move_through_results_and_enter_opens(page, site_url):
    page.goto(f"{site_url}/en/search/")
    page.focus("#q")
    page.keyboard.type("Raqqa")
    page.wait_for_selector(".results a", timeout=10000)
    links = page.eval_on_selector_all(".results a", "links => links.map(a => a.href)")
    active = "document.activeElement.href || document.activeElement.id"
    page.keyboard.press("ArrowDown")
    assert page.evaluate(active) == links[0]
    page.keyboard.press("ArrowDown")
    assert page.evaluate(active) == links[1]
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert page.evaluate(active) == "q"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == links[1]


def test_slash_goes_to_the_search_box_unless_typing(page, site_url):
    page.goto(f"{site_url}/en/reports/washington-2016-agencies/")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "site-search"
    page.keyboard.type("a/b")
    assert page.input_value("#site-search") == "a/b"  # in a field, "/" is a character
    page.goto(f"{site_url}/ar/search/")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"
    assert page.input_value("#q") == ""


def test_the_opened_page_marks_the_words_searched_in_their_forms(page, site_url):
    search(page, site_url, "ar", "الموصل")
    link = page.query_selector(".results a.hit[href*='washington-2016-almodon'][href$='#p6']")
    with page.expect_navigation():
        link.click()
    assert "hl=" in page.url
    page.wait_for_selector("mark.hl", timeout=10000)
    marked = page.eval_on_selector_all("mark.hl", "marks => marks.map(m => m.textContent)")
    assert all("موصل" in m for m in marked)
    assert any(m != "الموصل" for m in marked)  # a clitic form: «والموصل», «للموصل»…
    assert page.query_selector("#p6 mark.hl")
    assert not page.errors


def test_without_hl_nothing_is_marked_and_no_search_script_loads(page, site_url):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{site_url}/en/reports/washington-2016-agencies/")
    page.wait_for_load_state("networkidle")
    assert not page.query_selector("mark.hl")
    assert not [u for u in requested if "lunr" in u or "highlight" in u or "/search/" in u]


def test_filters_by_kind_and_meeting_work_with_the_address(page, site_url):
    search(page, site_url, "en", "Kerry", kind="gloss")
    assert page.input_value("#filter-kind") == "gloss"
    found = groups(page)
    assert found and all(g["meta"].startswith("Gloss") for g in found)
    search(page, site_url, "en", "Kerry", meeting="kuwait-2018")
    assert not [g for g in groups(page) if "washington" in g["page"]]
    search(page, site_url, "en", "coalition")
    page.select_option("#filter-meeting", "washington-2016")
    page.wait_for_function("() => location.search.includes('meeting=washington-2016')")
    page.wait_for_function("() => !document.querySelector('.results a[href*=\"kuwait-2018\"]')")
    washington = {g["page"] for g in groups(page)}
    assert "/en/reports/washington-2016-almodon/" in washington
    assert all(p.startswith(("/en/reports/washington-2016-", "/en/notes/")) for p in washington)
    page.select_option("#filter-kind", "note")
    page.wait_for_function("() => location.search.includes('kind=note')")
    page.wait_for_function("() => [...document.querySelectorAll('.results h2 a')].every(a => a.href.includes('/notes/'))")
    assert page.get_attribute("label[for=filter-kind]", "for") == "filter-kind"
    assert not page.errors


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_plural_categories_in_the_browser_are_the_builds(page, site_url, lang):
    page.goto(f"{site_url}/{lang}/search/")
    numbers = list(range(0, 130)) + [200, 1000, 1001, 1002, 1003, 1011]
    browser = page.evaluate(f"n => n.map(x => new Intl.PluralRules('{lang}').select(x))", numbers)
    assert browser == [plurals.category(n, lang) for n in numbers]


@pytest.mark.parametrize("lang,query", [("ar", "الموصل"), ("en", "Mosul"), ("en", "Makhmour"), ("ar", "مخمور")])
def test_the_count_is_said_in_the_pages_language(page, site_url, lang, query):
    search(page, site_url, lang, query)
    found = groups(page)
    hits = sum((len(g["hits"]) + g["title_hit"]) or 1 for g in found)
    expected = plurals.phrase(STRINGS["search_count"][lang], hits, lang)
    expected += " " + plurals.phrase(STRINGS["search_pages"][lang], len(found), lang)
    assert page.inner_text(".status") == expected


def test_one_result_is_singular(page, site_url):
    search(page, site_url, "en", "Makhmour", kind="gloss")
    assert page.inner_text(".status") == "1 result on 1 page"
    search(page, site_url, "ar", "مخمور", kind="gloss")
    assert page.inner_text(".status") == "نتيجة واحدة في صفحة واحدة"


def test_the_index_is_fetched_when_the_box_gets_focus(browser, site_url):
    context = browser.new_context()
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{site_url}/ar/search/")
    page.wait_for_load_state("networkidle")
    assert not [u for u in requested if "/assets/search/" in u]
    page.focus("#q")
    page.wait_for_function("() => performance.getEntriesByType('resource').some(e => e.name.endsWith('/search/ar/index.json'))")
    assert not [u for u in requested if re.search(r"/assets/search/ar/[td]\d+\.json$", u)]  # no part before a query
    context.close()
