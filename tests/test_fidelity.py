"""Every word of every seed is in the established Arabic text or in a recorded omission."""
import re
from pathlib import Path

import pytest

from edition.content import load_report
from edition.problems import Problems

ROOT = Path(__file__).resolve().parent.parent
REPORTS = sorted((ROOT / "content" / "reports").iterdir())
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def reconstruct(report) -> str:
    """The witness as the edition accounts for it: blocks and omissions, in order."""
    omissions = report.meta.omissions
    parts = [o.text for o in omissions if o.after is None]
    for block in report.blocks("ar"):
        parts.append(block.text)
        parts += [o.text for o in omissions if o.after == block.id]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def reports():
    problems = Problems(root=ROOT)
    loaded = [load_report(folder, problems) for folder in REPORTS]
    assert not problems.errors, [str(p) for p in problems.errors]
    return loaded


def test_there_are_five_reports_one_per_witness(reports):
    assert sorted(r.meta.seed for r in reports) == sorted(p.name for p in (ROOT / "content" / "witnesses").glob("*.txt"))
    assert len(reports) == 5


@pytest.mark.parametrize("index", range(5))
def test_every_word_of_the_witness_is_accounted_for(reports, index):
    report = reports[index]
    witness = (ROOT / "content" / "witnesses" / report.meta.seed).read_text(encoding="utf-8")
    assert words(reconstruct(report)) == words(witness)


@pytest.mark.parametrize("index", range(5))
def test_only_whitespace_differs_from_the_witness(reports, index):
    """Stricter than words: punctuation and spelling are kept too (sic readings, not corrections)."""
    report = reports[index]
    witness = (ROOT / "content" / "witnesses" / report.meta.seed).read_text(encoding="utf-8")
    assert re.sub(r"\s+", "", reconstruct(report)) == re.sub(r"\s+", "", witness)


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the shared seeds are beside the repository only in the workspace")
def test_witnesses_are_unchanged_copies_of_the_seeds():
    for witness in (ROOT / "content" / "witnesses").glob("*.txt"):
        assert witness.read_bytes() == (SEEDS / witness.name).read_bytes()


def test_a_dropped_word_is_detected(reports):
    """The check itself fails when a word goes missing from the established text."""
    report = reports[0]
    witness = (ROOT / "content" / "witnesses" / report.meta.seed).read_text(encoding="utf-8")
    block = next(b for b in report.blocks("ar") if b.kind == "paragraph")
    first = block.lines[0][0]
    original = first.text
    first.text = original.split(" ", 1)[1]
    try:
        assert words(reconstruct(report)) != words(witness)
    finally:
        first.text = original
