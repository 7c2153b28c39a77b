"""The W3C Web Annotations: expanded by a JSON-LD processor (pyld), every selector finds its exact
text, with its prefix and suffix, at its position in the paragraph's text taken from the built HTML.

No network: the W3C context (http://www.w3.org/ns/anno.jsonld) is not bundled with pyld and
cannot be fetched here, so the document loader serves LOCAL_CONTEXT, a subset written for this
test that maps the terms the exports use to the same IRIs as the W3C context; any other address
fails the test.
"""
import json
import re
from urllib.parse import urlsplit

import lxml.html
import pytest
from pyld import jsonld

from edition.pipeline import build

from conftest import ROOT

BASE = "https://example.org/edition/"
OA, AS, RDF, DC = ("http://www.w3.org/ns/oa#", "http://www.w3.org/ns/activitystreams#",
                   "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://purl.org/dc/elements/1.1/")
LOCAL_CONTEXT = {"@context": {
    "oa": OA, "as": AS, "rdf": RDF, "dc": DC, "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "id": {"@type": "@id", "@id": "@id"}, "type": {"@type": "@id", "@id": "@type"},
    "Annotation": "oa:Annotation", "TextualBody": "oa:TextualBody", "TextQuoteSelector": "oa:TextQuoteSelector",
    "TextPositionSelector": "oa:TextPositionSelector", "AnnotationCollection": "as:OrderedCollection",
    "AnnotationPage": "as:OrderedCollectionPage",
    "commenting": "oa:commenting", "describing": "oa:describing", "editing": "oa:editing", "identifying": "oa:identifying",
    "body": {"@type": "@id", "@id": "oa:hasBody"}, "target": {"@type": "@id", "@id": "oa:hasTarget"},
    "source": {"@type": "@id", "@id": "oa:hasSource"}, "selector": {"@type": "@id", "@id": "oa:hasSelector"},
    "motivation": {"@type": "@vocab", "@id": "oa:motivatedBy"}, "purpose": {"@type": "@vocab", "@id": "oa:hasPurpose"},
    "items": {"@type": "@id", "@id": "as:items", "@container": "@list"}, "partOf": {"@type": "@id", "@id": "as:partOf"},
    "first": {"@type": "@id", "@id": "as:first"}, "last": {"@type": "@id", "@id": "as:last"},
    "next": {"@type": "@id", "@id": "as:next"}, "prev": {"@type": "@id", "@id": "as:prev"},
    "format": "dc:format", "language": "dc:language", "value": "rdf:value", "start": "oa:start", "end": "oa:end",
    "exact": "oa:exact", "prefix": "oa:prefix", "suffix": "oa:suffix", "label": "rdfs:label", "total": "as:totalItems"}}


def offline_loader(url, options=None):
    if url != "http://www.w3.org/ns/anno.jsonld":
        raise AssertionError(f"the test would fetch {url}")
    return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url, "document": LOCAL_CONTEXT}


NOTE = """id: on-kerry
title: {ar: عن كيري, en: On Kerry}
anchors:
  - report: sample
    paragraphs: [p2]
note: {ar: "ملاحظة <b>على</b> الفقرة.", en: "A note on the paragraph & its *words*."}
"""


@pytest.fixture(scope="module")
def mini_files(tmp_path_factory):
    import shutil
    from conftest import FIXTURES
    project = tmp_path_factory.mktemp("anno") / "mini"
    shutil.copytree(FIXTURES / "mini", project)
    shutil.copytree(ROOT / "templates", project / "templates")
    (project / "node_modules").symlink_to(ROOT / "node_modules")
    (project / "content" / "notes").mkdir()
    (project / "content" / "notes" / "on-kerry.yaml").write_text(NOTE, encoding="utf-8")
    return build(project, base_url=BASE).files


@pytest.fixture(scope="module")
def edition_files():
    return build(ROOT, base_url=BASE).files


def expanded(files, path):
    return jsonld.expand(json.loads(files[path]), {"documentLoader": offline_loader, "base": BASE + path})


def site_path(url):
    """The site path and fragment of an absolute address of the site."""
    assert url.startswith(BASE), url
    parts = urlsplit(url[len(BASE):])
    return parts.path + ("index.html" if parts.path.endswith("/") or not parts.path else ""), parts.fragment


def published_text(files, cache, url):
    """The text of the paragraph ``url`` names, taken from the built page: the column in the page's
    language (a title: the h1), its text content without leading and trailing white space."""
    path, fragment = site_path(url)
    if path not in cache:
        cache[path] = lxml.html.fromstring(files[path].decode("utf-8"))
    page = cache[path]
    element = page.get_element_by_id(fragment)
    lang = page.get("lang")
    column = element.xpath(f'./div[contains(concat(" ", @class, " "), " col-{lang} ")]')
    return (column[0] if column else element).text_content().strip()


def one(node, key):
    values = node[key]
    assert len(values) == 1, (key, values)
    return values[0]


def annotations_of(files, lang):
    """Every annotation of a language's collection, expanded, following the collection's pages."""
    [collection] = expanded(files, f"data/annotations/{lang}/index.jsonld")
    assert collection["@type"] == [AS + "OrderedCollection"]
    page_url, found = one(collection, AS + "first")["@id"], []
    while page_url:
        page = expanded(files, site_path(page_url)[0])[0]
        assert page["@type"] == [AS + "OrderedCollectionPage"]
        assert one(page, AS + "partOf")["@id"] == collection["@id"]
        found += one(page, AS + "items")["@list"]
        page_url = page[AS + "next"][0]["@id"] if AS + "next" in page else None
    assert len(found) == one(collection, AS + "totalItems")["@value"]
    return found


def check_selectors(files, annotations):
    """Every target's quote and position against the paragraph's text as published."""
    pages, checked = {}, 0
    for annotation in annotations:
        for target in annotation[OA + "hasTarget"]:
            text = published_text(files, pages, one(target, OA + "hasSource")["@id"])
            selectors = {one(s, "@type"): s for s in target[OA + "hasSelector"]}
            quote, position = selectors[OA + "TextQuoteSelector"], selectors[OA + "TextPositionSelector"]
            start, end = one(position, OA + "start")["@value"], one(position, OA + "end")["@value"]
            exact, prefix, suffix = (one(quote, OA + key)["@value"] for key in ("exact", "prefix", "suffix"))
            assert exact and text[start:end] == exact, (annotation["@id"], text, start, end, exact)
            assert text[:start].endswith(prefix) and text[end:].startswith(suffix), annotation["@id"]
            checked += 1
    return checked


def motivation(annotation):
    return one(annotation, OA + "motivatedBy")["@id"].removeprefix(OA)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_every_selector_of_the_fixture_finds_its_text_where_it_says(mini_files, lang):
    annotations = annotations_of(mini_files, lang)
    assert check_selectors(mini_files, annotations) >= len(annotations)
    kinds = {motivation(a) for a in annotations}
    assert kinds == {"identifying", "describing", "editing", "commenting"}


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_every_selector_of_the_edition_finds_its_text_where_it_says(edition_files, lang):
    annotations = annotations_of(edition_files, lang)
    assert len(annotations) > 100
    check_selectors(edition_files, annotations)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_each_mention_on_a_page_is_one_identifying_annotation_with_the_entry_as_body(mini_files, lang):
    page = lxml.html.fromstring(mini_files[f"{lang}/reports/sample/index.html"].decode("utf-8"))
    links = page.xpath(f'//*[contains(@class, "col-{lang}")]//a[@class="mention"]/@href | //h1//a[@class="mention"]/@href')
    identifying = [a for a in annotations_of(mini_files, lang) if motivation(a) == "identifying"]
    assert sorted(urlsplit(one(a, OA + "hasBody")["@id"]).path for a in identifying) == sorted(links)
    assert len(links) >= 5


def test_corrections_are_editing_with_the_reading_and_target_the_arabic_page(mini_files):
    for lang in ("ar", "en"):
        editing = [a for a in annotations_of(mini_files, lang) if motivation(a) == "editing"]
        assert len(editing) == 1
        target = one(editing[0], OA + "hasTarget")
        assert one(target, OA + "hasSource")["@id"] == BASE + "ar/reports/sample/#p2"
        bodies = {one(b, OA + "hasPurpose")["@id"].removeprefix(OA): b for b in editing[0][OA + "hasBody"]}
        assert one(bodies["editing"], RDF + "value")["@value"] == "الخاضعة"
        assert one(bodies["commenting"], DC + "language")["@value"] == lang
        quote = next(s for s in target[OA + "hasSelector"] if one(s, "@type") == OA + "TextQuoteSelector")
        assert one(quote, OA + "exact")["@value"] == "الخاصعة"


def test_glosses_describe_every_mention_of_their_entry_in_the_language(mini_files):
    describing = [a for a in annotations_of(mini_files, "en") if motivation(a) == "describing"]
    kerry = next(a for a in describing if one(one(a, OA + "hasBody"), "http://www.w3.org/2000/01/rdf-schema#label")
                 ["@value"] == "John Kerry")
    identifying = [a for a in annotations_of(mini_files, "en") if motivation(a) == "identifying"
                   and one(a, OA + "hasBody")["@id"].endswith("/john-kerry/")]
    assert len(kerry[OA + "hasTarget"]) == len(identifying) >= 2
    body = one(kerry, OA + "hasBody")
    assert one(body, DC + "language")["@value"] == "en"


def test_a_note_comments_on_its_whole_paragraph_with_the_html_the_notes_page_shows(mini_files):
    for lang in ("ar", "en"):
        page = json.loads(mini_files[f"data/annotations/{lang}/sample.jsonld"])
        note = next(a for a in page["items"] if a["motivation"] == "commenting")
        shown = mini_files[f"{lang}/notes/index.html"].decode("utf-8")
        section = shown[shown.index('id="note-on-kerry"'):]
        assert note["body"]["format"] == "text/html"
        assert section[section.index('<div class="ed-note-text">') + 26:].startswith(note["body"]["value"] + "</div>")
        position = next(s for s in note["target"]["selector"] if s["type"] == "TextPositionSelector")
        text = published_text(mini_files, {}, note["target"]["source"])
        assert (position["start"], position["end"]) == (0, len(text))
    ar = json.loads(mini_files["data/annotations/ar/sample.jsonld"])
    body = next(a for a in ar["items"] if a["motivation"] == "commenting")["body"]["value"]
    shown = lxml.html.fragment_fromstring(body, create_parent="div")
    assert "<b>على</b>" in shown.text_content() and not shown.xpath("//b")  # raw HTML is text, as on the page


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_gloss_is_the_html_its_entry_page_shows_and_a_script_in_it_is_text(mini_files, lang):
    page = json.loads(mini_files[f"data/annotations/{lang}/sample.jsonld"])
    describing = [a for a in page["items"] if a["motivation"] == "describing"]
    assert len(describing) >= 4
    for annotation in describing:
        entry = mini_files[site_path(annotation["target"][0]["source"])[0]]  # (the report page: its mention's entry)
        shown = lxml.html.fromstring(entry.decode("utf-8"))
        [link] = {a.get("href") for a in shown.xpath("//a[@class='mention']")
                  if a.text_content() == annotation["target"][0]["selector"][0]["exact"]} or [None]
        assert link, annotation["id"]
        entity_page = mini_files[link.removeprefix("/edition/").lstrip("/") + "index.html"].decode("utf-8")
        gloss = entity_page[entity_page.index('<div class="gloss-text">') + 24:]
        assert annotation["body"]["format"] == "text/html"
        assert gloss.startswith(annotation["body"]["value"] + "</div>"), annotation["body"]
    kerry = next(a["body"]["value"] for a in describing if a["body"]["label"] in ("John Kerry", "جون كيري"))
    shown = lxml.html.fragment_fromstring(kerry, create_parent="div")
    assert "<script>alert(1)</script>" in shown.text_content() and not shown.xpath("//script")


@pytest.mark.parametrize("fixture", ["mini_files", "edition_files"])
def test_a_corrections_comment_is_plain_text_with_its_grounds_as_the_page_says_them(fixture, request):
    files, said = request.getfixturevalue(fixture), []
    for path in [p for p in files if p.startswith("data/annotations/") and not p.endswith("index.jsonld")]:
        lang, slug = path.split("/")[2], path.split("/")[3].removesuffix(".jsonld")
        shown = lxml.html.fromstring(files[f"{lang}/reports/{slug}/index.html"].decode("utf-8"))
        apparatus = [" ".join(row.text_content().split()) for row in shown.xpath("//tr[starts-with(@id, 'corr-')]")]
        for editing in [a for a in json.loads(files[path])["items"] if a["motivation"] == "editing"]:
            for comment in [b for b in editing["body"] if b["purpose"] == "commenting"]:
                assert comment["format"] == "text/plain"
                assert ("; " in comment["value"]) <= (lang == "en") and ("؛ " in comment["value"]) <= (lang == "ar")
                for part in re.split("[;؛] ", comment["value"]):  # in the row of the apparatus of that correction
                    assert any(" ".join(part.split()) in row for row in apparatus), (path, part)
                    said.append(part)
    assert len(said) >= 2