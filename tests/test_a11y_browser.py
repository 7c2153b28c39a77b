"""What a screen reader, a keyboard, Windows high contrast and paper make of the pages, in headless
Chromium: the gloss dialog in the Tab order, the language of every name and label, headings, the
search status said once, forced colours, the tooltip at a small size, and print."""
import re
import time

import pytest
import yaml

from conftest import ROOT
from test_quality import axe
from test_reader_browser import REPORT, open_page, style

STRINGS = yaml.safe_load((ROOT / "templates" / "strings.yaml").read_text(encoding="utf-8"))


def follows(page, first: str, second: str) -> bool:
    """Whether the element ``second`` comes after ``first`` in the document."""
    return page.evaluate(f"""() => !!(document.querySelector({first!r}).compareDocumentPosition(
        document.querySelector({second!r})) & Node.DOCUMENT_POSITION_FOLLOWING)""")


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_tab_leaves_the_gloss_dialog_where_its_mention_is(browser, site_url, lang):
    """The dialog is added at the end of the page: Tab from its last control goes on from its
    mention, not past the end of the page; Shift+Tab from its first goes back to the mention."""
    context, page, errors = open_page(browser, site_url, REPORT.format(lang=lang) + "#p3", width=375,
                                      has_touch=True, is_mobile=True)
    link = page.locator("#p3 a.mention").first
    link.evaluate("a => a.id = 'opened-mention'")
    link.tap()
    controls = page.locator("#gloss-popover button, #gloss-popover a[href]")
    controls.last.focus()
    page.keyboard.press("Tab")
    assert page.locator("#gloss-popover").count() == 0
    on = page.evaluate("document.activeElement.tagName")
    assert on != "BODY" and follows(page, "#opened-mention", ":focus")
    link.tap()
    page.locator("#gloss-popover button, #gloss-popover a[href]").first.focus()
    page.keyboard.press("Shift+Tab")
    assert page.locator("#gloss-popover").count() == 0
    assert page.evaluate("document.activeElement.id") == "opened-mention"
    assert not errors
    context.close()


def test_names_and_labels_are_in_the_language_they_are_written_in(browser, site_url):
    """On the English edition, the Arabic column's correction links are in English (lang), named
    by the reading they show, marked Arabic, and described in English; the editors' paragraph mark
    in the Arabic column is labelled in English, and a correction's popover title, the Arabic
    words, is marked Arabic; the mirror on the Arabic edition."""
    report = "/{lang}/reports/kuwait-2018-final-statement/"
    context, page, _ = open_page(browser, site_url, report.format(lang="en"))
    described = page.eval_on_selector_all(".col-ar a.corr", """links => links.map(a => [a.lang, a.getAttribute('aria-label'),
        document.getElementById(a.getAttribute('aria-describedby')).closest('[lang]').lang,
        document.getElementById(a.getAttribute('aria-describedby')).textContent])""")
    assert described and all(lang == "en" and label is None and said_in == "en" and said.startswith(STRINGS["corr_label"]["en"])
                             for lang, label, said_in, said in described)
    shown = page.eval_on_selector_all(".col-ar a.corr > span", "spans => spans.map(s => s.lang)")
    assert shown and set(shown) == {"ar"}
    breaks = page.eval_on_selector_all(".col-ar .ed-break", "marks => marks.map(m => m.closest('[lang]').lang)")
    assert breaks and set(breaks) == {"en"}
    page.locator(".col-ar a.corr").first.focus()
    assert page.get_attribute("#gloss-popover .pop-title", "lang") == "ar"
    page.goto(site_url + report.format(lang="ar"))
    breaks = page.eval_on_selector_all(".col-en .ed-break", "marks => marks.map(m => m.closest('[lang]').lang)")
    assert breaks and set(breaks) == {"ar"}
    assert page.eval_on_selector_all(".col-ar a.corr[lang]", "links => links.length") == 0  # all Arabic already
    context.close()


@pytest.mark.parametrize("lang,query,other", [("en", "الموصل", "ar"), ("ar", "Mosul", "en")])
def test_a_result_in_the_other_language_keeps_the_interfaces_words_in_the_pages(browser, site_url, lang, query, other):
    context, page, _ = open_page(browser, site_url, f"/{lang}/search/?q={query}")
    page.wait_for_selector(".status:not(:empty)", timeout=10000)
    assert page.get_attribute(".results", "lang") == other
    hits = page.eval_on_selector_all("a.hit", "links => links.map(a => a.closest('[lang]').lang)")
    assert hits and set(hits) == {lang}
    context.close()


ARABIC = re.compile("[\u0600-\u06ff]")


def ax_node_of(page, selector):
    """Chromium's accessibility node of the first element ``selector`` finds: its computed name
    and description (the DevTools protocol's, as a screen reader gets them)."""
    session = page.context.new_cdp_session(page)
    document = session.send("DOM.getDocument")
    node = session.send("DOM.querySelector", {"nodeId": document["root"]["nodeId"], "selector": selector})
    [ax] = [n for n in session.send("Accessibility.getPartialAXTree", {"nodeId": node["nodeId"], "fetchRelatives": False})["nodes"]
            if not n.get("ignored")][:1]
    return {key: ax.get(key, {}).get("value") for key in ("name", "description")}


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_correction_link_says_nothing_in_the_other_language_in_the_pages_voice(browser, site_url, lang):
    """A correction's link on the English page is no "proposed reading: الخاضعة (misprint)" in one
    English aria-label: its name is the reading it shows, in an element marked Arabic, and what it
    is ("proposed reading (misprint)") describes it in English, without an Arabic word; on the
    Arabic page, all of it is Arabic. Its popover, shown and hidden, leaves that description as it was."""
    context, page, _ = open_page(browser, site_url, f"/{lang}/reports/washington-2016-almodon/")
    link = "#text a.corr[href='#corr-1']"
    assert page.get_attribute(link, "aria-label") is None
    ax = ax_node_of(page, link)
    assert ax["name"] == "⟨الخاضعة⟩"
    assert page.eval_on_selector(link, "a => [...a.childNodes].filter(n => n.textContent.trim()).map(n => n.closest ? n.closest('[lang]').lang : n.parentNode.closest('[lang]').lang)") == ["ar"]
    said = f"{STRINGS['corr_label'][lang]} ({STRINGS['corr_type_misprint'][lang]})"
    assert ax["description"] == said
    assert page.eval_on_selector(link, "a => document.getElementById(a.getAttribute('aria-describedby')).closest('[lang]').lang") == lang
    if lang == "en":
        assert not ARABIC.search(said)
    page.focus(link)  # the tooltip describes the link while it is shown
    page.wait_for_selector("#gloss-popover")
    assert page.get_attribute(link, "aria-describedby") == "gloss-popover"
    page.keyboard.press("Escape")
    page.wait_for_selector("#gloss-popover", state="detached")
    assert page.get_attribute(link, "aria-describedby") == "corr-1-said"
    assert ax_node_of(page, link)["description"] == said
    context.close()


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_text_has_a_heading_and_its_own_headings_come_under_it(browser, site_url, lang):
    context, page, _ = open_page(browser, site_url, f"/{lang}/reports/kuwait-2018-ajiban/")  # it has subheadings
    levels = page.eval_on_selector_all("h1, h2, h3, h4", "hs => hs.map(h => [+h.tagName[1], h.id, h.closest('#text') !== null])")
    assert [level for level, _id, _in in levels].count(1) == 1
    assert all(b <= a + 1 for (a, _, _), (b, _, _) in zip(levels, levels[1:])), levels  # no level skipped
    text = [level for level, _id, inside in levels if inside]
    assert text[0] == 2 and text[1:] and set(text[1:]) == {3}  # the report's own subheadings
    assert page.get_attribute("#text", "aria-labelledby") == "text-heading"
    assert page.inner_text("#text-heading") == STRINGS["text_heading"][lang]
    context.close()


def test_the_landing_page_has_one_main_heading(browser, site_url):
    context, page, _ = open_page(browser, site_url, "/")
    assert page.locator("h1").count() == 1
    assert page.locator(".landing-half h2").count() == 2
    assert page.locator("h1 [lang='ar']").count() == 1
    context.close()


@pytest.mark.parametrize("parts", ["at once", "slowly"])
def test_the_search_status_is_said_once_the_typing_stops(browser, site_url, parts):
    """Typing a word draws the results after each short pause; the status, a live region, gets the
    count once, not one count per prefix, even when a prefix's search answers (its index parts
    arriving slowly) after the reader has typed on."""
    context, page, _ = open_page(browser, site_url, "/en/search/")
    typing = [float("inf")]  # when the typing began
    if parts == "slowly":  # what a prefix needs arrives at once, what the later letters need slowly
        page.route("**/assets/search/**", lambda route: (
            time.sleep(0.8) if time.monotonic() - typing[0] > 0.5 else None, route.continue_()))
    page.evaluate("""() => { window.said = []; new MutationObserver(() => {
        const text = document.querySelector('.status').textContent; if (text) window.said.push(text);
      }).observe(document.querySelector('.status'), {childList: true, characterData: true, subtree: true}); }""")
    # Typed by the page's own clock (a key every 150 ms): keystrokes sent from here can arrive
    # bunched or late on a loaded machine, which would be a pause the reader never made.
    typing[0] = time.monotonic()
    page.evaluate("""async () => { const q = document.querySelector('#q'); q.focus();
        for (const ch of 'coalition') { q.value += ch;
          q.dispatchEvent(new InputEvent('input', {bubbles: true, data: ch, inputType: 'insertText'}));
          await new Promise(r => setTimeout(r, 150)); } }""")
    page.wait_for_function("() => window.said.length > 0", timeout=15000)
    page.wait_for_timeout(1000)
    said = page.evaluate("window.said")
    assert said == [page.inner_text(".status")], said
    assert page.query_selector_all(".results li.group") and any(c.isdigit() for c in said[0])
    context.close()


def test_forced_colours_keep_the_pressed_button_and_the_chronology_key(browser, site_url):
    context, page, _ = open_page(browser, site_url, "/en/chronology/", forced_colors="active")
    pressed = page.locator('.reader-controls button[aria-pressed="true"]').first
    other = page.locator('.reader-controls button[aria-pressed="false"]').first
    assert pressed.count() and other.count()
    background = lambda button: button.evaluate("b => getComputedStyle(b).backgroundColor")  # noqa: E731
    assert background(pressed) != background(other)
    swatch = page.locator(".timeline-key .dot-key").first
    assert swatch.evaluate("s => getComputedStyle(s).forcedColorAdjust") == "none"
    assert swatch.evaluate("s => getComputedStyle(s).backgroundColor") not in ("rgba(0, 0, 0, 0)", "transparent")
    context.close()


def test_each_kind_in_the_chronology_key_has_its_own_colour(browser, site_url):
    context, page, _ = open_page(browser, site_url, "/en/chronology/")
    colours = page.eval_on_selector_all(".timeline-key .dot-key", "ss => ss.map(s => getComputedStyle(s).backgroundColor)")
    assert len(colours) >= 4 and len(set(colours)) == len(colours), colours
    context.close()


def test_the_apparatus_headings_are_never_broken_inside_a_word(browser, site_url):
    context, page, _ = open_page(browser, site_url, "/en/reports/kuwait-2018-final-statement/")
    for width in (700, 1024, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        lines = page.eval_on_selector_all(".apparatus thead th", "ths => ths.map(th => { const r = document.createRange();"
                                          " r.selectNodeContents(th); const box = th.getBoundingClientRect();"
                                          " const text = r.getBoundingClientRect();"
                                          " return [th.textContent, r.getClientRects().length,"
                                          " text.left >= box.left - 1 && text.right <= box.right + 1]; })")
        broken = [text for text, boxes, _inside in lines if " " not in text and boxes > 1]
        assert not broken, (width, broken)
        spilling = [text for text, _boxes, inside in lines if not inside]  # nor running into the next column
        assert not spilling, (width, spilling)
    context.close()


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_tooltip_too_long_for_the_screen_is_cut_to_it(browser, site_url, lang):
    """A tooltip cannot be scrolled (the focus stays on its mention): at a small size it is cut to
    the room on screen, and marked as cut, instead of running off it."""
    context, page, _ = open_page(browser, site_url, REPORT.format(lang=lang), width=640)
    page.set_viewport_size({"width": 640, "height": 400})
    clipped = page.evaluate("""async () => {
        const found = [];
        for (const link of [...document.querySelectorAll('#text a.mention')].slice(0, 40)) {
          link.focus();
          const box = document.getElementById('gloss-popover');
          if (!box) continue;
          const r = box.getBoundingClientRect();
          found.push([r.top >= -1, r.bottom <= innerHeight + 1, box.classList.contains('clipped'),
                      box.scrollHeight > box.clientHeight + 1]);
        }
        return found; }""")
    assert clipped and all(top and bottom for top, bottom, _c, _o in clipped), clipped
    assert all(cut for _t, _b, cut, overflowing in clipped if overflowing)  # whatever is cut says so
    assert any(cut for _t, _b, cut, _o in clipped)  # some gloss is long enough at this size
    context.close()


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_print_gives_the_details_and_the_citation_without_screen_links(browser, site_url, lang):
    context, page, _ = open_page(browser, site_url, REPORT.format(lang=lang))
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")  # what printing does first
    page.emulate_media(media="print")
    assert page.locator(".meta-details .meta").is_visible()
    chicago = page.locator(".cite .chicago")
    assert chicago.is_visible() and page.url.split("#")[0] in chicago.inner_text()
    assert not page.locator(".cite pre").first.is_visible()
    assert not page.locator(".jump").is_visible() and not page.locator(".sequence").is_visible()
    assert style(page, "#text a.mention", "textDecorationStyle") == "dotted"
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    page.emulate_media(media="screen")
    assert not page.locator(".meta-details .meta").is_visible() and not chicago.is_visible()  # closed again
    context.close()


def test_an_english_citation_marks_its_arabic_title(browser, site_url, built_site):
    """With JavaScript (the citation filled in with the address and date) and without it."""
    page_file = built_site / "en/reports/washington-2016-almodon/index.html"
    html = page_file.read_text(encoding="utf-8")
    assert '<p class="citation chicago" data-original="«[' in html
    assert '<span lang="ar" dir="rtl">«[' in html.split('class="citation chicago"')[1].split("</p>")[0]
    context, page, _ = open_page(browser, site_url, "/en/reports/washington-2016-almodon/")
    title = page.locator(".cite .chicago > span[lang='ar']")
    assert title.count() == 1 and title.text_content().startswith("«[")
    assert page.url.split("#")[0] in page.locator(".cite .chicago").text_content()  # filled in
    page.goto(site_url + "/ar/reports/washington-2016-almodon/")
    assert page.locator(".cite .chicago span").count() == 0  # Arabic on an Arabic page
    context.close()


@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("shown", ["tooltip", "dialog"])
def test_a_gloss_popover_holds_no_definition_without_its_list(browser, site_url, lang, shown):
    """The popover took its gloss from the page's list of glosses as it stands there, a <dd>: a
    definition outside any list (axe: dlitem; not valid HTML), in the tooltip and in the dialog."""
    touch = {"has_touch": True, "is_mobile": True} if shown == "dialog" else {}
    context, page, errors = open_page(browser, site_url, REPORT.format(lang=lang), width=375, bypass_csp=True, **touch)
    link = page.locator("#p3 a.mention").first
    link.tap() if shown == "dialog" else link.focus()
    assert page.get_attribute("#gloss-popover", "role") == shown
    assert page.locator("#gloss-popover :is(dd, dt)").count() == 0
    assert page.locator("#gloss-popover p").count() >= 2  # its title and its text
    assert "dlitem" not in [violation["id"] for violation in axe(page)]
    assert not errors
    context.close()



ARABIC_LETTER = re.compile("[\u0600-\u06ff]")
# every text node of a citation with an Arabic letter in it, and the element it is marked in
ARABIC_TEXT_NODES = """box => {
  const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT), found = [];
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (/[\\u0600-\\u06ff]/.test(node.data)) {
      const marked = node.parentElement.closest('[lang]');
      found.push([node.data, marked.lang, marked.dir, marked === box]);
    }
  }
  return found;
}"""


@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("kind, template", [("bibtex", "data-bibtex"), ("csl-json", "data-csl")])
def test_the_arabic_in_a_bibtex_or_csl_citation_is_marked_arabic(browser, site_url, built_site, lang, kind, template):
    """The BibTeX and CSL-JSON citations are English, left to right; the Arabic in them (the
    report's title, on an Arabic page the access date's placeholder) is marked Arabic, right to left,
    each field's Arabic one run (a title cut at its «…» would show its pieces in the wrong order),
    without JavaScript and with it; what is copied is the citation's text, as it was before."""
    path = f"/{lang}/reports/kuwait-2018-ajiban/"
    html = (built_site / path.strip("/") / "index.html").read_text(encoding="utf-8")
    block = html.split(f'<pre class="citation {kind}" dir="ltr" lang="en">')[1].split("</pre>")[0]
    title = '<span lang="ar" dir="rtl">[الاجتماع الوزاري للتحالف الدولي ضد «داعش» في الكويت: تصريحات تيلرسون والبيان الختامي]</span>'
    assert title in block and not ARABIC_LETTER.search(re.sub(r'<span lang="ar" dir="rtl">[^<]*</span>', "", block))
    context, page, errors = open_page(browser, site_url, path + "#p2", permissions=["clipboard-read", "clipboard-write"])
    box = page.locator(f".cite .{kind}")
    runs = box.evaluate(ARABIC_TEXT_NODES)
    assert runs and all(marked == ["ar", "rtl", False] for _, *marked in runs), runs
    assert any(text.startswith("[الاجتماع") and text.endswith("الختامي]") for text, *_ in runs), runs
    # the text is the citation filled in, as the page always gave it: no character added or lost
    filled = page.evaluate(f"""() => {{
        const box = document.querySelector('details.cite'), d = new Date();
        const today = d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0');
        return box.getAttribute('{template}').split('{{url}}').join(location.origin + location.pathname + '#p2')
          .split('{{para}}').join(box.getAttribute('data-para-en').replace('{{n}}', '2')).split('{{accessed}}').join(today);
    }}""")
    assert box.text_content() == filled
    page.locator("details.cite summary").click()
    assert box.evaluate("b => { const s = getSelection(); s.selectAllChildren(b); return s.toString(); }") == filled
    page.locator(f".cite .{kind} + button.copy").click()
    page.wait_for_function(f"() => document.querySelector('.cite .{kind} ~ .copy-status').textContent !== ''")
    assert page.evaluate("navigator.clipboard.readText()") == filled
    assert not errors
    context.close()
