"""What each page shows, as plain dicts for its template: one function per kind of page.

Every function reads the edition only through the catalogue (catalog.py), so what a page shows
comes from here and nowhere else; templates only lay out these dicts. Nothing here renders a
page, writes a file or changes the catalogue: the memos below only spare making the same HTML of
a gloss twice in one build.
"""
from __future__ import annotations

from collections import defaultdict

from markupsafe import Markup, escape

from . import authority, cite, collation, datafiles, discovery, html, parallels, plurals, timeline, variance
from .catalog import KIND_ORDER, Catalog
from .content import BLOCK_KINDS, Block, Report, ReportSummary, printed_pieces
from .inline import Node, offsets_of, plain_text, walk
from .models import DIRS, LANGS, OTHER
from .urls import Urls
from .witness import Span, cited_paragraph, piece_starts, siglum, witness_lines

MEETING_GROUPS = ("person", "resolution", "document", "working-group", "organization")
ABOUT = "about"  # the prose page that also shows the colophon
START_FIELDS = ("adopted", "date")  # the typed fields of models.py that date an entry (and end_date)
FACTS = ("symbol", "adopted", "date", "end_date", "subject", "office", "remit", "country")


class Views:
    def __init__(self, catalog: Catalog, urls: Urls):
        self.catalog, self.urls = catalog, urls
        self._glosses: dict[tuple[str, str], Markup] = {}  # (entity id, lang) -> the gloss as HTML
        self._mention_links: dict[tuple[str, str], Markup] = {}  # (entity id, lang) -> <a …>

    # ---------------------------------------------------------------- every page

    def site(self) -> dict:
        """The edition's title and subtitle in both languages (every page's head and the landing page)."""
        config = self.catalog.config()
        return {"title": {lang: config.title[lang] for lang in LANGS},
                "subtitle": {lang: config.subtitle[lang] for lang in LANGS}, "version": config.version,
                "date": config.date}

    # ---------------------------------------------------------------- overviews

    def home(self, lang: str) -> dict:
        """The meetings by date, each with its reports."""
        meetings = []
        for entity_id in self.catalog.meeting_ids():
            entity = self.catalog.entity(entity_id)
            meetings.append({"id": entity.id, "date": entity.date, "name": entity.name[lang],
                             "url": self.urls.entity(lang, entity.id, entity.kind),
                             "reports": [self.report_item(r, lang) for r in self.catalog.reports_of(entity.id)]})
        meetings.sort(key=lambda m: m["date"])
        return {"meetings": meetings}

    def entity_index(self, lang: str) -> dict:
        """Every entity by kind, with how often the texts in this language mention it."""
        groups = defaultdict(list)
        for entity_id in self.catalog.entity_ids():
            entity = self.catalog.entity(entity_id)
            groups[entity.kind].append({"name": entity.name[lang], "url": self.urls.entity(lang, entity.id, entity.kind),
                                        "count": self.catalog.mention_count(entity_id, lang)})
        return {"groups": [{"kind": kind, "entities": sorted(groups[kind], key=lambda e: e["name"])}
                           for kind in KIND_ORDER if kind in groups]}

    def chronology(self, lang: str) -> dict:
        """Every entry with a typed date (adopted, date, end_date), in order, with the reports that
        mention it, and a time axis of the years they fall in (timeline.py)."""
        t = self.catalog.strings(lang)
        events = []
        for entity_id in self.catalog.entity_ids():
            entity = self.catalog.entity(entity_id)
            start = next((getattr(entity, name) for name in START_FIELDS if getattr(entity, name, None)), None)
            if start is None:
                continue
            end = getattr(entity, "end_date", None)
            slugs = list(dict.fromkeys(m.report for m in self.catalog.mentions_of(entity_id, lang)))
            events.append({"id": entity.id, "name": entity.name[lang], "kind": entity.kind,
                           "url": self.urls.entity(lang, entity.id, entity.kind),
                           "start": start.isoformat(), "end": end.isoformat() if end else None,
                           "when": format_date(start, lang, t) + (" – " + format_date(end, lang, t) if end else ""),
                           "reports": [self.report_item(self.catalog.summary(slug), lang) for slug in slugs],
                           "_start": start})
        events.sort(key=lambda e: (e["start"], e["name"]))
        axis = timeline.axis([e.pop("_start") for e in events], rtl=lang == "ar")
        for event, mark in zip(events, axis["marks"]):
            event["mark"] = mark
        kinds = {e["kind"] for e in events}  # the chart's key: a dot of each kind it shows
        return {"events": events, "axis": axis,
                "key": [{"kind": kind, "name": t["kind_" + kind]} for kind in KIND_ORDER if kind in kinds]}

    def search(self, lang: str) -> dict:
        """The search page: its filters (meetings by date, kinds) and what its script says."""
        t = self.catalog.strings(lang)
        kinds = [{"id": kind, "name": t[f"hit_{kind}"]} for kind in ("report", "gloss", "note")]
        meetings = sorted((self.catalog.entity(entity_id) for entity_id in self.catalog.meeting_ids()),
                          key=lambda entity: (entity.date, entity.id))
        return {"kinds": kinds, "meetings": [{"id": m.id, "name": m.name[lang]} for m in meetings],
                "search_labels": {"report": t["hit_report"], "gloss": t["hit_gloss"], "note": t["hit_note"],
                                  "lang_ar": t["lang_name_ar"], "lang_en": t["lang_name_en"],
                                  "paragraph": t["paragraph_n"], "count": t["search_count"],
                                  "blocks": {kind: t["block_" + kind] for kind in BLOCK_KINDS},
                                  "pages": t["search_pages"], "failed": t["search_failed"]}}

    def prose(self, name: str, lang: str) -> dict:
        page = self.catalog.page(name)
        view = {"title": page.title[lang], "body": html.isolate(html.prose(page.body[lang]), lang), "colophon": None}
        if name == ABOUT:  # the about page also shows the edition's version and how to cite it
            view["colophon"] = self.colophon(lang)
        return view

    def colophon(self, lang: str) -> dict:
        """The edition's version and date, and its citation in the page's language."""
        config = self.catalog.config()
        url = self.urls.canonical(self.urls.home(lang)) or self.urls.href(self.urls.home(lang))
        t = self.catalog.strings(lang)
        return {"version": config.version, "date": config.date.isoformat() if config.date else None,
                "citation": cite.edition(config, lang, None, t), "url": url}  # the address shown apart

    def report_item(self, report: ReportSummary, lang: str) -> dict:
        """A report in a list of reports."""
        return {"slug": report.slug, "title": report.title[lang], "supplied": report.title.supplied,
                "url": self.urls.report(lang, report.slug),
                "publisher": cite.publisher(report, lang),  # bracketed when inferred
                "date": report.date, "paragraphs": report.paragraphs}

    # ---------------------------------------------------------------- a report

    def report(self, report: Report, lang: str) -> dict:
        meta = report.meta
        numbers = report.paragraph_numbers()
        corrections = self.corrections(report, lang, numbers)
        number_of = {id(c["node"]): c for c in corrections}
        twins = {b.id: b for b in report.blocks("en")}
        pairs, printed_title = [], None
        cuts = self.cuts(report)
        shown: set[str] = set()  # a note on several paragraphs is given in full at the first, then referred to
        for block in report.blocks("ar"):
            if block.kind == "title":
                printed_title = self.printed_title(block, twins, lang, number_of)
                continue
            cols = [{"lang": col_lang, "dir": DIRS[col_lang],
                     "lines": [self.inline(line, lang, number_of) for line in self.column(block, twins, col_lang).lines]}
                    for col_lang in (lang, OTHER[lang])]
            pairs.append({"id": block.id, "kind": block.kind, "number": numbers.get(block.id),
                          "editorial_break": "editorial-break" in block.classes, "cols": cols,
                          "cuts": cuts.get(block.id, []), "notes": self.notes_at(report.slug, block.id, lang, shown)})
        t = self.catalog.strings(lang)
        path = self.urls.report(lang, report.slug)
        url = self.urls.canonical(path) or self.urls.href(path)
        templates = cite.citations(meta, report.slug, self.catalog.config(), lang, t)
        placeholder = t["cite_access_placeholder"]
        mentioned = sorted({n.value for b in report.blocks(lang) for line in b.lines for n in walk(line)
                            if n.kind == "mention"})
        return {
            "slug": report.slug, "meta": self.report_meta(report, lang), "title": meta.title[lang],
            "printed_title": printed_title, "pairs": pairs, "meeting": self.link_to(meta.meeting, lang),
            "corrections": [{k: v for k, v in c.items() if k != "node"} for c in corrections],
            "omissions": [self.omission(o, n, lang, numbers, report) for n, o in enumerate(meta.omissions, start=1)],
            "cuts_at_start": cuts.get(None, []),
            "breaks": [p for p in pairs if p["editorial_break"]],
            "glosses": [self.gloss_item(i, lang) for i in mentioned],
            "seed": meta.seed, "witness_url": self.urls.witness(lang, meta.seed), "default_mode": "both",
            "tei": self.urls.tei(report.slug),
            "sequence": self.report_sequence(report.slug, lang), "meta_line": self.meta_line(report, lang),
            "collations": self.collation_links(report.slug, lang),
            "cite": {"templates": templates, "para": t["cite_para"], "para_en": self.catalog.strings("en")["cite_para"],
                     "chicago": cite.fill(templates["chicago"], url, "", placeholder),
                     # an English citation gives the Arabic title first: marked Arabic (here, and by
                     # edition.js when it fills the citation in)
                     "original": cite.original_title(meta) if lang != "ar" else None,
                     "bibtex": cite.fill(templates["bibtex"], url, "", placeholder),
                     "csl": cite.fill(templates["csl"], url, "", placeholder),
                     "copy": t["cite_copy"], "copied": t["cite_copied"], "copy_failed": t["cite_copy_failed"]},
            "json_ld": discovery.json_ld(self.report_json_ld(report, lang, url, mentioned)),
            "downloads": [{"label": kind.label[lang], "url": path, "media_type": kind.media_type}
                          for kind, path in datafiles.report_files(report.slug)],
        }

    def printed_title(self, block: Block, twins: dict[str, Block], lang: str, number_of: dict[int, dict]) -> dict:
        """A title printed in the witness: the page's h1 in its language, and under it the title
        in the other language ("other"), marked as a paragraph's other column is and shown or
        hidden with it by the reading modes."""
        other = OTHER[lang]
        return {"id": block.id, "html": self.inline(self.column(block, twins, lang).lines[0], lang, number_of),
                "other": {"lang": other, "dir": DIRS[other],
                          "html": self.inline(self.column(block, twins, other).lines[0], lang, number_of)}}

    def meta_line(self, report: Report, lang: str) -> list[str]:
        """The metadata in one line (publisher and date), shown before the details."""
        meta, t = report.meta, self.catalog.strings(lang)
        date = format_date(meta.date.value, lang, t) if meta.date.value else t["cite_no_date"]
        return [cite.publisher(meta, lang) or t["cite_anonymous"],  # bracketed when inferred, as citations give them
                cite.bracketed(date, meta.date.value is not None and meta.date.certainty == "inferred")]

    def report_sequence(self, slug: str, lang: str) -> dict:
        """Where a report stands in the edition's order, and the reports before and after it."""
        slugs = self.catalog.report_slugs()
        at = slugs.index(slug)
        neighbour = lambda i: self.urls.report(lang, slugs[i]) if 0 <= i < len(slugs) else None  # noqa: E731
        return {"position": at + 1, "total": len(slugs), "previous": neighbour(at - 1), "next": neighbour(at + 1)}

    @staticmethod
    def column(block: Block, twins: dict[str, Block], lang: str) -> Block:
        return block if lang == "ar" else twins[block.id]

    @staticmethod
    def report_meta(report: Report, lang: str) -> dict:
        """The metadata a report page shows, with how certain each is."""
        meta = report.meta
        printed = lambda value: {"printed": value.printed, "en": value.en} if value else None  # noqa: E731
        return {"supplied": meta.title.supplied, "author": cite.byline(meta, lang),
                "publisher": meta.publisher[lang], "publisher_certainty": meta.publisher.certainty,
                "publisher_evidence": meta.publisher.evidence[lang] if meta.publisher.evidence else None,
                "dateline": printed(meta.dateline), "byline": printed(meta.byline),
                "date": meta.date.value.isoformat() if meta.date.value else None,
                "date_certainty": meta.date.certainty,
                "date_evidence": meta.date.evidence[lang] if meta.date.evidence else None,
                # what reference managers read as fact: only what the witness prints
                "citation_publisher": meta.publisher[lang] if meta.publisher.certainty == "printed" else None,
                "citation_date": meta.date.value.isoformat() if meta.date.value and meta.date.certainty == "printed"
                else None,
                "provenance": {part: getattr(meta.provenance, part)[lang] for part in ("known", "unknown", "lost")}
                if meta.provenance else None}

    def corrections(self, report: Report, lang: str, numbers: dict[str, int]) -> list[dict]:
        """Every sic/corr of the text, numbered in the order the page shows them, with its type,
        grounds and note."""
        t = self.catalog.strings(lang)
        notes = report.meta.correction_notes
        found = []
        twins = {b.id: b for b in report.blocks("en")}
        for block in report.blocks("ar"):
            for col_lang in (lang, OTHER[lang]):  # a printed title too: the h1, then the other language's under it
                for line in self.column(block, twins, col_lang).lines:
                    for node in walk(line):
                        if node.kind == "sic":
                            found.append(self.correction(node, len(found) + 1, block, numbers, notes, lang, t))
        return found

    def correction(self, node: Node, number: int, block: Block, numbers: dict, notes: dict, lang: str, t: dict) -> dict:
        """One correction as the apparatus and its popover show it; where it stands: its paragraph's
        number, or its block's kind ("title", "dateline"), never the block's id."""
        block_id = block.id
        where = numbers.get(block_id) or (t["block_" + block.kind] if block.kind in BLOCK_KINDS else block_id)
        details = node.correction or {}
        kind = details.get("type")
        note = details.get("note")
        printed = html.inline(node.children, self.mention_opener(lang), lambda _node, inner: inner)
        reading = node.value or t["omit_word"]
        grounds, grounds_html = self.grounds(details.get("grounds"), lang, t)
        named = t["corr_type_" + kind] if kind else None
        return {"node": node, "grounds_html": grounds_html, "lang": "ar", "n": number, "block": block_id, "paragraph": where,
                "printed": printed, "printed_text": plain_text(node.children), "reading": reading,
                "deleted": not node.value, "type": named, "grounds": grounds,
                "said": self.correction_said(named, grounds, t), "note": notes[note][lang] if note in notes else None}

    @staticmethod
    def correction_said(named: str | None, grounds: str | None, t: dict) -> str:
        """What a correction's link is, said in the page's language only: "proposed reading
        (misprint; cf. …)". It describes the link (aria-describedby), whose name is the reading it
        shows, marked Arabic: no Arabic word in it, to be read in an English voice."""
        described = (t["semicolon"] + " ").join(part for part in (named, grounds) if part)
        return t["corr_label"] + (f" ({described})" if described else "")

    def grounds(self, cited: str | None, lang: str, t: dict) -> tuple[str | None, Markup | None]:
        """A correction's grounds as text and as HTML ("cf. …"). Grounds that cite a witness's
        paragraph (``004 p1``) are said in words ("witness 004, paragraph 1") and link to where that
        paragraph begins on the witness's page; other grounds are shown as written, isolated, so
        that a Latin run keeps its order on an Arabic page."""
        if not cited:
            return None, None
        place = cited_paragraph(cited)
        seed = self.catalog.witness_file(place[0]) if place else None
        if seed is None:
            return t["corr_grounds"].format(grounds=cited), escape(t["corr_grounds"]).replace(
                "{grounds}", Markup("<bdi>%s</bdi>") % cited)
        witness, number = place
        words = t["grounds_witness"].format(siglum=witness, n=number)
        named = escape(t["grounds_witness"]).replace("{siglum}", Markup("<bdi>%s</bdi>") % witness).replace(
            "{n}", str(number))
        link = Markup('<a href="%s#paragraph-%s">%s</a>') % (self.urls.href(self.urls.witness(lang, seed)), number, named)
        return t["corr_grounds"].format(grounds=words), escape(t["corr_grounds"]).replace("{grounds}", link)

    def inline(self, nodes: list[Node], lang: str, number_of: dict[int, dict]) -> Markup:
        """A line of the text as HTML: mentions link to their entries, corrections to the apparatus
        (a link named by the reading it shows and described by what it is, its type and grounds:
        the apparatus's ``corr-N-said``; the page's script shows them in place)."""

        # The text is Arabic; the link is in the page's language (lang), its shown reading, its
        # name, Arabic again (unless it is the page's word for a deletion). Its description holds
        # the page's language only (correction_said), so that no part of what is said of it is
        # read in the other language's voice.
        named_in = Markup(' lang="%s"') % lang if lang != "ar" else ""
        reading_in = Markup(' lang="ar"') if lang != "ar" else ""

        def sic(node: Node, inner: Markup) -> Markup:
            c = number_of[id(node)]
            shown = Markup("<span%s>⟨%s⟩</span>") % (reading_in, c["reading"]) if reading_in and not c["deleted"] \
                else Markup("⟨%s⟩") % c["reading"]
            return Markup('<span class="sic" id="sic-%s">%s</span><a class="corr" href="#corr-%s"%s '
                          'aria-describedby="corr-%s-said">%s</a>') % (c["n"], inner, c["n"], named_in, c["n"], shown)

        return html.inline(nodes, self.mention_opener(lang), sic)

    def mention_opener(self, lang: str):
        def mention(node: Node, inner: Markup) -> Markup:
            return Markup("".join((self.mention_link(node.value, lang), inner, "</a>")))  # both escaped
        return mention

    def mention_link(self, entity_id: str, lang: str) -> Markup:
        """The opening tag of a link to an entity's entry, made once per entity and language."""
        entity = self.catalog.entity(entity_id)
        key = (entity_id, lang)
        if key not in self._mention_links:
            self._mention_links[key] = Markup('<a class="mention" href="%s" data-gloss="gloss-%s">') % (
                self.urls.href(self.urls.entity(lang, entity.id, entity.kind)), entity.id)
        return self._mention_links[key]

    def report_json_ld(self, report: Report, lang: str, url: str, mentioned: list[str]) -> dict:
        meta, urls = report.meta, self.urls
        edition_title = self.catalog.config().title[lang]
        about = []
        for entity_id in mentioned:
            entity = self.catalog.entity(entity_id)
            about.append({"@type": "Thing", "name": entity.name[lang],
                          "url": discovery.absolute(urls, urls.entity(lang, entity_id, entity.kind))})
        data = {"@context": "https://schema.org", "@type": "Article", "headline": meta.title[lang], "url": url,
                "inLanguage": lang, "isPartOf": {"@type": "WebSite", "name": edition_title,
                                                 "url": discovery.absolute(urls, urls.home(lang))},
                "about": about}
        if lang == "en":
            data["translationOfWork"] = {"@type": "Article", "inLanguage": "ar", "headline": meta.title.ar,
                                         "url": discovery.absolute(urls, urls.report("ar", report.slug))}
        if meta.date.value and meta.date.certainty == "printed":
            data["datePublished"] = meta.date.value.isoformat()
        if meta.byline:
            data["author"] = {"@type": "Person", "name": cite.byline(meta, lang)}
        if meta.publisher[lang] and meta.publisher.certainty == "printed":
            data["publisher"] = {"@type": "Organization", "name": meta.publisher[lang]}
        return data

    @staticmethod
    def cuts(report: Report) -> dict[str | None, list[int]]:
        """Where each omission's sign stands in the text: block id -> the numbers of the omissions
        after it (None: before the first block shown, which is where a cut after the title falls)."""
        titles = {block.id for block in report.blocks("ar") if block.kind == "title"}
        signs: dict[str | None, list[int]] = {}
        for number, omission in enumerate(report.meta.omissions, start=1):
            where = None if omission.after in titles else omission.after
            signs.setdefault(where, []).append(number)
        return signs

    def omission(self, omission, number: int, lang: str, numbers: dict, report: Report) -> dict:
        t = self.catalog.strings(lang)
        titles = {block.id for block in report.blocks("ar") if block.kind == "title"}
        if omission.after is None:
            where = t["omission_start"]
        elif omission.after in titles:
            where = t["omission_after_title"]
        else:
            number_there = numbers.get(omission.after)
            where = t["omission_after"].format(ref=number_there if number_there else omission.after)
        return {"n": number, "where": where, "after": omission.after, "text": omission.text,
                "reason": omission.reason[lang]}

    # ---------------------------------------------------------------- a witness

    def witness(self, report: Report, lang: str) -> dict:
        """A report's witness as preserved, line by line, with what the edition omits and corrects
        marked where it stands (numbered as on the report page, which each mark links to)."""
        text = report.witness or ""
        numbers = report.paragraph_numbers()
        corrections = self.corrections(report, lang, numbers)
        omissions = report.meta.omissions
        spans, starts = witness_places(report, text, numbers, {id(c["node"]): c["n"] for c in corrections})
        return {"seed": report.meta.seed, "title": report.meta.title[lang],
                "report_url": self.urls.report(lang, report.slug),
                "lines": witness_lines(text, spans, starts),
                "paragraphs": {n: block_id for block_id, n in numbers.items()},
                "omissions": {n: o.reason[lang] for n, o in enumerate(omissions, start=1)},
                "corrections": {c["n"]: {k: v for k, v in c.items() if k != "node"} for c in corrections}}

    # ---------------------------------------------------------------- editorial notes

    def notes_at(self, slug: str, block_id: str, lang: str, shown: set[str]) -> list[dict]:
        """The notes beside one paragraph of a report (their other anchors are on the notes page:
        a report's page is rendered before the other reports are read). A note already given in
        full beside an earlier paragraph of the page (an id in ``shown``) is marked ``again``: the
        page refers to it there rather than print it twice."""
        found = [dict(self.note(note, lang, with_anchors=False), again=note.id in shown)
                 for note in self.catalog.notes_at(slug, block_id)]
        shown.update(note["id"] for note in found)
        return found

    def note(self, note, lang: str, with_anchors: bool = True) -> dict:
        """A note as HTML, with its sources and (on the notes page) the paragraphs it is anchored to."""
        return {"id": note.id, "title": note.title[lang], "html": self.note_html(note, lang),
                "url": self.urls.notes(lang) + "#note-" + note.id,
                "anchors": self.anchors(note, lang) if with_anchors else [],
                "sources": [{"citation": s.citation, "url": s.url} for s in note.sources]}

    @staticmethod
    def note_html(note, lang: str) -> Markup:
        """An editorial note's text as HTML, with the runs in the other language isolated."""
        return html.isolate(html.gloss(note.note[lang]), lang)

    def anchors(self, note, lang: str) -> list[dict]:
        t = self.catalog.strings(lang)
        found = []
        for anchor in note.anchors:
            summary = self.catalog.summary(anchor.report)
            for block in anchor.paragraphs:
                found.append({"report": anchor.report, "title": summary.title[lang],
                              "where": summary.where(block, t),
                              "url": self.urls.report(lang, anchor.report) + "#" + block})
        return found

    def notes_page(self, lang: str) -> dict:
        """Every editorial note, with where it is anchored."""
        return {"notes": [self.note(note, lang) for note in self.catalog.notes()]}

    # ---------------------------------------------------------------- entities

    def link_to(self, entity_id: str, lang: str) -> dict:
        entity = self.catalog.entity(entity_id)
        return {"id": entity.id, "name": entity.name[lang], "url": self.urls.entity(lang, entity.id, entity.kind)}

    def gloss_item(self, entity_id: str, lang: str) -> dict:
        entity = self.catalog.entity(entity_id)
        return {"id": entity.id, "name": entity.name[lang], "kind": entity.kind,
                "url": self.urls.entity(lang, entity.id, entity.kind), "gloss": self.gloss_html(entity_id, lang)}

    def gloss_html(self, entity_id: str, lang: str) -> Markup:
        """A gloss as HTML, with the runs in the other language isolated."""
        entity = self.catalog.entity(entity_id)
        key = (entity_id, lang)
        if key not in self._glosses:
            self._glosses[key] = html.isolate(html.gloss(entity.gloss[lang]), lang)
        return self._glosses[key]

    def entity(self, entity_id: str, lang: str) -> dict:
        """An entry: the gloss, the facts, the sources, the related entries and every mention in context."""
        entity = self.catalog.entity(entity_id)
        mentions = self.catalog.mentions_of(entity_id, lang)
        by_report = defaultdict(list)  # in edition order, as the mentions are
        for mention in mentions:
            by_report[mention.report].append(mention)
        reports = []
        t = self.catalog.strings(lang)
        for slug, found in by_report.items():
            summary = self.catalog.summary(slug)
            reports.append({"summary": self.report_item(summary, lang), "meeting": self.link_to(summary.meeting, lang),
                            "mentions": [{"before": m.before, "text": m.text, "after": m.after,
                                          "where": summary.where(m.block, t),  # "paragraph 3", "title", "dateline"
                                          "url": self.urls.report(lang, slug) + "#" + m.block} for m in found]})
        identifiers = authority.records(entity.identifiers)
        described = html.plain(self.gloss_html(entity_id, lang))  # what readers read of the gloss, not its Markdown
        json_ld = {"@context": "https://schema.org", "@type": "DefinedTerm", "name": entity.name[lang],
                   "alternateName": entity.name[OTHER[lang]], "description": described, "inLanguage": lang,
                   "url": discovery.absolute(self.urls, self.urls.entity(lang, entity.id, entity.kind)),
                   "inDefinedTermSet": discovery.absolute(self.urls, self.urls.entity_index(lang))}
        if identifiers:
            json_ld["sameAs"] = [record["url"] for record in identifiers]
        view = {"id": entity.id, "kind": entity.kind, "name": entity.name[lang], "gloss": self.gloss_html(entity_id, lang),
                "description": described,
                "sources": [{"citation": s.citation, "url": s.url} for s in entity.sources],
                "identifiers": identifiers, "json_ld": discovery.json_ld(json_ld),
                "other_name": entity.name[OTHER[lang]], "facts": self.facts(entity, lang),
                "related": sorted((self.link_to(r, lang) for r in self.catalog.related(entity_id)), key=lambda r: r["name"]),
                "reports": reports, "count": len(mentions)}
        if entity.kind == "meeting":
            meeting_reports = self.catalog.reports_of(entity_id)
            view["meeting_reports"] = [self.report_item(r, lang) for r in meeting_reports]
            view["meeting_mentions"] = self.meeting_mentions([r.slug for r in meeting_reports], lang)
        return {"entity": view}

    def meeting_mentions(self, slugs: list[str], lang: str) -> list[dict]:
        """Who and what a meeting's reports name, by kind, most named first."""
        counts = self.catalog.entities_mentioned_in(slugs, lang)
        groups = []
        for kind in MEETING_GROUPS:
            items = [dict(self.link_to(i, lang), count=c) for i, c in counts.items()
                     if self.catalog.entity(i).kind == kind]
            if items:
                groups.append({"kind": kind, "entities": sorted(items, key=lambda e: (-e["count"], e["name"]))})
        return groups

    def facts(self, entity, lang: str) -> list[tuple[str, str]]:
        t = self.catalog.strings(lang)
        rows = []
        for name in FACTS:
            value = getattr(entity, name, None)
            if value is None:
                continue
            if hasattr(value, "ar"):
                value = value[lang]
            elif hasattr(value, "isoformat"):
                value = format_date(value, lang, t)
            elif name == "symbol":  # a document symbol is one left-to-right unit: "S/RES/2254 (2015)"
                value = Markup('<bdi lang="en" dir="ltr">%s</bdi>') % value
            rows.append((t["fact_" + name], value if isinstance(value, Markup) else str(value)))
        return rows

    # ---------------------------------------------------------------- collations

    def collation_links(self, slug: str, lang: str) -> list[dict]:
        """The collations a report is a witness of (its page links to them)."""
        return [{"title": self.collation_title(group, lang), "url": self.urls.collation(lang, group.id)}
                for group in self.catalog.groups_of(slug)]

    def collation_title(self, group, lang: str) -> str:
        if group.title:
            return group.title[lang]
        return self.catalog.strings(lang)["collation_title"].format(meeting=self.catalog.entity(group.meeting).name[lang])

    def collation_group(self, group_id: str):
        return next(group for group in self.catalog.collation_groups() if group.id == group_id)

    def siglum(self, slug: str) -> str:
        """A witness's siglum: the number its seed file begins with (003), else the file's name."""
        return siglum(self.catalog.summary(slug).seed)

    def collation(self, group_id: str, lang: str) -> dict:
        """A collation's page: its witnesses, and either the word-by-word collation (synopsis,
        reading text with apparatus, variance strip, counts) or the passages they share."""
        group = self.collation_group(group_id)
        witnesses = [{"slug": slug, "siglum": self.siglum(slug), "title": self.catalog.summary(slug).title[lang],
                      "url": self.urls.report(lang, slug), "base": slug == group.base} for slug in group.witnesses]
        view = {"id": group.id, "kind": group.kind, "title": self.collation_title(group, lang),
                "meeting": self.link_to(group.meeting, lang), "witnesses": witnesses,
                "base": group.witnesses.index(group.base),
                "exports": {ext: Urls.collation_export(group.id, ext) for ext in ("tei.xml", "json")}
                if group.kind == "word" else None}
        if group.kind == "word":
            view.update(self.word_collation(group, witnesses, lang))
        else:
            view.update(self.passage_collation(group, witnesses, lang))
        return {"collation": view}

    def collated(self, group) -> collation.Collation:
        """The word-by-word collation of a group (kept by the content of the texts it reads)."""
        return collation.collate({slug: self.catalog.witness_tokens(slug) for slug in group.witnesses}, group.base)

    def word_collation(self, group, witnesses: list[dict], lang: str) -> dict:
        t = self.catalog.strings(lang)
        result = self.collated(group)
        base = group.witnesses.index(group.base)
        last_block = [next((tok.block for tok in self.catalog.witness_tokens(s)), "") for s in group.witnesses]
        rows, entries, reading = [], [], []
        for place in result.places:
            links = []
            for w, found in enumerate(place.readings):
                last_block[w] = found[0].block if found else last_block[w]
                links.append({"siglum": witnesses[w]["siglum"], "url": witnesses[w]["url"] + "#" + last_block[w]})
            kind = {"kind": place.kind, "label": t["kind_" + place.kind], "symbol": SYMBOLS[place.kind]} if place.kind else None
            rows.append({"number": place.number, "kind": kind,
                         "cells": [tokens_html(found, t, lang=lang) for found in place.readings], "links": links})
            if place.kind:
                entries.append({"number": place.number, "kind": kind, "links": links,
                                "lemma": tokens_html(place.readings[base], t, lang=lang) or t["app_omitted"],
                                "lemma_sigla": " ".join(witnesses[w]["siglum"] for w, found in enumerate(place.readings)
                                                        if w == base or found == place.readings[base] and found),
                                "readings": [{"html": tokens_html(found, t, lang=lang) or t["app_omitted"], "omitted": not found,
                                              "siglum": witnesses[w]["siglum"]}
                                             for w, found in enumerate(place.readings)
                                             if w != base and not (found and found == place.readings[base])]})
            reading_text(reading, place, base, kind, t, lang)
        counts = result.counts()
        return {"rows": rows, "entries": entries, "reading": reading,
                "counts": [{"kind": k, "label": t["kind_" + k], "symbol": SYMBOLS[k], "n": counts[k]} for k in collation.KINDS],
                "total": sum(counts.values()), "substantive": sum(counts[k] for k in collation.SUBSTANTIVE),
                "strip": variance.strip(result, rtl=lang == "ar")}

    def passage_collation(self, group, witnesses: list[dict], lang: str) -> dict:
        t = self.catalog.strings(lang)
        base = group.witnesses.index(group.base)
        shared, alone = parallels.passages([self.catalog.witness_tokens(s) for s in group.witnesses], base)

        def sentence(s) -> dict:
            slug = group.witnesses[s.witness]
            return {"html": tokens_html(s.tokens, t, lang=lang), "url": witnesses[s.witness]["url"] + "#" + s.block,
                    "where": self.catalog.summary(slug).where(s.block, t)}

        shown: set[str] = set()  # a note is given in full where it first concerns a passage, then referred to

        def notes(found) -> list[dict]:
            here = {}
            for s in found:
                for note in self.catalog.notes_at(group.witnesses[s.witness], s.block):
                    here.setdefault(note.id, dict(self.note(note, lang, with_anchors=False), again=note.id in shown))
            shown.update(here)
            return list(here.values())

        passages = [{"number": n, "similarity": f"{p.similarity:.2f}",
                     "cells": [[sentence(s) for s in found] for found in p.sentences],
                     "notes": notes([s for found in p.sentences for s in found])}
                    for n, p in enumerate(shared, start=1)]
        own = [{"witness": witnesses[w], "sentences": [dict(sentence(s), notes=notes([s])) for s in found]}
               for w, found in enumerate(alone)]
        return {"passages": passages, "alone": own}
    # ---------------------------------------------------------------- data

    def data_page(self, listing: list[dict], lang: str) -> dict:
        """The data files the build wrote (datafiles.listing), by kind, with their sizes, and the
        edition as a schema.org Dataset of them. A kind made per report is listed file by file up
        to ``LISTED_UP_TO`` files; above, as one line (how many, their size in all, the pattern of
        their paths), each report's page offering its own: at 10,000 reports the list would be
        50,000 rows, a page no reader could use."""
        t, config = self.catalog.strings(lang), self.catalog.config()
        absolute = lambda path: discovery.absolute(self.urls, path)  # noqa: E731
        groups, distribution = [], []
        for group in listing:
            kind, files = group["kind"], group["files"]
            listed = files if not kind.of_report or len(files) <= LISTED_UP_TO else []
            groups.append({"label": kind.label[lang], "media_type": kind.media_type,
                           "files": [{"name": f["path"].removeprefix(datafiles.PREFIX), "url": f["path"],
                                      "size": size_text(f["size"], t)} for f in listed],
                           "summary": None if listed else {
                               "count": plurals.phrase(t["data_file_count"], len(files), lang),
                               "size": size_text(sum(f["size"] for f in files), t), "pattern": kind.pattern}})
            distribution += [{"@type": "DataDownload", "name": f["path"].removeprefix(datafiles.PREFIX),
                              "contentUrl": absolute(f["path"]), "encodingFormat": kind.media_type,
                              "contentSize": f"{f['size']} B"} for f in listed]
        dataset = {"@context": "https://schema.org", "@type": "Dataset", "name": config.title[lang],
                   "description": config.subtitle[lang], "url": absolute(self.urls.data_page(lang)),
                   "inLanguage": list(LANGS), "license": t["licence_url"], "isAccessibleForFree": True,
                   "creator": {"@type": "Organization", "name": t["cite_maintainers"]},
                   "distribution": distribution}
        if config.version:
            dataset["version"] = config.version
        if config.date:
            dataset["datePublished"] = config.date.isoformat()
        return {"groups": groups, "json_ld": discovery.json_ld(dataset)}

    # ---------------------------------------------------------------- feeds

    def feed_entries(self, lang: str) -> list[dict]:
        """The reports for a language's Atom feed, newest first (by their date, or their meeting's
        where theirs is not known: an order, not a date stated). Each was last updated in the
        version of the edition the feed comes with (``config.date``): a report's own date is not
        known for every report, and an inferred one is not a fact (render.discovery_files writes
        no feed for an edition without a date)."""
        updated = self.catalog.config().date.isoformat()
        entries = []
        for summary in self.catalog.summaries():
            date = summary.date.value or self.catalog.entity(summary.meeting).date
            entries.append({"title": summary.title[lang], "path": self.urls.report(lang, summary.slug),
                            "updated": updated, "summary": summary.lead[lang], "order": (date, summary.slug)})
        entries.sort(key=lambda e: e.pop("order"), reverse=True)
        return entries


LISTED_UP_TO = 100  # the Data page lists a per-report kind's files one by one up to this many

SYMBOLS = {"addition": "+", "omission": "−", "substitution": "≠", "orthographic": "≈"}  # beside each kind's name


def tokens_html(tokens, t: dict, continued: bool = False, lang: str = "ar") -> Markup:
    """Tokens as printed, each correction followed by the editors' reading (⟨…⟩, with its type named
    after it, shown, in the page's language, ``lang``, ``t``: its strings). A token that starts a line of its block (a teaser
    after the one before) starts a new line (``<br>``), so that two lines never run on into one; the
    first token too when the tokens are ``continued`` from words shown before them (the reading text)."""
    html = Markup()
    for index, token in enumerate(tokens):
        if token.line_start and (index or continued):
            html += Markup("<br>")
        elif index:
            html += Markup(" ")
        html += Markup("%s") % token.text
        ends = token.correction and (index + 1 == len(tokens) or tokens[index + 1].correction is not token.correction)
        if ends:
            kind = token.correction.type
            marked = Markup(' lang="%s" dir="%s"') % (lang, DIRS[lang]) if lang != "ar" else ""  # in the Arabic text
            named = Markup(' <span class="corr-type"%s>(%s)</span>') % (marked, t["corr_type_" + kind]) if kind else ""
            html += Markup('<span class="corr-reading">⟨%s⟩%s</span>') % (token.correction.reading, named)
    return html


def reading_text(paragraphs: list[dict], place, base: int, kind: dict | None, t: dict, lang: str) -> None:
    """Add a place's base reading to the reading text, paragraph by paragraph (a variant place
    is marked with its number, even where the base has no words)."""
    found = place.readings[base]
    by_block: list[tuple[str, list]] = []
    for token in found:
        if not by_block or by_block[-1][0] != token.block:
            by_block.append((token.block, []))
        by_block[-1][1].append(token)
    if not by_block and paragraphs:
        by_block = [(paragraphs[-1]["id"], [])]
    for at, (block, tokens) in enumerate(by_block, start=1):
        if not paragraphs or paragraphs[-1]["id"] != block:
            paragraphs.append({"id": block, "parts": []})
        last = at == len(by_block)  # the place's mark goes after its last words
        paragraphs[-1]["parts"].append({"html": tokens_html(tokens, t, continued=True, lang=lang), "number": place.number if last else 0,
                                        "kind": kind if last else None})


def size_text(size: int, t: dict) -> str:
    """A file's size for readers: bytes under a kibibyte, kibibytes under a mebibyte, else
    mebibytes, to one decimal."""
    if size < 1024:
        return t["size_bytes"].format(n=size)
    if size < 1024 * 1024:
        return t["size_kib"].format(n=f"{size / 1024:.1f}")
    return t["size_mib"].format(n=f"{size / 1024 / 1024:.1f}")


def format_date(value, lang: str, t: dict) -> str:
    months = t["months"].split(",")
    text = f"{value.day} {months[value.month - 1]} {value.year}"
    return text.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")) if lang == "ar" and t.get("digits") == "arabic-indic" else text


def witness_places(report: Report, text: str, numbers: dict[str, int], corrected: dict[int, int]):
    """The omissions and corrections of a report where they stand in its witness ``text`` (as
    witness.Span), and the offset where each paragraph begins -> its numbers: found by following
    the text and the omissions through the witness in order (witness.piece_starts), as the build
    holds them to it. ``corrected``: id of a correction's node -> its number on the page."""
    pieces = list(printed_pieces(report))
    spans, starts = [], {}
    for (piece, what, *_where), start in zip(pieces, piece_starts(text, [p[0] for p in pieces])):
        if what[0] == "omission":
            spans.append(Span(start, start + len(piece), "omission", what[1]))
            continue
        block, nodes, lead = what[1:]
        if nodes is block.lines[0] and block.id in numbers:
            starts.setdefault(start, []).append(numbers[block.id])
        for node, offset in offsets_of("sic", nodes):
            if id(node) in corrected:
                at = start - lead + offset
                spans.append(Span(at, at + len(plain_text(node.children)), "correction", corrected[id(node)]))
    return spans, starts

