"""What a reader sees of mixed scripts, citations and dense tables, in headless Chromium: Latin runs keep their
order on Arabic pages, Arabic pages use Arabic punctuation and names, the witness's lines and the
corrections table stay readable on a phone."""
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent

STRINGS = yaml.safe_load((ROOT / "templates" / "strings.yaml").read_text(encoding="utf-8"))
REPORT = "/{lang}/reports/kuwait-2018-ajiban/"


def open_page(browser, url, width=1280):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(url)
    return context, page


def x_of(page, selector, text):
    """The left edge on screen of ``text`` inside the first element matching ``selector``."""
    return page.evaluate("""([selector, text]) => {
        const root = document.querySelector(selector);
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const at = node.data.indexOf(text);
            if (at < 0) continue;
            const range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, at + text.length);
            return range.getBoundingClientRect().left;
        }
        return null;
    }""", [selector, text])


def test_latin_runs_keep_their_order_on_arabic_pages(browser, site_url):
    """A document symbol and the text-size buttons read left to right; a witness's siglum stands in
    its place in the Arabic words that cite its paragraph («الشاهد 004، الفقرة 1», right to left)."""
    context, page = open_page(browser, site_url + "/ar/entities/unscr-2254/")
    assert x_of(page, ".facts", "S/RES/2254") < x_of(page, ".facts", "(2015)")
    page.goto(site_url + REPORT.format(lang="ar"))
    assert x_of(page, ".corr-grounds", "الفقرة") < x_of(page, ".corr-grounds", "004") < x_of(page, ".corr-grounds", "الشاهد")
    smaller = '[data-control="smaller"] [aria-hidden]'
    assert x_of(page, smaller, "A") < x_of(page, smaller, "−")
    context.close()


def test_arabic_pages_use_arabic_separators(browser, site_url):
    context, page = open_page(browser, site_url + "/ar/notes/")
    anchors = page.locator(".anchors a").all_inner_texts()
    assert anchors and all("، " in a and ", " not in a for a in anchors), anchors
    page.goto(site_url + REPORT.format(lang="ar"))
    labels = page.eval_on_selector_all("a.corr", "links => links.map(a => document.getElementById(a.getAttribute('aria-describedby')).textContent)")
    described = [label for label in labels if "(" in label and "؛" in label]
    assert described and not any(";" in label for label in labels)
    page.goto(site_url + "/ar/reports/washington-2016-iraq-news-network/")  # a publisher and no date
    chicago = page.locator(".chicago").text_content()
    assert "، " + STRINGS["cite_no_date"]["ar"] in chicago and not re.search(r"[^\x00-\x7f], ", chicago), chicago
    context.close()


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_collation_readings_are_typed_in_the_pages_language(browser, site_url, lang):
    """Each proposed reading ⟨…⟩ says its type in words shown to every reader (not a title, seen on
    hover only), in the page's language and marked so, as the report's apparatus does."""
    names = {v[lang] for k, v in STRINGS.items() if k.startswith("corr_type_")}
    context, page = open_page(browser, site_url + f"/{lang}/collations/kuwait-2018/")
    assert page.locator(".corr-reading[title]").count() == 0
    readings = page.locator(".corr-reading")
    typed = readings.evaluate_all("""nodes => nodes.map(n => {
        const type = n.querySelector('.corr-type');
        return type && [type.textContent, type.closest('[lang]').lang, getComputedStyle(type).direction,
                        type.getBoundingClientRect().width > 10];
    })""")
    assert typed and None not in typed, typed
    direction = "rtl" if lang == "ar" else "ltr"
    assert all(text[0] == "(" and text[-1] == ")" and text[1:-1] in names and (marked, shown_as, shown) == (lang, direction, True)
               for text, marked, shown_as, shown in typed), typed
    context.close()


def test_the_witness_lines_have_room_between_them(browser, site_url, built_site):
    witness = sorted((built_site / "ar" / "witnesses").iterdir())[0].name
    context, page = open_page(browser, site_url + f"/ar/witnesses/{witness}/")
    size, leading = page.eval_on_selector(".witness-text", "n => [getComputedStyle(n).fontSize, getComputedStyle(n).lineHeight]")
    assert float(leading.removesuffix("px")) >= 1.5 * float(size.removesuffix("px"))
    context.close()


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_corrections_table_is_readable_on_a_phone(browser, site_url, lang):
    """On a phone each correction is a card, every cell the card's width under its column's name;
    on a desktop it is a table whose notes column is wide enough for a line of words."""
    context, page = open_page(browser, site_url + REPORT.format(lang=lang), width=390)
    row = page.locator(".apparatus tbody tr").first
    width = row.bounding_box()["width"]
    cells = row.locator("td")
    assert all(cells.nth(i).bounding_box()["width"] > 0.9 * width for i in range(cells.count()))
    label = page.eval_on_selector(".apparatus tbody td", "n => getComputedStyle(n, '::before').content")
    assert label.strip('"') == STRINGS["col_paragraph"][lang]
    context.close()
    context, page = open_page(browser, site_url + REPORT.format(lang=lang), width=1280)
    cells = page.locator(".apparatus tbody tr").first.locator("td")
    boxes = [cells.nth(i).bounding_box() for i in range(cells.count())]
    assert len({round(box["y"]) for box in boxes}) == 1  # one row
    assert boxes[-1]["width"] >= 200
    context.close()


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_editions_citation_has_a_whole_address(browser, site_url, lang):
    """Built with a base_url that is a path, the about page's citation ends with the page's origin
    and the edition's path once the page's script has run (without it, with the path)."""
    context, page = open_page(browser, site_url + f"/{lang}/about/")
    assert page.locator(".colophon .citation").inner_text().endswith(f" {site_url}/{lang}/")
    context.close()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + f"/{lang}/about/")
    assert page.locator(".colophon .citation").inner_text().endswith(f" /{lang}/")
    context.close()


@pytest.mark.parametrize("text, run", [
    ("محفوظة في الملف 003_0f3cc7a29b6fd61a.txt، ليس", "003_0f3cc7a29b6fd61a.txt"),  # a file name whole
    ("ومجموعة وCommunications Working Group).", "Communications Working Group"),  # after the prefix و
    ("الترجمة the financing of “Daesh” (واسمها", "the financing of “Daesh”"),  # its quotation marks in
    ("قال “Daesh” فقط", "“Daesh”"),
    ("إلا مسافة غير فاصلة (U+00A0).", "U+00A0"),  # a code point whole, not "U" and "00A0" reversed round its "+"
    # a sentence's full stop stays with the Arabic sentence (inside the run it stood between the
    # name and the word before it); an abbreviation keeps its own
    ("محفوظة في الملف 000_907d811416d42409.txt. سطر الإرسال", "000_907d811416d42409.txt"),
    ("مرخّصة بموجب CC BY 4.0. ولصاحب الحق", "CC BY 4.0"),
    ("وزارة الدفاع U.S. ثم", "U.S."),
])
def test_latin_runs_in_arabic_text_are_isolated_whole(text, run):
    from edition.html import isolate
    assert f'<span lang="en" dir="ltr">{run}</span>' in isolate(text, "ar")



@pytest.mark.parametrize("text, run", [
    ("leaves the name: «مجموعة العمل الخاصة بمكافحة تمويل «داعش»» is", "«مجموعة العمل الخاصة بمكافحة تمويل «داعش»»"),
    ("the form («اترك تعليقاً», “Leave a comment”)", "«اترك تعليقاً»"),
])
def test_arabic_runs_in_english_text_are_isolated_whole(text, run):
    """A quotation with a quotation inside it is one run: split at the inner «, its two parts were
    laid out left to right, the last words of the Arabic first."""
    from edition.html import isolate
    assert f'<span lang="ar" dir="rtl">{run}</span>' in isolate(text, "en")


def test_quoted_names_and_code_points_read_in_order_on_the_pages(built_site):
    principles = (built_site / "en" / "principles" / "index.html").read_text(encoding="utf-8")
    assert '<span lang="ar" dir="rtl">«مجموعة العمل الخاصة بمكافحة تمويل «داعش»»</span>' in principles
    report = (built_site / "ar" / "reports" / "washington-2016-almodon" / "index.html").read_text(encoding="utf-8")
    assert '<span lang="en" dir="ltr">U+00A0</span>' in report


def test_numbers_alone_stay_in_the_arabic_text():
    from edition.html import isolate
    assert isolate("عام 2016 ثم Obama", "ar") == 'عام 2016 ثم <span lang="en" dir="ltr">Obama</span>'


def test_an_arabic_citations_dates_and_address_read_left_to_right(browser, site_url):
    """In the Arabic Chicago citation a date reads 2016-07-23 (not 23-07-2016) and the address
    keeps its final slash at its end, as built and as edition.js fills it in again for a
    paragraph; BibTeX and CSL-JSON, English notes, say "paragraph 3" in English."""
    context, page = open_page(browser, site_url + "/ar/reports/washington-2016-agencies/#p3")
    page.locator("details.cite summary").click()
    citation = ".cite .chicago"
    assert x_of(page, citation, "2016") < x_of(page, citation, "07-23")
    isolated = page.locator(f"{citation} bdi").all_text_contents()
    assert any(text.startswith("http") and text.endswith("/washington-2016-agencies/#p3") for text in isolated), isolated
    assert x_of(page, citation, "http") < x_of(page, citation, "#p3")
    assert any(re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) for text in isolated), isolated  # the access date
    assert ", paragraph 3" in page.locator(".cite .bibtex").text_content()
    assert ", paragraph 3" in page.locator(".cite .csl-json").text_content()
    assert "الفقرة" not in page.locator(".cite .bibtex").text_content()
    context.close()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "/ar/reports/washington-2016-agencies/")
    page.locator("details.cite summary").click()
    assert x_of(page, citation, "2016") < x_of(page, citation, "07-23")
    assert not page.locator(".cite .help").is_visible()  # it tells how to cite a paragraph, which needs the script
    context.close()


def test_the_popover_title_keeps_clear_of_its_close_button(browser, site_url):
    """On an English page a correction's title is Arabic (right to left): the room kept for the
    close button is on the button's side, not at the title's end."""
    context = browser.new_context(viewport={"width": 375, "height": 800}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(site_url + "/en/reports/washington-2016-almodon/")
    page.locator("a.corr").first.tap()
    title = page.locator("#gloss-popover .pop-title").bounding_box()
    close = page.locator("#gloss-popover .pop-close").bounding_box()
    assert page.locator("#gloss-popover .pop-title").get_attribute("dir") == "rtl"
    assert title["x"] + title["width"] <= close["x"] or close["x"] + close["width"] <= title["x"] \
        or title["y"] + title["height"] <= close["y"], (title, close)
    context.close()


def test_the_witness_arrow_points_from_the_printed_word_to_the_reading(built_site):
    for lang, arrow in (("ar", "←"), ("en", "→")):
        pages = list((built_site / lang / "witnesses").glob("*/index.html"))
        marks = [m for p in pages for m in re.findall(r'class="witness-mark correction-mark">.*?</span>',
                                                          p.read_text(encoding="utf-8"))]
        assert marks and all(f"</bdi> {arrow} <bdi" in mark for mark in marks), lang


def test_a_passage_is_located_in_words_never_by_its_id(built_site):
    """The collations and notes say "paragraph 3", "dateline", "headlines under the title"; a
    reader never sees the block ids d, t, s1 or teasers."""
    for lang in ("ar", "en"):
        where = {re.sub(r"\d+", "N", label) for page in (built_site / lang).rglob("index.html")
                 for label in re.findall(r'\((paragraph \d+|الفقرة \d+|[^()<>]{1,40})\)</a>', page.read_text(encoding="utf-8"))}
        assert not where & {"d", "t", "teasers", "sN", "pN"}, (lang, where)
    english = (built_site / "en/collations/washington-2016/index.html").read_text(encoding="utf-8")
    assert "(dateline)</a>" in english and "(headlines under the title)</a>" in english


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("mode", ["original", "both"])
def test_an_omission_sign_stands_beside_the_arabic_it_marks(browser, site_url, width, mode):
    """On the English page, where the Arabic is shown (alone or beside the English), the sign
    ⟦…⟧ of words left out of the witness stands at the Arabic's right edge, where its lines
    begin, not at the left, away from it."""
    context, page = open_page(browser, site_url + "/en/reports/washington-2016-almodon/", width=width)
    page.check(f"#mode-{mode}")
    for sign in page.locator(".cut span[aria-hidden]").all():
        arabic = page.evaluate("document.querySelector('.pair.paragraph .col-ar p').getBoundingClientRect().right")
        box = sign.bounding_box()
        assert abs(box["x"] + box["width"] - arabic) < 12, (box, arabic)
    context.close()
