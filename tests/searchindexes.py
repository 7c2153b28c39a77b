"""A project's search indexes for the parity tests, written independently of the build: for each
language the whole index (``search.index_json``, the reference) and its parts
(``searchparts.search_parts``), from the same documents the build indexes.

    .venv/bin/python tests/searchindexes.py <project> <out>   # writes <out>/<lang>/whole.json and <out>/<lang>/parts/
"""
from __future__ import annotations

import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from edition.annotations import load_annotations  # noqa: E402
from edition.content import load_report  # noqa: E402
from edition.models import LANGS  # noqa: E402
from edition.problems import Problems  # noqa: E402
from edition.notes import load_notes  # noqa: E402
from edition.search import (gloss_documents, index_documents, index_json, note_documents, protected_words,  # noqa: E402
                            report_documents, title_documents)
from edition.searchparts import search_parts  # noqa: E402
from edition.sources import Project, discover_reports  # noqa: E402
from edition.urls import Urls  # noqa: E402


def project_documents(root: Path) -> tuple[dict[str, list[dict]], frozenset[str]]:
    """Each language's search documents (the reports' titles, their paragraphs, then the glosses and the notes) and the
    protected names."""
    problems = Problems(root=root)
    entities = load_annotations(sorted((root / "content/annotations").glob("*.yaml")), problems)
    order = (yaml.safe_load((root / "config.yaml").read_text(encoding="utf-8")) or {}).get("report_order", [])
    reports = [load_report(folder, problems) for folder in discover_reports(Project(root), order)]  # edition order
    notes = load_notes(sorted((root / "content/notes").glob("*.yaml")), problems)
    assert not problems.items, problems.items
    meeting_of = {report.slug: report.meta.meeting for report in reports}
    protected = protected_words([n for e in entities.values() for n in (e.entity.name.ar, *e.entity.aliases.ar)])
    titles = [(r.slug, r.meta.title, r.meta.meeting) for r in reports]
    docs = {lang: title_documents(titles, Urls("/"), lang) + [d for r in reports for d in report_documents(r, Urls("/"), lang)]
            + gloss_documents(entities, Urls("/"), lang) + note_documents(notes, meeting_of, Urls("/"), lang)
            for lang in LANGS}
    return docs, protected


def write(root: Path, out: Path) -> None:
    docs, protected = project_documents(root)
    for lang in LANGS:
        folder = out / lang
        (folder / "parts").mkdir(parents=True, exist_ok=True)
        whole = "".join(index_json(index_documents(docs[lang]), protected))
        (folder / "whole.json").write_text(whole, encoding="utf-8")
        for path, data in search_parts(lambda: docs[lang], lang, protected):
            (folder / "parts" / path.rsplit("/", 1)[1]).write_bytes(data)


if __name__ == "__main__":
    write(Path(sys.argv[1]), Path(sys.argv[2]))
