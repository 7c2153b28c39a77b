"""A word-by-word collation as data, linked from its page: TEI in parallel segmentation
(``<app>`` with the base's ``<lem>`` and each other witness's ``<rdg wit>``) and JSON in the
shape of CollateX's alignment table (``witnesses`` and, per witness, one cell per place: its
tokens there or null). Both list every token of every witness, in order, and keep every witness's
paragraphs (the blocks of its established text, a dateline or a heading among them) and lines.

JSON: each token is ``{"t": printed, "n": normalized, "block": its block's id}``; the first token of
each paragraph of its witness (its first token too) is marked ``"p": true``, and
``"editorial_break": true`` when the editors began that paragraph (in the witness it runs on from
the one before); a token that starts a line after the first of its block (the teasers under a
headline) is marked ``"lb": true``.

TEI: the base's paragraphs are the body's ``<p>``s, each begun where the base's tokens move to a
new block (``@n`` the block's id, ``rend="editorial-break"`` if the editors began it); what other
witnesses have before the base's text begins stands in a first ``<p>`` without ``@n``. Where the
witnesses do not agree on a boundary, ``<milestone unit="paragraph" edRef="#w…" n="…"/>`` (TEI's
boundary "not represented by a structural element", for the witness its ``@edRef`` names) marks it:
a ``<p>`` that opens with such milestones begins a paragraph only for the witnesses they name (the
others run on into it), one without begins a paragraph for every witness; anywhere else a
milestone marks where the witness it names begins a paragraph and the base does not, or where a
base paragraph begins inside a variant place (its ``<lem>``), where no ``<p>`` can begin. The
header's ``segmentation`` says so in the file. Before a token that starts a line after the first of
its block stands ``<lb/>`` (``<lb edRef="#w…"/>`` where only some of the witnesses agreeing on the
word start a line there), so that the lines stay apart."""
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
    table = []
    for w in range(len(sigla)):
        previous = None  # the block of the witness's token before
        row = []
        for place in result.places:
            cells = []
            for token in place.readings[w]:
                cells.append(token_json(token, begins=token.block != previous))
                previous = token.block
            row.append(cells or None)
        table.append(row)
    data = {"witnesses": sigla, "base": sigla[result.witnesses.index(result.base)],
            "places": [place.kind for place in result.places], "table": table}
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def token_json(token, begins: bool = False) -> dict:
    """A token as a cell of the table (``begins``: it is the first of its block in its witness)."""
    found = {"t": token.text, "n": token.norm, "block": token.block}
    if begins:
        found["p"] = True
        if token.editorial_break:
            found["editorial_break"] = True
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
    segmentation = ET.SubElement(ET.SubElement(encoding, q("editorialDecl")), q("segmentation"))
    ET.SubElement(segmentation, q("p")).text = SEGMENTATION
    body = ET.SubElement(ET.SubElement(root, q("text"), {XML_LANG: "ar"}), q("body"))
    _Body(body, result, sigla, q).write()
    ET.indent(root, space=" ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


SEGMENTATION = (
    "The paragraphs are the blocks of the reports' established texts (a dateline or a heading is one). "
    "Each p of the body begins where a paragraph of the base text begins (@n: its anchor on the base's "
    "report page; rend=\"editorial-break\": a paragraph the editors began, which in the witness runs on "
    "from the one before); what other witnesses have before the base's text begins stands in a p without @n. "
    "A p that opens with milestone unit=\"paragraph\" elements begins a paragraph only for the witnesses "
    "they name in @edRef, the others running on into it; a p that does not begins a paragraph for every "
    "witness (begun by the editors in each if its @rend says so). Anywhere else, milestone "
    "unit=\"paragraph\" edRef=\"#w…\" (@n and @rend as for p) marks where the witness it names begins a "
    "paragraph: another witness's paragraph that begins where the base's does not, and a paragraph of the "
    "base that begins inside a variant place (app), where no p can begin. lb marks a line begun inside a "
    "block (the teasers under a headline).")


class _Body:
    """The body of the collation's TEI: the places in order, in the base's paragraphs, with every
    witness's paragraph starts (``SEGMENTATION``)."""

    def __init__(self, body: ET.Element, result: Collation, sigla: list[str], q):
        self.body, self.places, self.sigla, self.q = body, result.places, sigla, q
        self.base = result.witnesses.index(result.base)
        self.last: list[str | None] = [None] * len(sigla)  # the block of each witness's token before (None: none yet)
        self.paragraph: ET.Element | None = None

    def write(self) -> None:
        for place in self.places:
            if not place.kind:
                for tokens in zip(*place.readings):
                    opened = self.point(dict(enumerate(tokens)))
                    for w, token in enumerate(tokens):
                        if not opened and self.boundary(w, token):
                            self.milestone(self.current(), w, token)
                    self.last = [token.block for token in tokens]
                    _append_word(self.current(), tokens, self.sigla, self.q("lb"))
                continue
            opened = self.point({w: reading[0] for w, reading in enumerate(place.readings) if reading})
            app = ET.SubElement(self.current(), self.q("app"), {"type": place.kind, "n": str(place.number)})
            for w, reading in enumerate(place.readings):
                element = ET.SubElement(app, self.q("lem" if w == self.base else "rdg"), {"wit": "#w" + self.sigla[w]})
                for index, token in enumerate(reading):
                    if self.boundary(w, token) and not (opened and index == 0):
                        self.milestone(element, w, token)
                    self.last[w] = token.block
                    _append_word(element, (token,), [self.sigla[w]], self.q("lb"))
                if len(element) and element[-1].tail:
                    element[-1].tail = element[-1].tail.rstrip(" ")
                elif element.text:
                    element.text = element.text.rstrip(" ")
            app.tail = " "

    def current(self) -> ET.Element:
        if self.paragraph is None:
            self.paragraph = ET.SubElement(self.body, self.q("p"))
        return self.paragraph

    def boundary(self, w: int, token) -> bool:
        """Whether the token begins a paragraph of its witness after the first."""
        return self.last[w] is not None and token.block != self.last[w]

    def point(self, tokens: dict) -> bool:
        """Where the witnesses' next tokens (witness -> token; a witness without one here is not in
        it) stand: a new ``p`` if the base begins a paragraph there (True), opening with a milestone
        for each witness that begins one there (the base too) unless every witness does, all begun
        by the editors or none; else nothing (False). A witness whose text begins here begins a
        paragraph."""
        base = tokens.get(self.base)
        if base is None or base.block == self.last[self.base]:
            return False
        if self.paragraph is None or len(self.paragraph) or self.paragraph.text:
            self.paragraph = ET.SubElement(self.body, self.q("p"))
        self.paragraph.set("n", base.block)
        editorial = base.editorial_break and self.last[self.base] is not None
        if editorial:
            self.paragraph.set("rend", "editorial-break")
        starting = [w for w, token in tokens.items() if token.block != self.last[w]]  # the base among them
        alike = all(tokens[w].editorial_break == editorial for w in starting if w != self.base)
        if len(starting) < len(self.sigla) or not alike:
            for w in starting:
                self.milestone(self.paragraph, w, tokens[w])
        return True

    def milestone(self, parent: ET.Element, w: int, token) -> None:
        attributes = {"unit": "paragraph", "edRef": "#w" + self.sigla[w], "n": token.block}
        if token.editorial_break:
            attributes["rend"] = "editorial-break"
        ET.SubElement(parent, self.q("milestone"), attributes).tail = ""


def _append_word(parent: ET.Element, tokens, sigla: list[str], lb: str) -> None:
    """A word the witnesses ``sigla`` agree on (``tokens``: each one's; or one witness's reading)
    after what ``parent`` holds, followed by a space. Before a word that starts a line of its block
    (a teaser after another) stands ``<lb/>``; where only some of the witnesses start a line there,
    ``<lb edRef="#w…"/>`` names them."""
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
