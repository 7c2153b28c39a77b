"""The reader's comfort in headless Chromium: a face and leading per script on both editions,
glosses by tap on a phone, the dark theme (axe-checked), text size, mention underlines, and print."""
import pytest

from test_quality import ARTIFACTS, PAGE_TYPES, QUERIES, axe

REPORT = "/{lang}/reports/washington-2016-agencies/"


def open_page(browser, site_url, path, width=1280, **options):
    context = browser.new_context(viewport={"width": width, "height": 900}, **options)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site_url + path)
    return context, page, errors


def style(page, selector, prop):
    return page.evaluate(f"getComputedStyle(document.querySelector({selector!r}))[{prop!r}]")


def px(value: str) -> float:
    return float(value.removesuffix("px"))


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_each_script_has_its_own_face_and_leading_on_either_edition(browser, site_url, lang):
    context, page, errors = open_page(browser, site_url, REPORT.format(lang=lang))
    arabic, english = "#p3 .col-ar p", "#p3 .col-en p"
    assert style(page, arabic, "fontFamily").startswith('"Noto Naskh Arabic"')
    assert style(page, english, "fontFamily").startswith("Georgia")
    ar_size, en_size = px(style(page, arabic, "fontSize")), px(style(page, english, "fontSize"))
    assert en_size == 16 and ar_size == pytest.approx(16 * 1.12, abs=0.05)
    assert px(style(page, arabic, "lineHeight")) / ar_size == pytest.approx(1.9, abs=0.01)
    assert px(style(page, english, "lineHeight")) / en_size == pytest.approx(1.6, abs=0.01)
    # rem is the same on both editions: the Arabic scale is not applied to the root
    assert style(page, "html", "fontSize") == "16px"
    assert not errors
    context.close()


def test_arabic_headings_keep_a_heading_leading(browser, site_url):
    context, page, _ = open_page(browser, site_url, REPORT.format(lang="ar"), width=375)
    size, height = px(style(page, "h1", "fontSize")), px(style(page, "h1", "lineHeight"))
    assert height / size < 1.7
    context.close()


@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("width", [375, 1280])
def test_a_heading_is_never_set_larger_than_the_one_above_it(browser, site_url, lang, width):
    """On a phone the h1 is made smaller; the h2s and the text's own headings (h3) came out larger
    than the page's h1 (the notes page's 24 px under a 21.6 px title), the outline upside down.
    Headings in the page's language are compared (the Arabic face is set larger by design)."""
    for path in ("/{lang}/notes/", REPORT, "/{lang}/entities/unscr-2254/", "/{lang}/principles/"):
        context, page, _ = open_page(browser, site_url, path.format(lang=lang), width=width)
        sizes = page.evaluate("""() => ['h1', 'h2', 'h3'].map(level => Math.max(0, ...Array.from(
            document.querySelectorAll('main ' + level)).filter(h => h.getClientRects().length
            && !h.closest('.visually-hidden, .cite') && h.closest('[lang]') === document.documentElement).map(h => parseFloat(getComputedStyle(h).fontSize))))""")
        h1, h2, h3 = sizes
        assert h1 > h2 >= h3, (path, sizes)
        context.close()


def test_arabic_inside_english_keeps_the_line_leading(browser, site_url):
    """A line of English with an Arabic run in it (the dateline as printed) is no taller than a line."""
    context, page, _ = open_page(browser, site_url, REPORT.format(lang="en"))
    page.locator(".meta-details > summary").click()
    dd = page.locator(".meta dd:not(:has(br)):has(> span[lang='ar'])").first
    height = dd.evaluate("d => d.getBoundingClientRect().height")
    line = px(dd.evaluate("d => getComputedStyle(d).lineHeight"))
    assert height == pytest.approx(line, abs=1)
    context.close()


@pytest.mark.parametrize("path, selector", [
    ("/ar/reports/washington-2016-agencies/", ".pair .col-en p:has(.ed-break)"),  # ⁋, marked Arabic, in English
    ("/ar/", "main h3:has(a)"),  # a heading that is a link, on a phone two lines
    ("/en/", "main h3:has(a)"),
    ("/ar/reports/washington-2016-agencies/", ".pair.heading h3:has(a.mention)"),
    ("/en/reports/washington-2016-iraq-news-network/", "h1:has(a.mention)"),
    ("/ar/entities/ashton-carter/", "main :is(h2, h3):has(.count)"),
    ("/en/collations/kuwait-2018/", ".col-apparatus li:has(.corr-reading)"),  # ⟨reading⟩ in a run of Arabic
])
def test_a_link_or_span_inside_a_line_keeps_the_lines_leading(browser, site_url, path, selector):
    """Every line of a heading, a paragraph or an apparatus entry is as tall as the block's own
    leading, whatever it holds: the leading is set where a language is declared and inherited
    below it, never given again to each link or span (which made such lines taller than the rest)."""
    context, page, _ = open_page(browser, site_url, path, width=375)
    lines = page.eval_on_selector_all(
        selector, "els => els.map(e => e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight))")
    assert lines and all(n == pytest.approx(round(n), abs=0.05) for n in lines), (selector, lines)
    context.close()


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_gloss_popover_has_its_own_leading(browser, site_url, lang):
    context, page, errors = open_page(browser, site_url, REPORT.format(lang=lang), width=375)
    page.locator(".pair a.mention").first.focus()
    leading = page.evaluate("""() => [...document.querySelectorAll('#gloss-popover, #gloss-popover *')]
        .filter(e => getComputedStyle(e).display === 'block')  // its title and paragraphs, not a run in them
        .map(e => parseFloat(getComputedStyle(e).lineHeight) / parseFloat(getComputedStyle(e).fontSize))""")
    assert len(leading) >= 3  # the popover, its title, its text
    assert leading == pytest.approx([1.8 if lang == "ar" else 1.5] * len(leading), abs=0.01)
    assert not errors
    context.close()


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_tap_opens_the_gloss_in_place(browser, site_url, lang):
    context, page, errors = open_page(browser, site_url, REPORT.format(lang=lang) + "#p3", width=375,
                                      has_touch=True, is_mobile=True)
    before = page.url
    link = page.locator("#p3 a.mention").first
    href = link.evaluate("a => a.href")
    link.tap()
    popover = page.locator("#gloss-popover")
    assert popover.is_visible() and page.url == before  # no navigation
    assert popover.get_attribute("role") == "dialog"
    assert page.evaluate("document.activeElement.id") == "gloss-popover"
    assert popover.locator("a", has_text={"ar": "المدخل كاملًا", "en": "Full entry"}[lang]).evaluate("a => a.href") == href
    assert px(popover.locator(":scope > div").first.evaluate("d => getComputedStyle(d).marginInlineStart")) == 0  # the gloss, not indented
    box = popover.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    # the short form first, the rest on demand
    short = popover.inner_text()
    more = popover.locator(".pop-more")
    if more.count():
        more.click()
        assert len(popover.inner_text()) > len(short)
    # Escape closes and gives focus back to the mention
    page.keyboard.press("Escape")
    assert popover.count() == 0
    assert page.evaluate("document.activeElement.href") == href
    # a tap outside closes it too
    link.tap()
    assert page.locator("#gloss-popover").count() == 1
    page.locator("h1").tap()
    assert page.locator("#gloss-popover").count() == 0
    assert not errors
    context.close()


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_in_the_apparatus_from_a_correction_tapped_closes_it_and_gives_the_row_the_focus(browser, site_url, lang):
    """A tapped correction opens its dialog; its "In the apparatus" link leads within the page. It
    left the dialog open (scrolled out of sight, its word still marked expanded) and the focus on
    the page's body. Now the dialog closes and the apparatus row has the focus, as when the word
    itself is followed."""
    context, page, errors = open_page(browser, site_url, "/{lang}/reports/washington-2016-almodon/".format(lang=lang),
                                      width=375, has_touch=True, is_mobile=True)
    word = page.locator(".pair a.corr").first
    row = word.get_attribute("href")
    word.tap()
    page.locator("#gloss-popover .pop-actions a").tap()
    page.wait_for_function("row => location.hash === row", arg=row)
    assert page.locator("#gloss-popover").count() == 0
    assert word.get_attribute("aria-expanded") is None
    assert page.evaluate("'#' + document.activeElement.id") == row
    assert -2 <= page.locator(row).bounding_box()["y"] < 812
    assert not errors
    context.close()


def test_a_mouse_click_still_follows_the_mention(browser, site_url):
    context, page, _ = open_page(browser, site_url, REPORT.format(lang="en"))
    link = page.locator("#p3 a.mention").first
    href = link.evaluate("a => a.href")
    link.click()
    page.wait_for_url(href)
    context.close()


def test_a_long_gloss_scrolls_by_keyboard(browser, site_url):
    context, page, _ = open_page(browser, site_url, REPORT.format(lang="en") + "#p3", width=375, has_touch=True)
    page.set_viewport_size({"width": 375, "height": 300})
    page.locator("#p3 a.mention").first.tap()
    popover = page.locator("#gloss-popover")
    if popover.locator(".pop-more").count():
        popover.locator(".pop-more").click()
    assert popover.evaluate("p => p.scrollHeight > p.clientHeight"), "the gloss should overflow a 300 px screen"
    page.evaluate("document.getElementById('gloss-popover').focus()")
    page.keyboard.press("PageDown")
    page.wait_for_timeout(300)
    assert popover.evaluate("p => p.scrollTop") > 0
    context.close()


def test_mention_underlines_can_be_switched_off_and_stay_off(browser, site_url):
    context, page, _ = open_page(browser, site_url, REPORT.format(lang="en"))
    mention = "#p3 a.mention"
    assert style(page, mention, "textDecorationLine") == "underline"
    toggle = page.locator('[data-control="underlines"]')
    assert toggle.get_attribute("aria-pressed") == "true"
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "false"
    assert style(page, mention, "textDecorationLine") == "none"
    page.reload()
    assert style(page, mention, "textDecorationLine") == "none"
    context.close()


def test_text_size_grows_and_is_remembered(browser, site_url):
    context, page, _ = open_page(browser, site_url, REPORT.format(lang="ar"))
    larger = page.locator('[data-control="larger"]')
    larger.click()
    assert style(page, "html", "fontSize") == "18px"
    larger.click()
    assert style(page, "html", "fontSize") == "20px" and larger.is_disabled()
    page.reload()
    assert style(page, "html", "fontSize") == "20px"
    page.locator('[data-control="smaller"]').click()
    assert style(page, "html", "fontSize") == "18px"
    context.close()


def test_a_text_size_button_at_its_limit_keeps_the_keyboard_focus(browser, site_url):
    """A+ at the largest size (A− at the smallest) says it can go no further and does nothing, but
    keeps the focus: a disabled button would drop it to the page's body, and the reader's place
    and focus ring with it."""
    context, page, errors = open_page(browser, site_url, REPORT.format(lang="en"))
    focused = "document.activeElement.dataset.control || document.activeElement.tagName"
    page.locator('[data-control="larger"]').focus()
    for size in ("18px", "20px", "20px"):
        page.keyboard.press("Enter")
        assert style(page, "html", "fontSize") == size
        assert page.evaluate(focused) == "larger"
    assert page.get_attribute('[data-control="larger"]', "aria-disabled") == "true"
    assert style(page, '[data-control="larger"]', "opacity") == "1"  # its face is faded, its focus ring not
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(focused) == "smaller"
    for size in ("18px", "16px", "16px"):
        page.keyboard.press("Enter")
        assert style(page, "html", "fontSize") == size
        assert page.evaluate(focused) == "smaller"
    assert page.get_attribute('[data-control="smaller"]', "aria-disabled") == "true"
    assert page.get_attribute('[data-control="larger"]', "aria-disabled") == "false"
    assert not errors
    context.close()


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_largest_text_still_reflows_at_320_pixels(browser, site_url, lang):
    """WCAG 1.4.10 with the reader's own "A+ A+": no page scrolls sideways at 320 CSS pixels (long
    file names in the data tables break rather than push the table out of the screen)."""
    context = browser.new_context(viewport={"width": 320, "height": 700})
    context.add_init_script("localStorage.setItem('edition-text-size', 'larger')")
    page = context.new_page()
    wide = {}
    for path in ["", "data/", "reports/kuwait-2018-ajiban/", "witnesses/001_9af70518d36835f3/", "collations/kuwait-2018/",
                 "entities/ashton-carter/", "notes/", "chronology/", "search/?q=Kerry"]:
        page.goto(f"{site_url}/{lang}/{path}")
        page.wait_for_load_state("networkidle")
        assert style(page, "html", "fontSize") == "20px"
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            wide[path] = width
    assert wide == {}
    context.close()


def luminance(rgb: str) -> float:
    values = [int(v) / 255 for v in rgb[rgb.index("(") + 1:rgb.index(")")].split(",")[:3]]
    linear = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in values]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_dark_theme_follows_the_system_and_the_reader_choice_is_remembered(browser, site_url):
    context, page, _ = open_page(browser, site_url, REPORT.format(lang="en"), color_scheme="dark")
    assert luminance(style(page, "html", "backgroundColor")) < 0.05
    toggle = page.locator('[data-control="theme"]')
    assert toggle.get_attribute("aria-pressed") == "true"
    toggle.click()  # the reader prefers light, whatever the system says
    assert luminance(style(page, "html", "backgroundColor")) > 0.9
    page.reload()
    assert luminance(style(page, "html", "backgroundColor")) > 0.9
    assert page.locator('[data-control="theme"]').get_attribute("aria-pressed") == "false"
    context.close()


@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("name", ["home", "report", "entity", "search", "chronology"])
def test_dark_theme_meets_aa(browser, site_url, lang, name):
    path = PAGE_TYPES[name].format(lang=lang, query=QUERIES[lang])
    context, page, _ = open_page(browser, site_url, path, color_scheme="dark", bypass_csp=True)
    if name == "search":
        page.wait_for_selector(".status:not(:empty)", timeout=10000)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(ARTIFACTS / f"dark-{name}-{lang}-{width}.png"), full_page=True)
    assert axe(page) == []
    context.close()


def test_print_keeps_the_reading_mode_and_paragraph_numbers(browser, site_url):
    context, page, _ = open_page(browser, site_url, REPORT.format(lang="en"))
    page.check("#mode-translation")
    page.emulate_media(media="print")
    assert page.locator("#p3 .col-en").is_visible()
    assert not page.locator("#p3 .col-ar").is_visible()
    assert page.locator("#p3 .permalink").is_visible()
    assert not page.locator("details.cite").is_visible()  # closed: not printed
    page.emulate_media(media="screen")
    page.locator("details.cite summary").click()
    page.emulate_media(media="print")
    assert page.locator("details.cite").is_visible()  # opened by the reader: printed
    context.close()


def test_translation_mode_on_the_arabic_edition_has_no_rule_above_paragraphs(browser, site_url):
    context, page, _ = open_page(browser, site_url, REPORT.format(lang="ar"), width=375)
    page.check("#mode-translation")
    assert style(page, "#p3 .col-en", "borderTopStyle") == "none"
    page.check("#mode-both")  # stacked on a phone: the rule separates the two languages
    assert "dotted" in {style(page, "#p3 .col-en", "borderTopStyle"), style(page, "#p3 .col-ar", "borderTopStyle")}
    context.close()


@pytest.mark.parametrize("mode", ["original", "translation", "both"])
def test_the_reading_mode_is_in_the_address(browser, site_url, mode):
    context, page, _ = open_page(browser, site_url, REPORT.format(lang="en") + f"?mode={mode}#p5")
    assert page.is_checked(f"#mode-{mode}")
    other = "both" if mode != "both" else "original"
    page.check(f"#mode-{other}")
    assert f"mode={other}" in page.url and page.url.endswith("#p5")
    shared = page.url
    page2 = context.new_page()
    page2.goto(shared)
    assert page2.is_checked(f"#mode-{other}")
    context.close()


@pytest.mark.parametrize("lang,other", [("ar", "en"), ("en", "ar")])
def test_the_language_switch_keeps_the_paragraph_and_mode(browser, site_url, lang, other):
    context, page, _ = open_page(browser, site_url, REPORT.format(lang=lang) + "?mode=translation#p12", width=375)
    page.locator("a.lang-switch").click()
    page.wait_for_url("**" + REPORT.format(lang=other) + "*")
    assert page.url.endswith("#p12") and "mode=translation" in page.url
    assert page.is_checked("#mode-translation")
    box = page.locator("#p12").bounding_box()
    assert 0 <= box["y"] < 200  # the paragraph is where the reader is
    context.close()


@pytest.mark.parametrize("lang,other", [("ar", "en"), ("en", "ar")])
def test_the_language_switch_keeps_a_search_and_a_place_in_any_page(browser, site_url, lang, other):
    """A search switched to the other language is the same search, filters and all; a variant
    place of a collation and a line of a witness (their ids are the same in both editions) stay
    where the reader is."""
    context, page, errors = open_page(browser, site_url, f"/{lang}/search/?q=Kerry&kind=gloss")
    page.wait_for_selector(".status:not(:empty)", timeout=10000)
    page.locator("a.lang-switch").click()
    page.wait_for_url(f"**/{other}/search/*")
    assert page.input_value("#q") == "Kerry" and page.input_value("#filter-kind") == "gloss"
    page.wait_for_selector(".status:not(:empty)", timeout=10000)
    assert page.locator(".results a.page-link").count() >= 1
    for path, place in ((f"/{lang}/collations/kuwait-2018/", "place-4"), (f"/{lang}/witnesses/001_9af70518d36835f3/", "paragraph-3")):
        page.goto(site_url + path + "#" + place)
        page.locator("a.lang-switch").click()
        page.wait_for_url(f"**/{other}/**#{place}")
        assert 0 <= page.locator("#" + place).bounding_box()["y"] < 200
    assert not errors
    context.close()

