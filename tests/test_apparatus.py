"""The typed apparatus, the consistency check across witnesses and the citations."""
import datetime as dt
from pathlib import Path

import pytest

from edition import cite
from edition.consistency import check_consistency, passage
from edition.inline import parse_inline, walk
from edition.models import Config, ReportMeta
from edition.problems import Problems

ROOT = Path(__file__).resolve().parent.parent


def sics(source):
    nodes, problems = parse_inline(source)
    return [n for n in walk(nodes) if n.kind == "sic"], problems


def test_a_correction_keeps_its_type_grounds_and_note():
    found, problems = sics('في [الخاصعة]{corr="الخاضعة" type="parallel" grounds="004 p2" note="n1"} لسيطرة')
    assert problems == []
    assert found[0].value == "الخاضعة"
    assert found[0].correction == {"type": "parallel", "grounds": "004 p2", "note": "n1"}


def test_an_unknown_type_is_an_error_at_its_column():
    source = 'في [الخاصعة]{corr="الخاضعة" type="typo"}'
    _found, problems = sics(source)
    assert problems == [(source.index('type="typo"') + 1,
                         "unknown correction type 'typo' (known: misprint, grammar, insertion, deletion, conjecture, parallel)")]


def test_a_correction_without_a_type_is_an_error():
    _found, problems = sics('[الخاصعة]{corr="الخاضعة"}')
    assert problems == [(11, 'a correction needs its type: type="…" (misprint, grammar, insertion, deletion, conjecture, parallel)')]


def test_a_type_without_a_correction_is_an_error():
    _found, problems = sics('[المجموعة]{ref="cifg" type="misprint"}')
    assert [message for _col, message in problems] == ['type="…" qualifies a correction: the span needs corr="…"']


@pytest.mark.parametrize("source", ['أن []{ref="mosul"}معركة', 'أن [ ]{corr="الخاضعة" type="insertion"} معركة',
                                    '[أن []{ref="mosul"}]{ref="raqqa"}'])
def test_an_empty_span_is_an_error_at_its_bracket(source):
    """A span around no words was published as a mention or correction of nothing: a link with no
    text on the page, and exports whose offsets and Web Annotation selectors select ''."""
    assert parse_inline(source)[1] == [(source.index("[]") + 1 if "[]" in source else source.index("[ ]") + 1,
                                        'empty span: a span marks the words between its brackets, as in '
                                        '[text]{corr="…"}; put them inside')]


@pytest.mark.parametrize("source, at, message", [
    ('[أ]{ref="mosul"} [ب]{corr="x" ref="y" type="misprint"}', 'ref="y"', "a span takes either corr or ref, not both"),
    ('[أ]{corr="x" type="misprint"} [ب]{ref="raqqa" type="misprint"}', 'type="misprint"}',
     'type="…" qualifies a correction: the span needs corr="…"'),
    ('[أ]{corr="x" type="misprint"} [ب]{corr="y"}', 'corr="y"',
     'a correction needs its type: type="…" (misprint, grammar, insertion, deletion, conjecture, parallel)'),
])
def test_a_slip_in_the_second_span_of_a_line_is_reported_at_that_span(source, at, message):
    """The column was that of the first occurrence of the attribute's name in the line: the first
    span's ref= or corr=, not the attributes of the span that has the slip."""
    assert parse_inline(source)[1] == [(source.rindex(at) + 1, message)]


def test_each_span_of_a_line_is_reported_at_its_own_attributes_nested_ones_too():
    source = '[[أ]{ref="mosul" lang="ar"} ب]{ref="raqqa" lang="en"}'
    unknown = 'unknown attribute \'lang\' in a text span (use corr="…" or ref="…")'
    assert sorted(parse_inline(source)[1]) == [(source.index('lang="ar"') + 1, unknown),
                                               (source.index('lang="en"') + 1, unknown)]


@pytest.mark.parametrize("source", ['[2254 [أساس]{corr="ق" type="misprint"} الحل]{corr="ك" type="conjecture"}',
                                    '[[[أساس]{corr="ق" type="misprint"}]{ref="mosul"} الحل]{corr="" type="deletion"}'])
def test_a_correction_inside_another_is_an_error_at_the_inner_one(source):
    """It built: the page showed the inner reading among the words the outer one replaces, and the
    JSON's printed words and offsets of the outer correction disagreed (its span took in ⟨…⟩)."""
    assert parse_inline(source)[1] == [(source.index('corr="ق"') + 1, "a correction inside another correction: the "
                                        "outer reading replaces all the words it marks; give it the reading of them "
                                        "all, or correct the words in spans side by side")]


def test_brackets_without_attributes_may_hold_nothing():
    assert parse_inline("قال [] و[ ] كما طُبع")[1] == []


def tokens(words, corrected=()):
    return tuple((word, 1 if index in corrected else -1, 10, "p1") for index, word in enumerate(words))


def test_a_span_markdown_leaves_as_text_says_why():
    """Spans nested deeper than markdown-it goes were said to be 'inside `code`?' with no code in sight."""
    nested = "[" * 21 + "x" + ']{ref="mosul"}' * 21
    assert parse_inline(nested)[1] == [(24, "this span is not read as markup here (spans nest at most 20 deep)")]
    assert parse_inline('`[x]{ref="mosul"}`')[1] == [(5, "this span is not read as markup here (inside `code`?)")]


def test_a_passage_corrected_in_one_witness_and_not_in_another_is_flagged(tmp_path):
    words = "تحت قيادته من اجل هزيمه".split()
    found = {"a": passage("meeting", str(tmp_path / "a.md"), tokens(words, corrected={1})),
             "b": passage("meeting", str(tmp_path / "b.md"), tokens(["ثم"] + words))}
    problems = Problems(root=tmp_path)
    check_consistency(found, problems)
    assert [(p.line, p.message) for p in problems.items] == [
        (10, "«قيادته» stands uncorrected here, but report 'a' (p1) corrects it in the passage both print")]


def test_every_place_printing_the_whole_passage_is_flagged_in_report_order(tmp_path):
    words = "قيادته من اجل".split()  # corrected at its first word: only the words after it are context
    printed = [(w, -1, line, "p1") for line, w in enumerate(
        "قيادته من اجل ثم قيادته من هزيمه ثم قيادته من اجل".split(), start=1)]
    found = {"b": passage("m", "b.md", tuple(printed)),
             "a": passage("m", "a.md", tokens(words, corrected={0})),
             "c": passage("m", "c.md", tokens(["قيادته", "من", "اجل"]))}
    problems = Problems(root=tmp_path)
    check_consistency(found, problems)
    assert [(p.file, p.line) for p in problems.items] == [("b.md", 1), ("b.md", 9), ("c.md", 10)]


def test_no_warning_when_both_correct_it_or_the_meeting_differs(tmp_path):
    words = "تحت قيادته من اجل هزيمه".split()
    both = {"a": passage("m", "a.md", tokens(words, {1})), "b": passage("m", "b.md", tokens(words, {1}))}
    other = {"a": passage("m", "a.md", tokens(words, {1})), "b": passage("n", "b.md", tokens(words))}
    for found in (both, other):
        problems = Problems(root=tmp_path)
        check_consistency(found, problems)
        assert problems.items == []


STRINGS = {"cite_no_date": "n.d.", "cite_in": "In {edition}", "cite_editors": "edited by the edition's maintainers",
           "cite_version": "version {version}", "licence_name": "CC BY 4.0", "cite_accessed": "(accessed {accessed})",
           "cite_maintainers": "The edition's maintainers"}
CONFIG = Config(title={"ar": "النشرة", "en": "The Edition"}, subtitle={"ar": "س", "en": "S"}, version="1.0",
                date=dt.date(2026, 11, 30))


def meta(**changes):
    data = {"seed": "001.txt", "meeting": "m", "title": {"ar": "عنوان", "en": "A title", "supplied": True},
            "publisher": {"ar": "المدن", "en": "Al-Modon", "certainty": "inferred", "evidence": {"ar": "د", "en": "e"}},
            "date": {"certainty": "unknown", "evidence": {"ar": "د", "en": "e"}}}
    data.update(changes)
    return ReportMeta.model_validate(data)


def test_chicago_brackets_what_is_inferred_and_ends_each_part_once():
    assert cite.chicago(meta(), CONFIG, "en", STRINGS) == (
        "«[عنوان]» [“A title”]. [Al-Modon], n.d. In The Edition, edited by the edition's maintainers, version 1.0, "
        "CC BY 4.0{para}. {url} (accessed {accessed}).")


def test_chicago_starts_with_the_byline_and_gives_a_printed_publisher_as_printed():
    printed = meta(byline={"printed": "سعد العجيبان", "en": "Saad Al-Ajiban"},
                   publisher={"ar": "المدن", "en": "Al-Modon", "certainty": "printed"},
                   date={"value": "2018-02-14", "certainty": "inferred", "evidence": {"ar": "د", "en": "e"}})
    assert cite.chicago(printed, CONFIG, "en", STRINGS).startswith(
        "Saad Al-Ajiban. «[عنوان]» [“A title”]. Al-Modon, [2018-02-14]. In The Edition")


def test_bibtex_is_an_arabic_article_with_the_inferred_publisher_bracketed():
    assert cite.bibtex(meta(), "r", CONFIG, STRINGS) == (
        "@article{r,\n  title = {[عنوان]},\n  titleaddon = {[A title]},\n  journal = {[Al-Modon]},\n"
        "  language = {arabic},\n  note = {In The Edition, edited by the edition's maintainers, version 1.0, "
        "CC BY 4.0{para}},\n  url = {{url}},\n  urldate = {{accessed}}\n}")


def test_a_brace_in_the_editions_title_leaves_the_bibtex_one_article():
    """config.yaml's title goes into the note: a brace there opened a group that never closed."""
    import bibtexparser
    braced = CONFIG.model_copy(update={"title": {"ar": "النشرة", "en": "The {Edition"}})
    filled = cite.fill(cite.bibtex(meta(), "r", braced, STRINGS), "https://example.org/en/reports/r/#p3",
                       ", para. 3", "2026-11-30")
    library = bibtexparser.parse_string(filled + "\n@article{s, title = {next}}\n")
    assert library.failed_blocks == []
    assert [entry.key for entry in library.entries] == ["r", "s"]
    assert library.entries[0].fields_dict["note"].value.startswith("In The Edition, edited by")


def test_the_edition_citation_names_maintainers_version_date_and_licence():
    assert cite.edition(CONFIG, "en", "https://example.org/en/", STRINGS) == (
        "The edition's maintainers. The Edition. version 1.0, 2026-11-30, CC BY 4.0. https://example.org/en/")


def test_csl_json_is_an_arabic_newspaper_article_with_what_is_inferred_bracketed():
    import json
    filled = cite.fill(cite.csl_json(meta(), "r", CONFIG, STRINGS), "https://example.org/en/reports/r/#p3",
                       ", paragraph 3", "2026-11-30")
    assert json.loads(filled) == [{
        "id": "r", "type": "article-newspaper", "language": "ar", "title": "[عنوان]",
        "container-title": "[Al-Modon]",
        "note": "[A title]. In The Edition, edited by the edition's maintainers, version 1.0, CC BY 4.0, paragraph 3.",
        "URL": "https://example.org/en/reports/r/#p3", "accessed": {"raw": "2026-11-30"}}]


def test_csl_json_gives_a_printed_date_as_parts_an_inferred_one_as_a_bracketed_literal():
    import json
    printed = meta(byline={"printed": "سعد العجيبان", "en": "Saad Al-Ajiban"},
                   publisher={"ar": "المدن", "en": "Al-Modon", "certainty": "printed"},
                   date={"value": "2018-02-14", "certainty": "printed"})
    item = json.loads(cite.csl_json(printed, "r", CONFIG, STRINGS))[0]
    assert item["author"] == [{"literal": "Saad Al-Ajiban"}]
    assert item["container-title"] == "Al-Modon"
    assert item["issued"] == {"date-parts": [[2018, 2, 14]]}
    inferred = meta(date={"value": "2018-02-14", "certainty": "inferred", "evidence": {"ar": "د", "en": "e"}})
    assert json.loads(cite.csl_json(inferred, "r", CONFIG, STRINGS))[0]["issued"] == {"literal": "[2018-02-14]"}


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_each_reports_bibtex_parses_as_one_article_with_its_metadata(built_site, lang):
    """The BibTeX a reader copies, filled as the page fills it, is read by a BibTeX parser as one
    @article keyed by the report, with the report's Arabic title, year and no stray brace."""
    import html as html_module
    import re
    import bibtexparser
    reports = sorted(p.name for p in (built_site / lang / "reports").iterdir() if p.is_dir())
    assert len(reports) == 5
    for slug in reports:
        page = (built_site / lang / "reports" / slug / "index.html").read_text(encoding="utf-8")
        template = html_module.unescape(re.search(r'data-bibtex="([^"]*)"', page).group(1))
        filled = (template.replace("{url}", f"https://example.org/{lang}/reports/{slug}/#p3")
                  .replace("{para}", ", para. 3").replace("{accessed}", "2026-11-30"))
        library = bibtexparser.parse_string(filled)
        assert library.failed_blocks == [], (slug, filled)
        (entry,) = library.entries
        assert (entry.entry_type, entry.key) == ("article", slug)
        fields = entry.fields_dict
        assert re.search(r"[\u0600-\u06ff]", fields["title"].value), slug
        assert fields["language"].value == "arabic"
        assert fields["url"].value.endswith(f"/reports/{slug}/#p3")
        assert fields["urldate"].value == "2026-11-30"
        if "year" in fields:
            assert re.fullmatch(r"(2016|2018)", fields["year"].value), (slug, fields["year"].value)


# ---------------------------------------------------------------- grounds citing a witness's paragraph

WORDS = {"en": ("cf. ", "witness {siglum}, paragraph {n}"), "ar": ("قارن: ", "الشاهد {siglum}، الفقرة {n}")}


def grounds_cells(page):
    """(the grounds as written in the source, as shown, its link or None) of each row of the apparatus
    that has grounds."""
    return [(cell, cell.xpath("string()"), (cell.xpath("a/@href") or [None])[0])
            for cell in page.xpath('//tr[starts-with(@id, "corr-")]//span[@class="corr-grounds"]')]


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_grounds_citing_a_witness_paragraph_name_it_in_words_and_link_to_it(built_site, lang):
    """«الإرهابي» ⟨التنظيم الإرهابي⟩ in the Al-Ajiban report (003) rests on the final statement (004)
    p1: the apparatus says so in the page's language and leads to where that paragraph begins in
    witness 004, which leads on to the paragraph in its report."""
    from lxml import html
    page = html.fromstring((built_site / lang / "reports/kuwait-2018-ajiban/index.html").read_bytes())
    cf, words = WORDS[lang]
    [first] = page.xpath('//tr[@id="corr-1"]//span[@class="corr-grounds"]')
    assert first.xpath("string()") == cf + words.format(siglum="004", n=1)
    [link] = first.findall("a")
    assert link.get("href") == f"/{lang}/witnesses/004_56d1db147bbdc9ef/#paragraph-1"
    assert link.find("bdi").text == "004"  # the siglum isolated: its digits keep their order in Arabic
    corr = page.xpath('//a[@class="corr" and @href="#corr-1"]')[0]
    [said] = page.xpath(f'//*[@id="{corr.get("aria-describedby")}"]')  # what the link is, said in words too
    assert said.text_content().endswith(words.format(siglum="004", n=1) + ")")
    witness = html.fromstring((built_site / lang / "witnesses/004_56d1db147bbdc9ef/index.html").read_bytes())
    [mark] = witness.xpath('//*[@id="paragraph-1"]')
    assert mark.get("href") == f"/{lang}/reports/kuwait-2018-final-statement/#p1"
    assert (mark.tail or "").startswith("أكد وزراء خارجية دول التحالف الدولي")  # the paragraph's first words


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_every_grounds_citing_a_witness_paragraph_is_a_link_in_words(built_site, lang):
    import re

    from lxml import html
    cf, words = WORDS[lang]
    linked = 0
    for report in sorted((built_site / lang / "reports").iterdir()):
        page = html.fromstring((report / "index.html").read_bytes())
        for cell, shown, href in grounds_cells(page):
            assert not re.search(r"\bp\d", shown), (report.name, shown)  # never the bare "004 p1"
            if href:
                siglum, n = re.fullmatch(rf"/{lang}/witnesses/(\d+)_[0-9a-f]+/#paragraph-(\d+)", href).groups()
                assert shown == cf + words.format(siglum=siglum, n=n)
                linked += 1
    cited = sum(len(re.findall(r'grounds="\d+ p\d+"', path.read_text(encoding="utf-8")))
                for path in (ROOT / "content/reports").glob("*/ar.md"))
    assert linked == cited == 9  # 004 p1, p2, p3, p4 twice and p5; 003 p11; 001 p5; 000 p10


GROUNDS = 'corr="الخاضعة" type="misprint"'


def mini_with_grounds(mini, grounds: str):
    from test_errors import edit
    edit(mini, "content/reports/sample/ar.md", GROUNDS, f'{GROUNDS} grounds="{grounds}"')
    return mini


def test_grounds_may_cite_a_paragraph_of_the_reports_own_witness(mini, tmp_path):
    """The fixture's correction stands in p2, which the editors began in the middle of a line."""
    from lxml import html

    from edition.output import write_site
    from edition.pipeline import build
    write_site(build(mini_with_grounds(mini, "sample p2")).files, tmp_path / "site")
    page = html.fromstring((tmp_path / "site/en/reports/sample/index.html").read_bytes())
    [(_cell, shown, href)] = grounds_cells(page)
    assert (shown, href) == ("cf. witness sample, paragraph 2", "/en/witnesses/sample/#paragraph-2")
    witness = html.fromstring((tmp_path / "site/en/witnesses/sample/index.html").read_bytes())
    marks = witness.xpath('//a[@class="para-mark"]')
    assert [(m.get("id"), m.get("href")) for m in marks] == [
        ("paragraph-1", "/en/reports/sample/#p1"), ("paragraph-2", "/en/reports/sample/#p2")]
    assert marks[1].tail.startswith("وأشار كيري") and marks[0].tail.endswith("أساس الحل في سوريا.")


@pytest.mark.parametrize("grounds, message", [
    ("sample p3", "grounds 'sample p3': the report of witness sample ('sample') has 2 paragraphs; "
                  "cite one by its number on that report's page"),
    ("009 p1", "grounds '009 p1': no report's witness (seed) is a file content/witnesses/009_….txt"),
])
def test_grounds_citing_a_paragraph_that_is_not_there_are_an_error_at_their_grounds(mini, grounds, message):
    from edition.pipeline import build
    from edition.problems import BuildFailed
    with pytest.raises(BuildFailed) as failed:
        build(mini_with_grounds(mini, grounds))
    assert [str(p) for p in failed.value.problems.errors] == [f"content/reports/sample/ar.md:36:83: error: {message}"]


def test_other_grounds_are_shown_as_written(mini):
    from lxml import html

    from edition.pipeline import build
    files = build(mini_with_grounds(mini, "Lane p12")).files
    [(_cell, shown, href)] = grounds_cells(html.fromstring(files["en/reports/sample/index.html"]))
    assert (shown, href) == ("cf. Lane p12", None)


def test_a_correction_in_a_printed_title_is_numbered_and_linked_on_both_pages(mini, tmp_path):
    """A printed title is shown in both languages on each page (under the h1, the other's), so a
    correction in it is a link on both, numbered before the text's, each to its row."""
    from lxml import html
    from edition.output import write_site
    from edition.pipeline import build
    from test_errors import edit
    title = "[تقرير]{corr=\"التقرير\" type=\"misprint\"} تجريبي"
    edit(mini, "content/reports/sample/ar.md", "  supplied: true", "  supplied: false")
    edit(mini, "content/reports/sample/ar.md", "---\n{#d .dateline}", "---\n{#t .title}\n" + title + "\n\n{#d .dateline}")
    edit(mini, "content/reports/sample/en.md", "---\n{#d .dateline}", "---\n{#t .title}\nA sample report\n\n{#d .dateline}")
    edit(mini, "content/witnesses/sample.txt", "واشنطن: الوكالات", "تقرير تجريبي\n\nواشنطن: الوكالات")
    write_site(build(mini).files, tmp_path / "site")
    for lang in ("ar", "en"):
        page = html.fromstring((tmp_path / "site" / lang / "reports/sample/index.html").read_bytes())
        [link] = page.xpath('//header//a[@class="corr"]')
        assert link.get("href") == "#corr-1" and link.get("aria-describedby") == "corr-1-said"
        assert link.xpath("ancestor::h1" if lang == "ar" else 'ancestor::p[contains(@class, "title-other")]')
        rows = page.xpath('//tr[starts-with(@id, "corr-")]/@id')
        assert rows == ["corr-1", "corr-2"] and page.xpath('//a[@class="corr"]/@href') == ["#corr-1", "#corr-2"]
        where = page.xpath('//tr[@id="corr-1"]/td[1]//text()')  # where it stands, as readers are told: not its id
        assert where == [{"ar": "العنوان", "en": "title"}[lang]]
