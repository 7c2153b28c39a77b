"""Editorial notes: one YAML file each in ``content/notes/``, anchored to paragraphs of reports.

A note is read and validated like an annotation (models.Note); once every report is read, each
anchor is checked against the reports' block ids (``check_anchors``).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import models
from .annotations import NO_LINKS
from .html import gloss_links
from .problems import Problems
from .safety import read_text
from .yamlsource import Located, load_yaml


@dataclass
class NoteFile:
    note: models.Note
    located: Located

    def where(self, *path) -> tuple[int, int]:
        return self.located.where(tuple(path))


def load_notes(paths: list[Path], problems: Problems) -> dict[str, NoteFile]:
    """Every note, by id, in the order of their files."""
    notes: dict[str, NoteFile] = {}
    for path in paths:
        text = read_text(path, problems)
        located = load_yaml(text, path, problems) if text is not None else None
        note = models.validate(models.Note, located, problems) if located else None
        if note is None:
            continue
        if note.id != path.stem:
            problems.error(path, *located.where(("id",)), f"id '{note.id}' must match the file name '{path.stem}.yaml'")
            continue
        for lang in models.LANGS:
            for url in gloss_links(note.note[lang]):
                problems.error(path, *located.find(("note", lang), url), f"note.{lang}: {NO_LINKS} (give the address "
                                                                         "under sources)")
        notes[note.id] = NoteFile(note, located)
    return notes


def check_anchors(notes: dict[str, NoteFile], blocks: dict[str, set[str]], problems: Problems) -> None:
    """Each anchor names a report that exists and blocks it has (``blocks``: slug -> its block ids)."""
    for loaded in notes.values():
        for index, anchor in enumerate(loaded.note.anchors):
            if anchor.report not in blocks:
                problems.error(loaded.located.file, *loaded.where("anchors", index, "report"),
                               f"anchors.{index}.report: no report '{anchor.report}'")
                continue
            if anchor.report in [earlier.report for earlier in loaded.note.anchors[:index]]:
                problems.error(loaded.located.file, *loaded.where("anchors", index, "report"),
                               f"anchors.{index}.report: '{anchor.report}' is named twice (give its paragraphs in one "
                               "anchor)")
                continue
            for position, block in enumerate(anchor.paragraphs):
                if block in anchor.paragraphs[:position]:
                    problems.error(loaded.located.file, *loaded.where("anchors", index, "paragraphs", position),
                                   f"anchors.{index}.paragraphs: '{block}' is named twice")
                elif block not in blocks[anchor.report]:
                    problems.error(loaded.located.file, *loaded.where("anchors", index, "paragraphs", position),
                                   f"anchors.{index}.paragraphs: report '{anchor.report}' has no block '{block}'")


def anchored(notes: dict[str, NoteFile]) -> dict[tuple[str, str], list[models.Note]]:
    """(report slug, block id) -> the notes anchored there, in the order of their files."""
    found: dict[tuple[str, str], list[models.Note]] = {}
    for loaded in notes.values():
        for anchor in loaded.note.anchors:
            for block in anchor.paragraphs:
                found.setdefault((anchor.report, block), []).append(loaded.note)
    return found
