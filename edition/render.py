"""Render pages to HTML and hand them to an output (see output.py); the views each page shows."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from jinja2 import (BytecodeCache, Environment, FileSystemLoader, StrictUndefined, TemplateError, pass_context,
                    select_autoescape)
from markupsafe import Markup

from . import cite, discovery, html
from .annotations import EntityFile
from .content import Block, Page, Report, ReportSummary
from .inline import Node, walk
from .mentions import Mention
from .models import LANGS, Config
from .safety import template_failure
from .urls import Urls

DIRS = {"ar": "rtl", "en": "ltr"}
OTHER = {"ar": "en", "en": "ar"}
KIND_ORDER = ["meeting", "resolution", "document", "working-group", "organization", "person", "place", "event"]


@dataclass
class Edition:
    """Everything the pages are made from, validated and linked. The reports themselves pass
    through the build one at a time (their pages are rendered as they are read); what the other
    pages need of them stays: their summaries and their mentions."""

    config: Config
    strings: dict[str, dict[str, str]]  # lang -> key -> text
    entities: dict[str, EntityFile]
    pages: list[Page]
    summaries: list[ReportSummary] = field(default_factory=list)  # in edition order
    mentions: dict[str, dict[str, list[Mention]]] = field(default_factory=dict)  # lang -> entity id -> mentions
    mention_counts: Counter = field(default_factory=Counter)  # (entity id, lang) -> mentions, both languages

    def entity(self, entity_id: str):
        return self.entities[entity_id].entity

    def reports_of(self, meeting_id: str) -> list[ReportSummary]:
        return [r for r in self.summaries if r.meeting == meeting_id]

    def mentions_of(self, entity_id: str, lang: str) -> list[Mention]:
        return self.mentions.get(lang, {}).get(entity_id, [])


class CompiledTemplates(BytecodeCache):
    """Templates compiled once per process: the live preview makes a Renderer for every build,
    and Jinja keys each entry by the template's name and a checksum of its source."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


COMPILED = CompiledTemplates()


class ViewEnvironment(Environment):
    """The views handed to templates are dicts: ``{{ item.url }}`` looks the key up first
    (Jinja would try the attribute, fail with an exception, and then look the key up)."""

    def getattr(self, obj, attribute):
        if type(obj) is dict and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)


class Renderer:
    """Renders pages to HTML and hands them to an output. With ``keys`` (the live preview), a
    page whose inputs did not change since the previous build is taken from ``previous``."""

    def __init__(self, edition: Edition, templates: Path, urls: Urls, serve: bool = False,
                 keys: dict | None = None, previous: dict | None = None):
        self.edition = edition
        self.urls = urls
        self.templates = templates
        self.keys = keys  # page kind -> function giving the key of a page's inputs (incremental builds)
        self.previous = previous or {}  # output file -> (key, html) of the previous build
        self.kept: dict[str, tuple] = {}  # output file -> (key, its bytes), for the next build
        self.rendered = 0
        self.glosses: dict[tuple[str, str], Markup] = {}  # (entity id, lang) -> the gloss as HTML
        self.mention_links: dict[tuple[str, str], Markup] = {}  # (entity id, lang) -> <a …>
        self.env = ViewEnvironment(loader=FileSystemLoader(templates), autoescape=select_autoescape(default=True),
                               undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                               keep_trailing_newline=True, auto_reload=False, bytecode_cache=COMPILED)
        self.env.globals.update(url=urls.href, serve=serve, config=edition.config)
        self.related_to: dict[str, set[str]] = defaultdict(set)  # related, seen from the other side
        for entity_id, loaded in edition.entities.items():
            for other in loaded.entity.related:
                self.related_to[other].add(entity_id)
        self.env.filters["display_url"] = unquote
        self.env.filters["iso"] = pass_context(lambda context, text: html.isolate(text, context["lang"]))

    @property
    def summaries(self) -> dict[str, ReportSummary]:
        return {summary.slug: summary for summary in self.edition.summaries}

    # ------------------------------------------------------------ pages

    def shared_pages(self, out) -> None:
        """The pages in both languages at once: the landing page and the 404 page."""
        out.write("index.html", self.page("landing.html", "", "en", landing=True).encode("utf-8"))
        out.write("404.html", self.page("404.html", "404.html", "en", landing=True).encode("utf-8"))
        self.rendered += 2  # never taken from the previous build

    def report_pages(self, report: Report, key, out) -> None:
        """A report's page in each language (``key``: of everything they show, or None)."""
        urls = self.urls
        for lang in LANGS:
            self._add(out, lang, lambda l: urls.report(l, report.slug), "report.html",
                      lambda: {"report": self.report_view(report, lang)}, key)

    def language_pages(self, lang: str, out) -> None:
        """Every page of one language but the reports: overviews, prose pages, entities."""
        edition, urls, keys = self.edition, self.urls, self.keys
        self._add(out, lang, urls.home, "home.html", lambda: {"meetings": self.meetings(lang)},
                  keys and keys["overview"]("home"))
        self._add(out, lang, urls.entity_index, "entities.html", lambda: {"groups": self.entity_groups(lang)},
                  keys and keys["overview"]("index"))
        self._add(out, lang, urls.search, "search.html", lambda: {"search_labels": self.search_labels(lang)},
                  keys and keys["overview"]("search"))
        for page in edition.pages:
            self._add(out, lang, lambda l, n=page.name: urls.page(l, n), "page.html",
                      lambda p=page: {"title": p.title[lang], "body": html.prose(p.body[lang])},
                      keys and keys["overview"](page.name))
        summaries = self.summaries
        for entity_id in sorted(edition.entities):
            entity = edition.entity(entity_id)
            self._add(out, lang, lambda l, e=entity: urls.entity(l, e.id, e.kind), "entity.html",
                      lambda e=entity: {"entity": self.entity_view(e, lang, summaries)},
                      keys and keys["entity"](entity_id))

    def discovery_files(self, pages: list[str], out) -> None:
        """sitemap.xml, robots.txt and one Atom feed per language, given the rendered pages."""
        groups = [{lang: lang + page[len("ar"):-len("index.html")] for lang in LANGS}
                  for page in sorted(pages) if page.startswith("ar/") and page.endswith("index.html")]
        out.write("sitemap.xml", discovery.sitemap(self.urls, groups))
        out.write("robots.txt", discovery.robots(self.urls))
        for lang in LANGS:
            entries = [{"title": r.title[lang], "path": self.urls.report(lang, r.slug),
                        "updated": self.report_date(r).isoformat(), "summary": r.lead[lang]}
                       for r in self.edition.summaries]
            entries.sort(key=lambda e: (e["updated"], e["path"]), reverse=True)
            out.write(discovery.feed_path(lang), discovery.atom(self.urls, lang, self.edition.config.title[lang], entries))

    def report_date(self, report: ReportSummary):
        """The report's date if known, else its meeting's (for feeds)."""
        return report.date.value or self.edition.entity(report.meeting).date

    def _add(self, out, lang: str, path_of, template: str, context, key) -> None:
        """Render one page, or take it from the previous build when nothing it is made from changed."""
        path = path_of(lang)
        file = self.urls.file_for(path)
        key = (key, lang) if key is not None else None
        if key is not None and self.previous.get(file, (None,))[0] == key:
            data = self.previous[file][1]
        else:
            data = self.page(template, path, lang, alternates={l: path_of(l) for l in LANGS}, **context()).encode("utf-8")
            self.rendered += 1
        if self.keys is not None:
            self.kept[file] = (key, data)
        out.write(file, data)

    def page(self, template: str, path: str, lang: str, alternates=None, landing=False, **context) -> str:
        strings = self.edition.strings[lang]
        try:
            return self.env.get_template(template).render(
                lang=lang, dir=DIRS[lang], other=OTHER[lang], t=strings, ts=self.edition.strings,
                path=path, alternates=alternates or {}, canonical=self.urls.canonical(path),
                site_title=self.edition.config.title[lang], urls=self.urls, **context)
        except TemplateError as exc:
            raise template_failure(exc, self.templates) from None

    # ------------------------------------------------------------ view models

    def search_labels(self, lang: str) -> dict[str, str]:
        t = self.edition.strings[lang]
        return {"report": t["hit_report"], "gloss": t["hit_gloss"], "lang_ar": t["lang_name_ar"],
                "lang_en": t["lang_name_en"], "paragraph": t["paragraph_n"], "count": t["search_count"],
                "failed": t["search_failed"]}

    def meetings(self, lang: str) -> list[dict]:
        result = []
        for entity_id in sorted(self.edition.entities):
            entity = self.edition.entity(entity_id)
            if entity.kind == "meeting":
                result.append({"entity": entity, "name": entity.name[lang],
                               "url": self.urls.entity(lang, entity.id, entity.kind),
                               "reports": [self.report_summary(r, lang) for r in self.edition.reports_of(entity.id)]})
        return sorted(result, key=lambda m: m["entity"].date)

    def report_summary(self, report: ReportSummary, lang: str) -> dict:
        return {"slug": report.slug, "title": report.title[lang], "supplied": report.title.supplied,
                "url": self.urls.report(lang, report.slug),
                "publisher": report.publisher[lang] if report.publisher.certainty != "unknown" else None,
                "date": report.date, "paragraphs": report.paragraphs}

    def report_view(self, report: Report, lang: str) -> dict:
        meta = report.meta
        numbers = report.paragraph_numbers()
        twins = {b.id: b for b in report.blocks("en")}
        order = [lang, OTHER[lang]]
        pairs, corrections = [], []
        printed_title = None
        for block in report.blocks("ar"):
            if block.kind == "title":
                source = block if lang == "ar" else twins[block.id]
                printed_title = {"id": block.id, "html": self.inline(source.lines[0], lang, corrections, block, numbers)}
                continue
            cols = []
            for col_lang in order:
                source = block if col_lang == "ar" else twins[block.id]
                cols.append({"lang": col_lang, "dir": DIRS[col_lang],
                             "lines": [self.inline(line, lang, corrections, block, numbers) for line in source.lines]})
            pairs.append({"id": block.id, "kind": block.kind, "number": numbers.get(block.id),
                          "editorial_break": "editorial-break" in block.classes, "cols": cols})
        t = self.edition.strings[lang]
        path = self.urls.report(lang, report.slug)
        url = self.urls.canonical(path) or self.urls.href(path)
        templates = cite.citations(meta, report.slug, self.edition.config.title[lang], lang, t)
        placeholder = t["cite_access_placeholder"]
        citation = {"templates": templates, "para": t["cite_para"],
                    "chicago": cite.fill(templates["chicago"], url, "", placeholder),
                    "bibtex": cite.fill(templates["bibtex"], url, "", placeholder)}
        mentioned = sorted({n.value for b in report.blocks(lang) for line in b.lines for n in walk(line)
                            if n.kind == "mention"})
        return {
            "slug": report.slug, "meta": meta, "title": meta.title[lang], "printed_title": printed_title, "pairs": pairs,
            "meeting": self.link_to(meta.meeting, lang), "corrections": corrections,
            "omissions": [self.omission_view(o, lang, numbers) for o in meta.omissions],
            "breaks": [p for p in pairs if p["editorial_break"]],
            "glosses": [self.gloss_view(self.edition.entity(i), lang) for i in mentioned],
            "seed": meta.seed, "default_mode": "both", "cite": citation,
            "json_ld": discovery.json_ld(self.report_json_ld(report, lang, url, mentioned)),
        }

    def report_json_ld(self, report: Report, lang: str, url: str, mentioned: list[str]) -> dict:
        meta = report.meta
        data = {"@context": "https://schema.org", "@type": "Article", "headline": meta.title[lang], "url": url,
                "inLanguage": lang, "isPartOf": {"@type": "WebSite", "name": self.edition.config.title[lang],
                                                 "url": discovery.absolute(self.urls, self.urls.home(lang))},
                "about": [{"@type": "Thing", "name": self.edition.entity(i).name[lang],
                           "url": discovery.absolute(self.urls, self.urls.entity(lang, i, self.edition.entity(i).kind))}
                          for i in mentioned]}
        if lang == "en":
            data["translationOfWork"] = {"@type": "Article", "inLanguage": "ar", "headline": meta.title.ar,
                                         "url": discovery.absolute(self.urls, self.urls.report("ar", report.slug))}
        if meta.date.value and meta.date.certainty == "printed":
            data["datePublished"] = meta.date.value.isoformat()
        if meta.byline:
            data["author"] = {"@type": "Person", "name": meta.byline.printed if lang == "ar" else meta.byline.en}
        if meta.publisher[lang] and meta.publisher.certainty == "printed":
            data["publisher"] = {"@type": "Organization", "name": meta.publisher[lang]}
        return data

    def inline(self, nodes: list[Node], lang: str, corrections: list, block: Block, numbers) -> Markup:
        def mention(node: Node, inner: Markup) -> Markup:
            return Markup("".join((self.mention_link(node.value, lang), inner, "</a>")))  # both escaped

        def sic(node: Node, inner: Markup) -> Markup:
            number = len([c for c in corrections if c["lang"] == "ar"]) + 1
            reading = node.value or self.edition.strings[lang]["omit_word"]
            corrections.append({"lang": "ar", "n": number, "block": block.id, "paragraph": numbers.get(block.id),
                                "printed": inner, "reading": reading})
            label = self.edition.strings[lang]["corr_label"]
            return Markup('<span class="sic" id="sic-%s">%s</span><a class="corr" href="#corr-%s" '
                          'aria-label="%s: %s">⟨%s⟩</a>') % (number, inner, number, label, reading, reading)

        return html.inline(nodes, mention, sic)

    def mention_link(self, entity_id: str, lang: str) -> Markup:
        """The opening tag of a link to an entity's entry, made once per entity and language."""
        key = (entity_id, lang)
        if key not in self.mention_links:
            entity = self.edition.entity(entity_id)
            self.mention_links[key] = Markup('<a class="mention" href="%s" data-gloss="gloss-%s">') % (
                self.urls.href(self.urls.entity(lang, entity.id, entity.kind)), entity.id)
        return self.mention_links[key]

    def omission_view(self, omission, lang: str, numbers: dict) -> dict:
        t = self.edition.strings[lang]
        if omission.after is None:
            where = t["omission_start"]
        else:
            number = numbers.get(omission.after)
            where = t["omission_after"].format(ref=number if number else omission.after)
        return {"where": where, "after": omission.after, "text": omission.text, "reason": omission.reason[lang]}

    def link_to(self, entity_id: str, lang: str) -> dict:
        entity = self.edition.entity(entity_id)
        return {"id": entity.id, "name": entity.name[lang], "url": self.urls.entity(lang, entity.id, entity.kind)}

    def gloss_view(self, entity, lang: str) -> dict:
        return {"id": entity.id, "name": entity.name[lang], "kind": entity.kind,
                "url": self.urls.entity(lang, entity.id, entity.kind), "gloss": self.gloss_html(entity.id, lang)}

    def gloss_html(self, entity_id: str, lang: str):
        """A gloss is shown on its entry and beside every report that mentions it: render it once
        (with the runs in the other language isolated)."""
        key = (entity_id, lang)
        if key not in self.glosses:
            self.glosses[key] = html.isolate(html.gloss(self.edition.entity(entity_id).gloss[lang]), lang)
        return self.glosses[key]

    def entity_groups(self, lang: str) -> list[dict]:
        groups = defaultdict(list)
        for entity_id in sorted(self.edition.entities):
            entity = self.edition.entity(entity_id)
            groups[entity.kind].append({"name": entity.name[lang], "url": self.urls.entity(lang, entity.id, entity.kind),
                                        "count": len(self.edition.mentions_of(entity_id, lang))})
        return [{"kind": kind, "entities": sorted(groups[kind], key=lambda e: e["name"])}
                for kind in KIND_ORDER if kind in groups]

    def entity_view(self, entity, lang: str, summaries: dict[str, ReportSummary]) -> dict:
        mentions = self.edition.mentions_of(entity.id, lang)
        by_report = defaultdict(list)  # in edition order, as the mentions are
        for mention in mentions:
            by_report[mention.report].append(mention)
        reports = []
        for slug, found in by_report.items():
            report = summaries[slug]
            reports.append({"summary": self.report_summary(report, lang),
                            "meeting": self.link_to(report.meeting, lang),
                            "mentions": [{"m": m, "number": m.number, "url": self.urls.report(lang, slug) + "#" + m.block}
                                         for m in found]})
        related = set(entity.related) | self.related_to.get(entity.id, set())
        view = {"entity": entity, "name": entity.name[lang], "gloss": self.gloss_html(entity.id, lang),
                "json_ld": discovery.json_ld({
                    "@context": "https://schema.org", "@type": "DefinedTerm", "name": entity.name[lang],
                    "alternateName": entity.name[OTHER[lang]], "description": entity.gloss[lang], "inLanguage": lang,
                    "url": discovery.absolute(self.urls, self.urls.entity(lang, entity.id, entity.kind)),
                    "inDefinedTermSet": discovery.absolute(self.urls, self.urls.entity_index(lang))}),
                "other_name": entity.name[OTHER[lang]], "facts": self.facts(entity, lang),
                "related": sorted((self.link_to(r, lang) for r in related), key=lambda r: r["name"]),
                "reports": reports, "count": len(mentions)}
        if entity.kind == "meeting":
            view["meeting_reports"] = [self.report_summary(r, lang) for r in self.edition.reports_of(entity.id)]
            view["meeting_mentions"] = self.meeting_mentions(entity.id, lang)
        return view

    def meeting_mentions(self, meeting_id: str, lang: str) -> list[dict]:
        slugs = {r.slug for r in self.edition.reports_of(meeting_id)}
        counts = Counter(m.entity_id for ms in self.edition.mentions.get(lang, {}).values() for m in ms
                         if m.report in slugs)
        groups = []
        for kind in ("person", "resolution", "document", "working-group", "organization"):
            items = [dict(self.link_to(i, lang), count=c) for i, c in counts.items()
                     if self.edition.entity(i).kind == kind]
            if items:
                groups.append({"kind": kind, "entities": sorted(items, key=lambda e: (-e["count"], e["name"]))})
        return groups

    def facts(self, entity, lang: str) -> list[tuple[str, str]]:
        t = self.edition.strings[lang]
        rows = []
        for name in ("symbol", "adopted", "date", "end_date", "subject", "office", "remit", "country"):
            value = getattr(entity, name, None)
            if value is None:
                continue
            if hasattr(value, "ar"):
                value = value[lang]
            elif hasattr(value, "isoformat"):
                value = format_date(value, lang, t)
            rows.append((t["fact_" + name], str(value)))
        return rows


def format_date(value, lang: str, t: dict) -> str:
    months = t["months"].split(",")
    text = f"{value.day} {months[value.month - 1]} {value.year}"
    return text.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")) if lang == "ar" and t.get("digits") == "arabic-indic" else text
