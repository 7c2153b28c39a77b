"""The chronology: every entry with a typed date (adopted, date; end_date), in order, each linked
to its entry and to the reports that mention it, on an axis drawn at build time (mirrored in
Arabic) that screen readers skip; a new dated entry appears by itself, an undated one never."""
import re
from pathlib import Path

import pytest
import yaml

from edition.pipeline import build

ROOT = Path(__file__).resolve().parent.parent


def dated_entries() -> list[tuple[str, str]]:
    """(date, id) of every annotation with a typed date field, read straight from the YAML."""
    found = []
    for path in sorted((ROOT / "content" / "annotations").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        when = data.get("adopted") or data.get("date")
        if when:
            found.append((str(when), data["id"]))
    return found


def items(page: str) -> list[tuple[str, str]]:
    """(datetime, entry path) of each item of the list, in page order."""
    return re.findall(r'<time datetime="([0-9-]+)">.*?</time></p>\s*<p class="what">.*?<a href="([^"]+)"', page, re.S)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_every_dated_entry_in_date_order(built_site, lang):
    page = (built_site / lang / "chronology" / "index.html").read_text(encoding="utf-8")
    listed = items(page)
    expected = sorted(dated_entries())
    assert len(expected) >= 14  # the Geneva Communiqué, the resolutions, the 2016 attacks, the meetings…
    assert [when for when, _ in listed] == [when for when, _ in expected]
    assert sorted(href.rstrip("/").rsplit("/", 1)[-1] for _, href in listed) == sorted(i for _, i in expected)
    assert "john-kerry" not in page  # a person has no typed date: none is invented


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_links_lead_to_pages_that_exist(built_site, lang):
    page = (built_site / lang / "chronology" / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<li id="when-[^"]+">(.*?)</li>', page, re.S)
    assert links
    for item in links:
        hrefs = re.findall(r'href="/([^"]+)"', item)
        assert any("/entities/" in h or "/meetings/" in h for h in hrefs)
        for href in hrefs:
            assert (built_site / href / "index.html").is_file(), href
    # the Washington meeting: its dates as a range and its reports
    washington = next(i for i in links if "/meetings/washington-2016/" in i)
    assert '<time datetime="2016-07-20">' in washington and "2016" in washington
    assert washington.count("/reports/washington-2016-") == 3


def test_the_axis_runs_right_to_left_in_arabic(built_site):
    dots = {}
    for lang in ("ar", "en"):
        page = (built_site / lang / "chronology" / "index.html").read_text(encoding="utf-8")
        assert re.search(r'<svg class="timeline"[^>]*aria-hidden="true"', page)
        dots[lang] = [float(x) for x in re.findall(r'<circle [^>]*cx="([0-9.]+)"', page)]
    assert dots["en"][0] < dots["en"][-1] and dots["ar"][0] > dots["ar"][-1]
    assert dots["ar"] == [pytest.approx(600 - x) for x in dots["en"]]


def test_a_new_dated_entry_appears_by_itself(mini):
    (mini / "content/annotations/test-bombing.yaml").write_text(
        "id: test-bombing\nkind: event\nname: {ar: تفجير, en: A bombing}\ndate: 2016-07-03\n"
        "gloss: {ar: حدث في 1999., en: An event first told of in 1999.}\n"
        "sources:\n  - citation: A newspaper.\n", encoding="utf-8")
    files = build(mini, base_url="https://example.org/").files
    page = files["en/chronology/index.html"].decode()
    assert '<time datetime="2016-07-03">' in page and "A bombing" in page
    assert "1999-" not in page and ">1999<" not in page  # a year in the prose is not a date
    assert "https://example.org/en/chronology/" in files["sitemap.xml"].decode()


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_in_the_browser_the_list_is_in_order_and_leads_on(browser, site_url, lang):
    context = browser.new_context(viewport={"width": 375, "height": 812})
    page = context.new_page()
    page.goto(f"{site_url}/{lang}/chronology/")
    dates = page.locator(".chronology time").evaluate_all("ts => ts.map(t => t.getAttribute('datetime'))")
    assert dates == sorted(dates) and len(dates) == len(dated_entries())
    # the axis is drawn but silent; the list is what a screen reader reads
    assert page.locator("svg.timeline").is_visible()
    assert page.locator("svg.timeline").get_attribute("aria-hidden") == "true"
    # reachable from the navigation of any page, and on to an entry and to a report
    page.goto(f"{site_url}/{lang}/")
    page.locator("nav a[href$='/chronology/']").click()
    page.wait_for_url(f"**/{lang}/chronology/")
    page.locator("#when-geneva-communique .what a").click()
    page.wait_for_url(f"**/{lang}/entities/geneva-communique/")
    page.goto(f"{site_url}/{lang}/chronology/")  # (not go_back: Chromium may still be swapping the page in)
    page.locator("#when-geneva-communique .where a").first.click()
    page.wait_for_url(f"**/{lang}/reports/**")
    context.close()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_charts_key_names_each_colour_it_shows(browser, site_url, theme):
    """Each kind of dot on the axis is in the key beneath it, and a meeting's colour is not a
    resolution's or an event's."""
    context = browser.new_context(color_scheme=theme)
    page = context.new_page()
    page.goto(f"{site_url}/en/chronology/")
    shown = set(page.locator("svg.timeline circle").evaluate_all("cs => cs.map(c => c.getAttribute('class'))"))
    keyed = {f"dot {c.split()[-1]}" for c in page.locator(".timeline-key .dot-key").evaluate_all(
        "ks => ks.map(k => k.getAttribute('class'))")}
    assert shown and shown == keyed
    colours = {kind: page.locator(f"svg.timeline .dot-{kind}").first.evaluate("n => getComputedStyle(n).fill")
               for kind in ("meeting", "resolution", "event")}
    assert len(set(colours.values())) == 3, colours
    context.close()
