"""Ready citations of a report (Chicago and BibTeX), in the page's language.

Each citation is a template with three fields the page fills: {url} (the report or paragraph
permalink), {para} (the paragraph, empty for the whole report) and {accessed} (the access date).
Without JavaScript the page shows the report's URL and an access-date placeholder.
"""
from __future__ import annotations

from .models import ReportMeta


def byline(meta: ReportMeta, lang: str) -> str | None:
    """The author as the byline names them: as printed on the Arabic page, in English otherwise."""
    if meta.byline is None:
        return None
    return meta.byline.printed if lang == "ar" else meta.byline.en


def author(meta: ReportMeta, lang: str, t: dict) -> str:
    if meta.byline:
        return byline(meta, lang)
    if meta.publisher[lang]:
        return meta.publisher[lang]
    return t["cite_anonymous"]


def date_text(meta: ReportMeta, t: dict) -> str:
    if meta.date.value is None:
        return t["cite_no_date"]
    iso = meta.date.value.isoformat()
    return f"[{iso}]" if meta.date.certainty == "inferred" else iso


def chicago(meta: ReportMeta, edition_title: str, lang: str, t: dict) -> str:
    title = meta.title[lang]
    if meta.title.supplied:
        title = f"[{title}]"
    quoted = f"«{title}»" if lang == "ar" else f"“{title}.”"
    publisher = meta.publisher[lang] if meta.byline and meta.publisher[lang] else None
    parts = [f"{author(meta, lang, t)}. {quoted}"]
    parts.append(", ".join(p for p in (publisher, date_text(meta, t)) if p) + ".")
    parts.append(t["cite_in"].format(edition=edition_title) + "{para}.")
    parts.append("{url} " + t["cite_accessed"] + ".")
    return " ".join(parts)


def bibtex(meta: ReportMeta, slug: str, edition_title: str, lang: str, t: dict) -> str:
    fields = [("title", ("[" if meta.title.supplied else "") + meta.title[lang] + ("]" if meta.title.supplied else ""))]
    if meta.byline:
        fields.append(("author", meta.byline.en))
    if meta.publisher.en:
        fields.append(("organization", meta.publisher.en))
    if meta.date.value:
        fields.append(("year", str(meta.date.value.year)))
    fields += [("booktitle", edition_title), ("language", "arabic" if lang == "ar" else "english"),
               ("note", "{para}"), ("url", "{url}"), ("urldate", "{accessed}")]
    body = ",\n".join(f"  {name} = {{{value.replace('{', '').replace('}', '') if name not in ('note', 'url', 'urldate') else value}}}"
                      for name, value in fields)
    return f"@misc{{{slug},\n{body}\n}}"


def citations(meta: ReportMeta, slug: str, edition_title: str, lang: str, t: dict) -> dict[str, str]:
    return {"chicago": chicago(meta, edition_title, lang, t), "bibtex": bibtex(meta, slug, edition_title, lang, t)}


def fill(template: str, url: str, para: str, accessed: str) -> str:
    return template.replace("{url}", url).replace("{para}", para).replace("{accessed}", accessed)
