"""Reader quality in CI: valid HTML, axe-core accessibility, keyboard use, printing, no outside
requests, and screenshots of every page type in both languages (saved as test artifacts)."""
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

PAGE_TYPES = {
    "home": "/{lang}/",
    "report": "/{lang}/reports/washington-2016-iraq-news-network/",
    "entity": "/{lang}/entities/unscr-2254/",
    "index": "/{lang}/entities/",
    "meeting": "/{lang}/meetings/kuwait-2018/",
    "principles": "/{lang}/principles/",
    "notes": "/{lang}/notes/",
    "about": "/{lang}/about/",
    "witness": "/{lang}/witnesses/001_9af70518d36835f3/",
    "search": "/{lang}/search/?q={query}",
    "chronology": "/{lang}/chronology/",
    "collation": "/{lang}/collations/kuwait-2018/",
    "passages": "/{lang}/collations/washington-2016/",
}
QUERIES = {"ar": "الموصل", "en": "Mosul"}


def test_html_is_valid(built_site):
    if not shutil.which("java"):
        if os.environ.get("CI"):
            pytest.fail("java is missing: make test installs it for the Nu Html Checker")
        pytest.skip("java not installed")
    result = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--skip-non-html", "--format", "json",
                             str(built_site)], capture_output=True, text=True, timeout=600)
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    assert messages == []


def pages():
    for lang in ("ar", "en"):
        for name, path in PAGE_TYPES.items():
            yield lang, name, path.format(lang=lang, query=QUERIES[lang])
    yield "bi", "landing", "/"
    yield "bi", "404", "/no-such-page/"


def load(browser, site_url, path, width=1280, **options):
    context = browser.new_context(viewport={"width": width, "height": 900}, **options)
    page = context.new_page()
    page.goto(site_url + path)
    if "search" in path:
        page.wait_for_selector(".status:not(:empty)", timeout=10000)
    return context, page


def axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']})")
    return [{"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]]


@pytest.mark.parametrize("lang,name,path", list(pages()), ids=[f"{l}-{n}" for l, n, _ in pages()])
def test_axe_finds_no_violations(browser, site_url, lang, name, path):
    # bypass_csp lets the test inject axe-core; the page itself is unchanged
    context, page = load(browser, site_url, path, bypass_csp=True)
    assert axe(page) == []
    context.close()


@pytest.mark.parametrize("mode", ["original", "translation", "both"])
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_axe_in_every_reading_mode(browser, site_url, lang, mode):
    context, page = load(browser, site_url, PAGE_TYPES["report"].format(lang=lang), bypass_csp=True)
    page.check(f"#mode-{mode}")
    assert axe(page) == []
    context.close()


@pytest.mark.parametrize("width", [320, 375, 1280])
@pytest.mark.parametrize("lang,name,path", list(pages()), ids=[f"{l}-{n}" for l, n, _ in pages()])
def test_screenshots(browser, site_url, lang, name, path, width):
    """Every page type, both languages, phone and desktop: saved for review, no horizontal scroll."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context, page = load(browser, site_url, path, width=width)
    page.screenshot(path=str(ARTIFACTS / f"{name}-{lang}-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()


def test_keyboard_walk_through_an_article(browser, site_url):
    context, page = load(browser, site_url, "/en/reports/washington-2016-agencies/")
    focused = lambda: page.evaluate("[document.activeElement.tagName, document.activeElement.className, "
                                    "document.activeElement.getAttribute('href') || document.activeElement.id]")
    page.keyboard.press("Tab")
    assert focused()[1] == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # on to the reading modes: arrow keys move between them
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "mode":
            break
    page.keyboard.press("ArrowLeft")
    assert page.evaluate("document.querySelector('input[name=mode]:checked').value") == "translation"
    # on to the first gloss: it opens on focus and closes with Escape
    for _ in range(60):
        page.keyboard.press("Tab")
        if "mention" in focused()[1]:
            break
    assert page.locator("#gloss-popover").is_visible()
    page.keyboard.press("Escape")
    assert page.locator("#gloss-popover").count() == 0
    # back to the top: the language switch and the search box are reachable
    page.keyboard.press("Home")
    page.focus(".lang-switch")
    page.keyboard.press("Enter")
    page.wait_for_url("**/ar/reports/washington-2016-agencies/?mode=translation*")  # the switch keeps the mode and place
    page.focus("#site-search")
    page.keyboard.type("كيري")
    page.keyboard.press("Enter")
    page.wait_for_selector(".status:not(:empty)", timeout=10000)
    assert page.locator(".results li").count() > 0
    context.close()


def test_focus_is_visible(browser, site_url):
    context, page = load(browser, site_url, "/en/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")
    context.close()


def test_print_shows_text_and_glosses_without_navigation(browser, site_url):
    context, page = load(browser, site_url, "/en/reports/kuwait-2018-ajiban/")
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".modes").is_visible()
    assert page.locator("#p1 .col-ar").is_visible() and page.locator("#p1 .col-en").is_visible()
    assert page.locator(".glosses").is_visible()
    pdf = page.pdf()
    assert pdf[:4] == b"%PDF"
    context.close()


def test_no_request_leaves_the_site(browser, site_url):
    context = browser.new_context()
    page = context.new_page()
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((site_url, "data:")) else None)
    for lang, name, path in pages():
        page.goto(site_url + path)
        page.wait_for_load_state("networkidle")
    assert outside == []
    context.close()


def test_citation_points_to_the_chosen_paragraph(browser, site_url):
    context, page = load(browser, site_url, "/en/reports/washington-2016-agencies/#p5")
    page.click("details.cite summary")
    chicago = page.inner_text(".cite .chicago")
    assert ", paragraph 5." in chicago and chicago.count("/en/reports/washington-2016-agencies/#p5") == 1
    assert "[access date]" not in chicago and "(accessed 20" in chicago
    bibtex = page.inner_text(".cite .bibtex")
    assert "version 1.0, CC BY 4.0, paragraph 5}" in bibtex and "url = {" + site_url + "/en/reports/washington-2016-agencies/#p5}" in bibtex
    context.close()


def test_citation_without_javascript(browser, site_url):
    context, page = load(browser, site_url, "/ar/reports/kuwait-2018-ajiban/", java_script_enabled=False)
    page.click("details.cite summary")
    chicago = page.inner_text(".cite .chicago")
    import yaml
    strings = yaml.safe_load((Path(__file__).resolve().parent.parent / "templates" / "strings.yaml").read_text(encoding="utf-8"))
    placeholder = strings["cite_access_placeholder"]["ar"]  # where the script would put today's date
    assert "سعد العجيبان" in chicago and strings["cite_accessed"]["ar"].format(accessed=placeholder) in chicago
    assert "/ar/reports/kuwait-2018-ajiban/" in chicago
    context.close()
