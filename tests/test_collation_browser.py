"""The collation pages in headless Chromium, at phone and desktop width."""
import pytest

PAGE = "/{lang}/collations/kuwait-2018/"


def open_page(browser, site_url, lang, width, **options):
    context = browser.new_context(viewport={"width": width, "height": 900}, **options)
    page = context.new_page()
    page.goto(site_url + PAGE.format(lang=lang))
    return context, page


@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("width,columns", [(375, 1), (1280, 2)])
def test_the_synopsis_is_in_columns_on_a_desktop_and_stacked_on_a_phone(browser, site_url, lang, width, columns):
    context, page = open_page(browser, site_url, lang, width)
    row = page.locator(".syn-row.variant").first
    tracks = row.evaluate("r => getComputedStyle(r).gridTemplateColumns.split(' ').length")
    assert tracks == columns
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    assert page.locator(".synopsis").get_attribute("dir") == "rtl"
    context.close()


@pytest.mark.parametrize("javascript", [True, False])
def test_substantive_only_hides_the_orthographic_places_with_the_keyboard(browser, site_url, javascript):
    context, page = open_page(browser, site_url, "en", 1280, java_script_enabled=javascript)
    orthographic = page.locator('.col-apparatus li[data-kind="orthographic"]')
    substantive = page.locator('.col-apparatus li[data-kind="substitution"]')
    assert orthographic.first.is_visible()
    page.focus("#places-all")
    page.keyboard.press("ArrowRight")  # radio buttons move with the arrow keys
    assert page.locator("#places-substantive").is_checked()
    assert not orthographic.first.is_visible() and substantive.first.is_visible()
    context.close()


def test_a_place_links_to_both_reports_paragraphs(browser, site_url):
    context, page = open_page(browser, site_url, "en", 1280)
    links = page.locator("#place-1 .place-links a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert any("/en/reports/kuwait-2018-final-statement/#" in h for h in hrefs)
    assert any("/en/reports/kuwait-2018-ajiban/#" in h for h in hrefs)
    page.goto(site_url + "/en/reports/kuwait-2018-ajiban/")
    page.click("details.meta-details > summary")  # the link stands in the metadata details
    page.click(".meta-details .collation a")
    assert page.url.endswith(PAGE.format(lang="en"))
    context.close()


@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("width", [375, 1280])
def test_a_variant_rows_text_keeps_off_the_edges_of_its_tint(browser, site_url, lang, width):
    """A variant place is tinted; its readings stand inside the tint with room on both sides (the
    Arabic lines that fill a cell used to run to the tint's edge on its inline end)."""
    context, page = open_page(browser, site_url, lang, width)
    room = page.evaluate("""() => [...document.querySelectorAll('.syn-row.variant')].map(row => {
        const box = row.getBoundingClientRect(), lines = [];
        const walker = document.createTreeWalker(row, NodeFilter.SHOW_TEXT);
        for (let text = walker.nextNode(); text; text = walker.nextNode()) {
            if (!text.data.trim()) continue;
            const range = document.createRange();
            range.selectNodeContents(text);
            lines.push(...[...range.getClientRects()].filter(r => r.width > 0));
        }
        return Math.min(...lines.map(r => Math.min(r.left - box.left, box.right - r.right)));
    })""")
    assert room and min(room) >= 4, (lang, width, min(room))
    context.close()
