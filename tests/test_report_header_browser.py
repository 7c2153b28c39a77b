"""Getting to the text on a phone, in headless Chromium: the text within the first screen at 375 px,
the metadata summarised in one line with the details on demand, jump links, the previous and next
report in the edition's order, and what "side by side" does on a narrow screen."""
from pathlib import Path

import pytest
import yaml

from test_reader_browser import REPORT, open_page

ROOT = Path(__file__).resolve().parent.parent
# the edition's order, as config.yaml's report_order gives it (then any other report by folder name)
ORDER = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8")).get("report_order", [])
STRINGS = yaml.safe_load((ROOT / "templates" / "strings.yaml").read_text(encoding="utf-8"))
SLUGS = ORDER + sorted(p.name for p in (ROOT / "content" / "reports").iterdir() if p.is_dir() and p.name not in ORDER)
PHONE = {"width": 375, "height": 812}


@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("slug", SLUGS)
def test_the_text_starts_within_the_first_screen_on_a_phone(browser, site_url, lang, slug):
    context, page, errors = open_page(browser, site_url, f"/{lang}/reports/{slug}/", width=PHONE["width"])
    page.set_viewport_size(PHONE)
    first = page.locator(".text > :first-child").bounding_box()  # a paragraph, or the sign of a cut before it
    assert first["y"] + 40 <= PHONE["height"]  # at least its first line is on the first screen
    # the metadata is one line until the reader opens it
    summary = page.locator(".meta-details > summary")
    line = float(summary.evaluate("s => getComputedStyle(s).lineHeight").removesuffix("px"))
    assert summary.bounding_box()["height"] < 1.5 * line
    assert not page.locator(".meta").is_visible()
    summary.click()
    assert page.locator(".meta").is_visible()
    assert not errors
    context.close()


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_jump_links_reach_each_part(browser, site_url, lang):
    context, page, errors = open_page(browser, site_url, REPORT.format(lang=lang), width=375)
    links = page.locator("nav.jump a")
    assert links.count() == 4
    for i in range(links.count()):
        target = links.nth(i).get_attribute("href")
        links.nth(i).click()
        assert page.url.endswith(target)
        box = page.locator(target).bounding_box()
        assert -2 <= box["y"] < 900  # scrolled to it
    # "Cite" opens the closed cite box it leads into
    assert page.locator("details.cite").evaluate("d => d.open")
    assert page.locator("details.cite .chicago").is_visible()
    assert not errors
    context.close()


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_cite_jump_keeps_the_paragraph_the_reader_chose(browser, site_url, lang):
    """A reader picks paragraph 5 by its number, then takes the "Cite" jump link to the citation:
    the citation still cites paragraph 5 (the jump changes the address to #cite, which is not a
    choice of what to cite); choosing another paragraph then cites that one."""
    context, page, errors = open_page(browser, site_url, REPORT.format(lang=lang), width=375)
    said = STRINGS["cite_para"][lang].format(n=5)
    page.locator("#p5 .permalink").click()
    page.locator("nav.jump a[href='#cite']").click()
    chicago = page.locator("details.cite .chicago").inner_text()
    assert said in chicago and REPORT.format(lang=lang) + "#p5" in chicago
    assert REPORT.format(lang=lang) + "#p5}" in page.locator("details.cite .bibtex").inner_text()
    page.locator("#p6 .permalink").click()
    assert STRINGS["cite_para"][lang].format(n=6) in page.locator("details.cite .chicago").inner_text()
    assert not errors
    context.close()


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_next_and_previous_walk_the_reports_in_the_edition_order(browser, site_url, lang):
    context, page, errors = open_page(browser, site_url, f"/{lang}/reports/{SLUGS[0]}/")
    assert page.locator("a[rel=prev]").count() == 0
    seen = [SLUGS[0]]
    while page.locator("a[rel=next]").count():
        page.locator("a[rel=next]").click()
        seen.append(page.url.rstrip("/").rsplit("/", 1)[-1])
        position = page.locator(".sequence .position").inner_text()
        assert str(len(seen)) in position and str(len(SLUGS)) in position
    assert seen == SLUGS
    page.locator("a[rel=prev]").click()
    assert page.url.endswith(f"/{lang}/reports/{SLUGS[-2]}/")
    assert not errors
    context.close()


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_side_by_side_says_what_it_does_on_a_narrow_screen_only(browser, site_url, lang):
    context, page, _ = open_page(browser, site_url, REPORT.format(lang=lang), width=375)
    hint = page.locator(".mode-hint")
    page.check("#mode-both")
    assert hint.is_visible()
    hint_box, ar_col, en_col = hint.bounding_box(), page.locator("#p3 .col-ar").bounding_box(), page.locator("#p3 .col-en").bounding_box()
    assert hint_box["width"] <= 375
    assert ar_col["y"] != en_col["y"]  # what the hint says: one under the other
    page.check("#mode-original")
    assert not hint.is_visible()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.check("#mode-both")
    assert not hint.is_visible()
    context.close()
