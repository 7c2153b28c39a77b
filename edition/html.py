"""HTML for the parsed texts: every character escaped, no raw HTML from any source."""
from __future__ import annotations

from typing import Callable

from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from .inline import Node

# Prose (glosses, pages): CommonMark with raw HTML off; links only in pages.
_PROSE = MarkdownIt("commonmark", {"html": False})
_GLOSS = MarkdownIt("commonmark", {"html": False}).disable(["link", "image", "autolink"])


def prose(source: str) -> Markup:
    return Markup(_PROSE.render(source))


def gloss(source: str) -> Markup:
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
    return Markup("").join(parts)
