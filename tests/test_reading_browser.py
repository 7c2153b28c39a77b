"""Reading a report in headless Chromium: glosses by keyboard and pointer, reading modes, layout."""
import pytest

REPORT = "/{lang}/reports/washington-2016-agencies/"


def open_report(browser, site_url, lang="en", width=1280):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site_url + REPORT.format(lang=lang))
    return context, page, errors


def tab_to_first_mention(page):
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('mention')"):
            return
    pytest.fail("no gloss link reachable by keyboard")


def test_gloss_opens_on_keyboard_focus_and_closes_with_escape(browser, site_url):
    context, page, errors = open_report(browser, site_url)
    tab_to_first_mention(page)
    popover = page.locator("#gloss-popover")
    assert popover.is_visible()
    assert popover.get_attribute("role") == "tooltip"
    assert page.evaluate("document.activeElement.getAttribute('aria-describedby')") == "gloss-popover"
    expected = page.evaluate(
        "document.getElementById(document.activeElement.dataset.gloss).querySelector('dd').textContent.trim()")
    assert expected and expected[:40] in popover.inner_text()
    focused = page.evaluate("document.activeElement.href")
    page.keyboard.press("Escape")
    assert popover.count() == 0
    assert page.evaluate("document.activeElement.href") == focused  # the reading position is kept
    assert not errors
    context.close()


def test_gloss_opens_on_hover_and_follows_the_pointer_away(browser, site_url):
    context, page, errors = open_report(browser, site_url)
    link = page.locator(".pair a.mention").first
    link.hover()
    assert page.locator("#gloss-popover").is_visible()
    page.mouse.move(5, 5)
    page.wait_for_timeout(500)
    assert page.locator("#gloss-popover").count() == 0
    assert not errors
    context.close()


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_popover_stays_on_screen_on_a_phone(browser, site_url, lang):
    context, page, errors = open_report(browser, site_url, lang, width=375)
    links = page.locator(".pair a.mention")
    for index in range(min(links.count(), 12)):
        links.nth(index).focus()
        box = page.locator("#gloss-popover").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375, (lang, index, box)
    assert not errors
    context.close()


def test_without_javascript_a_gloss_is_a_link_to_its_entry(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + REPORT.format(lang="en"))
    link = page.locator(".pair a.mention").first
    href = link.get_attribute("href")
    link.click()
    page.wait_for_url("**" + href)
    assert page.locator("h1").is_visible()
    context.close()


def test_reading_modes_work_without_javascript(browser, site_url):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(site_url + REPORT.format(lang="en"))
    arabic, english = page.locator("#p1 .col-ar"), page.locator("#p1 .col-en")
    assert arabic.is_visible() and english.is_visible()
    assert arabic.bounding_box()["y"] == pytest.approx(english.bounding_box()["y"], abs=4)  # side by side
    page.check("#mode-original")
    assert arabic.is_visible() and not english.is_visible()
    page.check("#mode-translation")
    assert english.is_visible() and not arabic.is_visible()
    context.close()


@pytest.mark.parametrize("lang, follows", [("ar", "ترجمة"), ("en", "Arabic original")])
def test_side_by_side_stacks_on_a_phone(browser, site_url, lang, follows):
    """The page's own language first, the other below it, as the hint under the modes says."""
    context, page, errors = open_report(browser, site_url, lang, width=375)
    own, other = page.locator(f"#p1 .col-{lang}"), page.locator(f"#p1 .col-{'en' if lang == 'ar' else 'ar'}")
    assert other.bounding_box()["y"] > own.bounding_box()["y"] + 20
    hint = page.locator(".mode-hint")
    assert hint.is_visible() and follows in hint.inner_text()
    context.close()


@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("width", [320, 375, 1280])
def test_no_horizontal_scroll(browser, site_url, lang, width):
    context, page, errors = open_report(browser, site_url, lang, width=width)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()


def test_paragraph_permalink(browser, site_url):
    context, page, errors = open_report(browser, site_url)
    page.goto(site_url + REPORT.format(lang="en") + "#p3")
    assert page.locator("#p3 a.permalink").get_attribute("href") == "#p3"
    assert page.evaluate("document.querySelector(':target').id") == "p3"
    context.close()


def test_each_citation_has_a_copy_button_that_copies_it(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site_url + REPORT.format(lang="en") + "#p2")
    page.locator("details.cite summary").click()
    buttons = page.locator("details.cite button.copy")
    assert buttons.count() == 3  # Chicago, BibTeX, CSL-JSON
    assert buttons.first.inner_text() == "Copy"
    buttons.nth(2).click()
    page.wait_for_function("() => document.querySelectorAll('.copy-status')[2].textContent !== ''")
    assert page.locator(".copy-status").nth(2).inner_text() == "Citation copied"
    copied = page.evaluate("navigator.clipboard.readText()")
    import json
    item = json.loads(copied)[0]
    assert item["URL"] == site_url + REPORT.format(lang="en") + "#p2"
    assert item["note"].endswith(", paragraph 2.") and item["accessed"]["raw"][:2] == "20"
    assert not errors
    context.close()


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_header_search_box_needs_javascript(browser, site_url, lang):
    """Search runs in the page's script: without it the header has no box that leads to a page
    saying so; with it the box is there. The skip link stays off screen until focused."""
    for scripts in (False, True):
        context = browser.new_context(java_script_enabled=scripts)
        page = context.new_page()
        page.goto(site_url + REPORT.format(lang=lang))
        assert page.locator(".site-header .search-box").is_visible() == scripts
        skip = page.locator(".skip-link")
        assert skip.bounding_box()["y"] + skip.bounding_box()["height"] <= 0
        skip.focus()
        assert skip.bounding_box()["y"] >= 0
        context.close()


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_previous_and_next_follow_the_home_pages_order(browser, site_url, lang):
    """Report 1 of N is the first report the home page lists, and "next" walks its list to the last."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{site_url}/{lang}/")
    listed = []
    for href in page.eval_on_selector_all("main a[href*='/reports/']", "links => links.map(a => a.getAttribute('href'))"):
        if href.count("/") == 4 and href not in listed:  # /{lang}/reports/{slug}/
            listed.append(href)
    assert len(listed) == 5
    walked, at = [], listed[0]
    while at:
        walked.append(at)
        page.goto(site_url + at)
        following = page.locator("a[rel='next']")
        at = following.first.get_attribute("href") if following.count() else None
    assert walked == listed
    context.close()


@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("width", [375, 1280])
def test_the_teasers_bullets_keep_clear_of_the_paragraph_numbers(browser, site_url, lang, width):
    """A block's kind names its pair as well as its list (class "teasers", "dateline"): only the list
    is indented and only the line is bold, so the bullets stand after the column of paragraph numbers
    and every number (§ included) has the same weight."""
    context, page, errors = open_report(browser, site_url, lang, width=width)
    lists = page.evaluate("""() => [...document.querySelectorAll('.pair.teasers')].flatMap(pair => {
        const mark = pair.querySelector('.permalink').getBoundingClientRect();
        const rtl = getComputedStyle(pair).direction === 'rtl';
        return [...pair.querySelectorAll('ul')].filter(list => getComputedStyle(list).direction === (rtl ? 'rtl' : 'ltr'))
          .map(list => { const box = list.getBoundingClientRect();
            return rtl ? mark.left - box.right : box.left - mark.right; });  // room between number and list
    })""")
    assert lists and all(room >= 0 for room in lists), (lang, width, lists)
    weights = page.eval_on_selector_all(".permalink", "links => [...new Set(links.map(a => getComputedStyle(a).fontWeight))]")
    assert weights == ["400"], weights
    assert not errors
    context.close()


@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("target", ["/reports/kuwait-2018-ajiban/#p6", "/reports/washington-2016-almodon/#omission-1",
                                    "/witnesses/001_9af70518d36835f3/#line-7"])
def test_the_tint_of_a_linked_paragraph_reaches_past_its_text(browser, site_url, lang, width, target):
    """A paragraph, omission or witness line opened by its address is tinted; the tint (its box and
    the shadow that widens it) leaves room on either side of the text instead of ending on it."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{site_url}/{lang}{target}")
    room = page.evaluate("""() => {
        const target = document.querySelector(':target'), box = target.getBoundingClientRect();
        const shadows = getComputedStyle(target).boxShadow.match(/-?[\\d.]+px 0px/g) || [];
        const reach = Math.min(0, ...shadows.map(s => -Math.abs(parseFloat(s))));  // the shadows' narrowest side
        let room = Infinity;
        const walker = document.createTreeWalker(target, NodeFilter.SHOW_TEXT);
        for (let text = walker.nextNode(); text; text = walker.nextNode()) {
            if (!text.data.trim() || text.parentElement.closest('.visually-hidden')) continue;
            for (let i = 0; i < text.data.length; i++) {  // each letter (a space may hang past the line)
                if (/\\s/.test(text.data[i])) continue;
                const range = document.createRange();
                range.setStart(text, i);
                range.setEnd(text, i + 1);
                const glyph = range.getBoundingClientRect();
                if (glyph.width) room = Math.min(room, glyph.left - box.left, box.right - glyph.right);
            }
        }
        return [room, shadows.length ? -reach : 0];
    }""")
    text_room, shadow = room
    assert text_room + shadow >= 6, (lang, width, target, room)
    context.close()


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_an_in_page_link_moves_the_focus_to_what_it_leads_to(browser, site_url, lang):
    """A paragraph's number, the jump links, a corrected word and the apparatus's links lead within
    the page; the browser leaves the focus on nothing (the body) when the target cannot take it,
    so the keyboard's focus ring and place were lost. The target now takes the focus, visibly."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site_url + f"/{lang}/reports/kuwait-2018-ajiban/")
    for selector in ["#p3 a.permalink", "#p3 a.permalink", ".jump a[href='#apparatus']", ".jump a[href='#cite']",
                     ".pair a.corr", ".apparatus td a[href^='#sic']", ".apparatus td a[href^='#p']", ".jump a[href='#text']"]:
        link = page.locator(selector).first
        target = link.get_attribute("href")[1:]
        link.focus()
        page.keyboard.press("Enter")
        page.wait_for_function("id => location.hash === '#' + id", arg=target)
        focused = page.evaluate("[document.activeElement.id, document.activeElement.matches(':focus-visible')]")
        assert focused == [target, True], (selector, focused)
    page.keyboard.press("Tab")  # and the keyboard goes on from there
    assert page.evaluate("document.getElementById('text').contains(document.activeElement)")
    assert not errors
    context.close()


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_link_to_a_word_the_reading_mode_hides_leads_to_its_paragraph(browser, site_url, lang):
    """With the translation alone, the apparatus's word "as printed" (#sic-n) is in the hidden
    Arabic column: following it moved nothing and left the keyboard's focus on the page's body.
    It now leads to the word's paragraph, which takes the focus (and is the paragraph in the
    address, as a paragraph's number makes it)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site_url + f"/{lang}/reports/washington-2016-almodon/?mode=translation")
    link = page.locator(".apparatus td a[href='#sic-1']")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.hash === '#p2'", timeout=3000)
    assert page.evaluate("[document.activeElement.id, document.activeElement.matches(':focus-visible')]") == ["p2", True]
    assert 0 <= page.locator("#p2").bounding_box()["y"] < 900
    page.check("#mode-both")  # where the word is shown, the link leads to it as before
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.hash === '#sic-1'", timeout=3000)
    assert page.evaluate("document.activeElement.id") == "sic-1"
    assert not errors
    context.close()


PRINTED_TITLE = "/{lang}/reports/washington-2016-iraq-news-network/"  # block t: a title printed in the witness


def seen(page, selector):
    """Whether a reader sees the element: shown, and more than the one clipped pixel of what is
    hidden from sight only."""
    box = page.locator(selector).bounding_box()
    return box is not None and box["width"] > 1 and box["height"] > 1


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("lang,other,own_mode,other_mode", [("en", "ar", "translation", "original"),
                                                            ("ar", "en", "original", "translation")])
def test_a_printed_title_is_shown_in_both_languages_as_a_paragraph_is(browser, site_url, lang, other, own_mode,
                                                                      other_mode, width):
    """The title printed in the witness is under the h1 in the other language too, marked so, and
    the modes show and hide it as they do a paragraph's other column (without JavaScript too, as
    they are CSS). The h1 is the page's one heading and stays in sight in every mode: no link of
    it takes the focus unseen."""
    context = browser.new_context(java_script_enabled=False, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(site_url + PRINTED_TITLE.format(lang=other))
    their_h1 = page.inner_text("h1")
    page.goto(site_url + PRINTED_TITLE.format(lang=lang))
    assert page.locator("h1").count() == 1 and page.get_attribute("h1", "id") == "t"
    title = page.locator(f".report-header .title-other.col-{other}")
    assert title.count() == 1 and title.get_attribute("lang") == other
    assert title.get_attribute("dir") == ("rtl" if other == "ar" else "ltr")
    assert title.inner_text() == their_h1  # the other page's printed title
    assert seen(page, "h1") and seen(page, ".title-other")  # side by side, the default
    assert title.bounding_box()["y"] > page.locator("h1").bounding_box()["y"] + 10  # under the h1
    page.check(f"#mode-{own_mode}")
    assert seen(page, "h1") and not title.is_visible()
    assert page.locator(f"#p1 .col-{other}").is_hidden()  # as a paragraph's column
    page.check(f"#mode-{other_mode}")
    assert seen(page, ".title-other") and seen(page, "h1")
    assert page.locator(f"#p1 .col-{lang}").is_hidden()
    for mode in ("original", "translation", "both"):  # every link in the header a reader can tab to is seen
        page.check(f"#mode-{mode}")
        for link in page.locator(".report-header a").all():
            if link.is_visible():  # (its first line's middle shows the link itself: not clipped, not covered)
                box = link.bounding_box()
                assert box["width"] > 1 and box["height"] > 1, (mode, link.inner_text())
                assert link.evaluate("""a => { const r = a.getClientRects()[0];
                    const at = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
                    return at !== null && at.closest('a') === a; }"""), (mode, link.inner_text())
    context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_title_the_editors_supplied_is_only_the_h1(browser, site_url, lang):
    context, page, _ = open_report(browser, site_url, lang)
    page.goto(site_url + f"/{lang}/reports/washington-2016-almodon/")
    assert page.locator("h1").count() == 1 and page.locator(".title-other").count() == 0
    page.check("#mode-original" if lang == "en" else "#mode-translation")
    assert seen(page, "h1")
    context.close()
