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
                        "content/collations/pair.yaml:2:10: error: meeting: 'mosul' is not a meeting: its entry is of kind place "
                        "(content/annotations/mosul.yaml:2)"),
    # an id that is no entity at all: a witness's page, made before the check, named the group by its
    # meeting, and the build stopped with a traceback
    "misspelt meeting": ("meeting: test-meeting", "meeting: test-meting",
                         "content/collations/pair.yaml:2:10: error: meeting: no meeting entity with id 'test-meting' "
                         "(did you mean 'test-meeting'?)"),
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
    body = tei.find(".//tei:body", {"tei": collation_export.TEI})
    for index, (slug, siglum) in enumerate(zip(KUWAIT, sigla)):
        printed = [token.text for token in texts[slug]]
        assert [cell["t"] for row in table["table"][index] for cell in (row or [])] == printed
        read = witness_in_tei(body, siglum, sigla[0])
        assert [word for paragraph in read for line in paragraph["lines"] for word in line] == printed
    assert {app.get("type") for app in body.iter(f"{{{collation_export.TEI}}}app")} == set(collation.KINDS)


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
    body = tei.find(".//tei:body", {"tei": collation_export.TEI})
    for siglum, lines in (("000", TEASERS), ("001", [TEASERS[0], second])):
        [paragraph] = witness_in_tei(body, siglum, "000")
        assert [" ".join(line) for line in paragraph["lines"]] == lines


# ---------------------------------------------------------------- paragraphs kept (TEI and JSON)

def witness_in_tei(body, siglum: str, base: str) -> list[dict]:
    """One witness's text in the collation's TEI body, read as its header's ``segmentation`` says:
    its paragraphs in order, each ``{"n": its block (None where the file does not say), "editorial":
    whether the editors began it (None where the file does not say), "lines": the words of each
    line}``. Every element the body holds is read; an unknown one fails."""
    from edition.collation_export import TEI
    me, ns = "#w" + siglum, f"{{{TEI}}}"
    paragraphs: list[dict] = []
    pending: dict | None = None  # the paragraph this witness begins at its next word

    def names_me(element) -> bool:
        return me in (element.get("edRef") or me).split()  # no edRef: every witness

    def begun(element, n) -> dict:
        return {"n": n, "editorial": element.get("rend") == "editorial-break"}

    def words(text) -> None:
        nonlocal pending
        for word in (text or "").split():
            if pending is not None or not paragraphs:
                paragraphs.append({**(pending or {"n": None, "editorial": None}), "lines": [[]]})
                pending = None
            paragraphs[-1]["lines"][-1].append(word)

    def read(element) -> None:
        nonlocal pending
        words(element.text)
        for child in element:
            if child.tag == ns + "milestone" and child.get("unit") == "paragraph":
                if names_me(child):
                    pending = begun(child, child.get("n"))
            elif child.tag == ns + "lb":
                if names_me(child):
                    paragraphs[-1]["lines"].append([])
            elif child.tag == ns + "app":
                readings = [r for r in child if r.get("wit") == me]
                assert len(readings) == 1, f"app {child.get('n')}: {len(readings)} readings of {me}"
                read(readings[0])
            else:
                raise AssertionError(f"unexpected {child.tag} in {element.tag}")
            words(child.tail)

    for paragraph in body:
        assert paragraph.tag == ns + "p"
        leading = []
        if not (paragraph.text or "").strip():
            for child in paragraph:
                if child.tag != ns + "milestone":
                    break
                leading.append(child)
                if (child.tail or "").strip():
                    break
        if leading:  # a paragraph only for the witnesses named; the others run on into it
            named = [m for m in leading if names_me(m)]
            pending = begun(named[0], named[0].get("n")) if named else None
        else:  # a paragraph for every witness
            pending = begun(paragraph, paragraph.get("n") if siglum == base else None)
        read(paragraph)
    return paragraphs


def paragraphs_of(tokens) -> list[dict]:
    """A witness's tokens as ``witness_in_tei`` gives them: paragraph by paragraph (block), line by line."""
    found: list[dict] = []
    for token in tokens:
        if not found or token.block != found[-1]["n"]:
            found.append({"n": token.block, "editorial": token.editorial_break, "lines": [[]]})
        elif token.line_start:
            found[-1]["lines"].append([])
        found[-1]["lines"][-1].append(token.text)
    return found


def assert_keeps_paragraphs(body, sigla: list[str], base: str, texts) -> None:
    """Each witness's TEI is its text, word for word, in its paragraphs and lines, with the block and
    editorial break the file gives each (every paragraph of the base is named)."""
    for siglum, tokens in zip(sigla, texts):
        read, expected = witness_in_tei(body, siglum, base), paragraphs_of(tokens)
        assert [p["lines"] for p in read] == [p["lines"] for p in expected], siglum
        for got, want in zip(read, expected):
            assert got["n"] in (None, want["n"]) and got["editorial"] in (None, want["editorial"]), (siglum, got, want)
        if siglum == base:
            assert None not in [p["n"] for p in read]


WORDS = "أكد الوزراء أن التحالف سيواصل جهوده ضد التنظيم في العراق وسوريا لحماية الأموال المنهوبة".split()


def paragraphs(*blocks) -> tuple:
    """A witness of several paragraphs, each (block id, words[, True: begun by the editors])."""
    return blocks


def paragraph_tokens(blocks: tuple) -> tuple:
    """A witness of ``paragraphs`` as the collation's tokens."""
    found = []
    for block, words, *editorial in blocks:
        nodes, problems = parse_inline(" ".join(words))
        assert not problems
        found += collation.line_tokens(nodes, block, **({"editorial_break": True} if editorial else {}))
    return tuple(found)


# each case: the witnesses (the first is the base), the body's <p>s as (n, rend), and its paragraph
# milestones in document order as (where: p, lem or rdg; edRef; n; rend)
PARAGRAPH_CASES = {
    "agreeing": (
        [paragraphs(("p1", WORDS[:7]), ("p2", WORDS[7:])), paragraphs(("p1", WORDS[:7]), ("p2", WORDS[7:]))],
        [("p1", None), ("p2", None)], []),
    "another witness begins a paragraph where the base runs on": (
        [paragraphs(("p1", WORDS)), paragraphs(("p1", WORDS[:7]), ("p2", WORDS[7:]))],
        [("p1", None)], [("p", "#w001", "p2", None)]),
    "the base begins a paragraph where another runs on": (
        [paragraphs(("p1", WORDS[:7]), ("p2", WORDS[7:])), paragraphs(("p1", WORDS))],
        [("p1", None), ("p2", None)], [("p", "#w000", "p2", None)]),
    "the base's paragraph begins inside a variant place": (
        [paragraphs(("p1", WORDS[:6] + ["بقوة"]), ("p2", ["كبيرة"] + WORDS[6:])),
         paragraphs(("p1", WORDS[:6] + ["بعزم", "شديد"] + WORDS[6:]))],
        [("p1", None)], [("lem", "#w000", "p2", None)]),
    "another witness's paragraph begins inside a variant place": (
        [paragraphs(("p1", WORDS[:6] + ["بقوة", "كبيرة"] + WORDS[6:])),
         paragraphs(("p4", WORDS[:6] + ["بعزم"]), ("p5", ["شديد"] + WORDS[6:]))],
        [("p1", None)], [("rdg", "#w001", "p5", None)]),
    "a paragraph the editors began in the base only": (
        [paragraphs(("p1", WORDS[:7]), ("p2", WORDS[7:], True)), paragraphs(("p1", WORDS[:7]), ("p2", WORDS[7:]))],
        [("p1", None), ("p2", "editorial-break")],
        [("p", "#w000", "p2", "editorial-break"), ("p", "#w001", "p2", None)]),
    "a paragraph the editors began in every witness": (
        [paragraphs(("p1", WORDS[:7]), ("p2", WORDS[7:], True)),
         paragraphs(("p1", WORDS[:7]), ("p2", WORDS[7:], True))],
        [("p1", None), ("p2", "editorial-break")], []),
    "another witness's words before the base's first": (
        [paragraphs(("p1", WORDS)), paragraphs(("d", ["الكويت", "-", "سعد", "العجيبان:"]), ("p1", WORDS))],
        [(None, None), ("p1", None)], []),
    "the base's text begins inside another's paragraph": (
        [paragraphs(("p1", WORDS[3:])), paragraphs(("p1", WORDS))],
        [(None, None), ("p1", None)], [("p", "#w000", "p1", None)]),
    "three witnesses, one running on": (
        [paragraphs(("p1", WORDS[:7]), ("p2", WORDS[7:])), paragraphs(("p3", WORDS[:7]), ("p4", WORDS[7:])),
         paragraphs(("p1", WORDS))],
        [("p1", None), ("p2", None)], [("p", "#w000", "p2", None), ("p", "#w001", "p4", None)]),
}


def paragraph_case(name: str):
    """(witnesses' tokens, collation, sigla, TEI) of a case of ``PARAGRAPH_CASES``."""
    from lxml import etree

    from edition import collation_export
    texts = [paragraph_tokens(blocks) for blocks in PARAGRAPH_CASES[name][0]]
    sigla = [f"{w:03d}" for w in range(len(texts))]
    result = collation.collate(dict(zip(sigla, texts)), sigla[0])
    tei = etree.fromstring(collation_export.tei(result, sigla, sigla, "t"))
    return texts, result, sigla, tei


@pytest.mark.parametrize("name", PARAGRAPH_CASES)
def test_the_tei_keeps_every_witness_s_paragraphs(name):
    from edition.collation_export import TEI
    _, expected_paragraphs, expected_milestones = PARAGRAPH_CASES[name]
    texts, result, sigla, tei = paragraph_case(name)
    body = tei.find(f".//{{{TEI}}}body")
    assert_keeps_paragraphs(body, sigla, sigla[0], texts)
    assert [(p.get("n"), p.get("rend")) for p in body] == expected_paragraphs
    assert [(m.getparent().tag.split("}")[1], m.get("edRef"), m.get("n"), m.get("rend"))
            for m in body.iter(f"{{{TEI}}}milestone")] == expected_milestones


def test_the_kuwait_tei_keeps_both_reports_paragraphs():
    """The final statement (the base) gives the <p>s; the other report's paragraphs begin where it says."""
    from lxml import etree

    from edition import collation_export
    texts = {slug: real_tokens(slug) for slug in KUWAIT}
    result = collation.collate(texts, KUWAIT[0])
    tei = etree.fromstring(collation_export.tei(result, ["004", "003"], ["a", "b"], "t"))
    ns = {"tei": collation_export.TEI}
    body = tei.find(".//tei:body", ns)
    assert_keeps_paragraphs(body, ["004", "003"], "004", texts.values())
    base_blocks = [p["n"] for p in paragraphs_of(texts[KUWAIT[0]])]
    opened = [p for p in body if p.get("n")]  # the base's paragraphs that begin a <p>, and those inside a place
    named = [p.get("n") for p in opened] + [m.get("n") for m in body.iterfind(".//tei:lem/tei:milestone", ns)]
    assert sorted(named, key=base_blocks.index) == base_blocks == ["p1", "p2", "p3", "p4", "p5", "p6", "p7"]
    # the statement's paragraphs after the first were begun by the editors; the report's p12 too
    assert [p.get("rend") for p in opened] == [None] + ["editorial-break"] * (len(opened) - 1)
    assert body.find(".//tei:milestone[@edRef='#w003'][@n='p12']", ns).get("rend") == "editorial-break"
    assert body.find(".//tei:milestone[@edRef='#w003'][@n='p14']", ns).get("rend") is None


def test_the_tokens_say_which_paragraphs_the_editors_began():
    tokens = real_tokens(KUWAIT[0])
    assert [t.block for t in tokens if t.editorial_break] == ["p2", "p3", "p4", "p5", "p6", "p7"]
    assert sum(t.editorial_break for t in tokens) == 6  # the first token of each, only


@pytest.mark.parametrize("name", PARAGRAPH_CASES)
def test_the_json_marks_where_each_witness_s_paragraphs_begin(name):
    import json

    from edition import collation_export
    texts, result, sigla, _ = paragraph_case(name)
    table = json.loads(collation_export.alignment_json(result, sigla))
    for index, tokens in enumerate(texts):
        cells = [cell for row in table["table"][index] for cell in (row or [])]
        assert [cell["t"] for cell in cells] == [token.text for token in tokens]
        expected = paragraphs_of(tokens)
        assert [(cell["block"], cell.get("editorial_break", False)) for cell in cells if cell.get("p")] == \
            [(p["n"], p["editorial"]) for p in expected]
        assert [cell["t"] for cell in cells if cell.get("p")] == [p["lines"][0][0] for p in expected]
        assert all(cell.get("p") for cell in cells if cell.get("editorial_break"))
