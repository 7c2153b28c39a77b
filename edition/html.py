"""HTML for the parsed texts: every character escaped, no raw HTML from any source."""
from __future__ import annotations

import functools
import re
import unicodedata
from typing import Callable
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from .inline import Node
from .models import DIRS

# Prose (glosses, pages): CommonMark with raw HTML off; links only in pages. Character references
# (&amp;, &#x202E;) stay as written: a source's every character is one its checks see.
_PROSE = MarkdownIt("commonmark", {"html": False}).disable(["entity"])
_GLOSS = MarkdownIt("commonmark", {"html": False}).disable(["link", "image", "autolink", "entity"])


def display_url(url: str) -> str:
    """A URL as readers read it: its %-escapes decoded, unless that makes a character no one sees
    (a control, an invisible format character such as U+202E, which would reorder what follows,
    any space but a plain one) or is not UTF-8; then as written."""
    try:
        shown = unquote(url, errors="strict")
    except UnicodeDecodeError:
        return url
    return shown if visible(shown) else url


def visible(text: str) -> bool:
    """Whether every character of ``text`` shows: no control, format, separator (but a plain space)
    or unassigned one."""
    return not any(unicodedata.category(char)[0] in "CZ" and char != " " for char in text)


def _link_text(url: str, decoded=_PROSE.normalizeLinkText) -> str:
    """markdown-it's text for an autolink (the URL decoded), or the URL as written if that hides a character."""
    shown = decoded(url)
    return shown if visible(shown) else url


_PROSE.normalizeLinkText = _link_text


# For the checks: a prose page's Markdown with every link and image kept as written, even those
# _PROSE refuses and prints as text (javascript:…) or writes otherwise (%-escapes)
_LINKS = MarkdownIt("commonmark", {"html": False}).disable(["entity"])
_LINKS.validateLink = lambda url: True
_LINKS.normalizeLink = lambda url: url


def prose_links(source: str) -> list[tuple[int, int, str, bool]]:
    """Each link and image of prose ``source``: (line, column, both 0-based, where its address is
    written, or its block starts if it is written otherwise; the address; whether it is an image's)."""
    lines = source.split("\n")
    found = []
    for token in _LINKS.parse(source):
        if token.type != "inline" or not token.map:
            continue
        first, end = token.map
        cursor = (first, 0)
        for child in _descendants(token.children or []):
            if child.type not in ("link_open", "image"):
                continue
            url = str(child.attrGet("href" if child.type == "link_open" else "src") or "")
            line, column = _find(lines, url, cursor, end) or _find(lines, url, (0, 0), len(lines)) or (first, 0)
            if first <= line < end:
                cursor = (line, column + len(url))
            found.append((line, column, url, child.type == "image"))
    return found


def gloss_links(source: str) -> list[str]:
    """The address of each link and image written in a gloss or a note: they take none (_GLOSS),
    and would show the brackets, the parentheses and the address as written."""
    return [url for _line, _column, url, _image in prose_links(source)]


def _descendants(tokens):
    for token in tokens:
        yield token
        yield from _descendants(token.children or [])


def _find(lines: list[str], text: str, start: tuple[int, int], end: int) -> tuple[int, int] | None:
    """Where ``text`` is first written in ``lines`` from ``start`` (line, column) to line ``end``."""
    line, column = start
    for number in range(line, min(end, len(lines))):
        found = lines[number].find(text, column if number == line else 0) if text else -1
        if found >= 0:
            return number, found
    return None


def plain(markup: Markup) -> str:
    """The text readers see of rendered HTML (a page's description): its tags dropped, its
    character references read, as text to be escaped again where it goes."""
    return str(Markup(markup).striptags())


def prose(source: str) -> Markup:
    return Markup(_PROSE.render(source))


@functools.lru_cache(maxsize=4096)
def gloss(source: str) -> Markup:
    """A gloss is shown on its entry's page and beside each mention: rendered once per text."""
    return Markup(_GLOSS.render(source))


def inline(nodes: list[Node], mention: Callable[[Node, Markup], Markup], sic: Callable[[Node, Markup], Markup]) -> Markup:
    """Render inline nodes; ``mention`` and ``sic`` wrap those nodes' rendered children."""
    parts: list[str] = []
    for node in nodes:
        if node.kind == "text":
            parts.append(escape(node.text))
        elif node.kind == "code":
            parts.append(Markup("<code>%s</code>") % node.text)
        elif node.kind in ("em", "strong"):
            parts.append(Markup(f"<{node.kind}>") + inline(node.children, mention, sic) + Markup(f"</{node.kind}>"))
        elif node.kind == "mention":
            parts.append(mention(node, inline(node.children, mention, sic)))
        elif node.kind == "sic":
            parts.append(sic(node, inline(node.children, mention, sic)))
        else:  # nolink, ref (unlinked)
            parts.append(inline(node.children, mention, sic))
    return Markup("".join(parts))  # every part is escaped already


# Runs of the other script inside a text, isolated so that the bidirectional algorithm does not
# reorder their punctuation («…» around Arabic inside English, Latin names inside Arabic).
# A quotation in «…» is one run, a quotation inside it included («مجموعة … «داعش»»).
_QUOTED = r"(?:[^«»<>]|«[^«»<>]*»)*"
_ARABIC_RUN = re.compile("«" + _QUOTED + r"[\u0600-\u06ff]" + _QUOTED + r"»|[\u0600-\u06ff][\u0600-\u06ff\u064b-\u065f\s:،؛.\-]*[\u0600-\u06ff]|[\u0600-\u06ff]")
# a Latin run may begin with digits joined to its first letter: a file name such as 003_0f3c….txt
# (an Arabic letter before it is a prefix, "وCommunications", not part of the run); quotation marks
# and a plus sign (U+00A0) inside a run belong to it; a full stop ends it only in an abbreviation
# (U.S.), for a sentence's full stop is the Arabic sentence's ("… الملف 000_….txt.")
_LATIN_RUN = re.compile(r"(?<![&A-Za-z0-9_])“?[0-9_]*[A-Za-z][A-Za-z0-9_'’.\-/ “”+]*(?:[A-Za-z0-9”]|(?<=\.[A-Za-z])\.)"
                        r"|(?<![&A-Za-z0-9_])[A-Za-z]")
_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
# a text's language -> (the runs in the other script inside it, their language)
OTHER_SCRIPT = {"en": (_ARABIC_RUN, "ar"), "ar": (_LATIN_RUN, "en")}


def isolate(text, lang: str) -> Markup:
    """Escape ``text`` (or take Markup as is) and mark runs in the other language with lang/dir."""
    markup = text if isinstance(text, Markup) else escape(text)
    pattern, other = OTHER_SCRIPT[lang]
    direction = DIRS[other]
    parts = _TAG_OR_TEXT.split(str(markup))
    for index, part in enumerate(parts):
        if part and not part.startswith("<"):
            parts[index] = pattern.sub(lambda m: f'<span lang="{other}" dir="{direction}">{m.group(0)}</span>', part)
    return Markup("".join(parts))


# In a citation on a right-to-left page: a date (2016-07-23, [2016-07-23]) or an address, which the
# bidirectional algorithm would show reversed (23-07-2016, its final slash first). edition.js
# isolates the same runs when it fills the citation in again.
LEFT_TO_RIGHT_RUN = re.compile(r"\[?\d{4}-\d{2}-\d{2}\]?|(?:https?://|/)[^\s<>]*[^\s<>.,،)]")


def citation(text: str, original: str | None, lang: str) -> Markup:
    """A citation as a page shows it: on an English page its Arabic title marked Arabic
    (``marked``), on an Arabic page its dates and address isolated left to right."""
    if lang != "ar":
        return marked(text, original, "ar")
    return Markup(LEFT_TO_RIGHT_RUN.sub(lambda m: f'<bdi dir="ltr">{m.group(0)}</bdi>', str(escape(text))))


# In a BibTeX or CSL-JSON citation (English, left to right): the Arabic of a field, from its first
# Arabic letter to its last with the brackets and quotation marks around them, one run, marked
# Arabic and right to left (a title cut at its «…» would show its pieces in left-to-right order).
# edition.js marks the same runs when it fills the citation in again.
ARABIC_FIELD = re.compile(r'[\[«]*[\u0600-\u06ff](?:[^\n{}"]*[\u0600-\u06ff])?[\]»]*')


def record(text: str) -> Markup:
    """A BibTeX or CSL-JSON citation as a page shows it: escaped, its Arabic runs (ARABIC_FIELD)
    marked Arabic; its text, what is copied, is ``text``."""
    parts, last = [], 0
    for run in ARABIC_FIELD.finditer(text):
        parts += [escape(text[last:run.start()]), Markup('<span lang="ar" dir="rtl">%s</span>') % run.group(0)]
        last = run.end()
    return Markup("").join(parts + [escape(text[last:])])


def marked(text: str, part: str | None, lang: str) -> Markup:
    """``text`` escaped, its first ``part`` (a run in another language; None: nothing to mark)
    marked with that language and its direction."""
    escaped, sought = str(escape(text)), str(escape(part or ""))
    if not sought or sought not in escaped:
        return Markup(escaped)
    before, _, after = escaped.partition(sought)
    return Markup(before) + Markup('<span lang="%s" dir="%s">%s</span>') % (lang, DIRS[lang], part) + Markup(after)
