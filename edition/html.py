"""HTML for the parsed texts: every character escaped, no raw HTML from any source."""
from __future__ import annotations

import functools
import re
from typing import Callable

from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from .inline import Node
from .models import DIRS

# Prose (glosses, pages): CommonMark with raw HTML off; links only in pages.
_PROSE = MarkdownIt("commonmark", {"html": False})
_GLOSS = MarkdownIt("commonmark", {"html": False}).disable(["link", "image", "autolink"])


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
_ARABIC_RUN = re.compile(r"«[^«»<>]*[\u0600-\u06ff][^«»<>]*»|[\u0600-\u06ff][\u0600-\u06ff\u064b-\u065f\s:،؛.\-]*[\u0600-\u06ff]|[\u0600-\u06ff]")
# a Latin run may begin with digits joined to its first letter: a file name such as 003_0f3c….txt
# (an Arabic letter before it is a prefix, "وCommunications", not part of the run); quotation marks
# inside a run belong to it
_LATIN_RUN = re.compile(r"(?<![&A-Za-z0-9_])“?[0-9_]*[A-Za-z][A-Za-z0-9_'’.\-/ “”]*[A-Za-z0-9.”]|(?<![&A-Za-z0-9_])[A-Za-z]")
_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")


def isolate(text, lang: str) -> Markup:
    """Escape ``text`` (or take Markup as is) and mark runs in the other language with lang/dir."""
    markup = text if isinstance(text, Markup) else escape(text)
    pattern, other, direction = (_ARABIC_RUN, "ar", "rtl") if lang == "en" else (_LATIN_RUN, "en", "ltr")
    parts = _TAG_OR_TEXT.split(str(markup))
    for index, part in enumerate(parts):
        if part and not part.startswith("<"):
            parts[index] = pattern.sub(lambda m: f'<span lang="{other}" dir="{direction}">{m.group(0)}</span>', part)
    return Markup("".join(parts))


def marked(text: str, part: str | None, lang: str) -> Markup:
    """``text`` escaped, its first ``part`` (a run in another language; None: nothing to mark)
    marked with that language and its direction."""
    escaped, sought = str(escape(text)), str(escape(part or ""))
    if not sought or sought not in escaped:
        return Markup(escaped)
    before, _, after = escaped.partition(sought)
    return Markup(before) + Markup('<span lang="%s" dir="%s">%s</span>') % (lang, DIRS[lang], part) + Markup(after)
