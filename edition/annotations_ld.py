"""The edition's annotations as W3C Web Annotations (JSON-LD), one collection per language.

Each language's ``AnnotationCollection`` (``data/annotations/<lang>/index.jsonld``) has one
``AnnotationPage`` per report, in the edition's order (``first``, ``next`` …). A page holds what
the report page of that language shows of the report:

- every mention (motivation ``identifying``; the body is the entry's URL);
- the gloss of each entry it mentions (``describing``; a ``TextualBody`` with the gloss in that
  language; its targets are the entry's mentions in the report);
- every correction (``editing``; the reading as a ``TextualBody``, with its type, grounds and note
  as a ``commenting`` body in the page's language, plain text as the page says them). A correction
  stands in the Arabic text, so its target is the Arabic page, in the English collection too;
- every editorial note (``commenting``; the whole paragraph is its target).

A gloss or a note is given as the HTML its page shows (``text/html``): its Markdown rendered with
raw HTML off, so that a contributor's ``<b>`` or ``<script>`` is text in it as on the page, never
markup that a program displaying the annotation would run.

A target is the paragraph's URL (``…/reports/<slug>/#p3``) with a ``TextQuoteSelector`` (exact,
and up to ``CONTEXT`` characters of prefix and suffix) and a ``TextPositionSelector`` counted in
the paragraph's text on that page as ``published.py`` defines it. Addresses are absolute when
``base_url`` is. With a path (``/``), ids and targets are paths from the site's root: the model
wants an IRI as an annotation's id, which a JSON-LD processor makes of them only against the
address it read the file from. No other address is invented; the published site and the
releases are built with the site's address (``--base-url``, as the workflows do), and a release
built without it says so in its README (release.readme).
"""
from __future__ import annotations

import json

from . import datafiles, discovery
from .catalog import digest
from .content import Block, Report
from .models import LANGS
from .published import Published, Span, published
from .urls import Urls

CONTEXT = 32  # characters of prefix and suffix in a TextQuoteSelector
ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
PROFILE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'


def page_path(lang: str, slug: str) -> str:
    return Urls.data(f"annotations/{lang}/{slug}.jsonld")


def collection_path(lang: str) -> str:
    return Urls.data(f"annotations/{lang}/index.jsonld")


datafiles.register(datafiles.DataKind(
    "annotations", Urls.data("annotations/*/index.jsonld"), PROFILE,
    {"ar": "الحواشي والإحالات والتصحيحات والتعليقات بصيغة W3C Web Annotation (مجموعة لكل لغة)",
     "en": "Mentions, glosses, corrections and notes as W3C Web Annotations (a collection per language)"}))
for _lang in LANGS:
    datafiles.register(datafiles.DataKind(
        f"annotations-{_lang}", Urls.data(f"annotations/{_lang}/*.jsonld"), PROFILE,
        {"ar": f"حواشي التقرير بصيغة W3C Web Annotation ({'بالعربية' if _lang == 'ar' else 'بالإنجليزية'})",
         "en": f"A report's annotations, W3C Web Annotation ({'Arabic' if _lang == 'ar' else 'English'})"},
        lambda slug, lang=_lang: page_path(lang, slug)))


def dumps(data: dict) -> bytes:
    """JSON as the exports write it: UTF-8, keys in a fixed order, on one line (the C encoder: a tenth
    of the time of an indented one) and a newline."""
    return (json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


class AnnotationWriter:
    """The annotations of one report in one language (``views``: for the catalogue and the URLs)."""

    def __init__(self, views, report: Report, lang: str):
        self.views, self.report, self.lang = views, report, lang
        self.urls = views.urls
        self.items: list[dict] = []
        self.strings = {l: views.catalog.strings(l) for l in LANGS}

    def page(self) -> dict:
        """The report's ``AnnotationPage``, linked to its collection and its neighbours."""
        slugs = list(self.views.catalog.report_slugs())
        at = slugs.index(self.report.slug)
        self.collect()
        page = {"@context": ANNO_CONTEXT, "id": self.absolute(page_path(self.lang, self.report.slug)),
                "type": "AnnotationPage", "partOf": self.absolute(collection_path(self.lang)),
                "items": self.items}
        if at > 0:
            page["prev"] = self.absolute(page_path(self.lang, slugs[at - 1]))
        if at + 1 < len(slugs):
            page["next"] = self.absolute(page_path(self.lang, slugs[at + 1]))
        return page

    def collect(self) -> None:
        lang, report = self.lang, self.report
        mentions: dict[str, list[dict]] = {}  # entity id -> the targets of its mentions, in text order
        for block in report.blocks(lang):
            text = published(block, self.strings[lang])
            for span in text.spans:
                if span.node.kind == "mention":
                    target = self.target(lang, block, text, span.start, span.end)
                    mentions.setdefault(span.node.value, []).append(target)
                    self.add("identifying", self.entry_url(span.node.value), target)
            for note in self.views.catalog.notes_at(report.slug, block.id):
                self.add("commenting", self.textual(self.views.note_html(note, lang), lang, "commenting",
                                                    note.title[lang], "text/html"),
                         self.target(lang, block, text, 0, len(text.text)))
        for entity_id in sorted(mentions):
            entity = self.views.catalog.entity(entity_id)
            self.add("describing", self.textual(self.views.gloss_html(entity_id, lang), lang, "describing",
                                                entity.name[lang], "text/html"),
                     mentions[entity_id])
        for text_lang in dict.fromkeys((lang, "ar")):
            for block in report.blocks(text_lang):
                text = published(block, self.strings[text_lang])
                for span in text.spans:
                    if span.node.kind == "sic":
                        self.add("editing", self.correction_bodies(span), self.target(text_lang, block, text,
                                                                                     span.start, span.end))

    def add(self, motivation: str, body, target) -> None:
        page = self.absolute(page_path(self.lang, self.report.slug))
        self.items.append({"id": f"{page}#a{len(self.items) + 1}", "type": "Annotation", "motivation": motivation,
                           "body": body, "target": target})

    def target(self, page_lang: str, block: Block, text: Published, start: int, end: int) -> dict:
        source = self.absolute(Urls.report(page_lang, self.report.slug)) + "#" + block.id
        return {"source": source, "selector": [
            {"type": "TextQuoteSelector", "exact": text.text[start:end],
             "prefix": text.text[max(0, start - CONTEXT):start], "suffix": text.text[end:end + CONTEXT]},
            {"type": "TextPositionSelector", "start": start, "end": end}]}

    def correction_bodies(self, span: Span) -> list[dict]:
        t = self.strings[self.lang]
        details = span.node.correction or {}
        reading = span.node.value
        bodies = [self.textual(reading, "ar", "editing") if reading else self.textual(t["omit_word"], self.lang, "editing")]
        notes = self.report.meta.correction_notes
        described = [t["corr_type_" + details["type"]] if details.get("type") else None,
                     self.views.grounds(details.get("grounds"), self.lang, t)[0],
                     notes[details["note"]][self.lang] if details.get("note") in notes else None]
        if any(described):
            bodies.append(self.textual((t["semicolon"] + " ").join(part for part in described if part), self.lang,
                                       "commenting"))  # ("؛" in Arabic, as the page joins them)
        return bodies

    @staticmethod
    def textual(value: str, lang: str, purpose: str, label: str | None = None, format: str = "text/plain") -> dict:
        body = {"type": "TextualBody", "value": str(value), "language": lang, "purpose": purpose, "format": format}
        if label:
            body["label"] = label
        return body

    def entry_url(self, entity_id: str) -> str:
        entity = self.views.catalog.entity(entity_id)
        return self.absolute(self.urls.entity(self.lang, entity_id, entity.kind))

    def absolute(self, path: str) -> str:
        return discovery.absolute(self.urls, path)


def report_pages(views, report: Report, exported: dict | None = None) -> dict[str, bytes]:
    """The report's annotation page in each language: site path -> JSON-LD. Given ``exported`` (a full
    build's, reports.Exported's fields), the annotations of each page are counted into it, so
    that the collections need not parse the pages back (``items``)."""
    pages = {lang: AnnotationWriter(views, report, lang).page() for lang in LANGS}
    if exported is not None:
        exported["annotations"] = {lang: len(page["items"]) for lang, page in pages.items()}
    return {page_path(lang, report.slug): dumps(page) for lang, page in pages.items()}


def collections(views, totals: dict[str, int]) -> dict[str, bytes]:
    """Each language's ``AnnotationCollection`` (``totals``: lang -> its annotations)."""
    slugs = views.catalog.report_slugs()
    absolute = lambda path: discovery.absolute(views.urls, path)  # noqa: E731
    files = {}
    for lang in LANGS:
        collection = {"@context": ANNO_CONTEXT, "id": absolute(collection_path(lang)), "type": "AnnotationCollection",
                      "label": views.catalog.config().title[lang], "total": totals.get(lang, 0)}
        if slugs:
            collection["first"] = absolute(page_path(lang, slugs[0]))
            collection["last"] = absolute(page_path(lang, slugs[-1]))
        files[collection_path(lang)] = dumps(collection)
    return files


def count(page: bytes) -> int:
    """The annotations of a page as written (remembered by the page's digest: the live preview
    counts every report's page on each save, and most have not changed)."""
    key = digest(page)
    if key not in _COUNTED:
        _COUNTED[key] = items(page)
    return _COUNTED[key]


def items(page: bytes) -> int:
    """The annotations of a page as written."""
    return len(json.loads(page)["items"])


_COUNTED: dict[str, int] = {}  # page digest -> its annotations
