"""One report at a time: read, checked and linked; what the rest of the build keeps of it once its
pages are written is a ``ReportPart`` (its summary, its mentions, its search documents)."""
from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .annotations import no_meeting
from .collation import tokens
from .content import Report, ReportSummary, load_report, printed_pieces
from .mentions import Linker, report_unused
from .models import LANGS
from .problems import Problems
from .safety import control_characters, read_text, regular_file
from .consistency import passages
from .inline import column_of, walk
from .search import report_documents
from .urls import Urls
from .witness import BETWEEN, by_siglum, cited_paragraph, piece_starts, siglum


@dataclass
class ReportPart:
    """What the rest of the build keeps of a report once its pages are written."""

    seed: tuple | None = None  # (seed file, slug, where it is named: file, line, col)
    summary: ReportSummary | None = None  # None if the report was not linked
    used: set = field(default_factory=set)  # (entity id, lang, words) of each alias its text matched
    mentions: dict[str, list] = field(default_factory=dict)  # lang -> its mentions, in text order
    docs: dict[str, list[dict]] = field(default_factory=dict)  # lang -> its search documents
    fingerprints: dict | None = None  # lang -> entity id -> hash of its mentions; "summary" -> digest;
    # "mentions" -> lang -> hash of them all (the live preview: cache.BuildCache.keep_report)
    blocks: frozenset = frozenset()  # the ids of its blocks (editorial notes are anchored to them)
    passages: object = None  # its Arabic text as tokens for the consistency check (consistency.passages)
    tokens: tuple = ()  # a witness of a collation group: its Arabic text as the collation's tokens
    # (collation.tokens); other reports keep none (``collated``)
    mentioned: tuple | None = None  # (entity id, lang) of each of its mentions, once listed (PartGroup.add)
    cited: tuple = ()  # (siglum, paragraph number, file, line, col) of each correction's grounds citing a
    # witness's paragraph (``004 p1``), checked once every report is read (check_grounds)
    exported: "Exported | None" = None  # a full build's: what the edition's data files take from its files


@dataclass(frozen=True)
class Exported:
    """What the edition's data files take from a report's files, made where they were written (on a
    worker, in a full build) rather than read back at the end: its part of the TEI corpus, its
    witness's ``bibl`` there (tei.member_parts), and the annotations of its page in each language."""

    member: bytes
    bibl: bytes
    annotations: dict[str, int]


def read_report(folder: Path, entities: dict, linker: Linker | None, urls: Urls,
                problems: Problems, read=None) -> tuple[Report | None, ReportPart | None]:
    """The report read, checked and linked, and its part; only read and checked (no report given
    back) when it has an error or when there is no ``linker`` (the other sources are not valid).
    ``read`` reads its witness file (check_report)."""
    before = len(problems.items)
    report = load_report(folder, problems)
    if report is None:
        return None, None
    check_report(report, entities, problems, read)
    if report.witness is not None and not errors_since(problems, before):  # (its blocks and omissions as written)
        check_fidelity(report, problems)
    seed = report_seed(report, problems)
    if linker is None or errors_since(problems, before):
        return None, ReportPart(seed=seed)
    mentions, used = linker.link_report(report, problems)
    if errors_since(problems, before):
        return None, ReportPart(seed=seed)
    return report, ReportPart(seed=seed, summary=report.summary(),
                              used={(alias.entity_id, alias.lang, alias.words) for alias in used},
                              mentions={lang: [m for m in mentions if m.lang == lang] for lang in LANGS},
                              docs={lang: report_documents(report, urls, lang) for lang in LANGS},
                              blocks=frozenset(block.id for block in report.blocks("ar")),
                              passages=passages(report), cited=cited_paragraphs(report))


def cited_paragraphs(report: Report) -> tuple:
    """(siglum, paragraph number, file, line, col) of each correction whose grounds cite a witness's
    paragraph (witness.cited_paragraph), at its grounds="…"."""
    doc, found = report.docs["ar"], []
    for block in report.blocks("ar"):
        for offset, line in enumerate(block.lines, start=1):
            for node in walk(line):
                cited = cited_paragraph((node.correction or {}).get("grounds")) if node.kind == "sic" else None
                if cited:
                    found.append((*cited, str(doc.path), block.line + offset, column_of(node, "grounds")))
    return tuple(found)


def collated(report: Report, part: ReportPart, witnesses: frozenset[str]) -> None:
    """Give the part its collation tokens if the report is a witness of a collation group, and
    none otherwise: at 10,000 reports every report's tokens held about 0.9 GiB, for groups that
    name a handful of witnesses. (In the live preview a kept part follows the groups as they are now.)"""
    if report.slug not in witnesses:
        part.tokens = ()
    elif not part.tokens:
        part.tokens = tokens(report)


def errors_since(problems: Problems, before: int) -> bool:
    return any(p.severity == "error" for p in problems.items[before:])


def check_report(report: Report, entities, problems: Problems, read=None, checked: str | None = None) -> None:
    """The report's meeting exists and its witness file is read (``read``: the live preview's
    reads it again only if it changed, BuildCache.text). ``checked``: the witness text the live
    preview's kept report was found to agree with, which is not checked again."""
    doc = report.docs["ar"]
    error = no_meeting(report.meta.meeting, entities, problems)
    if error:
        problems.error(doc.path, *doc.where("meeting"), error)
    meeting, date = entities.get(report.meta.meeting), report.meta.date.value
    if not error and meeting and date and date < meeting.entity.date:  # a slip of the year, most likely
        problems.warning(doc.path, *doc.where("date", "value"),
                         f"date.value: {date.isoformat()} comes before the meeting '{report.meta.meeting}' the "
                         f"report is of ({meeting.entity.date.isoformat()}): check the year")
    witness = witness_file(doc.path, report.meta.seed)
    # (a folder of that name, or one that cannot be looked at, is read: that says why)
    if regular_file(witness) is False and not os.path.isdir(witness):
        problems.error(doc.path, *doc.where("seed"), f"seed: no witness file content/witnesses/{report.meta.seed}")
        return
    report.witness = (read or read_text)(witness, problems, flag=False)  # kept as it is, format characters and all
    if report.witness is not None and report.witness != checked:  # but for what no page can carry
        control_characters(report.witness, witness, problems)
        for index, omission in enumerate(report.meta.omissions):  # (its page marks each where it stands)
            if omission.text not in report.witness:
                problems.error(doc.path, *doc.where("omissions", index, "text"),
                               f"omissions.{index}.text: not in the witness content/witnesses/{report.meta.seed} as "
                               "written there (copy it from the witness)")


def check_fidelity(report: Report, problems: Problems) -> None:
    """The established text and the omissions, in the witness's order, are the witness: each line
    of the Arabic text and each omission stands in it character for character (sic readings kept,
    markup dropped), one after the other, with nothing between them but white space, and nothing
    is left over. Else a word was dropped, changed or added without a record (the rule the pages
    state, and the one the exports inherit): an error where the text first departs from it."""
    witness, pieces = report.witness, list(printed_pieces(report))
    starts = piece_starts(witness, [piece for piece, *_ in pieces])
    for (piece, _what, file, line, col), position in zip(pieces, starts):
        if witness.startswith(piece, position):
            continue
        differ = len(os.path.commonprefix([piece, witness[position:position + len(piece)]]))
        same = word_start(piece, differ)
        ours, theirs = excerpt(piece, same), excerpt(witness, position + same)
        problems.error(file, line, col, f"not the witness content/witnesses/{report.meta.seed} as printed: "
                                        f"{ours} where the witness has {theirs}"
                                        f"{unseen_difference(ours, theirs, piece[differ:], witness[position + differ:])} "
                                        "(copy the words as printed; record what is left out under omissions)")
        return
    end = starts[-1] + len(pieces[-1][0]) if pieces else 0
    if witness[end:].strip():
        doc = report.docs["ar"]
        last = doc.blocks[-1].line + len(doc.blocks[-1].lines) if doc.blocks else 1
        rest = BETWEEN.match(witness, end).end()
        problems.error(doc.path, last, 1, f"the witness content/witnesses/{report.meta.seed} goes on after the text: "
                                          f"{excerpt(witness, rest)} (its line {witness.count(chr(10), 0, rest) + 1}) "
                                          "is neither in the text nor recorded under omissions")


def word_start(text: str, at: int) -> int:
    """The start of the word of ``text`` that ``at`` falls in (a difference is shown from there)."""
    while at > 0 and not text[at - 1].isspace():
        at -= 1
    return at


def unseen_difference(ours: str, theirs: str, text: str, witness: str) -> str:
    """Where the words shown look alike (letters composed otherwise, NFC and NFD; an invisible
    character), the first characters that differ, by code point and name; else nothing."""
    def seen(words: str) -> str:
        return "".join(c for c in unicodedata.normalize("NFC", words) if unicodedata.category(c) != "Cf")
    if seen(ours) != seen(theirs):
        return ""
    return f" (they differ at {character(text)} where the witness has {character(witness)})"


def character(text: str) -> str:
    if not text:
        return "the end"
    return f"U+{ord(text[0]):04X} {unicodedata.name(text[0], 'unnamed')}"


def excerpt(text: str, at: int, words: int = 4) -> str:
    """A few words of ``text`` from ``at``, quoted, or 'nothing' at its end."""
    shown = " ".join(text[at:].split()[:words])
    return f"«{shown}»" if shown else "nothing"


def witness_file(text: Path, seed: str) -> Path:
    """content/witnesses/<seed>, from one of a report's files (content/reports/<slug>/ar.md)."""
    return text.parents[2] / "witnesses" / seed


def report_seed(report: Report, problems: Problems) -> tuple:
    doc = report.docs["ar"]
    return (report.meta.seed, report.slug, problems.relative(doc.path), *doc.where("seed"))


def check_grounds(groups: list, witness_files: tuple, problems: Problems) -> None:
    """Each witness's paragraph that a correction's grounds cite (``004 p1``) is a paragraph of the
    report of that witness, where its grounds link (``witness_files``: the names of the witness
    files, which the pages read the sigla from). Grounds whose first word is no witness file's
    siglum are shown as written, unless it is a number, as a siglum is: then it is a slip."""
    summaries = {summary.slug: summary for group in groups for summary in group.summaries}
    reports: dict[str, ReportSummary] = {}  # siglum -> the report whose witness has it (one: check_reports)
    for seed, slug, *_where in (seed for group in groups for seed in group.seeds):
        if slug in summaries:
            reports[siglum(seed)] = summaries[slug]
    files = by_siglum(witness_files)  # siglum -> the witness files that have it
    for cited, number, file, line, col in (cited for group in groups for cited in group.cited):
        where, named = f"grounds '{cited} p{number}'", files.get(cited, [])
        if len(named) > 1:
            problems.error(file, line, col, f"{where}: '{cited}' is the siglum of {len(named)} witness files "
                                            f"({', '.join(named)}): give each a number of its own")
        elif cited in reports:
            summary = reports[cited]
            if number > summary.paragraphs:
                problems.error(file, line, col, f"{where}: the report of witness {cited} ('{summary.slug}') has "
                                                f"{summary.paragraphs} paragraphs; cite one by its number on that report's page")
        elif named or cited.isdigit():
            problems.error(file, line, col, f"{where}: no report's witness (seed) is a file content/witnesses/"
                                            f"{cited}_….txt")


def check_reports(entities: dict, aliases: dict, groups: list, problems: Problems) -> None:
    """What no single report shows: a witness claimed twice, aliases and entities never used."""
    seeds: dict[str, str] = {}
    for seed, slug, file, line, col in (seed for group in groups for seed in group.seeds):
        if seed in seeds:
            problems.error(file, line, col, f"seed: '{seed}' is already the witness of report '{seeds[seed]}'")
        seeds.setdefault(seed, slug)
    if problems.errors:
        return
    used = set().union(*(group.used for group in groups))
    mentioned = set().union(*(group.entities_mentioned() for group in groups))
    meetings = {summary.meeting for group in groups for summary in group.summaries}
    report_unused(entities, aliases, used, mentioned, meetings, problems)
