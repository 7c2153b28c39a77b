"""The edition as TEI P5: one file per report and one corpus of them all (``Urls.tei``, ``Urls.tei_corpus``).

A report's file is made from the same parsed and linked paragraphs its pages are made from:

- ``teiHeader``: the title in both languages, the editors and the statements of responsibility
  (config ``responsibility``), the publication statement (licence, version, date) and the witness
  with its provenance and how certain its publisher and date are (``sourceDesc``);
- ``standOff``: the entries the report mentions (``listPerson``, ``listPlace``, ``listOrg``,
  ``listEvent``, ``listBibl`` for resolutions and documents), the editorial notes anchored to it and
  the grounds and notes of its corrections (``listAnnotation``; grounds as written, those that cite a
  witness's paragraph, ``004 p1``, in a ``ref`` to where it begins on the witness's page);
- ``text``: the Arabic text (``div type="original"``) and the translation (``div type="translation"``).

Identifiers: a block's ``xml:id`` is the site's anchor (``p3``, ``s1``, ``d``); an English block
points to its Arabic one with ``@corresp``; both carry the anchor in ``@n``. Corrections are
``corr.<n>`` and omissions ``omission.<n>``, numbered as on the report page; entries are
``entity.<id>`` (``@ref="#entity.john-kerry"`` on each mention) and notes ``note.<id>`` (dots
never occur in a block id, an entity id or a slug). The corpus (``teiCorpus``) holds every
entry and note once in its own ``standOff`` and each report's ``TEI`` with the report's ids
prefixed by its slug (``washington-2016-agencies.p3``; ``@n`` keeps ``p3``).
"""
from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Iterator

from lxml import etree
from markdown_it import MarkdownIt

from . import html
from .content import Block, Report
from .inline import Node
from .models import LANGS
from .witness import cited_paragraph

NS = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EDITORS = "editors"  # the xml:id of the edition's editors, named in @resp
ENTRY_ID = "entity."  # an entry's xml:id is this and the entity's id

CERT = {"printed": "high", "inferred": "medium", "unknown": "unknown"}
MENTION = {"person": ("persName", None), "place": ("placeName", None), "organization": ("orgName", None),
           "working-group": ("name", "working-group"), "resolution": ("name", "resolution"),
           "document": ("name", "document"), "event": ("name", "event"), "meeting": ("name", "meeting")}
ENTRY = {"person": ("listPerson", "person", "persName"), "place": ("listPlace", "place", "placeName"),
         "organization": ("listOrg", "org", "orgName"), "working-group": ("listOrg", "org", "orgName"),
         "event": ("listEvent", "event", "label"), "meeting": ("listEvent", "event", "label"),
         "resolution": ("listBibl", "bibl", "title"), "document": ("listBibl", "bibl", "title")}
LISTS = ("listPerson", "listPlace", "listOrg", "listEvent", "listBibl")
AUTHORITIES = (("wikidata", "wikidata"), ("viaf", "VIAF"), ("geonames", "geonames"))

ENCODING = (
    ("correction", "Words stay as printed in sic; the editors' reading is in corr, typed as on the principles "
                   "page; their grounds and notes are in the standOff (listAnnotation type=\"corrections\"). "
                   "Grounds that cite a paragraph of a witness (\"004 p1\": the witness 004, paragraph 1 of "
                   "its report) are a ref to where that paragraph begins on the witness's web page."),
    ("segmentation", "Paragraphs with rend=\"editorial-break\" were begun by the editors; in the witness they run "
                     "on from the one before. Every block's xml:id (or in the corpus, its @n) is the anchor of its "
                     "paragraph on the report's web page."),
    ("normalization", "What the edition leaves out of the witness (scrape residue) is a gap with the words left "
                      "out and the reason; nothing else is normalised."),
)

_MARKDOWN = MarkdownIt("commonmark", {"html": False}).disable(["link", "image", "autolink", "entity"])


NSMAP = {None: NS}
_XML_ATTRIBUTES = {"id": XML_ID, "lang": XML_LANG}  # tei(…, id=…, lang=…) are xml:id and xml:lang


def tei(name: str, *children, text: str | None = None, **attributes) -> etree._Element:
    element = etree.Element(f"{{{NS}}}{name}", nsmap=NSMAP)
    for key, value in attributes.items():
        if value is not None:
            element.set(_XML_ATTRIBUTES.get(key, key), value)
    if text is not None:
        element.text = text
    if children:
        element.extend([child for child in children if child is not None])
    return element


def bilingual(name: str, value, **attributes) -> list[etree._Element]:
    """One element per language (``value``: models.Bilingual)."""
    return [tei(name, text=value[lang], lang=lang, **attributes) for lang in LANGS]


def add_text(element: etree._Element, text: str) -> None:
    """``text`` after what ``element`` holds. (Its last child is found from the end: lxml's len()
    counts every child, which made a paragraph of n marks take n² steps.)"""
    last = next(element.iterchildren(reversed=True), None)
    if last is not None:
        last.tail = (last.tail or "") + text
    else:
        element.text = (element.text or "") + text


def address(urls, path: str) -> str:
    """A page's address: absolute when the site's base URL is, else from the site's root."""
    return urls.canonical(path) or urls.href(path)


def serialize(root: etree._Element) -> bytes:
    mark_other_languages(root, root.get(XML_LANG) or "ar")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=False) + b"\n"


# Left as they are: the established text, its translation and the words omitted from it (as on the
# pages, which mark only the omissions' reasons), and elements whose content is no phrase (an
# identifier, a pointer, a URL as a link's text)
_UNMARKED = {"idno", "ptr", "ref", "foreign"}
_TEXTS = {"original", "translation"}


def mark_other_languages(element: etree._Element, inherited: str) -> None:
    """Every run in the other script inside the header, the entries and the notes (an Arabic
    quotation in an English note, a Latin name in an Arabic gloss) as ``foreign`` with its
    ``xml:lang``, as the pages mark such a run with ``lang``: html.OTHER_SCRIPT."""
    lang = element.get(XML_LANG) or inherited
    name = etree.QName(element).localname
    if name == "div" and element.get("type") in _TEXTS:  # but the omissions' reasons, as on the report page
        for reason in element.iterfind(f".//{{{NS}}}gap/{{{NS}}}desc[@type='reason']"):
            mark_other_languages(reason, lang)
        return
    marked = name not in _UNMARKED
    if marked and element.text:
        runs = _foreign_runs(element.text, lang)
        if runs:
            element.text = runs[0]
            for index, run in enumerate(runs[1:]):
                element.insert(index, run)
    for child in list(element):
        if isinstance(child.tag, str) and not child.get(XML_ID, "").startswith(ENTRY_ID):  # entries: marked as made
            mark_other_languages(child, lang)
        if marked and child.tail:
            runs = _foreign_runs(child.tail, lang)
            if runs:
                child.tail = runs[0]
                position = element.index(child) + 1
                for index, run in enumerate(runs[1:]):
                    element.insert(position + index, run)


def _foreign_runs(text: str, lang: str) -> list | None:
    """``text`` cut at its runs in the other script: the text before the first, then a ``foreign``
    per run (its tail the text up to the next); None when it has no such run."""
    pattern, other = html.OTHER_SCRIPT[lang]
    found = list(pattern.finditer(text))
    if not found:
        return None
    parts: list = [text[:found[0].start()]]
    for number, match in enumerate(found):
        end = found[number + 1].start() if number + 1 < len(found) else len(text)
        run = tei("foreign", text=match.group(), lang=other)
        run.tail = text[match.end():end] or None
        parts.append(run)
    return parts


# ---------------------------------------------------------------- one report

class ReportTei:
    """A report's TEI, from its parsed and linked blocks and the catalogue (config, strings, entries, notes)."""

    def __init__(self, catalog, urls, report: Report):
        self.catalog, self.urls, self.report = catalog, urls, report
        self.corrections: list[tuple[str, Node]] = []  # (xml:id, sic node) in the order of the text
        self.numbers = correction_numbers(report)

    def unspliced(self) -> bytes:
        """The file with each entry still its placeholder (``splice_entries``)."""
        text = self.text()
        return serialize(tei("TEI", self.header(), self.stand_off(), text, lang="ar"))

    # ---- teiHeader

    def header(self) -> etree._Element:
        meta, t = self.report.meta, self.catalog.strings("en")
        titles = bilingual("title", meta.title, type="supplied" if meta.title.supplied else "main")
        return tei("teiHeader",
                   tei("fileDesc",
                       tei("titleStmt", *titles, *responsibility(self.catalog)),
                       publication(self.catalog, self.urls, self.urls.report("ar", self.report.slug)),
                       tei("sourceDesc", self.witness(t))),
                   encoding(), languages())

    def witness(self, t: dict) -> etree._Element:
        meta = self.report.meta
        bibl = tei("bibl", *bilingual("title", meta.title, type="supplied" if meta.title.supplied else None),
                   type="witness")
        if meta.byline:
            bibl.append(tei("author", tei("persName", text=meta.byline.printed, lang="ar"),
                            tei("persName", text=meta.byline.en, lang="en")))
        cert = CERT[meta.publisher.certainty]
        for lang in LANGS:
            if meta.publisher[lang]:
                bibl.append(tei("publisher", text=meta.publisher[lang], lang=lang, cert=cert))
        if meta.date.value:
            bibl.append(tei("date", text=meta.date.value.isoformat(), when=meta.date.value.isoformat(),
                            cert=CERT[meta.date.certainty]))
        if meta.dateline:
            bibl.append(tei("note", type="dateline", text=meta.dateline.printed, lang="ar"))
        bibl.append(tei("idno", text=meta.seed, type="filename"))
        for name, value in (("publisher", meta.publisher), ("date", meta.date)):
            bibl.append(tei("note", type="certainty", subtype=name, text=t["certainty_" + value.certainty], lang="en"))
            if value.evidence:
                bibl.extend(bilingual("note", value.evidence, type="evidence", subtype=name))
        if meta.provenance:
            for part in ("known", "unknown", "lost"):
                bibl.extend(bilingual("note", getattr(meta.provenance, part), type="provenance", subtype=part))
        bibl.append(tei("ptr", type="witness", target=address(self.urls, self.urls.witness("en", meta.seed))))
        return bibl

    # ---- text

    def text(self) -> etree._Element:
        ar = Division(self, "ar").of(self.report.blocks("ar"))
        en = Division(self, "en").of(self.report.blocks("en"))
        return tei("text", tei("body", ar, en))

    # ---- standOff

    def stand_off(self) -> etree._Element | None:
        mentioned = sorted({node.value for block in self.report.blocks("ar") + self.report.blocks("en")
                            for line in block.lines for node in walk_nodes(line) if node.kind == "mention"}
                           | {self.report.meta.meeting})
        parts = entry_lists(self.catalog, self.urls, mentioned, spliced=True)
        notes = [editorial_note(note, self.report.slug, self.urls) for note in self.catalog.notes()
                 if any(anchor.report == self.report.slug for anchor in note.anchors)]
        if notes:
            parts.append(tei("listAnnotation", *notes, type="notes"))
        grounds = self.correction_notes()
        if grounds:
            parts.append(tei("listAnnotation", *grounds, type="corrections"))
        return tei("standOff", *parts) if parts else None

    def correction_notes(self) -> list[etree._Element]:
        notes = self.report.meta.correction_notes
        found = []
        for ident, node in self.corrections:
            details = node.correction or {}
            if details.get("grounds"):
                found.append(self.grounds(ident, details["grounds"]))
            if details.get("note") in notes:
                found.extend(bilingual("note", notes[details["note"]], type="correction", target="#" + ident))
        return found

    def grounds(self, ident: str, grounds: str) -> etree._Element:
        """A correction's grounds as written. Grounds that cite a witness's paragraph (``004 p1``,
        witness.cited_paragraph) are a ``ref`` to where that paragraph begins on the witness's page,
        the address the report page links to (views.Views.grounds); any other grounds are text."""
        note = tei("note", type="grounds", target="#" + ident, lang="en")
        place = cited_paragraph(grounds)
        seed = self.catalog.witness_file(place[0]) if place else None
        if seed is None:
            note.text = grounds
        else:
            page = address(self.urls, self.urls.witness("en", seed))
            note.append(tei("ref", text=grounds, target=f"{page}#paragraph-{place[1]}"))
        return note


class Division:
    """One language's text as a ``div``: blocks in order, headings opening sections, the omissions
    (Arabic only) as gaps where they were cut."""

    def __init__(self, owner: ReportTei, lang: str):
        self.owner, self.lang = owner, lang
        self.original = lang == "ar"
        self.outer = tei("div", type="original" if self.original else "translation", lang=lang)
        self.current = self.outer
        self.opened = False  # whether the current div has content past its top (head, dateline)
        self.gaps: dict[str | None, list[int]] = {}  # block id (None: the start) -> the omissions cut after it
        for number, omission in enumerate(owner.report.meta.omissions, start=1):
            self.gaps.setdefault(omission.after, []).append(number)

    def of(self, blocks: list[Block]) -> etree._Element:
        self.add_gaps(None)
        for block in blocks:
            self.add(block)
            self.add_gaps(block.id)
        return self.outer

    def add_gaps(self, after: str | None) -> None:
        if not self.original:
            return
        for number in self.gaps.get(after, []):
            omission = self.owner.report.meta.omissions[number - 1]
            self.current.append(tei("gap", tei("desc", text=omission.text, type="omitted", lang="ar"),
                                    *bilingual("desc", omission.reason, type="reason"),
                                    id=f"omission.{number}", reason="editorial", resp="#" + EDITORS))

    def ids(self, block: Block) -> dict:
        if self.original:
            return {"id": block.id, "n": block.id}
        return {"n": block.id, "corresp": "#" + block.id}

    def add(self, block: Block) -> None:
        kind = block.kind
        if kind == "heading":
            self.current = tei("div", type="section")
            self.outer.append(self.current)
            self.opened = False
            self.current.append(self.line("head", block.lines[0], **self.ids(block)))
        elif kind in ("title", "dateline") and not self.opened:
            name = "head" if kind == "title" else "dateline"
            self.current.append(self.line(name, block.lines[0], type="title" if kind == "title" else None,
                                          **self.ids(block)))
        elif kind in ("title", "dateline"):
            self.current.append(self.line("ab", block.lines[0], type=kind, **self.ids(block)))
        elif kind == "teasers":
            self.opened = True
            self.current.append(tei("list", *(self.line("item", line) for line in block.lines), type="teasers",
                                    **self.ids(block)))
        else:
            self.opened = True
            rend = "editorial-break" if "editorial-break" in block.classes else None
            self.current.append(self.line("p", block.lines[0], rend=rend, **self.ids(block)))

    def line(self, name: str, nodes: list[Node], **attributes) -> etree._Element:
        element = tei(name, **attributes)
        self.inline(element, nodes)
        return element

    def inline(self, parent: etree._Element, nodes: list[Node]) -> None:
        for node in nodes:
            if node.kind in ("text", "code"):
                if node.kind == "code":
                    parent.append(tei("hi", text=node.text, rend="code"))
                else:
                    add_text(parent, node.text)
            elif node.kind in ("em", "strong"):
                parent.append(self.wrapped(tei("hi", rend="italic" if node.kind == "em" else "bold"), node))
            elif node.kind == "mention":
                entity = self.owner.catalog.entity(node.value)
                name, kind = MENTION[entity.kind]
                parent.append(self.wrapped(tei(name, type=kind, ref=f"#entity.{entity.id}"), node))
            elif node.kind == "sic":
                parent.append(self.choice(node))
            else:  # nolink, an unlinked ref
                self.inline(parent, node.children)

    def wrapped(self, element: etree._Element, node: Node) -> etree._Element:
        self.inline(element, node.children)
        return element

    def choice(self, node: Node) -> etree._Element:
        corrections, numbers = self.owner.corrections, self.owner.numbers
        ident = f"corr.{numbers.get(id(node)) or len(numbers) + len(corrections) + 1}"
        corrections.append((ident, node))
        kind = (node.correction or {}).get("type")
        return tei("choice", self.wrapped(tei("sic"), node),
                   tei("corr", text=node.value or None, type=kind, resp="#" + EDITORS), id=ident)


def correction_numbers(report: Report) -> dict[int, int]:
    """Each correction's number as the Arabic report page gives it (views.corrections): block by
    block, the Arabic before the English (a title: its Arabic only)."""
    numbers: dict[int, int] = {}
    twins = {block.id: block for block in report.blocks("en")}
    for block in report.blocks("ar"):
        for source in [block] if block.kind == "title" else [block, twins[block.id]]:
            for node in (node for line in source.lines for node in walk_nodes(line)):
                if node.kind == "sic":
                    numbers[id(node)] = len(numbers) + 1
    return numbers


def walk_nodes(nodes: list[Node]):
    for node in nodes:
        yield node
        yield from walk_nodes(node.children)


# ---------------------------------------------------------------- shared by report and corpus

def responsibility(catalog) -> list[etree._Element]:
    """The editors (the ``@resp`` of corrections and omissions) and who did what (config)."""
    config = catalog.config()
    editors = tei("editor", *(tei("name", text=catalog.strings(lang)["cite_maintainers"], lang=lang) for lang in LANGS),
                  id=EDITORS)
    statements = [tei("respStmt", *bilingual("resp", item.resp), *bilingual("name", item.name))
                  for item in config.responsibility]
    return [editors, *statements]


def publication(catalog, urls, path: str) -> etree._Element:
    config, t = catalog.config(), catalog.strings("en")
    publisher = tei("publisher", *(tei("name", text=catalog.strings(lang)["cite_maintainers"], lang=lang)
                                   for lang in LANGS))
    licence = tei("availability", tei("licence", text=f"{t['footer_licence']} {t['licence_name']}.",
                                      target=t["licence_url"], lang="en"),
                  *(tei("p", text=catalog.strings(lang)["rights_press"], lang=lang) for lang in LANGS))
    parts = [publisher]
    if config.version:
        parts.append(tei("idno", text=config.version, type="version"))
    if config.date:
        parts.append(tei("date", text=config.date.isoformat(), when=config.date.isoformat()))
    parts.append(tei("ptr", target=address(urls, path)))
    return tei("publicationStmt", *parts, licence)


def encoding() -> etree._Element:
    return tei("encodingDesc", tei("editorialDecl", *(tei(name, tei("p", text=text)) for name, text in ENCODING)),
               lang="en")


def languages() -> etree._Element:
    return tei("profileDesc", tei("langUsage", tei("language", text="Arabic", ident="ar"),
                                  tei("language", text="English", ident="en"), lang="en"))


def entry_lists(catalog, urls, entity_ids: list[str], spliced: bool = False) -> list[etree._Element]:
    """The entries as listPerson, listPlace, listOrg, listEvent and listBibl (those not empty).
    ``spliced``: each entry a placeholder for ``splice_entries`` to put in after serializing."""
    lists: dict[str, list] = {name: [] for name in LISTS}
    for entity_id in entity_ids:
        entity = catalog.entity(entity_id)
        lists[ENTRY[entity.kind][0]].append(etree.Comment(_ENTRY_MARK + entity_id) if spliced else entry(entity, urls))
    return [tei(name, *entries) for name, entries in lists.items() if entries]


_ENTRIES: dict[str, tuple] = {}  # entity id -> (the entity, the base URL, its entry): the reports share entries
_ENTRY_BYTES: dict[str, tuple] = {}  # entity id -> (the entity, the base URL, its entry serialized)
_ENTRY_MARK = "entry "  # a placeholder comment's text before the entity id
_ENTRY_PLACEHOLDER = re.compile(rb"<!--entry ([a-z0-9-]+)-->")  # models.EntityId


def entry(entity, urls) -> etree._Element:
    """One entry: names and aliases, facts, authority ids, the gloss and sources, its pages. Made
    once per entity (entities are immutable) and copied into each file that lists it."""
    made = _ENTRIES.get(entity.id)
    if made is None or made[0] is not entity or made[1] != urls.base_url:
        made = _ENTRIES[entity.id] = (entity, urls.base_url, make_entry(entity, urls))
    return copy.deepcopy(made[2])


def entry_bytes(entity, urls) -> bytes:
    """One entry serialized as it stands inside a TEI file (its namespace the file's), once per
    entity: each report's file lists the entries of what it mentions, and copying and serializing
    them for each report took a tenth of the TEI files' time."""
    made = _ENTRY_BYTES.get(entity.id)
    if made is None or made[0] is not entity or made[1] != urls.base_url:
        serialized = etree.tostring(entry(entity, urls), encoding="UTF-8", with_tail=False)
        made = _ENTRY_BYTES[entity.id] = (entity, urls.base_url, in_corpus(serialized, ENTRY[entity.kind][1]))
    return made[2]


def splice_entries(data: bytes, catalog, urls) -> bytes:
    """A serialized TEI file with each entry's placeholder (``entry_lists(..., spliced=True)``)
    replaced by the entry. No other comment can match: every text in the file is escaped."""
    return _ENTRY_PLACEHOLDER.sub(lambda found: entry_bytes(catalog.entity(found.group(1).decode()), urls), data)


def make_entry(entity, urls) -> etree._Element:
    _list, element, name = ENTRY[entity.kind]
    attributes = {"id": ENTRY_ID + entity.id}
    if element != "person":
        attributes["type"] = entity.kind
    if entity.kind in ("event", "meeting"):
        attributes.update(dates(entity))
    parts = bilingual(name, entity.name)
    parts += [tei(name, text=alias, lang=lang, type="alias") for lang in LANGS for alias in entity.aliases[lang]]
    parts += facts(entity)
    parts += [tei("idno", text=getattr(entity.identifiers, field), type=label)
              for field, label in AUTHORITIES if getattr(entity.identifiers, field)]
    parts += [markdown_note(entity.gloss[lang], lang, type="gloss") for lang in LANGS]
    parts += [note for lang in LANGS for field in ("remit", "subject")
              if getattr(entity, field, None) for note in [tei("note", text=getattr(entity, field)[lang],
                                                             type=field, lang=lang)]]
    parts.append(tei("note", sources(entity.sources), type="sources"))
    parts += [tei("ptr", type="entry", subtype=lang, target=address(urls, urls.entity(lang, entity.id, entity.kind)))
              for lang in LANGS]
    made = tei(element, *parts, **attributes)
    mark_other_languages(made, "ar")  # once, here: the files that copy it leave it as it is (both are xml:lang="ar")
    return made


def dates(entity) -> dict:
    start, end = getattr(entity, "date", None), getattr(entity, "end_date", None)
    if start and end:
        return {"from": start.isoformat(), "to": end.isoformat()}
    return {"when": start.isoformat()} if start else {}


def facts(entity) -> list[etree._Element]:
    """Office, country, symbol and dates, as the entry's own elements."""
    found = []
    if getattr(entity, "office", None):
        found += bilingual("occupation", entity.office)
    if getattr(entity, "country", None):
        found += bilingual("country", entity.country)
    if getattr(entity, "symbol", None):
        found.append(tei("idno", text=entity.symbol, type="UN-symbol"))
    for field in ("adopted", "date"):
        value = getattr(entity, field, None)
        if value and entity.kind in ("resolution", "document"):
            found.append(tei("date", text=value.isoformat(), when=value.isoformat(), type=field))
    return found


def sources(items) -> etree._Element:
    listing = tei("listBibl")
    for source in items:
        bibl = tei("bibl", text=source.citation, lang=script_language(source.citation))
        if source.url:
            add_text(bibl, " ")
            bibl.append(tei("ref", text=source.url, target=source.url))
        listing.append(bibl)
    return listing


def script_language(text: str) -> str:
    """A citation's language, by the script most of its letters are in."""
    arabic = sum("\u0600" <= char <= "\u06ff" for char in text)
    return "ar" if arabic > sum(char.isascii() and char.isalpha() for char in text) else "en"


def markdown_note(source: str, lang: str, **attributes) -> etree._Element:
    """A gloss or note (inline Markdown in paragraphs) as a note of ``p``s, emphasis as ``hi``."""
    return tei("note", *markdown_paragraphs(source), lang=lang, **attributes)


def markdown_paragraphs(source: str, lang: str | None = None) -> list[etree._Element]:
    """Paragraphs of inline Markdown as ``p``s (with ``xml:lang`` if given), emphasis as ``hi``;
    entities and escapes read as the pages read them."""
    paragraphs, stack = [], []
    for token in _MARKDOWN.parse(source):
        if token.type != "inline":
            continue
        stack = [tei("p", lang=lang)]
        for child in token.children or []:
            if child.type in ("em_open", "strong_open"):
                element = tei("hi", rend="italic" if child.type == "em_open" else "bold")
                stack[-1].append(element)
                stack.append(element)
            elif child.type in ("em_close", "strong_close"):
                stack.pop()
            elif child.type in ("softbreak", "hardbreak"):
                add_text(stack[-1], " ")
            else:
                add_text(stack[-1], child.content)
        paragraphs.append(stack[0])
    return paragraphs


def editorial_note(note, slug: str | None, urls) -> etree._Element:
    """An editorial note, pointing to its paragraphs: ``#p3`` in its report's own file (``slug``), the
    other reports' files otherwise (``other.xml#p3``); in the corpus (``slug`` None), ``#other.p3``."""
    targets = []
    for anchor in note.anchors:
        for block in anchor.paragraphs:
            if slug is None:
                targets.append(f"#{anchor.report}.{block}")
            elif anchor.report == slug:
                targets.append(f"#{block}")
            else:
                targets.append(f"{anchor.report}.xml#{block}")
    parts = [element for lang in LANGS for element in
             (tei("label", text=note.title[lang], lang=lang), *markdown_paragraphs(note.note[lang], lang))]
    if note.sources:
        parts.append(sources(note.sources))
    return tei("note", *parts, id=f"note.{note.id}", type="editorial", target=" ".join(targets))


def report_file(catalog, urls, report: Report, exported: dict | None = None) -> bytes:
    """A report's TEI file. Given ``exported`` (a full build's, reports.Exported's fields), its part
    of the corpus and its witness's ``bibl`` (``member_parts``) are put in it, made from the file
    before its entries are spliced in: the part drops them, and parsing them back took half its time."""
    unspliced = ReportTei(catalog, urls, report).unspliced()
    if exported is not None:
        exported["member"], exported["bibl"] = member_parts(report.slug, unspliced)
    return splice_entries(unspliced, catalog, urls)


# ---------------------------------------------------------------- the corpus

def corpus_file(catalog, urls, reports: list[bytes]) -> bytes:
    """Every report's TEI (as written, in edition order) in one ``teiCorpus`` (``corpus_parts``); the
    live preview's, which remembers each report's part until its TEI changes."""
    by_slug = dict(zip(catalog.report_slugs(), reports))
    for slug in set(_MEMBERS) - set(by_slug):
        del _MEMBERS[slug]
    parts = [corpus_member(slug, by_slug[slug], _MEMBERS) for slug in catalog.report_slugs()]
    return b"".join(corpus_parts(catalog, urls, (bibl for _, bibl in parts), (member for member, _ in parts)))


_MEMBERS: dict[str, tuple[bytes, bytes, bytes]] = {}  # slug -> (TEI as written, as the corpus holds it, its bibl)


def corpus_parts(catalog, urls, bibls: Iterable[bytes], members: Iterable[bytes]) -> Iterator[bytes]:
    """The ``teiCorpus`` in pieces: the header listing every report's witness (``bibls``: each
    report's witness's ``bibl``, or b"" for none, in edition order), the entries and notes once in
    the corpus's standOff, then every report as the corpus holds it (``members``, in edition
    order: ``member_parts``). ``bibls`` is read whole before ``members`` is begun, so that a
    build can hand both over one report at a time: no tree or list holds all the reports (at
    10,000 reports their trees held 2 GiB)."""
    listed = [bibl for bibl in bibls if bibl]
    before, after = corpus_shell(catalog, urls, listed=bool(listed))
    yield before
    yield from listed
    yield after
    yield from members
    yield b"</teiCorpus>\n"


_WITNESSES = "witnesses"  # a comment standing for the witnesses' bibl elements in the corpus's header


def corpus_shell(catalog, urls, listed: bool) -> tuple[bytes, bytes]:
    """The corpus up to its first report, as the two sides of its witnesses' ``bibl`` elements
    (``listed``: there are some): the header, and the standOff of entries and notes."""
    config = catalog.config()
    titles = bilingual("title", config.title, type="main") + bilingual("title", config.subtitle, type="sub")
    witnesses = tei("listBibl")
    if listed:
        witnesses.append(etree.Comment(_WITNESSES))
    header = tei("teiHeader",
                 tei("fileDesc", tei("titleStmt", *titles, *responsibility(catalog)),
                     publication(catalog, urls, urls.home("ar")), tei("sourceDesc", witnesses)),
                 encoding(), languages())
    parts = entry_lists(catalog, urls, catalog.entity_ids())
    notes = [editorial_note(note, None, urls) for note in catalog.notes()]
    if notes:
        parts.append(tei("listAnnotation", *notes, type="notes"))
    stand_off = tei("standOff", *parts) if parts else None
    shell, end = serialize(tei("teiCorpus", header, stand_off, lang="ar")), b"</teiCorpus>\n"
    before, _, after = shell[:-len(end)].partition(f"<!--{_WITNESSES}-->".encode())  # the only comment:
    return before, after  # the texts it holds are escaped, so no "<!--" is in them


def corpus_member(slug: str, data: bytes, memo: dict | None) -> tuple[bytes, bytes]:
    """A report's TEI as the corpus holds it, and its witness's ``bibl`` (empty if it has none),
    both as bytes in the corpus's namespace; from ``memo`` while its TEI is unchanged."""
    if memo is None:
        return member_parts(slug, data)
    kept = memo.get(slug)
    if kept is None or (kept[0] is not data and kept[0] != data):
        kept = memo[slug] = (data, *member_parts(slug, data))
    return kept[1], kept[2]


def member_parts(slug: str, data: bytes) -> tuple[bytes, bytes]:
    """A report's part of the corpus and its witness's ``bibl`` (``corpus_member``), from one parse
    of its TEI; the ``bibl`` is taken before ``member`` changes the tree."""
    root = etree.fromstring(data)
    found = root.find(f"{{{NS}}}teiHeader//{{{NS}}}sourceDesc/{{{NS}}}bibl")
    bibl = b"" if found is None else in_corpus(etree.tostring(found, encoding="UTF-8", with_tail=False), "bibl")
    return in_corpus(etree.tostring(member(slug, root), encoding="UTF-8", xml_declaration=False), "TEI"), bibl


def in_corpus(data: bytes, tag: str) -> bytes:
    """An element's XML without the declaration of the TEI namespace, which the file it goes into
    (a report's, the corpus) declares."""
    declared = f'<{tag} xmlns="{NS}"'.encode()
    return f"<{tag}".encode() + data[len(declared):] if data.startswith(declared) else data


def member(slug: str, root: etree._Element) -> etree._Element:
    """A report's TEI (its parsed tree, changed in place) as the corpus holds it: its entries and
    notes dropped (the corpus has them), the grounds of its corrections kept, every id of its own
    prefixed with its slug."""
    stand_off = root.find(f"{{{NS}}}standOff")
    if stand_off is not None:
        for part in list(stand_off):
            if part.get("type") != "corrections":
                stand_off.remove(part)
        if not len(stand_off):
            root.remove(stand_off)
    own = {element.get(XML_ID) for element in root.iter() if element.get(XML_ID)}
    for element in root.iter():
        if element.get(XML_ID):
            element.set(XML_ID, f"{slug}.{element.get(XML_ID)}")
        for name in ("corresp", "target", "resp"):
            value = element.get(name)
            if value and value.startswith("#") and value[1:] in own:
                element.set(name, f"#{slug}.{value[1:]}")
    return root
