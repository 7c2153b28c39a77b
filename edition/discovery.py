"""What helps others find and reuse the edition: sitemap, robots.txt, Atom feeds, JSON-LD.

The sitemap's addresses, robots.txt's Sitemap line and an Atom feed's ids must be absolute URLs
(the Sitemaps protocol; RFC 4287, 4.2.6: an id is an IRI, never a relative reference), so they
are made only when ``base_url`` is the site's address (e.g. https://example.org/edition/): with a
path (``/``, as for a local preview) there is no sitemap and no feed, and robots.txt names none.
A feed also needs the edition's date (render.has_feeds).
"""
from __future__ import annotations

import json

from .models import LANGS
from .urls import Urls


def escape(text: str) -> str:
    """Text as XML character data (xml.sax.saxutils would import urllib's HTTP client with it)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quoteattr(text: str) -> str:
    """Text as a double-quoted XML attribute value."""
    value = escape(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    return f'"{value}"'


def absolute(urls: Urls, path: str) -> str:
    """``path``'s address when the base URL is the site's, else its path from the site's root."""
    return urls.canonical(path) or urls.href(path)


def sitemap(urls: Urls, alternates: list[dict[str, str]]) -> bytes:
    """Made only with an absolute base URL (see above), as is ``atom``."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    for group in alternates:
        for lang in LANGS:
            lines.append(f"  <url><loc>{escape(absolute(urls, group[lang]))}</loc>")
            for other in LANGS:
                lines.append(f'    <xhtml:link rel="alternate" hreflang="{other}" href={quoteattr(absolute(urls, group[other]))}/>')
            lines.append("  </url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def robots(urls: Urls) -> bytes:
    sitemap = f"Sitemap: {absolute(urls, urls.sitemap())}\n" if urls.absolute else ""
    return f"User-agent: *\nAllow: /\n{sitemap}".encode("utf-8")


def atom(urls: Urls, lang: str, title: str, entries: list[dict]) -> bytes:
    """entries: {title, path, updated (ISO date), summary}; newest first."""
    updated = max((e["updated"] for e in entries), default="2016-01-01")
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}">',
             f"  <title>{escape(title)}</title>",
             f"  <id>{escape(absolute(urls, urls.home(lang)))}</id>",
             f'  <link rel="alternate" href={quoteattr(absolute(urls, urls.home(lang)))}/>',
             f'  <link rel="self" href={quoteattr(absolute(urls, urls.feed(lang)))}/>',
             f"  <updated>{updated}T00:00:00Z</updated>",
             f"  <author><name>{escape(title)}</name></author>"]
    for entry in entries:
        link = absolute(urls, entry["path"])
        lines += ["  <entry>", f"    <title>{escape(entry['title'])}</title>", f"    <id>{escape(link)}</id>",
                  f'    <link rel="alternate" href={quoteattr(link)}/>',
                  f"    <updated>{entry['updated']}T00:00:00Z</updated>",
                  f"    <summary>{escape(entry['summary'])}</summary>", "  </entry>"]
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def json_ld(data: dict) -> str:
    """JSON for a <script type="application/ld+json"> data block (never executed)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
