"""JSON Schemas for contributors' editors, generated from the models the build validates with.

``python build.py --write-schemas`` writes ``schemas/``; a test keeps the files in sync.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Union

from pydantic import Field, TypeAdapter

from .models import ENTITY_KINDS, CollationGroup, Config, Note
from .output import replace_file

SCHEMA_DIR = "schemas"


def schemas() -> dict[str, dict]:
    """File name -> schema: one per annotation kind, one for any annotation, one for config."""
    out = {f"{kind}.schema.json": model.model_json_schema() for kind, model in ENTITY_KINDS.items()}
    any_kind = Annotated[Union[tuple(ENTITY_KINDS.values())], Field(discriminator="kind")]
    annotation = TypeAdapter(any_kind).json_schema()
    annotation["title"] = "Annotation (one entity of the edition)"
    out["annotation.schema.json"] = annotation
    out["config.schema.json"] = Config.model_json_schema()
    out["note.schema.json"] = Note.model_json_schema()
    out["collation.schema.json"] = CollationGroup.model_json_schema()
    for name, schema in out.items():
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return out


def rendered() -> dict[str, str]:
    return {name: json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
            for name, schema in sorted(schemas().items())}


def write(root: Path) -> list[Path]:
    folder = root / SCHEMA_DIR
    folder.mkdir(exist_ok=True)
    written = []
    for name, text in rendered().items():
        replace_file(folder / name, text.encode("utf-8"))
        written.append(folder / name)
    return written
