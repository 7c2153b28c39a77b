"""The collation: tokens of the established text, their alignment and the kinds of variant
places, and the validation of the collation groups in content/collations/."""
import shutil
from pathlib import Path

import pytest

from edition import collation
from edition.content import load_report
from edition.inline import parse_inline
from edition.problems import Problems

from test_errors import run_build

ROOT = Path(__file__).resolve().parent.parent
KUWAIT = ("kuwait-2018-final-statement", "kuwait-2018-ajiban")


def witness(text: str, block: str = "p1") -> tuple:
    nodes, problems = parse_inline(text)
    assert not problems
    return tuple(collation.line_tokens(nodes, block))


def variants(base: str, other: str) -> list[tuple[str, str, str]]:
    """(kind, base reading, other reading) of each variant place of a two-witness collation."""
    result = collation.collate({"a": witness(base), "b": witness(other)}, "a")
    return [(place.kind, *(" ".join(t.text for t in reading) for reading in place.readings))
            for place in result.variants]


def test_tokens_keep_printed_form_block_and_correction():
    tokens = witness('قدرته على نقل [الأمول]{corr="الأموال" type="misprint"}، «داعش»', "p9")
    assert [t.text for t in tokens] == ["قدرته", "على", "نقل", "الأمول،", "«داعش»"]
    assert [t.norm for t in tokens] == ["قدرته", "علي", "نقل", "الامول", "داعش"]
    assert {t.block for t in tokens} == {"p9"}
    assert tokens[3].correction == collation.Correction("الأمول", "الأموال", "misprint") and tokens[3].first
    assert tokens[2].correction is None


def test_every_kind_of_variant_place_is_found_and_classified():
    base = "أكد الوزراء أن التحالف سيواصل جهوده ضد التنظيم الإرهابي في العراق وسوريا لحماية الأموال المنهوبة"
    other = "أكد الوزراء أن التحالف سيواصل جهوده الكبيرة ضد الإرهابي في العراق وسورية لحماية الاموال المنهوبة"
    assert variants(base, other) == [
        ("addition", "", "الكبيرة"),
        ("omission", "التنظيم", ""),
        ("substitution", "وسوريا", "وسورية"),
        ("orthographic", "الأموال", "الاموال"),  # the normalization removes the difference
    ]


def test_orthographic_only_differences_are_not_substantive():
    result = collation.collate({"a": witness("قال إن «داعش» فقد السيطرة على الأراضي"),
                                "b": witness('قال إن "داعش" فقد السيطره على الاراضي')}, "a")
    assert [place.kind for place in result.variants] == ["orthographic"] * 3
    assert not any(place.substantive for place in result.places)
    assert result.counts() == {"addition": 0, "omission": 0, "substitution": 0, "orthographic": 3}


def test_adjacent_variant_words_are_one_place():
    found = variants("وشدد الوزراء على أهمية استمرار الجهود الدولية المشتركة",
                     "وأكد البيان على أهمية استمرار الجهود الدولية المشتركة")
    assert found == [("substitution", "وشدد الوزراء", "وأكد البيان")]


def test_the_base_decides_addition_or_omission():
    assert variants("ضد التنظيم الإرهابي في العراق وسوريا", "ضد الإرهابي في العراق وسوريا")[0][0] == "omission"
    assert variants("ضد الإرهابي في العراق وسوريا", "ضد التنظيم الإرهابي في العراق وسوريا")[0][0] == "addition"


def real_tokens(slug: str) -> tuple:
    problems = Problems(root=ROOT)
    report = load_report(ROOT / "content/reports" / slug, problems)
    assert report is not None and not problems.errors
    return collation.tokens(report)


def test_nothing_is_lost_in_the_kuwait_collation():
    """For each witness, its readings in order are exactly the tokens of its established text."""
    texts = {slug: real_tokens(slug) for slug in KUWAIT}
    result = collation.collate(texts, KUWAIT[0])
    for index, slug in enumerate(KUWAIT):
        read = [token for place in result.places for token in place.readings[index]]
        assert read == list(texts[slug])
    assert len(texts[KUWAIT[1]]) > 800 and len(texts[KUWAIT[0]]) > 400
    # the places the scholarly review names
    pairs = {(" ".join(t.text for t in p.readings[0]), " ".join(t.text for t in p.readings[1])): p.kind
             for p in result.variants}
    assert pairs[("الأموال", "الأمول")] == "substitution"
    assert pairs[("النجاحات", "نجاحات")] == "substitution"
    assert pairs[("والشبكات", "وشبكات")] == "substitution"


# ---------------------------------------------------------------- the groups' validation

def two_witnesses(mini: Path) -> None:
    """A second report of the fixture's meeting, and a group collating the two."""
    shutil.copytree(mini / "content/reports/sample", mini / "content/reports/sample-two")
    shutil.copy(mini / "content/witnesses/sample.txt", mini / "content/witnesses/sample-two.txt")
    ar = mini / "content/reports/sample-two/ar.md"
    ar.write_text(ar.read_text(encoding="utf-8").replace("seed: sample.txt", "seed: sample-two.txt"), encoding="utf-8")
    (mini / "content/collations").mkdir()
    (mini / "content/collations/pair.yaml").write_text(GROUP, encoding="utf-8")


GROUP = """id: pair
meeting: test-meeting
kind: word
witnesses: [sample, sample-two]
base: sample
"""

BROKEN = {
    "unknown report": ("witnesses: [sample, sample-two]", "witnesses: [sample, sample-3]",
                       "content/collations/pair.yaml:4:21: error: witnesses.1: no report 'sample-3'"),
    "base not a witness": ("base: sample", "base: sample-three",
                           "content/collations/pair.yaml:5:7: error: base: 'sample-three' is not one of the witnesses"),
    "fewer than two witnesses": ("witnesses: [sample, sample-two]", "witnesses: [sample]",
                                 "content/collations/pair.yaml:4:12: error: witnesses: List should have at least 2 "
                                 "items after validation, not 1"),
    "a witness twice": ("witnesses: [sample, sample-two]", "witnesses: [sample, sample]",
                        "content/collations/pair.yaml:4:21: error: witnesses.1: 'sample' is named twice"),
    "unknown kind": ("kind: word", "kind: words",
                     "content/collations/pair.yaml:3:7: error: kind: must be one of 'word' or 'passage'"),
    "unknown key": ("base: sample", "base: sample\nbas: sample",
                    "content/collations/pair.yaml:6:1: error: unknown key 'bas' (did you mean 'base'?)"),
    "unknown meeting": ("meeting: test-meeting", "meeting: mosul",
                        "content/collations/pair.yaml:2:10: error: meeting: no meeting entity with id 'mosul'"),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_broken_group_is_one_line_at_its_place(mini, name):
    two_witnesses(mini)
    assert run_build(mini).returncode == 0, run_build(mini).stderr
    old, new, expected = BROKEN[name]
    path = mini / "content/collations/pair.yaml"
    path.write_text(GROUP.replace(old, new), encoding="utf-8")
    result = run_build(mini)
    assert result.returncode == 1
    assert expected in result.stderr.splitlines(), result.stderr
    assert "Traceback" not in result.stderr


def test_a_duplicate_group_id_is_an_error(mini):
    two_witnesses(mini)
    (mini / "content/collations/zz-copy.yaml").write_text(GROUP, encoding="utf-8")
    result = run_build(mini)
    assert result.returncode == 1
    assert "content/collations/zz-copy.yaml:1:5: error: id 'pair' is already the id of pair.yaml" in \
        result.stderr.splitlines(), result.stderr


def test_the_exports_lose_nothing_and_the_tei_is_well_formed():
    import json

    from lxml import etree

    from edition import collation_export
    texts = {slug: real_tokens(slug) for slug in KUWAIT}
    result = collation.collate(texts, KUWAIT[0])
    sigla = ["004", "003"]
    table = json.loads(collation_export.alignment_json(result, sigla))
    tei = etree.fromstring(collation_export.tei(result, sigla, ["a", "b"], "t"))
    ns = {"tei": collation_export.TEI}
    paragraph = tei.find(".//tei:body/tei:p", ns)
    for index, (slug, siglum) in enumerate(zip(KUWAIT, sigla)):
        printed = [token.text for token in texts[slug]]
        assert [cell["t"] for row in table["table"][index] for cell in (row or [])] == printed
        words = (paragraph.text or "").split()
        for app in paragraph:
            reading = app.find(f"*[@wit='#w{siglum}']")
            words += (reading.text or "").split() + (app.tail or "").split()
        assert words == printed
    assert {app.get("type") for app in paragraph} == set(collation.KINDS)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_each_witness_page_links_to_its_collation(built_site, lang):
    """Every report of a collation group links to that group's page; the pages linked exist."""
    import re
    groups = {"kuwait-2018": ["kuwait-2018-ajiban", "kuwait-2018-final-statement"],
              "washington-2016": ["washington-2016-agencies", "washington-2016-almodon",
                                  "washington-2016-iraq-news-network"]}
    for group, slugs in groups.items():
        assert (built_site / lang / "collations" / group / "index.html").is_file()
        for slug in slugs:
            page = (built_site / lang / "reports" / slug / "index.html").read_text(encoding="utf-8")
            links = re.findall(r'<div class="collation"><dt>[^<]*</dt><dd><a href="([^"]+)"', page)
            assert links == [f"/{lang}/collations/{group}/"], (slug, links)


# ---------------------------------------------------------------- lines kept apart (teasers)

TEASERS = ["اتفاق دولي لمحاصرة التنظيم", "سيطرة الحكومة العراقية على قوات الحشد الشعبي"]


def lined(lines: list[str], block: str = "teasers") -> tuple:
    """A block of several lines as the collation reads it."""
    found = []
    for index, line in enumerate(lines):
        nodes, problems = parse_inline(line)
        assert not problems
        found += collation.line_tokens(nodes, block, line_start=index > 0)
    return tuple(found)


def test_a_line_after_the_first_of_its_block_starts_with_a_marked_token():
    tokens = real_tokens("washington-2016-agencies")
    teasers = [t for t in tokens if t.block == "teasers"]
    starts = [t.text for t in teasers if t.line_start]
    assert len(starts) == 10 and starts[0] == "سيطرة"  # eleven teasers: ten start a line after another
    assert not any(t.line_start for t in tokens if t.block != "teasers")  # a paragraph is one line


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_teasers_quoted_in_a_passage_collation_stay_on_their_own_lines(built_site, lang):
    """The teasers under the wire report's headline, which no other report shares: each on its own
    line, not run on into the next as one sentence."""
    from lxml import html
    page = html.fromstring((built_site / lang / "collations/washington-2016/index.html").read_bytes())
    [sentence] = [p for p in page.xpath('//p[contains(@class, "alone-sentence")]')
                  if p.xpath('a[contains(@href, "#teasers")]')]
    assert len(sentence.findall("br")) == 10
    lines = [line.strip() for line in (sentence.text or "", *(br.tail or "" for br in sentence.findall("br")))]
    assert lines[:2] == TEASERS
    assert lines[-1] == "إزالة القيود الهيكلية للسماح بمزيد من تبادل المعلومات"


def test_tokens_html_breaks_the_line_where_a_teaser_starts():
    from edition.views import tokens_html
    tokens = lined(TEASERS)
    assert str(tokens_html(tokens, {})) == "اتفاق دولي لمحاصرة التنظيم<br>سيطرة الحكومة العراقية على قوات الحشد الشعبي"
    second = tokens[4:]
    assert str(tokens_html(second, {})).startswith("سيطرة ")  # nothing shown before it: no break
    assert str(tokens_html(second, {}, continued=True)).startswith("<br>سيطرة ")


def witness_lines_in_tei(paragraph, siglum: str, tei_ns: str) -> list[str]:
    """One witness's text in a parallel-segmentation paragraph, cut into lines at each <lb/>."""
    parts, BREAK = [], "\0"  # not a line break: the indentation has those

    def read(element):
        parts.append(element.text or "")
        for child in element:
            if child.tag == f"{{{tei_ns}}}lb":
                parts.append(BREAK if f"#w{siglum}" in (child.get("edRef") or f"#w{siglum}").split() else "")
            elif child.tag == f"{{{tei_ns}}}app":
                reading = child.find(f"*[@wit='#w{siglum}']")
                if reading is not None:
                    read(reading)
            parts.append(child.tail or "")

    read(paragraph)
    return [" ".join(line.split()) for line in "".join(parts).split(BREAK)]


@pytest.mark.parametrize("second", [TEASERS[1], "سيطرة الحكومة على قوات الحشد الشعبي",
                                    "الحكومة العراقية على قوات الحشد الشعبي"],
                         ids=["agreeing", "a variant inside the line", "a variant where the line starts"])
def test_the_exports_keep_the_lines_of_a_block_apart(second):
    import json

    from lxml import etree

    from edition import collation_export
    base, other = lined(TEASERS), lined([TEASERS[0], second])
    result = collation.collate({"a": base, "b": other}, "a")
    table = json.loads(collation_export.alignment_json(result, ["000", "001"]))
    for index, tokens in enumerate((base, other)):
        marked = [cell["t"] for row in table["table"][index] for cell in (row or []) if cell.get("lb")]
        assert marked == [second.split()[0] if index else "سيطرة"]
    tei = etree.fromstring(collation_export.tei(result, ["000", "001"], ["a", "b"], "t"))
    paragraph = tei.find(".//tei:body/tei:p", {"tei": collation_export.TEI})
    for siglum, lines in (("000", TEASERS), ("001", [TEASERS[0], second])):
        assert witness_lines_in_tei(paragraph, siglum, collation_export.TEI) == lines
