"""Load the annotations: one YAML file per entity in ``content/annotations/``."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import models
from .problems import Problems
from .safety import read_text
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
    if not isinstance(data, dict):
        problems.error(path, 1, 1, "an annotation must be a mapping of keys and values")
        return None
    kind = data.get("kind")
    model = models.ENTITY_KINDS.get(kind) if isinstance(kind, str) else None
    if model is None:
        line, col = located.where(("kind",)) if "kind" in data else (1, 1)
        known = ", ".join(models.ENTITY_KINDS)
        problems.error(path, line, col, f"kind: must be one of {known}" if "kind" in data
                       else f"missing required field 'kind' (one of {known})")
        return None
    entity = models.validate(model, located, problems)
    if entity is None:
        return None
    if entity.id != path.stem:
        problems.error(path, *located.where(("id",)),
                       f"id '{entity.id}' must match the file name '{path.stem}.yaml'")
    return EntityFile(entity, located)


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


def check_references(entities: dict[str, EntityFile], problems: Problems, broken: set[str] = frozenset()) -> None:
    for loaded in entities.values():
        for index, ref in enumerate(loaded.entity.related):
            if ref in broken:
                continue  # its own file's error is reported
            if ref not in entities:
                problems.error(loaded.located.file, *loaded.where("related", index),
                               f"related: no entity with id '{ref}'")
            elif ref == loaded.entity.id:
                problems.error(loaded.located.file, *loaded.where("related", index),
                               "related: an entity cannot be related to itself")
