"""Ready citations of a report (Chicago, BibTeX and CSL-JSON), in the page's language, and of the edition.

Each citation of a report is a template with three fields the page fills: {url} (the report or
paragraph permalink), {para} (the paragraph, empty for the whole report) and {accessed} (the
access date). Without JavaScript the page shows the report's URL and an access-date placeholder.

What is inferred is bracketed, never given as fact: a supplied title, an inferred publisher, an
inferred date. English citations give the Arabic original title first, then its translation.
"""
from __future__ import annotations

import json

from .models import Config, ReportMeta


def byline(meta: ReportMeta, lang: str) -> str | None:
    """The author as the byline names them: as printed on the Arabic page, in English otherwise."""
    if meta.byline is None:
        return None
    return meta.byline.printed if lang == "ar" else meta.byline.en


def sentence(text: str) -> str:
    """``text`` ending with one full stop (no "n.d..")."""
    return text if text.endswith(".") else text + "."


def publisher(meta: ReportMeta, lang: str) -> str | None:
    """The publisher as printed, bracketed when inferred, None when unknown (of a report's front
    matter, or of its summary: content.ReportSummary)."""
    name = meta.publisher[lang]
    if not name or meta.publisher.certainty == "unknown":
        return None
    return f"[{name}]" if meta.publisher.certainty == "inferred" else name


def date_text(meta: ReportMeta, t: dict) -> str:
    if meta.date.value is None:
        return t["cite_no_date"]
    iso = meta.date.value.isoformat()
    return f"[{iso}]" if meta.date.certainty == "inferred" else iso


def bracketed(text: str, supplied: bool) -> str:
    """``text`` in square brackets if the editors supplied or inferred it (a title, a date)."""
    return f"[{text}]" if supplied else text


def original_title(meta: ReportMeta) -> str:
    """The Arabic title as a citation in either language gives it."""
    return f"«{bracketed(meta.title.ar, meta.title.supplied)}»"


def title_text(meta: ReportMeta, lang: str) -> str:
    """The title as cited: the Arabic original, followed in English by its translation."""
    if lang == "ar":
        return original_title(meta)
    return f"{original_title(meta)} [“{meta.title.en}”]"


def comma(lang: str) -> str:
    """The comma between the parts of a citation in ``lang`` (a citation's language may not be the
    page's: the BibTeX and CSL notes are in English on Arabic pages too)."""
    return "، " if lang == "ar" else ", "


def edition_part(config: Config, lang: str, t: dict) -> str:
    """"In <edition>, edited by …, version …, CC BY 4.0" in the page's language."""
    version = t["cite_version"].format(version=config.version) if config.version else None
    parts = [t["cite_in"].format(edition=config.title[lang]), t["cite_editors"], version, t["licence_name"]]
    return comma(lang).join(part for part in parts if part)


def chicago(meta: ReportMeta, config: Config, lang: str, t: dict) -> str:
    author = byline(meta, lang)
    head = [sentence(author)] if author else []
    head.append(sentence(title_text(meta, lang)))
    head.append(sentence(comma(lang).join(p for p in (publisher(meta, lang), date_text(meta, t)) if p)))
    head.append(edition_part(config, lang, t) + "{para}.")
    head.append("{url} " + t["cite_accessed"] + ".")
    return " ".join(head)


def english_strings(t: dict) -> dict:
    """The strings of the edition's note in English, whatever the page's language (BibTeX, CSL-JSON)."""
    return {**t, "cite_in": "In {edition}", "cite_editors": "edited by the edition's maintainers",
            "cite_version": "version {version}"}


def bibtex(meta: ReportMeta, slug: str, config: Config, t: dict) -> str:
    """A BibTeX @article: the Arabic report, in Arabic, with the edition it is read in as a note."""
    english = english_strings(t)
    fields = [("title", bracketed(meta.title.ar, meta.title.supplied)),
              ("titleaddon", f"[{meta.title.en}]")]
    if meta.byline:
        fields.append(("author", meta.byline.en))
    journal = publisher(meta, "en")
    if journal:
        fields.append(("journal", journal))
    if meta.date.value:
        fields.append(("year", str(meta.date.value.year)))
        fields.append(("date", date_text(meta, t)))
    fields += [("language", "arabic"),
               ("note", _braceless(edition_part(config, "en", english)) + "{para}"),
               ("url", "{url}"), ("urldate", "{accessed}")]
    body = ",\n".join(f"  {name} = {{{_braceless(value) if name not in ('note', 'url', 'urldate') else value}}}"
                      for name, value in fields)
    return f"@article{{{slug},\n{body}\n}}"


def csl_json(meta: ReportMeta, slug: str, config: Config, t: dict) -> str:
    """A CSL-JSON item (a list of one, as reference managers import it): the Arabic report, in
    Arabic, its English title and the edition it is read in as a note; an inferred publisher or
    date bracketed as a literal, never given as fact."""
    item: dict = {"id": slug, "type": "article-newspaper", "language": "ar",
                  "title": bracketed(meta.title.ar, meta.title.supplied)}
    if meta.byline:
        item["author"] = [{"literal": meta.byline.en}]
    journal = publisher(meta, "en")
    if journal:
        item["container-title"] = journal
    if meta.date.value:
        day = meta.date.value
        item["issued"] = ({"literal": date_text(meta, t)} if meta.date.certainty == "inferred"
                          else {"date-parts": [[day.year, day.month, day.day]]})
    item["note"] = f"[{meta.title.en}]. " + edition_part(config, "en", english_strings(t)) + "{para}."
    item["URL"] = "{url}"
    item["accessed"] = {"raw": "{accessed}"}
    return json.dumps([item], ensure_ascii=False, indent=2)


def _braceless(value: str) -> str:
    """A field's text without braces, which BibTeX reads as groups: one left open swallows the
    entries that follow (the note's own {para} is the page's, filled in before it is copied)."""
    return value.replace("{", "").replace("}", "")


def citations(meta: ReportMeta, slug: str, config: Config, lang: str, t: dict) -> dict[str, str]:
    return {"chicago": chicago(meta, config, lang, t), "bibtex": bibtex(meta, slug, config, t),
            "csl": csl_json(meta, slug, config, t)}


def edition(config: Config, lang: str, url: str | None, t: dict) -> str:
    """The edition as a whole: maintainers, title, version, date, licence, address (None: without it)."""
    parts = [sentence(t["cite_maintainers"]), sentence(config.title[lang])]
    version = t["cite_version"].format(version=config.version) if config.version else None
    parts.append(sentence(comma(lang).join(p for p in (version, config.date.isoformat() if config.date else None,
                                                       t["licence_name"]) if p)))
    return " ".join(parts + [url] if url else parts)


def fill(template: str, url: str, para: str, accessed: str) -> str:
    return template.replace("{url}", url).replace("{para}", para).replace("{accessed}", accessed)
