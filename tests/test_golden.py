"""The fixture project's whole site, file by file, against the copy kept in tests/golden/mini/.

A change to the templates, the views or the engine that alters any page shows here as the files
that differ. When the change is intended, regenerate the copy and commit it with the change:

    .venv/bin/python -m pytest tests/test_golden.py --update-golden
"""
import shutil
from pathlib import Path

from edition.pipeline import build

GOLDEN = Path(__file__).resolve().parent / "golden" / "mini"
BASE_URL = "https://example.org/edition/"  # absolute: canonical links, og:url and the feeds are shown too
THIRD_PARTY = {"assets/lunr.min.js"}  # from npm, never committed


def test_the_fixture_site_is_the_golden_one(mini, request):
    with open(mini / "config.yaml", "a", encoding="utf-8") as config:
        config.write('version: "1.0"\ndate: "2026-01-15"\n')  # the footer's version, the feeds' date
    files = {path: data for path, data in build(mini, base_url=BASE_URL).files.items() if path not in THIRD_PARTY}
    if request.config.getoption("--update-golden"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for path, data in files.items():
            (GOLDEN / path).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / path).write_bytes(data)
    kept = {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file()}
    assert sorted(files) == sorted(kept), "files added or removed: run with --update-golden if intended"
    differ = [path for path in sorted(files) if (GOLDEN / path).read_bytes() != files[path]]
    assert differ == [], "these files differ from tests/golden/mini: run with --update-golden if intended"
