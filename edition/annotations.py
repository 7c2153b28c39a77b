"""Load the annotations: one YAML file per entity in ``content/annotations/``."""
from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from pathlib import Path

from . import models
from .html import gloss_links
from .problems import Problems
from .safety import read_text
from .urls import SLUG
from .yamlsource import Located, load_yaml


@dataclass
class EntityFile:
    entity: models.EntityBase
    located: Located

    def where(self, *path) -> tuple[int, int]:
        return self.located.where(tuple(path))


def load_entity(path: Path, problems: Problems) -> EntityFile | None:
    text = read_text(path, problems)
    located = load_yaml(text, path, problems) if text is not None else None
    if located is None:
        return None
    data = located.data
    if data is None or data == {}:
        problems.error(path, 1, 1, "the file is empty: an annotation gives at least its kind, id, name, gloss and "
                                   "sources (schemas/annotation.schema.json lists every key)")
        return None
    if not isinstance(data, dict):
        problems.error(path, 1, 1, "an annotation must be a mapping of keys and values")
        return None
    kind = data.get("kind")
    model = models.ENTITY_KINDS.get(kind) if isinstance(kind, str) else None
    if model is None:
        known = ", ".join(models.ENTITY_KINDS)
        misspelt = misspelt_kind(data)
        if "kind" in data:
            problems.error(path, *located.where(("kind",)), f"kind: must be one of {known}")
        elif misspelt is not None:
            problems.error(path, *located.where((misspelt,), key=True),
                           f"unknown key '{misspelt}' (did you mean 'kind'?); kind is one of {known}")
        else:
            problems.error(path, 1, 1, f"missing required field 'kind' (one of {known})")
        return None
    entity = models.validate(model, located, problems)
    if entity is None:
        return None
    for lang in models.LANGS:
        for url in gloss_links(entity.gloss[lang]):
            problems.error(path, *located.find(("gloss", lang), url), f"gloss.{lang}: {NO_LINKS} (give the address "
                                                                      "under sources, an entity under related)")
    if entity.id != path.stem:  # the file fails: what names it by its file name is not told again
        problems.error(path, *located.where(("id",)),
                       f"id '{entity.id}' must match the file name '{path.stem}.yaml'")
        return None
    return EntityFile(entity, located)


NO_LINKS = "a link or image [text](…) is printed as written: glosses and notes take none"


def misspelt_kind(data: dict) -> str | None:
    """The key that stands for a missing ``kind`` (``kindx:``, ``knd:``): one close to it that
    no kind of entity knows, or None."""
    fields = {name for model in models.ENTITY_KINDS.values() for name in model.model_fields}
    unknown = [str(key) for key in data if str(key) not in fields]
    close = difflib.get_close_matches("kind", unknown, n=1, cutoff=0.6)
    return close[0] if close else None


def load_annotations(paths: list[Path], problems: Problems, load=None) -> dict[str, EntityFile]:
    """Every entity, by id. ``load(path)`` reads one file (the live preview passes a caching one)."""
    load = load or (lambda path: load_entity(path, problems))
    entities: dict[str, EntityFile] = {}
    broken: set[str] = set()  # files that failed: no cascade of "no entity" errors for them
    for path in paths:
        loaded = load(path)
        if loaded is None:
            broken.add(path.stem)
            continue
        entity_id = loaded.entity.id
        if entity_id in entities:
            other = entities[entity_id].located.file
            problems.error(path, *loaded.where("id"),
                           f"duplicate id '{entity_id}' (also in {problems.relative(other)})")
            continue
        entities[entity_id] = loaded
    check_references(entities, problems, broken)
    return entities


def failed_file(entity_id: str, problems: Problems) -> bool:
    """Whether an entity that is not among those loaded has a file of its own, which failed (its
    errors say why): a reference to it from elsewhere is then no error of its own, as a second
    line would say the entity does not exist where its file stands."""
    return bool(SLUG.fullmatch(entity_id)) and os.path.isfile(Path(problems.root) / "content/annotations" / f"{entity_id}.yaml")


def no_meeting(meeting_id: str, entities: dict[str, EntityFile], problems: Problems) -> str | None:
    """The error of a ``meeting:`` (a report's, a collation's) that names no meeting entity, with
    the meeting it may be a slip for; None if it names one, or an entity whose own file failed
    (its error is told)."""
    meeting = entities.get(meeting_id)
    if (meeting is None and failed_file(meeting_id, problems)) or (meeting and meeting.entity.kind == "meeting"):
        return None
    if meeting is not None:  # (not a slip for another id: the entry is there, of another kind)
        line, _col = meeting.where("kind")
        return (f"meeting: '{meeting_id}' is not a meeting: its entry is of kind {meeting.entity.kind} "
                f"({problems.relative(meeting.located.file)}:{line})")
    meetings = [entity_id for entity_id, loaded in entities.items() if loaded.entity.kind == "meeting"]
    return f"meeting: no meeting entity with id '{meeting_id}'{models.did_you_mean(meeting_id, meetings)}"


def check_references(entities: dict[str, EntityFile], problems: Problems, broken: set[str] = frozenset()) -> None:
    for loaded in entities.values():
        for index, ref in enumerate(loaded.entity.related):
            if ref in broken:
                continue  # its own file's error is reported
            if ref not in entities:
                problems.error(loaded.located.file, *loaded.where("related", index),
                               f"related: no entity with id '{ref}'{models.did_you_mean(ref, entities)}")
            elif ref == loaded.entity.id:
                problems.error(loaded.located.file, *loaded.where("related", index),
                               "related: an entity cannot be related to itself")
            elif ref in loaded.entity.related[:index]:
                problems.error(loaded.located.file, *loaded.where("related", index), f"related: '{ref}' is named twice")
