"""The witness pages: each witness line by line as preserved, its omitted residue and corrected words
marked, and reached from the report's Witness field."""
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from edition.output import write_site
from edition.pipeline import build
from edition.witness import Span, witness_lines

ROOT = Path(__file__).resolve().parent.parent
WITNESSES = sorted((ROOT / "content" / "witnesses").glob("*.txt"))


class Lines(HTMLParser):
    """Each <li id="line-N"> of a witness page: its number, the text of its witness-text span, its
    class, and the omission/correction links it holds."""

    def __init__(self):
        super().__init__()
        self.lines, self.depth, self.current = [], 0, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "li" and (attrs.get("id") or "").startswith("line-"):
            self.current = {"n": int(attrs["id"][5:]), "class": attrs.get("class") or "", "text": "", "links": []}
            self.lines.append(self.current)
        elif self.current is not None and tag == "span" and attrs.get("class") == "witness-text":
            self.depth = 1
        elif self.depth and tag == "span":
            self.depth += 1
        if self.current is not None and tag == "a":
            self.current["links"].append(attrs["href"])

    def handle_endtag(self, tag):
        if self.depth and tag == "span":
            self.depth -= 1
        if tag == "li":
            self.current = None

    def handle_data(self, data):
        if self.depth:
            self.current["text"] += data


def parse(page: Path) -> list[dict]:
    parser = Lines()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.lines


@pytest.mark.parametrize("witness", WITNESSES, ids=lambda p: p.stem)
def test_every_witness_line_is_on_its_page_in_order(built_site, witness):
    expected = witness.read_text(encoding="utf-8").removesuffix("\n").split("\n")
    for lang in ("ar", "en"):
        lines = parse(built_site / lang / "witnesses" / witness.stem / "index.html")
        assert [line["text"] for line in lines] == expected, lang
        assert [line["n"] for line in lines] == list(range(1, len(expected) + 1))


def test_the_report_links_to_its_witness_and_back(built_site):
    report = (built_site / "en/reports/washington-2016-almodon/index.html").read_text(encoding="utf-8")
    assert 'href="/en/witnesses/001_9af70518d36835f3/"' in report
    page = (built_site / "en/witnesses/001_9af70518d36835f3/index.html").read_text(encoding="utf-8")
    assert 'href="/en/reports/washington-2016-almodon/"' in page
    assert '<html lang="en" dir="ltr"' in page and 'class="witness-text" lang="ar" dir="rtl"' in page
    arabic = (built_site / "ar/witnesses/001_9af70518d36835f3/index.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl"' in arabic and 'href="/ar/reports/washington-2016-almodon/"' in arabic


def test_omitted_lines_are_marked_with_their_reason(built_site):
    lines = parse(built_site / "en/witnesses/001_9af70518d36835f3/index.html")
    first = lines[0]
    assert first["text"] == "الأثنين. نوفمبر 17th, 2025"
    assert "omitted-line" in first["class"]
    assert "/en/reports/washington-2016-almodon/#omission-1" in first["links"]
    page = (built_site / "en/witnesses/001_9af70518d36835f3/index.html").read_text(encoding="utf-8")
    assert "The website&#39;s date header" in page
    kept = [line for line in lines if "omitted-line" not in line["class"] and line["text"].strip()]
    assert kept and all(not any("#omission-" in link for link in line["links"]) for line in kept)


def test_corrected_words_link_to_the_apparatus(built_site):
    page = (built_site / "en/witnesses/001_9af70518d36835f3/index.html").read_text(encoding="utf-8")
    assert '<a class="sic" href="/en/reports/washington-2016-almodon/#corr-1">الخاصعة</a>' in page
    report = (built_site / "en/reports/washington-2016-almodon/index.html").read_text(encoding="utf-8")
    assert '<tr id="corr-1"' in report


@pytest.mark.parametrize("witness", WITNESSES, ids=lambda p: p.stem)
def test_every_correction_and_omission_is_found_in_its_witness(built_site, witness):
    page = (built_site / "en/witnesses" / witness.stem / "index.html").read_text(encoding="utf-8")
    report = re.search(r'href="/en/reports/([^/]+)/">', page).group(1)
    report_page = (built_site / "en/reports" / report / "index.html").read_text(encoding="utf-8")
    corrections = len(re.findall(r'<tr id="corr-\d+"', report_page))
    omissions = len(re.findall(r'<li id="omission-\d+"', report_page))
    assert len(set(re.findall(r'class="sic" href="[^"]*#corr-(\d+)"', page))) == corrections
    assert len(set(re.findall(r'data-omission="(\d+)"', page))) == omissions


def test_the_mini_witness_page_escapes_every_character(mini, tmp_path):
    witness = mini / "content/witnesses/sample.txt"
    witness.write_text(witness.read_text(encoding="utf-8") + "<b>&amp;</b>  two  spaces\n", encoding="utf-8")
    ar = mini / "content/reports/sample/ar.md"  # (recorded as omitted: a text must account for its witness)
    ar.write_text(ar.read_text(encoding="utf-8").replace("omissions:\n", "omissions:\n  - after: s1\n"
                  "    text: \"<b>&amp;</b>  two  spaces\"\n    reason: {ar: بقايا, en: residue}\n", 1), encoding="utf-8")
    write_site(build(mini).files, tmp_path / "site")
    page = tmp_path / "site/en/witnesses/sample/index.html"
    lines = parse(page)
    assert lines[-1]["text"] == "<b>&amp;</b>  two  spaces"
    assert "&lt;b&gt;&amp;amp;&lt;/b&gt;" in page.read_text(encoding="utf-8")
    assert "omitted-line" in lines[0]["class"] and "omitted-line" not in lines[4]["class"]


def test_lines_are_cut_where_marks_start_and_end():
    text = "header\nabc sic def\n"
    spans = [Span(0, 6, "omission", 1), Span(11, 14, "correction", 2)]
    lines = witness_lines(text, spans)
    assert len(lines) == 2  # the final line break ends line 2; it opens no third line
    assert lines[0]["omitted"] and lines[0]["omissions"] == [1]
    assert [(r["text"], r["correction"]) for r in lines[1]["runs"]] == [("abc ", None), ("sic", 2), (" def", None)]
    assert lines[1]["corrections"] == [2] and not lines[1]["omitted"]


def test_a_mark_across_lines_marks_each_line_it_covers():
    lines = witness_lines("a\nb c\nd", [Span(0, 3, "omission", 1)])
    assert [line["omissions"] for line in lines] == [[1], [1], []]
    assert lines[0]["omitted"] and not lines[1]["omitted"]
    assert [r["text"] for r in lines[1]["runs"]] == ["b", " c"]


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_each_paragraph_of_the_report_is_marked_where_it_begins_in_its_witness(built_site, lang):
    """A correction's grounds that cite a witness's paragraph (004 p1) lead to its mark: one for each
    paragraph of the report, in order, each before the paragraph's first words as printed, each
    leading on to the paragraph in the report."""
    from lxml import html

    from edition.content import load_report
    from edition.inline import plain_text
    from edition.problems import Problems
    for folder in sorted((ROOT / "content/reports").iterdir()):
        report = load_report(folder, Problems(root=ROOT))
        paragraphs = [block for block in report.blocks("ar") if block.kind == "paragraph"]
        stem = report.meta.seed.removesuffix(".txt")
        page = html.fromstring((built_site / lang / "witnesses" / stem / "index.html").read_bytes())
        marks = page.xpath('//span[@class="witness-text"]/a[@class="para-mark"]')
        assert [m.get("id") for m in marks] == [f"paragraph-{n}" for n in range(1, len(paragraphs) + 1)], stem
        for mark, block in zip(marks, paragraphs):
            assert mark.get("href") == f"/{lang}/reports/{folder.name}/#{block.id}"
            after = " ".join(((mark.tail or "") + "".join(mark.xpath("following-sibling::node()[1]//text()"))).split())
            assert after.startswith(" ".join(plain_text(block.lines[0]).split()[:3])), (stem, block.id)
            assert mark.text is None and mark.get("aria-label")  # the ¶ and number are the style sheet's


def test_runs_are_cut_where_paragraphs_begin():
    text = "header\nfirst  words here.\nsecond\nwords there. third words"
    lines = witness_lines(text, [], {7: [1], 26: [2, 3], 46: [4]})
    assert [(r["text"], r["paragraphs"]) for r in lines[1]["runs"]] == [("first  words here.", [1])]
    assert [r["paragraphs"] for r in lines[2]["runs"]] == [[2, 3]]
    assert [(r["text"], r["paragraphs"]) for r in lines[3]["runs"]] == [("words there. ", []), ("third words", [4])]


def test_words_omitted_or_corrected_that_are_printed_earlier_too_are_marked_where_they_stand(mini):
    """The marks were placed by searching for the omission's or the correction's words from the
    one before: an omitted «كيري» at the end of the witness, and a corrected «أن» of the second
    paragraph, were marked on the first paragraph's «كيري» and «أن», words the text keeps."""
    import lxml.html
    witness, ar = mini / "content/witnesses/sample.txt", mini / "content/reports/sample/ar.md"
    witness.write_text(witness.read_text(encoding="utf-8") + "كيري\n", encoding="utf-8")
    text = ar.read_text(encoding="utf-8").replace(
        "omissions:\n", "omissions:\n  - after: s1\n    text: كيري\n    reason: {ar: بقايا, en: residue}\n", 1)
    ar.write_text(text.replace("إلى أن [", 'إلى [أن]{corr="ان" type="misprint"} [', 1), encoding="utf-8")
    html = build(mini).files["en/witnesses/sample/index.html"].decode("utf-8")
    page = lxml.html.fromstring(html)
    omitted = page.xpath('//span[@class="omitted"]')
    assert sorted((o.text, o.xpath("ancestor::li/@id")[0]) for o in omitted) == [
        ("السبت. يناير 1st, 2000", "line-1"), ("كيري", "line-7")]
    assert 'كيري إلى <a class="sic" href="/en/reports/sample/#corr-1">أن</a> المجموعة' in html
