"""Link every mention of an entity in the reports and record it for the backlinks.

Turns text nodes into ``mention`` nodes (automatic matches of aliases) and explicit
``ref`` spans into ``mention`` nodes, and collects keyword-in-context lines per entity.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .annotations import EntityFile, failed_file
from .content import Report
from .inline import Node, column_of, offsets_of, plain_text, walk
from .linking import Alias, Matcher, alias_words
from .models import LANGS, did_you_mean
from .problems import Problems
from .safety import not_ascii

CONTEXT = 70  # characters of context each side of a mention
# English aliases keep their case: "Hit" the town is not "hit" the verb.
CASE_FOLDING = {"ar": True, "en": False}


@dataclass(frozen=True, slots=True)
class Mention:
    entity_id: str
    report: str
    lang: str
    block: str
    number: int | None  # of the paragraph, if the block is one
    before: str
    text: str
    after: str


def context_before(text: str, offset: int) -> str:
    """Up to CONTEXT characters before ``offset``, cut at a word boundary; "…" where cut."""
    start = max(0, offset - CONTEXT)
    if start == 0:
        return text[:offset]
    window = text[start:offset]
    if not text[start - 1].isspace():  # the window starts inside a word: drop the part of it
        space = re.search(r"\s", window)
        window = window[space.end():] if space else ""
    return "…" + window.lstrip()


def context_after(text: str, offset: int) -> str:
    """Up to CONTEXT characters after ``offset``, cut at a word boundary; "…" where cut."""
    end = offset + CONTEXT
    if end >= len(text):
        return text[offset:]
    window = text[offset:end]
    if not text[end].isspace():  # the window ends inside a word: drop the part of it
        spaces = [m.start() for m in re.finditer(r"\s", window)]
        window = window[:spaces[-1]] if spaces else ""
    return window.rstrip() + "…"


def build_aliases(entities: dict[str, EntityFile], problems: Problems) -> dict[str, list[Alias]]:
    """Aliases per language (the entity's name included); a form claimed twice is an error, at
    each claim after the first (claim_order), naming where the first stands."""
    claims = [claim for entity_id in sorted(entities) for claim in claims_of(entities[entity_id])]
    first: dict[tuple[str, tuple[str, ...]], Claim] = {}
    for claim in sorted(claims, key=claim_order):
        first.setdefault((claim.lang, claim.words), claim)
    aliases: dict[str, list[Alias]] = {lang: [] for lang in LANGS}
    for claim in claims:
        if not claim.words:
            problems.error(claim.file, claim.line, claim.col, f"alias '{claim.text}' has no words")
            continue
        owner = first[(claim.lang, claim.words)]
        if owner.entity_id != claim.entity_id:
            problems.error(claim.file, claim.line, claim.col, f"alias '{claim.text}' is already claimed by entity "
                           f"'{owner.entity_id}' (at {problems.relative(owner.file)}:{owner.line})")
        elif owner is claim:
            aliases[claim.lang].append(Alias(claim.entity_id, claim.lang, claim.text, claim.words, claim.exclusions))
    return aliases


@dataclass(frozen=True, slots=True)
class Claim:
    """An entity's name or one of its aliases in one language, where it is written."""
    entity_id: str
    lang: str
    text: str
    words: tuple[str, ...]
    exclusions: frozenset
    is_name: bool
    name_words: tuple[str, ...]  # those of its entity's name in that language
    file: object
    line: int
    col: int


def claims_of(loaded: EntityFile) -> list[Claim]:
    """The entity's name and then its aliases, in each language."""
    entity, found = loaded.entity, []
    for lang in LANGS:
        exclusions = frozenset(alias_words(text, CASE_FOLDING[lang]) for text in entity.exclude[lang])
        forms = [(entity.name[lang], ("name", lang))]
        forms += [(text, ("aliases", lang, i)) for i, text in enumerate(entity.aliases[lang])]
        name_words = alias_words(entity.name[lang], fold_case=CASE_FOLDING[lang])
        for text, path in forms:
            words = alias_words(text, fold_case=CASE_FOLDING[lang])
            found.append(Claim(entity.id, lang, text, words, exclusions, path[0] == "name", name_words,
                               loaded.located.file, *loaded.where(*path)))
    return found


def claim_order(claim: Claim) -> tuple:
    """Which of two claims of one form is the first, the other being the slip: an entity's name
    before an alias, an alias drawn from its own entity's name ("Kerry" of "John Kerry") before one
    that is not, and then the order of the files (that of the entities' ids) and of their lines."""
    return (not claim.is_name, not from_own_name(claim), claim.entity_id, claim.line, claim.col)


def from_own_name(claim: Claim) -> bool:
    return bool(claim.words) and set(claim.words) <= set(claim.name_words)


class Linker:
    def __init__(self, entities: dict[str, EntityFile], aliases: dict[str, list[Alias]]):
        self.entities = entities
        self.matchers = {lang: Matcher(aliases[lang], CASE_FOLDING[lang]) for lang in LANGS}

    def link_report(self, report: Report, problems: Problems) -> tuple[list[Mention], set[Alias]]:
        """Link one report's text in place; its mentions in text order, and the aliases it used."""
        self.report_aliases: set[Alias] = set()
        found: list[Mention] = []
        numbers = report.paragraph_numbers()
        for lang in LANGS:
            doc = report.docs[lang]
            for block in doc.blocks:
                for index, line in enumerate(block.lines):
                    block.lines[index] = self.link_nodes(line, lang, doc.path, block.line + 1 + index, problems)
                found += self.mentions_in(block.lines, report.slug, lang, block.id, numbers.get(block.id))
        return found, self.report_aliases

    def link_nodes(self, nodes: list[Node], lang: str, path, line: int, problems: Problems) -> list[Node]:
        out: list[Node] = []
        for node in nodes:
            if node.kind == "text":
                out.extend(self.link_text(node.text, lang))
            elif node.kind == "ref":
                if node.value not in self.entities and not failed_file(node.value, problems):
                    problems.error(path, line, column_of(node, "ref"), f"ref: no entity with id '{node.value}'"
                                   f"{not_ascii(node.value)}{did_you_mean(node.value, self.entities)}")
                unlinked_refs(node.children, node.kind, path, line, problems)
                out.append(Node("mention", value=node.value, children=node.children))
            elif node.kind in ("em", "strong"):
                out.append(Node(node.kind, children=self.link_nodes(node.children, lang, path, line, problems)))
            else:  # sic, nolink, code: as printed, never linked inside
                unlinked_refs(node.children, node.kind, path, line, problems)
                out.append(node)
        return out

    def link_text(self, text: str, lang: str) -> list[Node]:
        nodes: list[Node] = []
        position = 0
        for match in self.matchers[lang].find(text):
            self.report_aliases.add(match.alias)
            if match.start > position:
                nodes.append(Node("text", text[position:match.start]))
            nodes.append(Node("mention", value=match.alias.entity_id,
                              children=[Node("text", text[match.start:match.end])]))
            position = match.end
        if position < len(text):
            nodes.append(Node("text", text[position:]))
        return nodes

    @staticmethod
    def mentions_in(lines: list[list[Node]], report: str, lang: str, block: str, number: int | None) -> list[Mention]:
        found: list[Mention] = []
        for nodes in lines:
            full = plain_text(nodes)
            for node, offset in offsets_of("mention", nodes):  # (in emphasis too: linked there as anywhere)
                length = len(plain_text([node]))
                found.append(Mention(node.value, report, lang, block, number, context_before(full, offset),
                                     full[offset:offset + length], context_after(full, offset + length)))
        return found


# why a ref inside a span of each kind would link nothing
UNLINKED_INSIDE = {
    "sic": "a correction, whose words are shown as printed (put the ref around the correction: "
           "[[…]{corr=\"…\" …}]{ref=\"…\"})",
    "nolink": "ref=\"-\", which keeps its words unlinked",
    "ref": "another ref (a link cannot hold another)",
}


def unlinked_refs(nodes: list[Node], inside: str, path, line: int, problems: Problems) -> None:
    """An error for each ref within a span that is never linked inside (``inside``: its kind): the
    ref would link nothing, and one naming no entity would pass unseen."""
    for node in walk(nodes):
        if node.kind == "ref":
            problems.error(path, line, column_of(node, "ref"),
                           f"ref '{node.value}'{not_ascii(node.value)} links nothing inside {UNLINKED_INSIDE[inside]}")


def report_unused(entities: dict[str, EntityFile], aliases: dict[str, list[Alias]], used: set[tuple],
                  mentioned: set[str], meetings_with_reports: set[str], problems: Problems) -> None:
    """Warnings: aliases that match nothing, entities no text mentions. ``used``: (entity id,
    lang, words) of each alias some text matched (its words, not its spelling, are what match)."""
    for lang in LANGS:
        for alias in aliases[lang]:
            loaded = entities[alias.entity_id]
            if (alias.entity_id, alias.lang, alias.words) not in used and alias.text in loaded.entity.aliases[lang]:
                index = loaded.entity.aliases[lang].index(alias.text)
                problems.warning(loaded.located.file, *loaded.where("aliases", lang, index),
                                 f"alias '{alias.text}' matches nothing in the texts")
    for entity_id, loaded in sorted(entities.items()):
        if entity_id not in mentioned and entity_id not in meetings_with_reports:
            problems.warning(loaded.located.file, 1, 1, f"entity '{entity_id}' is not mentioned in any text")
