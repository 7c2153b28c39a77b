"""The edition as plain data: each report as UTF-8 text and as JSON, its citation as CSL-JSON, the
register of entries as CSV and JSON, and the annotations (annotations_ld.py).

Everything is made from what the pages are made from: the parsed blocks (their text as
published.py gives it), the validated front matter and annotations, the catalogue. The files go
under ``data/`` (datafiles.py registers each kind) and are byte-identical from identical sources.
"""
from __future__ import annotations

import csv
import io
import json

from . import annotations_ld, cite, discovery
from .annotations_ld import dumps
from .content import Report
from .datafiles import DataKind, register
from .inline import plain_text
from .models import LANGS
from .published import published
from .urls import Urls

register(DataKind("report-csl", Urls.data("reports/*.csl.json"), "application/vnd.citationstyles.csl+json",
                  {"ar": "توثيق التقرير بصيغة CSL-JSON", "en": "The report's citation, CSL-JSON"},
                  lambda slug: Urls.data(f"reports/{slug}.csl.json")))
register(DataKind("report-json", Urls.data("reports/*.json"), "application/json",
                  {"ar": "التقرير بلغتيه مع بياناته وفقراته وجهازه النقدي، JSON",
                   "en": "The report in both languages, with metadata, paragraphs and apparatus, JSON"},
                  lambda slug: Urls.data(f"reports/{slug}.json")))
for _lang in LANGS:
    register(DataKind(f"report-text-{_lang}", Urls.data(f"reports/*.{_lang}.txt"), "text/plain; charset=utf-8",
                      {"ar": "نص التقرير " + ("العربي" if _lang == "ar" else "مترجمًا إلى الإنجليزية") + "، نص عادي UTF-8",
                       "en": ("The Arabic text" if _lang == "ar" else "The English translation") + ", plain UTF-8 text"},
                      lambda slug, lang=_lang: Urls.data(f"reports/{slug}.{lang}.txt")))
register(DataKind("entries-csv", Urls.data("entries.csv"), "text/csv; charset=utf-8",
                  {"ar": "سجل المداخل، CSV", "en": "The register of entries, CSV"}))
register(DataKind("entries-json", Urls.data("entries.json"), "application/json",
                  {"ar": "سجل المداخل، JSON", "en": "The register of entries, JSON"}))

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet reads a cell starting so as a formula


# ---------------------------------------------------------------- a report

def report_files(views, report: Report, exported: dict | None = None) -> dict[str, bytes]:
    """A report's data files: site path -> bytes (``exported``: annotations_ld.report_pages)."""
    files = {Urls.data(f"reports/{report.slug}.json"): dumps(report_json(views, report)),
             Urls.data(f"reports/{report.slug}.csl.json"): dumps_list(report_csl(views, report))}
    for lang in LANGS:
        files[Urls.data(f"reports/{report.slug}.{lang}.txt")] = report_text(views, report, lang).encode("utf-8")
    files.update(annotations_ld.report_pages(views, report, exported))
    return files


def dumps_list(items: list) -> bytes:
    return (json.dumps(items, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def report_json(views, report: Report) -> dict:
    """Both languages, the front matter as validated, every block with its text as published and
    as printed, its mentions and notes; the apparatus; the citation."""
    catalog, numbers = views.catalog, report.paragraph_numbers()
    strings = {lang: catalog.strings(lang) for lang in LANGS}
    blocks = {block.id: {"id": block.id, "kind": block.kind, "number": numbers.get(block.id),
                         "editorial_break": "editorial-break" in block.classes,
                         "notes": [note.id for note in catalog.notes_at(report.slug, block.id)]}
              for block in report.blocks("ar")}
    for lang in LANGS:
        for block in report.blocks(lang):
            text = published(block, strings[lang])
            blocks[block.id][lang] = {
                "url": absolute(views, Urls.report(lang, report.slug)) + "#" + block.id,
                "text": text.text, "printed": block.text,
                "mentions": [{"entity": s.node.value, "start": s.start, "end": s.end} for s in text.spans
                             if s.node.kind == "mention"],
                "corrections": [{"printed": plain_text(s.node.children), "reading": s.node.value,
                                 **(s.node.correction or {}), "start": s.start, "end": s.end}
                                for s in text.spans if s.node.kind == "sic"]}
    meta = report.meta
    config = catalog.config()
    return {"report": report.slug, "edition": edition_json(views),
            "url": {lang: absolute(views, Urls.report(lang, report.slug)) for lang in LANGS},
            "meeting": {"id": meta.meeting, "name": catalog.entity(meta.meeting).name.model_dump()},
            "metadata": meta.model_dump(mode="json", exclude={"omissions", "correction_notes"}),
            "blocks": list(blocks.values()),
            "apparatus": {"omissions": [o.model_dump(mode="json") for o in meta.omissions],
                          "correction_notes": {k: v.model_dump() for k, v in meta.correction_notes.items()},
                          "editorial_breaks": [i for i, b in blocks.items() if b["editorial_break"]]},
            "notes": [note_json(note) for note in notes_of(catalog, report)],
            "citation": report_csl(views, report)[0], "version": config.version}


def notes_of(catalog, report: Report) -> list:
    seen = {}
    for block in report.blocks("ar"):
        for note in catalog.notes_at(report.slug, block.id):
            seen.setdefault(note.id, note)
    return list(seen.values())


def note_json(note) -> dict:
    return note.model_dump(mode="json")


def edition_json(views) -> dict:
    config, t = views.catalog.config(), views.catalog.strings("en")
    return {"title": config.title.model_dump(), "version": config.version,
            "date": config.date.isoformat() if config.date else None,
            "licence": t["licence_url"], "url": absolute(views, Urls.home("en"))}


def report_csl(views, report: Report) -> list[dict]:
    """The report's CSL-JSON citation (cite.py) with its address and without an access date."""
    catalog = views.catalog
    items = json.loads(cite.csl_json(report.meta, report.slug, catalog.config(), catalog.strings("en")))
    for item in items:
        item["URL"] = absolute(views, Urls.report("ar", report.slug))
        item["note"] = item["note"].replace("{para}", "")
        item.pop("accessed", None)
    return items


def report_text(views, report: Report, lang: str) -> str:
    """The text in one language as its page shows it, a block to a paragraph, under a short header."""
    catalog = views.catalog
    config, t = catalog.config(), catalog.strings(lang)
    numbers = report.paragraph_numbers()
    version = t["cite_version"].format(version=config.version) if config.version else ""
    lines = [report.meta.title[lang], config.title[lang] + (f" ({version})" if version else ""),
             absolute(views, Urls.report(lang, report.slug)), f"{t['licence']}: {t['licence_name']}", ""]
    for block in report.blocks(lang):
        label = numbers.get(block.id)
        lines += [f"[{label if label else block.id}] {published(block, t).text}", ""]
    return "\n".join(lines)


# ---------------------------------------------------------------- the register of entries

ENTRY_COLUMNS = ("id", "kind", "name_ar", "name_en", "gloss_ar", "gloss_en", "aliases_ar", "aliases_en",
                 "wikidata", "viaf", "geonames", "url_ar", "url_en", "mentions_ar", "mentions_en", "sources")


def entry_rows(views, counts) -> list[dict]:
    """One row per entry (``counts``: (entity id, lang) -> its mentions)."""
    rows = []
    for entity_id in views.catalog.entity_ids():
        entity = views.catalog.entity(entity_id)
        row = {"id": entity.id, "kind": entity.kind}
        for lang in LANGS:
            row[f"name_{lang}"] = entity.name[lang]
            row[f"gloss_{lang}"] = entity.gloss[lang]
            row[f"aliases_{lang}"] = " | ".join(entity.aliases[lang])
            row[f"url_{lang}"] = absolute(views, Urls.entity(lang, entity.id, entity.kind))
            row[f"mentions_{lang}"] = counts.get((entity.id, lang), 0)
        for name in ("wikidata", "viaf", "geonames"):
            row[name] = getattr(entity.identifiers, name) or ""
        row["sources"] = " | ".join(s.citation + (f" <{s.url}>" if s.url else "") for s in entity.sources)
        rows.append(row)
    return rows


def neutral(value) -> str:
    """A CSV cell a spreadsheet shows as text: one starting with = + - @, a tab or a carriage
    return is prefixed with an apostrophe, so that it is never run as a formula."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def entries_csv(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(ENTRY_COLUMNS)
    for row in rows:
        writer.writerow([neutral(row[column]) for column in ENTRY_COLUMNS])
    return buffer.getvalue().encode("utf-8")


def entries_json(views, counts) -> bytes:
    """Every entry as validated, with its addresses and how often each language's texts mention it."""
    entries = []
    for entity_id in views.catalog.entity_ids():
        entity = views.catalog.entity(entity_id)
        data = entity.model_dump(mode="json", exclude_defaults=False)
        data["url"] = {lang: absolute(views, Urls.entity(lang, entity.id, entity.kind)) for lang in LANGS}
        data["mentions"] = {lang: counts.get((entity.id, lang), 0) for lang in LANGS}
        entries.append(data)
    return dumps({"edition": edition_json(views), "entries": entries})


def edition_paths() -> list[str]:
    """The paths ``edition_files`` writes (the live preview makes them after the pages)."""
    return [*(annotations_ld.collection_path(lang) for lang in LANGS), Urls.data("entries.csv"), Urls.data("entries.json")]


def annotation_totals(views, written) -> dict[str, int]:
    """lang -> the annotations of every report's annotation page in ``written`` (the build's files)."""
    return {lang: sum(annotations_ld.count(written[annotations_ld.page_path(lang, slug)])
                      for slug in views.catalog.report_slugs()) for lang in LANGS}


def edition_files(views, counts, totals: dict[str, int]) -> dict[str, bytes]:
    """The files of the whole edition, once every report is written (``totals``: lang -> the
    annotations of the reports' annotation pages, which the collections count)."""
    files = annotations_ld.collections(views, totals)
    files[Urls.data("entries.csv")] = entries_csv(entry_rows(views, counts))
    files[Urls.data("entries.json")] = entries_json(views, counts)
    return files


def absolute(views, path: str) -> str:
    return discovery.absolute(views.urls, path)

