"""Plain data (each report as text and JSON, its CSL-JSON, the register of entries as CSV and
JSON), the Data pages and their registry, a report's downloads, authority identifiers and the
version on every page: on the fixture project and on the edition."""
import csv
import io
import json
import subprocess
import sys
import time

import lxml.html
import pytest

from edition import dataexport
from edition.pipeline import build

from conftest import ROOT

BASE = "https://example.org/edition/"


def text_of(files, path, block, lang):
    """A block's text on a built page, as a reader selects it (the column in the page's language)."""
    page = lxml.html.fromstring(files[path].decode("utf-8"))
    element = page.get_element_by_id(block)
    column = element.xpath(f'./div[contains(concat(" ", @class, " "), " col-{lang} ")]')
    return (column[0] if column else element).text_content().strip()


def json_ld(files, path):
    page = lxml.html.fromstring(files[path].decode("utf-8"))
    return [json.loads(s.text) for s in page.xpath('//script[@type="application/ld+json"]')]


def set_in_yaml(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def versioned(mini):
    (mini / "config.yaml").write_text((mini / "config.yaml").read_text(encoding="utf-8")
                                      + 'version: "2.3"\ndate: "2026-12-01"\n', encoding="utf-8")
    return mini


# ---------------------------------------------------------------- a report

def test_a_reports_json_holds_both_languages_as_published_with_its_apparatus(mini):
    files = build(mini, base_url=BASE).files
    data = json.loads(files["data/reports/sample.json"])
    assert data["metadata"]["title"] == {"ar": "تقرير تجريبي", "en": "A sample report", "supplied": True}
    assert [b["id"] for b in data["blocks"]] == ["d", "p1", "p2", "s1"]
    for block in data["blocks"]:
        for lang in ("ar", "en"):
            assert block[lang]["text"] == text_of(files, f"{lang}/reports/sample/index.html", block["id"], lang)
            assert block[lang]["url"] == f"{BASE}{lang}/reports/sample/#{block['id']}"
    p2 = data["blocks"][2]
    assert p2["number"] == 2 and p2["editorial_break"] and data["apparatus"]["editorial_breaks"] == ["p2"]
    [correction] = p2["ar"]["corrections"]
    assert (correction["printed"], correction["reading"], correction["type"]) == ("الخاصعة", "الخاضعة", "misprint")
    assert p2["ar"]["text"][correction["start"]:correction["end"]] == "الخاصعة"
    kerry = next(m for m in p2["en"]["mentions"] if m["entity"] == "john-kerry")
    assert p2["en"]["text"][kerry["start"]:kerry["end"]] == "Kerry"
    assert data["apparatus"]["omissions"][0]["text"] == "السبت. يناير 1st, 2000"


def test_a_paragraph_of_many_emphases_is_published_in_linear_time():
    """A block's published text counted its length from all its parts again at every node: a
    paragraph of 200,000 emphases (an 800 KB line, within the size a source may have) kept a build
    busy for more than five minutes."""
    from edition.content import Block
    from edition.inline import parse_inline
    from edition.published import make_published
    nodes, problems = parse_inline("*a* " * 50_000 + '[x]{corr="y" type="misprint"}')
    assert problems == []
    started = time.perf_counter()
    published = make_published(Block("p1", (), [nodes], 1), {"editorial_break": "", "omit_word": ""})
    assert time.perf_counter() - started < 5
    assert published.text == "a " * 50_000 + "x⟨y⟩"
    assert [(span.node.kind, span.start, span.end) for span in published.spans] == [("sic", 100_000, 100_001)]


def test_a_reports_text_file_is_its_text_as_each_page_shows_it(mini):
    files = build(mini, base_url=BASE).files
    for lang in ("ar", "en"):
        text = files[f"data/reports/sample.{lang}.txt"].decode("utf-8")
        assert f"{BASE}{lang}/reports/sample/" in text
        for block, label in (("d", "d"), ("p1", "1"), ("p2", "2"), ("s1", "s1")):
            assert f"[{label}] {text_of(files, f'{lang}/reports/sample/index.html', block, lang)}\n" in text


def test_a_reports_csl_json_has_its_address_and_the_editions_version(versioned):
    files = build(versioned, base_url=BASE).files
    [item] = json.loads(files["data/reports/sample.csl.json"])
    assert item["URL"] == BASE + "ar/reports/sample/"
    assert "version 2.3" in item["note"] and "{" not in item["note"] and "accessed" not in item
    assert item["issued"] == {"literal": "[2016-07-23]"}  # an inferred date stays bracketed


# ---------------------------------------------------------------- the register of entries

def test_csv_cells_that_a_spreadsheet_would_run_are_neutralized(mini):
    set_in_yaml(mini / "content/annotations/mosul.yaml", "gloss: {ar: مدينة في شمال العراق., en: A city in northern Iraq.}",
                'gloss: {ar: مدينة في شمال العراق., en: "=HYPERLINK(\\"http://evil.example\\",\\"x\\")"}')
    set_in_yaml(mini / "content/annotations/mosul.yaml", "  - citation: A gazetteer.", "  - citation: \"@SUM(1+1)\"")
    files = build(mini, base_url=BASE).files
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(files["data/entries.csv"].decode("utf-8")))}
    assert rows["mosul"]["gloss_en"] == "'=HYPERLINK(\"http://evil.example\",\"x\")"
    assert rows["mosul"]["sources"] == "'@SUM(1+1)"
    assert rows["mosul"]["name_en"] == "Mosul" and rows["raqqa"]["kind"] == "place"
    entries = {e["id"]: e for e in json.loads(files["data/entries.json"])["entries"]}
    assert rows["john-kerry"]["mentions_en"] == str(entries["john-kerry"]["mentions"]["en"]) != "0"
    assert entries["mosul"]["gloss"]["en"].startswith("=HYPERLINK")  # JSON is data: kept as written


@pytest.mark.parametrize("cell, shown", [("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@a", "'@a"),
                                         ("\tx", "'\tx"), ("\rx", "'\rx"), ("a=1", "a=1"), ("", ""), (3, "3")])
def test_a_cell_is_neutralized_only_when_it_starts_a_formula(cell, shown):
    assert dataexport.neutral(cell) == shown


def test_the_register_counts_each_entrys_mentions_as_its_page_does(mini):
    files = build(mini, base_url=BASE).files
    for entry in json.loads(files["data/entries.json"])["entries"]:
        for lang in ("ar", "en"):
            page = files[f"{lang}/{'meetings' if entry['kind'] == 'meeting' else 'entities'}/{entry['id']}/index.html"]
            shown = lxml.html.fromstring(page.decode("utf-8")).xpath('count(//ul[@class="kwic"]/li)')
            assert entry["mentions"][lang] == shown, (entry["id"], lang)


# ---------------------------------------------------------------- the Data pages and the registry

def test_the_data_page_lists_every_data_file_with_its_size_and_as_a_dataset(mini):
    files = build(mini, base_url=BASE).files
    data = sorted(path for path in files if path.startswith("data/"))
    assert len(data) == 12  # 4 of the report and its 2 annotation pages, 2 collections, 2 registers, 2 TEI
    for lang in ("ar", "en"):
        page = lxml.html.fromstring(files[f"{lang}/data/index.html"].decode("utf-8"))
        links = page.xpath('//article[@class="data"]//a/@href')
        assert sorted(links) == sorted("/edition/" + path for path in data)
        rows = {row.xpath(".//a/@href")[0]: row.xpath("./td[2]")[0].text_content() for row in page.xpath("//tbody/tr")}
        size = len(files["data/entries.csv"])
        assert size > 1024 and rows["/edition/data/entries.csv"] == (
            f"{size / 1024:.1f} KiB" if lang == "en" else f"{size / 1024:.1f} كيلوبايت")
        [dataset] = json_ld(files, f"{lang}/data/index.html")
        assert dataset["@type"] == "Dataset" and dataset["url"] == f"{BASE}{lang}/data/"
        assert {d["contentUrl"]: d["contentSize"] for d in dataset["distribution"]} == \
            {BASE + path: f"{len(files[path])} B" for path in data}


def test_above_the_limit_a_per_report_kind_is_one_line_with_its_count_and_size(mini, monkeypatch):
    """A large edition's Data page lists the edition-wide files one by one, and each kind of file
    made per report as one line (how many, their size in all, their paths); its Dataset names
    the files it lists."""
    from edition import views
    monkeypatch.setattr(views, "LISTED_UP_TO", 0)
    files = build(mini, base_url=BASE).files
    data = sorted(path for path in files if path.startswith("data/"))
    whole = [path for path in data if "sample" not in path]  # made from the whole edition
    assert len(whole) == 5 and len(data) - len(whole) == 7
    for lang, count in (("ar", "ملف واحد"), ("en", "1 file")):
        page = lxml.html.fromstring(files[f"{lang}/data/index.html"].decode("utf-8"))
        assert sorted(page.xpath('//article[@class="data"]//a/@href')) == sorted("/edition/" + path for path in whole)
        lines = {s.xpath("string(.//code)"): " ".join(s.text_content().split()) for s in page.xpath('//p[@class="data-summary"]')}
        assert sorted(lines) == sorted(["data/tei/*.xml", "data/annotations/ar/*.jsonld", "data/annotations/en/*.jsonld",
                                        "data/reports/*.csl.json", "data/reports/*.json", "data/reports/*.ar.txt",
                                        "data/reports/*.en.txt"])
        tei = [path for path in data if path.startswith("data/tei/") and path != "data/tei/edition.xml"]
        assert tei == ["data/tei/sample.xml"]
        size = len(files[tei[0]])
        shown = f"{size / 1024:.1f} KiB" if lang == "en" else f"{size / 1024:.1f} كيلوبايت"
        assert any(count in line and shown in line for pattern, line in lines.items() if pattern.startswith("data/tei/"))
        [dataset] = json_ld(files, f"{lang}/data/index.html")
        assert sorted(d["contentUrl"] for d in dataset["distribution"]) == sorted(BASE + path for path in whole)


def test_the_data_page_written_in_pieces_is_the_page_rendered_whole(mini, monkeypatch):
    """The Data page is written a few characters at a time (it grows with the edition): the same
    bytes as the page made in one piece, Arabic characters cut between pieces or not."""
    from edition import render
    pages = [f"{lang}/data/index.html" for lang in ("ar", "en")]
    whole = build(mini, base_url=BASE).files
    monkeypatch.setattr(render.Renderer, "page_parts", lambda self, *a: [self.page(*a)])
    assert [build(mini, base_url=BASE).files[page] for page in pages] == [whole[page] for page in pages]
    monkeypatch.undo()
    monkeypatch.setattr(render, "CHUNK", 7)
    assert [build(mini, base_url=BASE).files[page] for page in pages] == [whole[page] for page in pages]


def test_a_file_another_export_writes_under_data_joins_the_data_page(mini, monkeypatch):
    made = dataexport.report_files
    monkeypatch.setattr(dataexport, "report_files",
                        lambda views, report, exported=None: {**made(views, report, exported),
                                                              f"data/tei/{report.slug}.xml": b"<TEI/>\n",
                                                              "data/unknown.bin": b"\x00"})
    files = build(mini, base_url=BASE).files
    page = files["en/data/index.html"].decode("utf-8")
    assert "A report in TEI P5" in page and 'href="/edition/data/tei/sample.xml"' in page
    assert "Other data" in page and 'href="/edition/data/unknown.bin"' in page
    [dataset] = json_ld(files, "en/data/index.html")
    tei = next(d for d in dataset["distribution"] if d["contentUrl"].endswith("tei/sample.xml"))
    assert tei["encodingFormat"] == "application/tei+xml" and tei["contentSize"] == "7 B"


def test_a_report_page_offers_its_own_data_files(mini):
    files = build(mini, base_url=BASE).files
    for lang in ("ar", "en"):
        page = lxml.html.fromstring(files[f"{lang}/reports/sample/index.html"].decode("utf-8"))
        links = sorted(page.xpath('//section[@class="downloads"]//li/a/@href'))
        assert links == sorted("/edition/data/" + name for name in (
            "reports/sample.json", "reports/sample.csl.json", "reports/sample.ar.txt", "reports/sample.en.txt",
            "annotations/ar/sample.jsonld", "annotations/en/sample.jsonld", "tei/sample.xml"))
        assert all(link.removeprefix("/edition/") in files for link in links)


def test_exports_escape_what_their_format_needs(mini):
    set_in_yaml(mini / "content/annotations/mosul.yaml", "gloss: {ar: مدينة في شمال العراق., en: A city in northern Iraq.}",
                'gloss: {ar: مدينة في شمال العراق., en: "A city </script><script>alert(1)</script> \\" \\\\ \\u2028 end"}')
    files = build(mini, base_url=BASE).files
    entries = {e["id"]: e for e in json.loads(files["data/entries.json"])["entries"]}
    assert entries["mosul"]["gloss"]["en"] == 'A city </script><script>alert(1)</script> " \\ \u2028 end'
    annotations = json.loads(files["data/annotations/en/sample.jsonld"])
    [gloss] = [item["body"]["value"] for item in annotations["items"]
               if isinstance(item["body"], dict) and item["body"].get("label") == "Mosul"]
    assert "<script" not in gloss and "</script" not in gloss  # HTML, as the page shows it: the tags are text
    assert lxml.html.fragment_fromstring(gloss, create_parent="div").text_content().startswith(
        'A city </script><script>alert(1)</script> " \\ \u2028 end')
    page = files["en/data/index.html"].decode("utf-8")
    assert "<script>alert" not in page
    entry_page = files["en/entities/mosul/index.html"].decode("utf-8")
    assert "<script>alert" not in entry_page


# ---------------------------------------------------------------- authority identifiers

def test_an_entrys_identifiers_are_shown_linked_and_written_as_same_as(mini):
    set_in_yaml(mini / "content/annotations/mosul.yaml", "country:", "identifiers: {wikidata: Q987654321, geonames: 12345678}\ncountry:")
    files = build(mini, base_url=BASE).files
    for lang in ("ar", "en"):
        page = lxml.html.fromstring(files[f"{lang}/entities/mosul/index.html"].decode("utf-8"))
        assert page.xpath('//ul[@class="identifiers"]//a/@href') == [
            "https://www.wikidata.org/wiki/Q987654321", "https://www.geonames.org/12345678/"]
        [data] = json_ld(files, f"{lang}/entities/mosul/index.html")
        assert data["sameAs"] == ["https://www.wikidata.org/wiki/Q987654321", "https://www.geonames.org/12345678/"]
        [other] = json_ld(files, f"{lang}/entities/raqqa/index.html")
        assert "sameAs" not in other
        assert not lxml.html.fromstring(files[f"{lang}/entities/raqqa/index.html"].decode()).xpath('//ul[@class="identifiers"]')
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(files["data/entries.csv"].decode("utf-8")))}
    assert (rows["mosul"]["wikidata"], rows["mosul"]["viaf"], rows["mosul"]["geonames"]) == ("Q987654321", "", "12345678")


def test_a_malformed_identifier_is_one_error_line_at_its_place(mini):
    set_in_yaml(mini / "content/annotations/mosul.yaml", "country:", "identifiers: {wikidata: 'Q0', viaf: 'x1'}\ncountry:")
    (mini / "site").mkdir()
    (mini / "site" / "kept.html").write_text("old")
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--project", str(mini)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    line = (mini / "content/annotations/mosul.yaml").read_text(encoding="utf-8").splitlines()[4]
    assert errors == [
        f"content/annotations/mosul.yaml:5:{line.index(chr(39) + 'Q0') + 1}: error: identifiers.wikidata: 'Q0' does not have the expected form: a Wikidata item, e.g. Q42",
        f"content/annotations/mosul.yaml:5:{line.index(chr(39) + 'x1') + 1}: error: identifiers.viaf: 'x1' does not have the expected form: a VIAF cluster number"]
    assert "Traceback" not in result.stderr and (mini / "site" / "kept.html").read_text() == "old"


def test_the_edition_fills_no_identifier_it_cannot_cite():
    import yaml
    for path in sorted((ROOT / "content" / "annotations").glob("*.yaml")):
        assert "identifiers" not in yaml.safe_load(path.read_text(encoding="utf-8")), path.name


# ---------------------------------------------------------------- the version

def test_the_version_is_in_every_pages_footer(versioned):
    files = build(versioned, base_url=BASE).files
    pages = [path for path in files if path.endswith(".html")]
    for path in pages:
        footer = lxml.html.fromstring(files[path].decode("utf-8")).xpath('//footer//span[@class="version"]')
        shown = {f.text_content() for f in footer}
        assert shown in ({"Version 2.3"}, {"النسخة 2.3"}, {"Version 2.3", "النسخة 2.3"}), path
    assert len(pages) == 34


def test_without_a_version_no_footer_claims_one(mini):
    files = build(mini, base_url=BASE).files
    assert b'class="version"' not in files["en/index.html"]


# ---------------------------------------------------------------- the edition

def test_the_editions_data_files_are_all_listed_and_valid(built_site):
    data = sorted(p.relative_to(built_site).as_posix() for p in (built_site / "data").rglob("*") if p.is_file())
    reports = sorted(p.name for p in (ROOT / "content" / "reports").iterdir() if p.is_dir())
    assert len(data) == 4 + 1 + 2 + 7 * len(reports)  # collections, registers, TEI corpus, Kuwait collation; 7 per report
    for path in data:
        if path.endswith((".json", ".jsonld")):
            json.loads((built_site / path).read_text(encoding="utf-8"))
    page = (built_site / "en" / "data" / "index.html").read_text(encoding="utf-8")
    assert all(f'href="/{path}"' in page for path in data)
    for slug in reports:
        report = json.loads((built_site / "data" / "reports" / f"{slug}.json").read_text(encoding="utf-8"))
        html = lxml.html.fromstring((built_site / "ar" / "reports" / slug / "index.html").read_bytes().decode("utf-8"))
        for block in report["blocks"]:
            element = html.get_element_by_id(block["id"])
            column = element.xpath('./div[contains(@class, "col-ar")]')
            assert block["ar"]["text"] == (column[0] if column else element).text_content().strip()



def test_the_editions_exports_are_its_pages_text_and_a_lists_items_stay_apart(built_site):
    """Every block of every report's JSON, in both languages, is its page's text, and a list (the
    teasers under a headline) keeps its items apart there, in the .txt and in the JSON's
    ``text``: a page that ran them together made words no source has ("التنظيمسيطرة")."""
    checked_lists = 0
    for path in sorted((built_site / "data" / "reports").glob("*.json")):
        if path.name.endswith(".csl.json"):
            continue
        slug = path.name.removesuffix(".json")
        data = json.loads(path.read_text(encoding="utf-8"))
        for lang in ("ar", "en"):
            page = (built_site / lang / "reports" / slug / "index.html").read_bytes()
            tree = lxml.html.fromstring(page.decode("utf-8"))
            plain = (built_site / "data" / "reports" / f"{slug}.{lang}.txt").read_text(encoding="utf-8")
            for block in data["blocks"]:
                text = block[lang]["text"]
                assert text == text_of({"page": page}, "page", block["id"], lang), (slug, block["id"])
                items = tree.xpath(f'//*[@id="{block["id"]}"]/div[contains(@class, "col-{lang}")]//li')
                if items:
                    assert text.split("\n") == [item.text_content() for item in items]
                    assert len(items) > 1 and f"] {text}\n" in plain
                    checked_lists += 1
    assert checked_lists >= 2  # the teasers of a report, in both languages
