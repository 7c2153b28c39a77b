"""Every word of every seed is in the established Arabic text or in a recorded omission."""
import re
from pathlib import Path

import pytest

from edition.content import load_report
from edition.inline import plain_text
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


def pieces(report) -> list[str]:
    """Every line of the established text and every omission, in the witness's order."""
    omissions = report.meta.omissions
    found = [o.text for o in omissions if o.after is None]
    for block in report.blocks("ar"):
        found += [plain_text(line) for line in block.lines]
        found += [o.text for o in omissions if o.after == block.id]
    return found


def unmatched_piece(text: str, witness: str) -> str | None:
    """The first piece that does not follow in the witness, character for character, after
    nothing but whitespace; None when every piece does and only whitespace is left over."""
    position = 0
    for piece in text:
        gap = re.compile(r"\s*").match(witness, position)
        position = gap.end()
        if not witness.startswith(piece, position):
            return piece
        position += len(piece)
    return None if not witness[position:].strip() else witness[position:position + 40]


@pytest.mark.parametrize("index", range(5))
def test_each_line_is_a_verbatim_stretch_of_the_witness(reports, index):
    """The rule the principles page states: every line of the text and every omission is the
    witness character for character, no-break spaces inside a line included; only whitespace
    between them (line ends, blank lines, spaces and no-break spaces at a line's edges, lines of
    whitespace alone, the space at a paragraph break) is not reproduced."""
    report = reports[index]
    witness = (ROOT / "content" / "witnesses" / report.meta.seed).read_text(encoding="utf-8")
    assert unmatched_piece(pieces(report), witness) is None


def test_a_dropped_no_break_space_inside_a_line_is_detected():
    witness = "سوريا.\u00a0واعترف بصعوبة\n\n\u00a0\n"
    assert unmatched_piece(["سوريا.\u00a0واعترف بصعوبة"], witness) is None
    assert unmatched_piece(["سوريا. واعترف بصعوبة"], witness) is not None
    assert unmatched_piece(["سوريا.واعترف بصعوبة"], witness) is not None


# ---------------------------------------------------------------- the build holds every report to its witness

def build_errors(project: Path) -> list[str]:
    from edition.pipeline import build
    from edition.problems import BuildFailed
    try:
        build(project)
    except BuildFailed as failed:
        return [str(p) for p in failed.problems.errors]
    return []


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


AR = "content/reports/sample/ar.md"
WITNESS = "content/witnesses/sample.txt"
NOT_AS_PRINTED = ("content/reports/sample/ar.md:{line}:{col}: error: not the witness content/witnesses/sample.txt "
                  "as printed: {text} where the witness has {witness} (copy the words as printed; record what is "
                  "left out under omissions)")


@pytest.mark.parametrize("file, old, new, line, col, text, witness", [
    # a word dropped from the established text
    (AR, " قريبة، ", " ", 33, 1, "«وأن قرار مجلس الأمن»", "«قريبة، وأن قرار مجلس»"),
    # a word changed, and one added
    (AR, "مجلس الأمن", "مجلس الامن", 33, 1, "«الامن 2254 أساس الحل»", "«الأمن 2254 أساس الحل»"),
    (AR, "للتحالف تعمل.", "للتحالف تعمل تعمل.", 36, 1, "«تعمل تعمل.»", "«تعمل. للموصل أهمية كبيرة.»"),
    # the witness edited: a diacritic, a tatweel, another normalization form of its letters
    (WITNESS, "كبيرة", "كبيـرة", 39, 1, "«كبيرة.»", "«كبيـرة.»"),
    (WITNESS, "أساس", "أساسٌ", 33, 1, "«أساس الحل في سوريا.»", "«أساسٌ الحل في سوريا.وأشار»"),
    (WITNESS, "أكد", "\u0627\u0654كد", 33, 1, "«أكد وزير الخارجية جون»", "«\u0627\u0654كد وزير الخارجية جون» (they "
     "differ at U+0623 ARABIC LETTER ALEF WITH HAMZA ABOVE where the witness has U+0627 ARABIC LETTER ALEF)"),
    (WITNESS, "الخارجية", "الخارج\u200cية", 33, 1, "«الخارجية جون كيري أن»", "«الخارج\u200cية جون كيري أن» (they "
     "differ at U+064A ARABIC LETTER YEH where the witness has U+200C ZERO WIDTH NON-JOINER)"),
    # an omission recorded after the wrong block, or of words the text also has
    (AR, "  - after: null", "  - after: p1", 30, 1, "«واشنطن: الوكالات»", "«السبت. يناير 1st, 2000»"),
])
def test_a_text_that_departs_from_its_witness_is_an_error_where_it_does(mini, file, old, new, line, col, text, witness):
    """The build published a text with a word dropped, changed or added, or a witness changed
    under it, and every export with it: the rule was only held by these tests, for the edition's
    own reports. Now the build refuses, at the first line that departs."""
    replace_in(mini / file, old, new)
    assert build_errors(mini) == [NOT_AS_PRINTED.format(line=line, col=col, text=text, witness=witness)]


def test_a_witness_that_goes_on_after_the_text_is_an_error(mini):
    (mini / WITNESS).write_text((mini / WITNESS).read_text(encoding="utf-8") + "\nالتعليقات أضف تعليقاً\n", encoding="utf-8")
    assert build_errors(mini) == [
        "content/reports/sample/ar.md:39:1: error: the witness content/witnesses/sample.txt goes on after the text: "
        "«التعليقات أضف تعليقاً» (its line 8) is neither in the text nor recorded under omissions"]


def test_white_space_line_endings_and_paragraph_divisions_are_not_departures(mini):
    replace_in(mini / WITNESS, "\n\n", "\r\n  \r\n\r\n")
    replace_in(mini / AR, "قريبة، وأن", "قريبة،\n\n{#p1b}\nوأن")
    replace_in(mini / "content/reports/sample/en.md", "\n\n{#p2 ", "\n\n{#p1b}\nAnd that.\n\n{#p2 ")
    assert build_errors(mini) == []
