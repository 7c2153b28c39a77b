"""The live preview's incremental builds against full builds, on a seeded random run of edits.

Each step edits one source of a small two-meeting edition (a report's paragraphs in either
language or its front matter; any annotation field, aliases, related ids and dates included;
adding and deleting annotation files and report folders; witness files; an invisible character
in a report; interface strings, plural forms among them; templates, included ones among them; static
assets, in a subfolder too; config.yaml, its report order and the invisible characters it allows;
prose pages; editorial notes and collation groups; a report's omissions, corrections and other front
matter; a source renamed, or replaced by a symbolic link to another file of the project), often into
a broken version that a later step mends. After every step the incremental build (the preview's path:
cache, search index deferred and then brought up to date) must give byte for byte the files a full
build gives, or fail with the same problems; and the pages of the saved reports that the preview
shows first (pipeline.reports_alone) must be the ones that build gives. A failure names the seed
and the edits so far; replay one with

    EDITION_PREVIEW_SEED=<seed> .venv/bin/python -m pytest tests/test_preview_property.py
"""
import os
import random
import re
import shutil
import time
from pathlib import Path

import pytest
import yaml

from edition.cache import BuildCache
from edition.pipeline import build, reports_alone
from edition.problems import BuildFailed

STEPS = 220
SEED = int(os.environ.get("EDITION_PREVIEW_SEED", "20261130"))
WORDS = ["Mosul", "Raqqa", "Kerry", "coalition", "meeting", "الموصل", "الرقة", "كيري", "التحالف", "اجتماع",
         "Washington", "واشنطن", "2254", "the", "في"]


class Sources:
    """The project's files, written so that every write moves the file's time (several edits can
    fall within one tick of the file system's clock, which no editor's saves do)."""

    def __init__(self, root: Path, rng: random.Random):
        self.root, self.rng = root, rng
        self.clock = time.time_ns()
        self.good: dict[Path, str] = {}  # file -> its text before it was broken
        self.renamed: dict[Path, Path] = {}  # a renamed source -> its name before
        self.deleted: dict[Path, str] = {}  # a deleted annotation file -> its text
        self.saved: list[str] = []  # the files written by this step (project-relative): what the watcher tells

    def write(self, path: Path, text: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.clock += 10_000_000
        os.utime(path, ns=(self.clock, self.clock))
        self.saved.append(path.relative_to(self.root).as_posix())

    def read(self, path: Path) -> str:
        return path.read_text(encoding="utf-8")

    def files(self, pattern: str) -> list[Path]:
        return sorted(self.root.glob(pattern))

    def pick(self, pattern: str) -> Path | None:
        found = self.files(pattern)
        return self.rng.choice(found) if found else None

    def word(self) -> str:
        return self.rng.choice(WORDS)

    def break_(self, path: Path, text: str) -> None:
        self.good.setdefault(path, self.read(path))
        self.write(path, text)


# ---------------------------------------------------------------- the edits


def edit_paragraph(src: Sources, lang: str) -> str:
    path = src.pick(f"content/reports/*/{lang}.md")
    if path is None:
        return "no report"
    lines = src.read(path).split("\n")
    body = lines.index("---", 1) + 1
    text_lines = [i for i in range(body, len(lines)) if lines[i].strip() and not lines[i].startswith("{#")]
    i = src.rng.choice(text_lines)
    words = lines[i].split(" ")
    at, new = src.rng.randrange(len(words) + 1), src.word()
    if lang == "ar":  # the Arabic text is its witness's: the word goes into both, where no markup is before it
        at = min(at, next((n for n, word in enumerate(words) if set(word) & set("[]{}\\")), len(words)))
        insert_in_witness(src, path, " ".join(words[:at]), lines[i], new, at == 0)
    words.insert(at, new)
    lines[i] = " ".join(words)
    src.write(path, "\n".join(lines))
    return f"paragraph of {path.parent.name}/{lang}.md"


def witness_of(src: Sources, ar: Path) -> Path | None:
    """The witness file a report's ar.md names (none while its seed is broken)."""
    found = re.search(r"^seed: (\S+)$", src.read(ar), re.M)
    path = src.root / "content/witnesses" / found.group(1) if found else None
    return path if path and path.is_file() else None


def insert_in_witness(src: Sources, ar: Path, before: str, line: str, word: str, first: bool) -> None:
    """The word put into the report's witness after the words ``before`` of the text's ``line``
    (plain text up to there), as the text gets it; nothing if the line is not found there."""
    witness = witness_of(src, ar)
    plain = line.split("[")[0]
    at = src.read(witness).find(plain) if witness and plain else -1
    if at >= 0:
        text = src.read(witness)
        cut = at + len(before)
        src.write(witness, text[:cut] + (f"{word} " if first else f" {word}") + text[cut:])


def edit_front_matter(src: Sources) -> str:
    path = src.pick("content/reports/*/ar.md")
    if path is None:
        return "no report"
    text = src.read(path)
    front, _, body = text[4:].partition("\n---\n")
    meta = yaml.safe_load(front)
    choice = src.rng.choice(["title", "date", "meeting"])
    if choice == "title":
        meta["title"]["en"] = f"A report on {src.word()}"
    elif choice == "date":
        meta["date"]["value"] = f"20{src.rng.randint(15, 19)}-0{src.rng.randint(1, 9)}-1{src.rng.randint(0, 9)}"
    else:
        meta["meeting"] = src.rng.choice(["test-meeting", "other-meeting"])
    src.write(path, "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n" + body)
    return f"front matter ({choice}) of {path.parent.name}"


def edit_annotation(src: Sources) -> str:
    path = src.pick("content/annotations/*.yaml")
    if path is None:  # every annotation was deleted by earlier edits
        return add_annotation(src)
    if path in src.good:  # broken by break_one (its gloss may be a glos:): mend_one's to mend
        return f"left {path.name} broken"
    data = yaml.safe_load(src.read(path))
    ids = [p.stem for p in src.files("content/annotations/*.yaml") if p != path]
    lang = src.rng.choice(["ar", "en"])
    field = src.rng.choice(["name", "gloss", "alias", "unalias", "related", "unrelated", "date", "exclude"])
    if field in ("name", "gloss"):
        data[field][lang] = f"{data[field][lang]} {src.word()}"
    elif field == "alias":
        data.setdefault("aliases", {"ar": [], "en": []}).setdefault(lang, []).append(src.word())
    elif field == "unalias" and data.get("aliases", {}).get(lang):
        data["aliases"][lang].pop()
    elif field == "related" and ids:
        data["related"] = sorted(set(data.get("related", [])) | {src.rng.choice(ids)})
    elif field == "unrelated" and data.get("related"):
        data["related"] = data["related"][1:]
    elif field == "date" and data["kind"] in ("meeting", "event", "document"):
        data["date"] = f"201{src.rng.randint(0, 9)}-0{src.rng.randint(1, 9)}-2{src.rng.randint(0, 8)}"
    elif field == "exclude":
        data.setdefault("exclude", {"ar": [], "en": []}).setdefault(lang, []).append(src.word())
    src.write(path, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return f"{field} ({lang}) of {path.name}"


def add_annotation(src: Sources) -> str:
    number = len(src.files("content/annotations/*.yaml"))
    entity = f"place-{number}"
    word = src.word()
    src.write(src.root / f"content/annotations/{entity}.yaml", yaml.safe_dump({
        "id": entity, "kind": "place", "name": {"ar": f"مكان {word}", "en": f"Place {word}"},
        "gloss": {"ar": "مكان.", "en": "A place."}, "sources": [{"citation": "A gazetteer."}]}, allow_unicode=True))
    return f"added {entity}.yaml"


def delete_annotation(src: Sources) -> str:
    path = src.pick("content/annotations/*.yaml")
    if path is None:
        return add_annotation(src)
    src.deleted[path] = src.good.pop(path, None) or src.read(path)  # (mend_one writes it again)
    path.unlink()
    return f"deleted {path.name}"


def add_report(src: Sources) -> str:
    template = src.root / "content/reports/sample"
    slug = f"report-{src.rng.randrange(1000)}"
    folder = src.root / "content/reports" / slug
    witness = src.root / "content/witnesses/sample.txt"
    if folder.exists() or not all(p.is_file() for p in (template / "ar.md", template / "en.md", witness)):
        return "no report added"
    meeting = src.rng.choice(["test-meeting", "other-meeting"])
    ar = src.read(template / "ar.md").replace("seed: sample.txt", f"seed: {slug}.txt").replace(
        "meeting: test-meeting", f"meeting: {meeting}")
    src.write(folder / "ar.md", ar)
    src.write(folder / "en.md", src.read(template / "en.md"))
    shutil.copy(witness, src.root / f"content/witnesses/{slug}.txt")
    return f"added report {slug} ({meeting})"


def delete_report(src: Sources) -> str:
    folders = [p for p in src.files("content/reports/*") if p.name != "sample"]
    if not folders:
        return "no report deleted"
    folder = src.rng.choice(folders)
    shutil.rmtree(folder)
    config = src.root / "config.yaml"
    data = yaml.safe_load(src.read(config))
    if folder.name in data.get("report_order", ()):  # the order names only reports there are
        data["report_order"].remove(folder.name)
        src.write(config, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    src.good = {path: text for path, text in src.good.items() if folder not in path.parents}
    return f"deleted report {folder.name}"


def edit_strings(src: Sources) -> str:
    path = src.root / "templates/strings.yaml"
    lines = src.read(path).split("\n")
    i = src.rng.choice([i for i, line in enumerate(lines) if line.endswith('"}') and ', en: "' in line])
    lines[i] = lines[i][:-2] + f' {src.word()}"}}'
    src.write(path, "\n".join(lines))
    return f"string on line {i + 1}"


def edit_template(src: Sources) -> str:
    path = src.root / src.rng.choice(["templates/base.html", "templates/entity.html", "templates/home.html"])
    text = src.read(path)
    src.write(path, text.replace("</main>", f"<!-- {src.rng.randrange(10 ** 6)} -->\n</main>", 1)
              if "</main>" in text else text + f"\n{{# {src.rng.randrange(10 ** 6)} #}}\n")
    return f"template {path.name}"


def edit_static(src: Sources) -> str:
    if src.rng.random() < 0.5:
        path = src.root / "templates/static/style.css"
        src.write(path, src.read(path) + f"\n/* {src.word()} */\n")
        return "style.css"
    src.write(src.root / f"templates/static/extra-{src.rng.randrange(5)}.txt", src.word())
    return "a static file"


def edit_config(src: Sources) -> str:
    """config.yaml's title, or the address the site is published at."""
    path = src.root / "config.yaml"
    data = yaml.safe_load(src.read(path))
    if src.rng.random() < 0.3:
        data["base_url"] = src.rng.choice(["/", "/edition/", "https://example.org/edition/"])
        src.write(path, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
        return f"base_url {data['base_url']}"
    data["title"]["en"] = f"The edition of {src.word()}"
    src.write(path, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return "config title"


def edit_page(src: Sources) -> str:
    path = src.pick("content/pages/*.md")
    src.write(path, src.read(path) + f"\nMore on {src.word()}.\n")
    return f"page {path.name}"


def edit_witness(src: Sources) -> str:
    """A line added at the end of a witness file, recorded as omitted by the report of it."""
    path, word = src.pick("content/witnesses/*.txt"), src.word()
    src.write(path, src.read(path) + f"\n{word}\n")
    for ar in src.files("content/reports/*/ar.md"):  # (a witness may be a link to another: link_file)
        if (witness_of(src, ar) or ar).resolve() == path.resolve():
            if ar in src.good:  # broken now: the text it is mended to records the line too
                src.good[ar] = with_omission(src.good[ar], word) or src.good[ar]
            recorded = with_omission(src.read(ar), word)
            if recorded:
                src.write(ar, recorded)
    return f"witness {path.name}"


def with_omission(text: str, word: str) -> str | None:
    """A report's ar.md with ``word`` recorded as omitted after its last block; None if its front
    matter cannot be read (a broken one)."""
    front, _, body = text[4:].partition("\n---\n")
    try:
        meta, last = yaml.safe_load(front), re.findall(r"^\{#([\w-]+)", body, re.M)[-1]
    except (yaml.YAMLError, IndexError):
        return None
    if not isinstance(meta, dict):
        return None
    meta.setdefault("omissions", []).append({"after": last, "text": word, "reason": {"ar": "بقايا", "en": "residue"}})
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n" + body


def edit_report_order(src: Sources) -> str:
    path = src.root / "config.yaml"
    data = yaml.safe_load(src.read(path))
    names = [p.name for p in src.files("content/reports/*")]
    data["report_order"] = src.rng.sample(names, src.rng.randint(0, len(names)))
    src.write(path, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return f"report order {data['report_order']}"


def edit_format_characters(src: Sources) -> str:
    """An invisible character in a report's text (a warning), or config.yaml allowing it or not."""
    if src.rng.random() < 0.5:
        path = src.pick("content/reports/*/en.md")  # (in ar.md it could part a dateline from the text)
        if path is None:
            return "no report"
        lines = src.read(path).split("\n")
        body = lines.index("---", 1) + 1
        i = src.rng.choice([i for i in range(body, len(lines)) if lines[i].strip() and not lines[i].startswith("{#")])
        lines[i] = lines[i].replace(" ", " \u200c", 1)
        src.write(path, "\n".join(lines))
        return f"ZWNJ in {path.parent.name}/{path.name}"
    path = src.root / "config.yaml"
    data = yaml.safe_load(src.read(path))
    allowed = data.setdefault("format_characters", {})
    if allowed.pop("U+200C", None) is None:
        allowed["U+200C"] = "joins no letters"
    src.write(path, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return f"ZWNJ {'allowed' if allowed else 'not allowed'}"


def report_slugs(src: Sources, meeting: str | None = None) -> list[str]:
    """The reports there are (of ``meeting``, if given: as their front matter says)."""
    return [p.name for p in src.files("content/reports/*") if (p / "ar.md").is_file()
            and (meeting is None or f"meeting: {meeting}\n" in src.read(p / "ar.md"))]


def edit_note(src: Sources) -> str:
    """An editorial note added, its text or anchors changed, or deleted (content/notes/)."""
    notes = src.files("content/notes/*.yaml")
    slugs = report_slugs(src)
    if notes and src.rng.random() < 0.25:
        path = src.rng.choice(notes)
        path.unlink()
        src.good.pop(path, None)
        return f"deleted note {path.name}"
    if notes and src.rng.random() < 0.6:
        path = src.rng.choice(notes)
        if path in src.good:
            return f"left {path.name} broken"
        data = yaml.safe_load(src.read(path))
        if src.rng.random() < 0.5 and slugs:
            data["anchors"] = [{"report": src.rng.choice(slugs), "paragraphs": [src.rng.choice(["p1", "p2", "s1"])]}]
        else:
            data["note"][src.rng.choice(["ar", "en"])] += f" {src.word()}"
        src.write(path, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
        return f"note {path.name}: {data['anchors']}"
    if not slugs:
        return "no report for a note"
    note_id = f"note-{src.rng.randrange(4)}"
    src.write(src.root / f"content/notes/{note_id}.yaml", yaml.safe_dump({
        "id": note_id, "title": {"ar": f"ملاحظة {src.word()}", "en": f"A note on {src.word()}"},
        "anchors": [{"report": src.rng.choice(slugs), "paragraphs": ["p1"]}],
        "note": {"ar": "ملاحظة.", "en": "A note."}, "sources": [{"citation": "A book."}]},
        allow_unicode=True, sort_keys=False))
    return f"added note {note_id}"


def edit_collation(src: Sources) -> str:
    """A collation group of a meeting's reports added, changed (its kind, base or title) or deleted
    (content/collations/)."""
    path = src.root / "content/collations/group.yaml"
    if path.exists() and src.rng.random() < 0.3:
        path.unlink()
        src.good.pop(path, None)
        return "deleted collation group"
    if path in src.good:
        return "left the collation group broken"
    meeting = src.rng.choice(["test-meeting", "other-meeting"])
    slugs = report_slugs(src, meeting)
    if len(slugs) < 2:
        return f"no two reports of {meeting}"
    witnesses = src.rng.sample(slugs, 2)
    src.write(path, yaml.safe_dump({
        "id": "group", "meeting": meeting, "kind": src.rng.choice(["word", "passage"]), "witnesses": witnesses,
        "base": src.rng.choice(witnesses), "title": {"ar": f"مقابلة {src.word()}", "en": f"Collated {src.word()}"}},
        allow_unicode=True, sort_keys=False))
    return f"collation group of {witnesses}"


def edit_report_fields(src: Sources) -> str:
    """A field of a report's front matter that edit_front_matter leaves: an omission's reason, the
    publisher's certainty, whether the title is supplied, the dateline's translation; or a correction
    in its text."""
    path = src.pick("content/reports/*/ar.md")
    if path is None or path in src.good:
        return "no report's fields"
    text = src.read(path)
    front, _, body = text[4:].partition("\n---\n")
    meta = yaml.safe_load(front)
    choice = src.rng.choice(["omission", "publisher", "supplied", "dateline", "correction"])
    if choice == "omission" and meta.get("omissions"):
        meta["omissions"][0]["reason"]["en"] = f"The site's {src.word()} header."
    elif choice == "publisher":
        meta["publisher"]["certainty"] = src.rng.choice(["unknown", "inferred"])
    elif choice == "supplied":
        meta["title"]["supplied"] = not meta["title"].get("supplied", False)
    elif choice == "dateline":
        meta["dateline"]["en"] = f"{src.rng.choice(['Washington', 'Kuwait'])}: news agencies"
    elif choice == "correction":
        body = body.replace('corr="الخاضعة"', 'corr="الخاضعه"', 1) if 'corr="الخاضعة"' in body else \
            body.replace('corr="الخاضعه"', 'corr="الخاضعة"', 1)
    text = "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n" + body
    # (a title said to be supplied by a report that prints one is an error: mend_one mends it)
    (src.break_ if choice == "supplied" else src.write)(path, text)
    return f"{choice} of {path.parent.name}"


def edit_plural(src: Sources) -> str:
    """A counted string's plural form changed (templates/strings.yaml)."""
    path = src.root / "templates/strings.yaml"
    lines = src.read(path).split("\n")
    i = src.rng.choice([i for i, line in enumerate(lines) if line.startswith("  en: {one: ")])
    lines[i] = lines[i].replace('other: "{n} ', f'other: "{{n}} {src.word()} ', 1)
    src.write(path, "\n".join(lines))
    return f"plural form on line {i + 1}"


def edit_included_template(src: Sources) -> str:
    """A template that others include (_head.html, _report_item.html, _note.html, _cut.html)."""
    path = src.root / "templates" / src.rng.choice(["_head.html", "_report_item.html", "_note.html", "_cut.html"])
    src.write(path, src.read(path) + f"<!-- {src.rng.randrange(10 ** 6)} -->\n")
    return f"included template {path.name}"


def edit_static_folder(src: Sources) -> str:
    """An asset in a subfolder of templates/static/, written or deleted."""
    path = src.root / f"templates/static/fonts/font-{src.rng.randrange(3)}.txt"
    if path.exists() and src.rng.random() < 0.4:
        path.unlink()
        return f"deleted fonts/{path.name}"
    src.write(path, src.word())
    return f"fonts/{path.name}"


RENAMABLE = ["content/annotations/*.yaml", "content/witnesses/*.txt", "content/pages/*.md", "content/reports/*"]


def rename_file(src: Sources) -> str:
    """A source renamed (an annotation, a witness, a page, a report's folder): mend_one gives it its
    name back."""
    path = src.pick(src.rng.choice(RENAMABLE))
    if path is None or path in src.good or any(path in p.parents for p in src.good):
        return "nothing renamed"
    new = path.with_name(f"{path.name.split('.')[0]}-{src.rng.randrange(10)}{''.join(path.suffixes)}")
    if new.exists():
        return "nothing renamed"
    path.rename(new)
    src.renamed[new] = path
    return f"renamed {path.relative_to(src.root)} to {new.name}"


def link_file(src: Sources) -> str:
    """A source replaced by a symbolic link to another file of the project (a witness to another
    witness, a report's translation to another report's, an annotation to a copy kept elsewhere
    in the project), or a link replaced by the file it led to."""
    links = [p for p in src.files("content/**/*") if p.is_symlink()]
    if links and src.rng.random() < 0.4:
        path = src.rng.choice(links)
        text = src.read(path) if path.exists() else None
        path.unlink()
        if text is not None:
            src.write(path, text)
        return f"link {path.name} replaced by a file"
    choice = src.rng.choice(["witness", "translation", "annotation"])
    if choice == "witness":
        targets = [p for p in src.files("content/witnesses/*.txt") if not p.is_symlink()]
    elif choice == "translation":
        targets = [p for p in src.files("content/reports/*/en.md") if not p.is_symlink()]
    else:
        targets = [p for p in src.files("content/annotations/*.yaml") if not p.is_symlink() and p not in src.good]
    if len(targets) < 2 and choice != "annotation" or not targets:
        return "nothing linked"
    path = src.rng.choice(targets)
    if choice == "annotation":  # the same entity, kept outside the folder the build lists
        kept = src.root / "drafts" / path.name
        src.write(kept, src.read(path))
        target = os.path.relpath(kept, path.parent)
    else:
        target = os.path.relpath(src.rng.choice([p for p in targets if p != path]), path.parent)
    path.unlink()
    src.good.pop(path, None)
    path.symlink_to(target)
    return f"{path.relative_to(src.root)} linked to {target}"


BREAKS = {  # a broken version of each kind of source
    "content/annotations/*.yaml": lambda text: text.replace("gloss:", "glos:", 1) if "gloss:" in text else "id: [",
    "content/reports/*/en.md": lambda text: text.replace("{#p1}", "{#p9}", 1),
    "content/reports/*/ar.md": lambda text: text.replace("seed:", "sead:", 1),
    "config.yaml": lambda text: text.replace("base_url:", "base_ulr:", 1),
    "templates/strings.yaml": lambda text: text.replace("skip:", "skip: [", 1),
    "templates/base.html": lambda text: text.replace("</main>", "{% if %}</main>", 1),
    "content/pages/*.md": lambda text: text.replace("title:", "titel:", 1),
}


def break_one(src: Sources) -> str:
    pattern = src.rng.choice(sorted(BREAKS))
    path = src.pick(pattern)
    if path is None:
        return "nothing to break"
    src.break_(path, BREAKS[pattern](src.read(path)))
    return f"broke {path.relative_to(src.root)}"


def mend_one(src: Sources) -> str:
    """A broken file mended, a renamed one given its name back, or a deleted annotation written again."""
    broken = [path for path in src.good if path.exists()] + sorted(src.renamed) + sorted(src.deleted)
    if not broken:
        src.good.clear()
        return "nothing to mend"
    path = src.rng.choice(sorted(broken))
    if path in src.deleted:
        text = src.deleted.pop(path)
        if path.exists() or path.is_symlink():
            return f"left {path.name}"
        src.write(path, text)
        return f"wrote {path.name} again"
    if path in src.renamed:
        old = src.renamed.pop(path)
        if not path.exists() or old.exists():
            return f"left {path.name}"
        path.rename(old)
        return f"renamed {path.name} back to {old.name}"
    src.write(path, src.good.pop(path))
    return f"mended {path.relative_to(src.root)}"


EDITS = [
    (lambda src: edit_paragraph(src, "en"), 4), (lambda src: edit_paragraph(src, "ar"), 3), (edit_front_matter, 2),
    (edit_annotation, 6), (add_annotation, 1), (delete_annotation, 1), (add_report, 2), (delete_report, 1),
    (edit_strings, 1), (edit_template, 1), (edit_static, 1), (edit_config, 1), (edit_page, 1), (break_one, 3),
    (edit_note, 1), (edit_report_fields, 1), (rename_file, 1), (link_file, 1),
]
MORE_EDITS = [  # a second run, of what the first does not edit, among edits of reports
    (edit_witness, 2), (edit_report_order, 2), (edit_format_characters, 3), (lambda src: edit_paragraph(src, "en"), 2),
    (add_report, 2), (delete_report, 1), (break_one, 2), (edit_collation, 3), (edit_note, 1), (edit_plural, 1),
    (edit_included_template, 1), (edit_static_folder, 1), (rename_file, 1), (link_file, 1),
]
ALL_EDITS = EDITS + MORE_EDITS  # (for runs of many seeds offline)


def outcome(project: Path, cache: BuildCache | None):
    try:
        result = build(project, cache=cache, defer=cache is not None)
        files = result.pending() if result.pending else dict(result.files)  # the preview's: after the pages
    except BuildFailed as failed:
        return "failed", [str(p) for p in failed.problems.sorted()]
    except Exception as exc:  # a template error: the same one both ways
        return "raised", f"{type(exc).__name__}: {exc}"
    return "built", [str(p) for p in result.problems.sorted()], files


def second_meeting(project: Path) -> None:
    """The fixture with a second meeting and a report of it, so that edits cross meetings."""
    (project / "content/annotations/other-meeting.yaml").write_text(yaml.safe_dump({
        "id": "other-meeting", "kind": "meeting", "name": {"ar": "اجتماع آخر", "en": "Another meeting"},
        "aliases": {"ar": ["اجتماع واشنطن"], "en": ["Washington meeting"]},
        "gloss": {"ar": "اجتماع.", "en": "A meeting."}, "date": "2018-02-13",
        "sources": [{"citation": "The test suite."}]}, allow_unicode=True), encoding="utf-8")
    folder = project / "content/reports/second"
    folder.mkdir()
    ar = (project / "content/reports/sample/ar.md").read_text(encoding="utf-8")
    (folder / "ar.md").write_text(ar.replace("seed: sample.txt", "seed: second.txt").replace(
        "meeting: test-meeting", "meeting: other-meeting"), encoding="utf-8")
    shutil.copy(project / "content/reports/sample/en.md", folder / "en.md")
    shutil.copy(project / "content/witnesses/sample.txt", project / "content/witnesses/second.txt")


def check_random_edits(project: Path, edits_weighted: list, steps: int, seed: int) -> list[str]:
    """Apply ``steps`` random edits; after each, the incremental and the full build must agree.
    The outcome of each step ("built", "failed")."""
    second_meeting(project)
    rng = random.Random(seed)
    src, cache, history, seen = Sources(project, rng), BuildCache(), [], []
    assert outcome(project, cache)[0] == "built"
    edits, weights = zip(*edits_weighted)
    for step in range(steps):
        src.saved = []
        if (src.good or src.renamed or src.deleted) and rng.random() < 0.6:
            history.append(mend_one(src))
        else:
            history.append(rng.choices(edits, weights)[0](src))
        first = reports_alone(project, cache, sorted(set(src.saved)))  # the saved reports' pages, shown first
        incremental, full = outcome(project, cache), outcome(project, None)
        context = f"seed {seed}, step {step}: " + " | ".join(history[-8:])
        assert incremental[:2] == full[:2], context
        seen.append(full[0])
        if full[0] == "built":
            differ = sorted(p for p in set(full[2]) | set(incremental[2]) if full[2].get(p) != incremental[2].get(p))
            assert differ == [], context
            assert sorted(p for p in first or () if first[p] != full[2].get(p)) == [], "shown first: " + context
    return seen


def test_incremental_builds_equal_full_builds_over_random_edits(mini):
    seen = check_random_edits(mini, EDITS, STEPS, SEED)
    # the run went through good and broken states alike
    assert seen.count("built") >= STEPS // 4 and seen.count("failed") >= STEPS // 10, seen


def test_incremental_builds_equal_full_builds_over_random_edits_of_witnesses_order_and_warnings(mini):
    seen = check_random_edits(mini, MORE_EDITS, STEPS // 4, SEED)
    assert seen.count("built") >= STEPS // 16 and seen.count("failed") >= STEPS // 40, seen


@pytest.mark.parametrize("source, old, new", [
    ("content/annotations/mosul.yaml", "northern", "northerN"),  # an entity (BuildCache.file_digest)
    ("content/witnesses/sample.txt", "كيري", "كيرى"),  # a witness (BuildCache.text)
    ("content/reports/sample/en.md", "Raqqa", "RAQQA"),  # a report's text (its key)
])
def test_a_file_written_again_with_its_size_and_time_as_they_were_is_read_again(mini, source, old, new):
    """A save that leaves a file's size and modification time as they were (cp -p, rsync -t,
    touch -r, an archive unpacked over it) still changes what the incremental build makes: the
    cache knew a file by its time, size and inode, and the preview went on showing the old text."""
    path, then = mini / source, time.time_ns() - 60 * 10 ** 9
    os.utime(path, ns=(then, then))
    cache = BuildCache()
    assert outcome(mini, cache)[0] == "built"
    text = path.read_text(encoding="utf-8")
    assert old in text and len(old.encode()) == len(new.encode())
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path, ns=(then, then))
    assert outcome(mini, cache) == outcome(mini, None)



def test_a_change_of_the_sites_address_reaches_the_search_index(mini):
    """The reports' search documents link to their pages at the site's address: a report kept by
    the cache across a change of config.yaml's base_url left the search index linking to the old one."""
    cache = BuildCache()
    assert outcome(mini, cache)[0] == "built"
    config = mini / "config.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("base_url: /", "base_url: /edition/"), encoding="utf-8")
    assert outcome(mini, cache) == outcome(mini, None)
