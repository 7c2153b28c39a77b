"""Discover and parse the reports and pages in ``content/``.

A report is a folder ``content/reports/<slug>/`` with ``ar.md`` (front matter: metadata;
body: the established Arabic text) and ``en.md`` (the translation). A body is a sequence of
blocks separated by blank lines; each block opens with an attribute line ``{#id .class}``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from . import models
from .inline import Node, column_of, parse_inline, plain_text, walk
from .problems import Problems
from .safety import cannot_read, escaping_link, not_ascii, read_text, refuse_link
from .html import prose_links
from .urls import SCHEME, SLUG, page_link_problem
from .yamlsource import Located, load_yaml

BLOCK_CLASSES = {"title", "dateline", "heading", "teasers", "editorial-break"}
BLOCK_KINDS = ("title", "dateline", "heading", "teasers")  # the blocks that are no paragraph: they have no number
# The ids a report page gives its own parts (templates/base.html, _*.html, report.html; views.py's
# sic-N): a block with one of them would be a second element of that id on the page, and the links
# to that part (the skip link, "Cite", the apparatus) would lead to the block
PAGE_IDS = {"main", "site-search", "text", "text-heading", "cite", "apparatus", "glosses", "downloads"}
PAGE_ID_PREFIXES = ("mode-", "corr-", "sic-", "cut-", "omission-", "gloss-", "cnote-")
ATTR_LINE = re.compile(r"^\{#([A-Za-z][\w-]*)((?:\s+\.[A-Za-z][\w-]*)*)\s*\}\s*$")


@dataclass(slots=True)
class Block:
    id: str
    classes: tuple[str, ...]
    lines: list[list[Node]]  # one entry per source line (teasers have several)
    line: int  # where the attribute line stands

    @property
    def kind(self) -> str:
        for kind in BLOCK_KINDS:
            if kind in self.classes:
                return kind
        return "paragraph"

    @property
    def text(self) -> str:
        return "\n".join(plain_text(line) for line in self.lines)


@dataclass
class SourceFile:
    path: Path
    front: object | None  # validated model
    blocks: list[Block] = field(default_factory=list)
    located: Located | None = None  # where each front-matter value stands

    def where(self, *path) -> tuple[int, int]:
        return self.located.where(tuple(path)) if self.located else (1, 1)


@dataclass
class Report:
    slug: str
    meta: models.ReportMeta
    docs: dict[str, SourceFile]  # "ar" / "en"
    witness: str | None = None  # the text of its witness file, as preserved (read when checked)

    def blocks(self, lang: str) -> list[Block]:
        return self.docs[lang].blocks

    def paragraph_numbers(self) -> dict[str, int]:
        """Block id -> paragraph number, counted in the Arabic text (the numbering readers cite)."""
        numbers: dict[str, int] = {}
        for block in self.blocks("ar"):
            if block.kind == "paragraph":
                numbers[block.id] = len(numbers) + 1
        return numbers

    def summary(self) -> "ReportSummary":
        leads = {lang: next((b.text for b in self.blocks(lang) if b.kind == "paragraph"), "")[:LEAD]
                 for lang in models.LANGS}
        meta = self.meta
        numbers = self.paragraph_numbers()
        kinds = tuple((block.id, block.kind) for block in self.blocks("ar") if block.kind != "paragraph")
        return ReportSummary(self.slug, meta.title, meta.publisher, meta.date, meta.meeting,
                             len(numbers), leads, tuple(numbers.items()), meta.seed, kinds)


@dataclass(frozen=True)
class ReportSummary:
    """What lists of reports, entity pages and feeds show of a report: all the build keeps of
    it once its own pages are written."""

    slug: str
    title: models.Title
    publisher: models.Publisher
    date: models.DateInfo
    meeting: str
    paragraphs: int
    lead: dict[str, str]  # lang -> the start of its first paragraph (feeds)
    numbers: tuple = ()  # (block id, paragraph number) of each paragraph
    seed: str = ""  # its witness file
    kinds: tuple = ()  # (block id, kind) of each block that is no paragraph: title, dateline, heading, teasers

    def where(self, block: str, t: dict) -> str:
        """Where a block stands, as readers are told: "paragraph 3", "dateline" (never its id)."""
        numbers = dict(self.numbers)
        if block in numbers:
            return t["paragraph_n"].format(n=numbers[block])
        kind = dict(self.kinds).get(block)
        return t[f"block_{kind}"] if kind else block


LEAD = 400  # characters of a report's first paragraph in the feeds


@dataclass
class Page:
    """A prose page such as the editorial principles: ``content/pages/<name>.<lang>.md``."""

    name: str
    title: dict[str, str]
    body: dict[str, str]  # Markdown source per language
    # the links and images into the site, per language: (source file, line, column, address), checked
    # against the built site (check.check_prose_links)
    links: dict[str, tuple[tuple[Path, int, int, str], ...]] = field(default_factory=dict)


def split_front_matter(text: str, path: Path, problems: Problems) -> tuple[str, str, int] | None:
    """Return (front matter, body, line where the body starts)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        problems.error(path, 1, 1, "missing front matter: the file must start with a line '---'")
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() == "---":  # at the margin: an indented '---' is text of a value
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1:]), index + 2
    problems.error(path, 1, 1, "front matter is not closed by a line '---'")
    return None


def parse_document(path: Path, model: type, problems: Problems, corrections: bool = True) -> SourceFile | None:
    """A report's file; ``corrections``: whether its text may carry them (the Arabic's, not the translation's)."""
    text = read_text(path, problems)
    split = split_front_matter(text, path, problems) if text is not None else None
    if split is None:
        return None
    front_text, body, body_line = split
    located = load_yaml(front_text, path, problems, line_offset=1)
    front = models.validate(model, located, problems) if located else None
    return SourceFile(path, front, parse_blocks(body, body_line, path, problems, corrections), located)


def parse_blocks(body: str, first_line: int, path: Path, problems: Problems, corrections: bool = True) -> list[Block]:
    blocks: list[Block] = []
    seen: dict[str, int] = {}
    for start, chunk, joined in _chunks(body.split("\n"), first_line):
        if joined:
            problems.error(path, start, 1, "an id line starts a new block: put a blank line before it")
        if ATTR_LINE.match(chunk[0]):  # an id line written twice: one block, told once
            for offset in range(1, len(chunk)):
                if chunk[offset] == chunk[0]:
                    problems.error(path, start + offset, 1, "a second id line: a block has one, followed by its "
                                                            "text; delete it")
            chunk = [line for offset, line in enumerate(chunk) if not offset or line != chunk[0]]
        head, rest = chunk[0], chunk[1:]
        match = ATTR_LINE.match(head)
        if not match:
            problems.error(path, start, 1, f"a block must start with an id line such as '{{#p1}}'"
                                           f"{not_ascii(head) if head.startswith('{#') else ''}")
            continue
        block_id = match.group(1)
        classes = tuple(name.strip()[1:] for name in match.group(2).split())
        for name in classes:
            if name not in BLOCK_CLASSES:
                problems.error(path, start, head.index("." + name) + 1,
                               f"unknown block class '.{name}'{not_ascii(name)} (known: {', '.join(sorted(BLOCK_CLASSES))})")
        if block_id in seen:
            problems.error(path, start, 3, f"duplicate id '{block_id}' (first used on line {seen[block_id]})")
            continue
        taken = page_id_problem(block_id)
        if taken:
            problems.error(path, start, 3, taken)
        seen[block_id] = start
        if not rest:
            problems.error(path, start, 1, f"block '{block_id}' has no text")
            continue
        if len(rest) > 1 and "teasers" not in classes:
            problems.error(path, start + 2, 1,  # where its second line begins
                           f"block '{block_id}' spans several lines; keep a paragraph on one line")
        lines = []
        for offset, source in enumerate(rest, start=1):
            nodes, inline_problems = parse_inline(source)
            for column, message in inline_problems:
                problems.error(path, start + offset, column, message)
            if not corrections and any(node.kind == "sic" for node in walk(nodes)):
                problems.error(path, start + offset, source.find("corr=") + 1,
                               "a correction belongs to the Arabic text (ar.md), where the words are printed; "
                               "the translation follows the editors' reading")
            if corrections:
                unprinted_markup(nodes, source, path, start + offset, problems)
            lines.append(nodes)
        blocks.append(Block(block_id, classes, lines, start))
    return blocks


def unprinted_markup(nodes: list[Node], source: str, path: Path, line: int, problems: Problems) -> None:
    """An error at the first delimiter of emphasis or code in a line of the Arabic text: the
    comparison with the witness drops it (plain_text), so the page would show the words otherwise
    than printed without a word said."""
    kinds = {node.kind for node in walk(nodes)} & {"em", "strong", "code"}
    if not kinds:
        return
    delimiters = ("`" if "code" in kinds else "") + ("*_" if kinds - {"code"} else "")
    found = next((m for m in re.finditer(rf"\\.|([{re.escape(delimiters)}])", source) if m.group(1)), None)
    index, char = (found.start(), found.group(1)) if found else (0, delimiters[0])  # (found: markdown-it saw one)
    problems.error(path, line, index + 1, f"emphasis or code ('{char}') is not in the witness: the Arabic text is "
                                          f"shown as printed, only […]{{…}} spans are added to it (write a literal "
                                          f"{char} as \\{char})")


def page_id_problem(block_id: str) -> str | None:
    """Why ``block_id`` cannot be a block's id, as the report page has an element of that id itself
    (``PAGE_IDS``), or None."""
    if block_id in PAGE_IDS:
        return f"id '{block_id}' is taken by the report page itself (one of {', '.join(sorted(PAGE_IDS))}); choose another"
    prefix = next((prefix for prefix in PAGE_ID_PREFIXES if block_id.startswith(prefix)), None)
    if prefix:
        return f"id '{block_id}': ids that begin '{prefix}' are taken by the report page itself; choose another"
    return None


def _chunks(lines: list[str], first_line: int):
    """The blocks' lines: each run of lines between blank lines, with its first line's number and
    whether it was split off the run above at an id line that has no blank line before it."""
    chunk: list[str] = []
    start, joined = first_line, False
    for number, line in enumerate(lines, start=first_line):
        if chunk and ATTR_LINE.match(line) and line.rstrip() != chunk[0]:  # (the same id line again: one block)
            yield start, chunk, joined
            chunk, joined = [], True
        if line.strip():
            if not chunk:
                start = number
            chunk.append(line.rstrip())
        elif chunk:
            yield start, chunk, joined
            chunk, joined = [], False
    if chunk:
        yield start, chunk, joined


def load_report(folder: Path, problems: Problems) -> Report | None:
    if not SLUG.fullmatch(folder.name):
        problems.error(folder, 1, 1, f"report folder name '{folder.name}' is not a slug: use lower-case letters, "
                                     "digits and single hyphens (it becomes the report's address)")
        return None
    paths = {"ar": folder / "ar.md", "en": folder / "en.md"}
    try:
        link = escaping_link(folder, problems.root)
        there = {lang: path.exists() or path.is_symlink() for lang, path in paths.items()}  # a folder: read, says so
    except OSError as exc:  # the folder cannot be entered
        cannot_read(folder, exc, problems, "the folder")
        return None
    if link is not None:
        refuse_link(link, problems)
        return None
    for lang, found in there.items():
        if not found:
            problems.error(folder, 1, 1, f"report '{folder.name}' has no {lang}.md")
    if not all(there.values()):
        return None
    ar = parse_document(paths["ar"], models.ReportMeta, problems)
    en = parse_document(paths["en"], models.TranslationMeta, problems, corrections=False)
    if ar is None or en is None:
        return None
    check_alignment(ar, en, problems)
    if ar.front is None or en.front is None:
        return None
    check_metadata(ar, problems)
    return Report(folder.name, ar.front, {"ar": ar, "en": en})


def check_alignment(ar: SourceFile, en: SourceFile, problems: Problems) -> None:
    """Every block has its counterpart, with the same id, class and position."""
    ar_ids = {block.id: block for block in ar.blocks}
    en_ids = {block.id: block for block in en.blocks}
    for here, there, other in ((ar, en_ids, en), (en, ar_ids, ar)):
        for block in here.blocks:
            if block.id not in there:
                problems.error(here.path, block.line, 1,
                               f"block '{block.id}'{not_ascii(block.id)} has no counterpart in {other.path.name}")
    common_ar = [b.id for b in ar.blocks if b.id in en_ids]
    common_en = [b.id for b in en.blocks if b.id in ar_ids]
    for a, e in zip(common_ar, common_en):
        if a != e:
            problems.error(en.path, en_ids[e].line, 1,
                           f"block '{e}' is out of order: {ar.path.name} has '{a}' in this position")
            break
    for block in en.blocks:
        twin = ar_ids.get(block.id)
        if twin and set(twin.classes) & BLOCK_CLASSES != set(block.classes) & BLOCK_CLASSES:  # (an unknown one is
            # told where it is written)
            problems.error(en.path, block.line, 1,
                           f"block '{block.id}' has classes {_classes(block)} but {ar.path.name} has {_classes(twin)}")


def check_correction_notes(doc: SourceFile, problems: Problems) -> None:
    """Every note a correction names is in ``correction_notes``, and every note there is named."""
    notes = doc.front.correction_notes
    named = set()
    for block in doc.blocks:
        for offset, line in enumerate(block.lines, start=1):
            for node in walk(line):
                note = node.correction and node.correction["note"]
                if note and note not in notes:
                    problems.error(doc.path, block.line + offset, column_of(node, "note"),
                                   f"note: no correction note '{note}' in correction_notes{models.did_you_mean(note, notes)}")
                named.add(note)
    for note in sorted(set(notes) - named):
        problems.warning(doc.path, *doc.where("correction_notes", note), f"correction_notes.{note}: no correction names this note")


def _classes(block: Block) -> str:
    return "'" + (" ".join("." + c for c in block.classes) or "(none)") + "'"


def check_metadata(doc: SourceFile, problems: Problems) -> None:
    meta: models.ReportMeta = doc.front
    ids = {block.id for block in doc.blocks}
    body = "\n".join(block.text for block in doc.blocks)
    for index, omission in enumerate(meta.omissions):
        if omission.after is not None and omission.after not in ids:
            problems.error(doc.path, *doc.where("omissions", index, "after"),
                           f"omissions.{index}.after: no block with id '{omission.after}'")
    for name in ("dateline", "byline"):
        printed = getattr(meta, name)
        if printed and printed.printed not in body:
            problems.error(doc.path, *doc.where(name, "printed"),
                           f"{name}.printed '{printed.printed}' does not occur in the text")
    datelines = [block for block in doc.blocks if block.kind == "dateline"]
    if meta.dateline and meta.dateline.printed in body and datelines and \
            not any(meta.dateline.printed in block.text for block in datelines):
        problems.error(doc.path, *doc.where("dateline", "printed"),
                       f"dateline.printed '{meta.dateline.printed}' is not in the text's dateline block "
                       f"'{datelines[0].id}' (line {datelines[0].line + 1}): «{datelines[0].text}»")
    for name in ("date", "publisher"):
        if getattr(meta, name).certainty != "printed" and getattr(meta, name).evidence is None:
            problems.error(doc.path, *doc.where(name, "certainty"),
                           f"{name}.evidence is required unless the {name} is printed")
    check_correction_notes(doc, problems)
    titles = [block for block in doc.blocks if block.kind == "title"]
    if titles and titles[0].text != meta.title.ar:
        problems.error(doc.path, titles[0].line, 1, "the printed title block differs from title.ar")
    if bool(titles) == meta.title.supplied:
        problems.error(doc.path, *doc.where("title"),
                       "title.supplied must be true exactly when the text has no printed '.title' block")


def check_page_links(body: str, first_line: int, path: Path, problems: Problems) -> tuple[tuple[Path, int, int, str], ...]:
    """Each link and image of a prose page leads where a page may (urls.page_link_problem): an
    error at its address, which the page would otherwise carry, or print as text, without a word.
    Returns those that lead into the site, where they are written, for the check of the built site
    (check.check_prose_links)."""
    inside = []
    for line, column, url, image in prose_links(body):
        problem = page_link_problem(url, image)
        if problem:
            shown = re.sub(r"[\x00-\x1f\x7f]", lambda m: repr(m.group())[1:-1], url)  # a tab as \t
            problems.error(path, first_line + line, column + 1, f"{'image' if image else 'link'} '{shown}': {problem}")
        elif not SCHEME.match(url):
            inside.append((path, first_line + line, column + 1, url))
    return tuple(inside)


def load_page(name: str, paths: dict[str, Path], problems: Problems) -> Page | None:
    titles, bodies, links = {}, {}, {}
    for lang, path in paths.items():
        text = read_text(path, problems)
        split = split_front_matter(text, path, problems) if text is not None else None
        if split is None:
            continue
        located = load_yaml(split[0], path, problems, line_offset=1)
        front = models.validate(models.PageMeta, located, problems) if located else None
        found = check_page_links(split[1], split[2], path, problems)
        if front is not None:
            titles[lang], bodies[lang], links[lang] = front.title, split[1], found
    if set(titles) != set(models.LANGS):
        return None
    return Page(name, titles, bodies, links)


def printed_pieces(report: Report):
    """(text, what, file, line, col) of every omission and every line of the Arabic text as printed
    (markup dropped, sic readings kept; white space at its edges, which stands between pieces, left
    out), in the witness's order: the omissions cut before the text, then each block followed by
    those cut after it. ``what``: ("omission", its number from 1) or ("line", block, its nodes, the
    white space left out before it)."""
    doc, omissions = report.docs["ar"], report.meta.omissions

    def cut_after(block_id):
        for index, omission in enumerate(omissions):
            if omission.after == block_id:
                yield (omission.text, ("omission", index + 1), doc.path, *doc.where("omissions", index, "text"))
    yield from cut_after(None)
    for block in doc.blocks:
        for offset, nodes in enumerate(block.lines, start=1):
            text = plain_text(nodes)
            yield (text.strip(), ("line", block, nodes, len(text) - len(text.lstrip())), doc.path, block.line + offset, 1)
        yield from cut_after(block.id)
