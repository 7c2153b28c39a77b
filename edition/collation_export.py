"""A word-by-word collation as data, linked from its page: TEI in parallel segmentation
(``<app>`` with the base's ``<lem>`` and each other witness's ``<rdg wit>``) and JSON in the
shape of CollateX's alignment table (``witnesses`` and, per witness, one cell per place: its
tokens there or null). Both list every token of every witness, in order. Where a block has several
lines (the teasers under a headline), a token that starts a line after the first is preceded by
``<lb/>`` in the TEI (``<lb edRef="#w…"/>`` where only some of the witnesses agreeing on the word
start a line there) and marked ``"lb": true`` in the JSON, so that the lines stay apart."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from . import datafiles
from .collation import Collation
from .urls import Urls

TEI = "http://www.tei-c.org/ns/1.0"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


datafiles.register(datafiles.DataKind(
    "collation-tei", Urls.collation_export("*", "tei.xml"), "application/tei+xml",
    {"ar": "مقابلة التقارير بترميز TEI P5 (التجزئة المتوازية)",
     "en": "A collation of the reports in TEI P5 (parallel segmentation)"}))
datafiles.register(datafiles.DataKind(
    "collation-json", Urls.collation_export("*", "json"), "application/json",
    {"ar": "مقابلة التقارير جدولَ محاذاة (JSON)", "en": "A collation of the reports as an alignment table (JSON)"}))


def files(views) -> list[tuple[str, bytes]]:
    """The export files of every word-by-word collation group."""
    found = []
    for group in views.catalog.collation_groups():
        if group.kind != "word":
            continue
        result = views.collated(group)
        sigla = [views.siglum(slug) for slug in group.witnesses]
        titles = [views.catalog.summary(slug).title["en"] for slug in group.witnesses]
        found.append((Urls.collation_export(group.id, "json"), alignment_json(result, sigla)))
        found.append((Urls.collation_export(group.id, "tei.xml"),
                      tei(result, sigla, titles, views.collation_title(group, "en"))))
    return found


def alignment_json(result: Collation, sigla: list[str]) -> bytes:
    table = [[[token_json(token) for token in place.readings[w]] or None
              for place in result.places] for w in range(len(sigla))]
    data = {"witnesses": sigla, "base": sigla[result.witnesses.index(result.base)],
            "places": [place.kind for place in result.places], "table": table}
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def token_json(token) -> dict:
    found = {"t": token.text, "n": token.norm, "block": token.block}
    if token.line_start:
        found["lb"] = True
    return found


def tei(result: Collation, sigla: list[str], titles: list[str], title: str) -> bytes:
    ET.register_namespace("", TEI)
    q = lambda name: f"{{{TEI}}}{name}"  # noqa: E731
    root = ET.Element(q("TEI"), {XML_LANG: "en"})
    file_desc = ET.SubElement(ET.SubElement(root, q("teiHeader")), q("fileDesc"))
    ET.SubElement(ET.SubElement(file_desc, q("titleStmt")), q("title")).text = title
    ET.SubElement(ET.SubElement(file_desc, q("publicationStmt")), q("p")).text = "Generated from the edition's sources."
    witnesses = ET.SubElement(ET.SubElement(file_desc, q("sourceDesc")), q("listWit"))
    for siglum, name in zip(sigla, titles):
        ET.SubElement(witnesses, q("witness"), {XML_ID: "w" + siglum}).text = name
    encoding = ET.SubElement(root[0], q("encodingDesc"))
    ET.SubElement(encoding, q("variantEncoding"), {"method": "parallel-segmentation", "location": "internal"})
    body = ET.SubElement(ET.SubElement(root, q("text"), {XML_LANG: "ar"}), q("body"))
    paragraph = ET.SubElement(body, q("p"))
    base = result.witnesses.index(result.base)
    for place in result.places:
        if not place.kind:
            _append_tokens(paragraph, place.readings, sigla, q("lb"))
            continue
        app = ET.SubElement(paragraph, q("app"), {"type": place.kind, "n": str(place.number)})
        for w, reading in enumerate(place.readings):
            element = ET.SubElement(app, q("lem" if w == base else "rdg"), {"wit": "#w" + sigla[w]})
            _append_tokens(element, [reading], [sigla[w]], q("lb"))
            if len(element) and element[-1].tail:
                element[-1].tail = element[-1].tail.rstrip(" ")
            elif element.text:
                element.text = element.text.rstrip(" ")
        app.tail = " "
    ET.indent(root, space=" ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _append_tokens(parent: ET.Element, readings, sigla: list[str], lb: str) -> None:
    """The words the witnesses ``sigla`` agree on (or one witness's reading) after what ``parent``
    holds, each followed by a space. Before a word that starts a line of its block (a teaser after
    another) stands ``<lb/>``; where only some of the witnesses start a line there,
    ``<lb edRef="#w…"/>`` names them."""
    for tokens in zip(*readings):
        starting = [siglum for siglum, token in zip(sigla, tokens) if token.line_start]
        if starting:
            named = {} if len(starting) == len(sigla) else {"edRef": " ".join("#w" + s for s in starting)}
            ET.SubElement(parent, lb, named).tail = ""
        _append_text(parent, tokens[0].text)


def _append_text(parent: ET.Element, text: str) -> None:
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text + " "
    else:
        parent.text = (parent.text or "") + text + " "
