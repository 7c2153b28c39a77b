"""Collation groups: one YAML file each in ``content/collations/``, naming the witnesses collated
together and the base text (models.CollationGroup).

A group is read and validated like a note, and its meeting checked against the entities
(``check_meetings``); once every report is read, its witnesses are checked against them
(``check_groups``): each a report of the group's meeting, named once, the base among them, and no
id used by two groups.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import models
from .annotations import no_meeting
from .problems import Problems
from .safety import read_text
from .yamlsource import Located, load_yaml


@dataclass
class GroupFile:
    group: models.CollationGroup
    located: Located

    def where(self, *path) -> tuple[int, int]:
        return self.located.where(tuple(path))


def load_groups(paths: list[Path], problems: Problems) -> dict[str, GroupFile]:
    """Every valid group, by id, in the order of their files (a duplicate id is an error)."""
    groups: dict[str, GroupFile] = {}
    for path in paths:
        text = read_text(path, problems)
        located = load_yaml(text, path, problems) if text is not None else None
        group = models.validate(models.CollationGroup, located, problems) if located else None
        if group is None:
            continue
        if group.id in groups:
            problems.error(path, *located.where(("id",)),
                           f"id '{group.id}' is already the id of {groups[group.id].located.file.name}")
            continue
        groups[group.id] = GroupFile(group, located)
    return groups


def check_meetings(groups: dict[str, GroupFile], entities: dict, problems: Problems) -> None:
    """Each group's meeting is a meeting entity: checked as the sources are read, before any report
    page is made (a witness's page names the collations it is in by their meeting)."""
    for loaded in groups.values():
        error = no_meeting(loaded.group.meeting, entities, problems)
        if error:
            problems.error(loaded.located.file, *loaded.where("meeting"), error)


def check_groups(groups: dict[str, GroupFile], meetings: dict[str, str], problems: Problems) -> None:
    """Each group's witnesses are reports of its meeting (``meetings``: slug -> its meeting), each
    named once, with the base among them."""
    for loaded in groups.values():
        group, file = loaded.group, loaded.located.file
        seen: set[str] = set()
        for index, slug in enumerate(group.witnesses):
            where = loaded.where("witnesses", index)
            if slug in seen:
                problems.error(file, *where, f"witnesses.{index}: '{slug}' is named twice")
            elif slug not in meetings:
                problems.error(file, *where, f"witnesses.{index}: no report '{slug}'")
            elif meetings[slug] != group.meeting:
                problems.error(file, *where, f"witnesses.{index}: report '{slug}' is of meeting "
                                             f"'{meetings[slug]}', not '{group.meeting}'")
            seen.add(slug)
        if group.base not in group.witnesses:
            problems.error(file, *loaded.where("base"), f"base: '{group.base}' is not one of the witnesses")
