"""The JSON Schemas in schemas/ are generated from the models and validate what the build validates."""
import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from edition import schemas

ROOT = Path(__file__).resolve().parent.parent


def test_committed_schemas_are_in_sync_with_the_models():
    expected = schemas.rendered()
    committed = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "schemas").glob("*.json")}
    assert committed == expected, "run `python build.py --write-schemas` and commit schemas/"


def as_json(value):
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


@pytest.fixture(scope="module")
def annotation_schema():
    return json.loads((ROOT / "schemas" / "annotation.schema.json").read_text(encoding="utf-8"))


def test_every_annotation_file_validates(annotation_schema):
    for path in sorted((ROOT / "content" / "annotations").glob("*.yaml")):
        jsonschema.validate(as_json(yaml.safe_load(path.read_text(encoding="utf-8"))), annotation_schema)


@pytest.mark.parametrize("change", [
    {"glos": "typo"},                      # unknown key
    {"kind": "city"},                      # unknown kind
    {"office": None},                      # a person without an office
    {"sources": []},                       # no source
    {"name": {"ar": "كيري"}},              # missing language
])
def test_editor_schema_rejects_what_the_build_rejects(annotation_schema, change):
    data = as_json(yaml.safe_load((ROOT / "content/annotations/john-kerry.yaml").read_text(encoding="utf-8")))
    for key, value in change.items():
        if value is None:
            data.pop(key)
        else:
            data[key] = value
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, annotation_schema)


def test_config_validates():
    schema = json.loads((ROOT / "schemas" / "config.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8")), schema)


def test_editors_are_pointed_at_the_schemas():
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    assert settings["yaml.schemas"]["./schemas/annotation.schema.json"] == "content/annotations/*.yaml"
