"""Everything a build reads but the reports: the project's folders, config.yaml, the interface
strings, the annotations and their aliases, the prose pages, the static assets and lunr.js."""
from __future__ import annotations

import os
import string
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import models, plurals, stringuse
from .annotations import load_annotations
from .collation_groups import check_meetings, load_groups
from .content import Page, load_page
from .cache import BuildCache
from .mentions import build_aliases
from .notes import load_notes
from .problems import BuildFailed, Problems
from .urls import SLUG
from .safety import (absent, cannot_read, check_tree, control_characters, flag_format_characters, folder_entries, inside,
                     listed, read_text)
from .yamlsource import load_yaml


@dataclass
class Project:
    """Where a project's sources live."""

    root: Path

    @property
    def config(self) -> Path:
        return self.root / "config.yaml"

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def static(self) -> Path:
        return self.root / "templates" / "static"

    @property
    def compiled(self) -> Path | None:
        """The compiled templates kept between builds (render.CompiledTemplates); not a source.
        None (nothing kept) when .cache/ or its templates/ is a link: it is read, run and pruned."""
        cache = self.root / ".cache"
        if cache.is_symlink() or (cache / "templates").is_symlink():
            return None
        return cache / "templates"


@dataclass
class Sources:
    """Everything but the reports, read and validated (each part None or partial if invalid)."""

    config: models.Config | None
    strings: dict[str, dict[str, str]]
    entities: dict
    aliases: dict
    pages: list[Page]
    entity_paths: list[Path]
    notes: dict  # note id -> notes.NoteFile
    collations: dict  # group id -> collation_groups.GroupFile
    static: dict[str, bytes]  # templates/static/'s files (static_files)
    witness_files: tuple = ()  # the names of content/witnesses/*.txt (a correction's grounds may cite one)


def load_sources(project: Project, problems: Problems, base_url: str | None, cache: BuildCache | None) -> Sources:
    for folder in (project.content, project.templates):
        check_tree(folder, problems)
    check_templates(project.templates, problems)
    config = load_config(project.config, problems, project.content / "reports")
    if config is not None and base_url is not None:
        config = config.model_copy(update={"base_url": base_url})
    strings_file = project.templates / "strings.yaml"
    strings = remember(cache, "strings", lambda: (cache.file_digest(strings_file), problems.format_allowed),
                       lambda: load_strings(strings_file, problems), problems)
    misnamed_yaml(project, problems)
    entity_paths = visible(listed(project.content / "annotations", problems, "*.yaml"))
    entities = load_annotations(entity_paths, problems, cache and (lambda path: cache.entity(path, problems)))
    aliases = remember(cache, "aliases", lambda: [(e, cache.entity_digest(f.located.file)) for e, f in entities.items()],
                       lambda: build_aliases(entities, problems), problems)
    pages = [p for p in (load_page(name, paths, problems) for name, paths in discover_pages(project, problems).items()) if p]
    notes = load_notes(visible(listed(project.content / "notes", problems, "*.yaml")), problems)
    collations = load_groups(visible(listed(project.content / "collations", problems, "*.yaml")), problems)
    check_meetings(collations, entities, problems)
    static = static_files(project, problems)
    witness_files = tuple(path.name for path in visible(listed(project.content / "witnesses", problems, "*.txt")))
    return Sources(config, strings, entities, aliases, pages, entity_paths, notes, collations, static, witness_files)


def misnamed_yaml(project: Project, problems: Problems) -> None:
    """A YAML file of the annotations, notes or collations whose name ends otherwise than in .yaml
    (mosul.yml, mosul.YAML), or that stands in a folder of theirs (annotations/places/aleppo.yaml),
    would not be read, and nothing would say so."""
    for folder in ("annotations", "notes", "collations"):
        for path in visible(listed(project.content / folder, problems)):
            if path.suffix.lower() in (".yaml", ".yml") and path.suffix != ".yaml":
                problems.error(path, 1, 1, f"not read: the files of content/{folder}/ are named <id>.yaml "
                                           f"(rename it {path.stem}.yaml)")
            elif path.suffix != ".yaml" and not path.is_symlink() and no_folder(path) is False:  # (a folder x.yaml
                # is read, which says what it is)
                inside = [p for p in visible(listed(path, problems)) if p.suffix.lower() in (".yaml", ".yml")]
                if inside:
                    problems.error(path, 1, 1, f"not read: the files of content/{folder}/ stand in it, not in a "
                                               f"folder of it (move {path.name}/{inside[0].name} up into "
                                               f"content/{folder}/)")


def check_templates(templates: Path, problems: Problems) -> None:
    """Each template is UTF-8 text without a control character (which no page can carry): an error
    at the byte or character, before Jinja would fail on it without saying where."""
    for path in visible(listed(templates, problems, "*.html")):  # not an editor's lock, .#base.html
        text = read_text(path, problems, flag=False)
        if text is not None:
            control_characters(text, path, problems)


def remember(cache: BuildCache | None, name: str, key: Callable[[], Any], make: Callable[[], Any], problems: Problems):
    """``make()``, or in the live preview what it made last time with the same ``key()``."""
    return cache.remembered(name, key(), make, problems) if cache else make()


def load_config(path: Path, problems: Problems, reports: Path) -> models.Config | None:
    """The config, validated; its own invisible characters are flagged once it says which it allows,
    and each report its order names must be a folder of ``reports``."""
    if absent(path):
        problems.error(path, 1, 1, "config.yaml not found")
        return None
    text = read_text(path, problems, flag=False)
    located = load_yaml(text, path, problems) if text is not None else None
    config = models.validate(models.Config, located, problems) if located else None
    if config is not None:
        problems.format_allowed = frozenset(config.format_characters)
        seen = set()
        for index, name in enumerate(config.report_order):
            if name in seen:
                problems.error(path, *located.where(("report_order", index)), f"report_order: '{name}' is named twice")
            elif no_folder(reports / name):
                problems.error(path, *located.where(("report_order", index)),
                               f"report_order: there is no report folder content/reports/{name}/")
            seen.add(name)
    if text is not None:
        flag_format_characters(text, path, problems)
    return config


def no_folder(path: Path) -> bool:
    """Whether there is no folder at ``path``; False when that cannot be told (the folder above
    cannot be entered: its own error says so)."""
    try:
        return not path.is_dir()
    except OSError:
        return False


class Strings(dict):
    """One language's interface strings. A string the build asks for and the file lacks is an error
    (BuildFailed), not a crash, and so is every other string the templates and the engine ask for
    that it lacks (stringuse.py): each where a template first uses it, or at the file."""

    def __init__(self, path: Path, root: Path) -> None:
        super().__init__()
        self.path, self.root = path, root

    def __missing__(self, key: str):
        problems = Problems(root=self.root)
        needed = {name: (self.path, 1, 1) for name in [key, *stringuse.engine_uses()]}
        needed.update(stringuse.template_uses(self.path.parent))
        shown = problems.relative(self.path)
        for name, (path, line, col) in needed.items():
            if name not in self:
                where = f" from {shown}" if path != self.path else ""
                problems.error(path, line, col, f"string '{name}' is missing{where}: the pages need it, with text in "
                                                "both ar and en")
        raise BuildFailed(problems)


def load_strings(path: Path, problems: Problems) -> dict[str, dict]:
    """Interface strings by language: text, or for a counted string its plural forms (plurals.py)."""
    strings: dict[str, dict] = {lang: Strings(path, problems.root) for lang in models.LANGS}
    if absent(path):
        problems.error(path, 1, 1, "interface strings file not found")
        return strings
    text = read_text(path, problems)
    located = load_yaml(text, path, problems) if text is not None else None
    if located is None:
        return strings
    if not isinstance(located.data, dict):
        problems.error(path, *located.where(()), "the interface strings must be a mapping: name: {ar: …, en: …}")
        return strings
    for key, value in located.data.items():
        if not (isinstance(value, dict) and all(isinstance(value.get(l), (str, dict)) for l in models.LANGS)):
            problems.error(path, *located.where((key,), key=True), f"string '{key}' needs text in both ar and en")
            continue
        for other in value.keys() - set(models.LANGS):
            problems.error(path, *located.where((key, other), key=True),
                           f"string '{key}': unknown language '{other}' (the languages are ar and en)")
        blank = [l for l in models.LANGS if not all(form.strip() for form in (
            [value[l]] if isinstance(value[l], str) else [f for f in value[l].values() if isinstance(f, str)]))]
        for lang in blank:
            problems.error(path, *located.where((key, lang)), f"string '{key}' in '{lang}' is empty: the pages would "
                                                              "show nothing there; give its text")
        if blank or placeholder_problems(key, value, located, problems):
            continue
        counted = [isinstance(value[l], dict) for l in models.LANGS]
        if any(counted):
            wrong = [(l, plurals.form_problem(value[l], l)) for l in models.LANGS]
            wrong = [(l, why) for l, why in wrong if why]
            for lang, why in wrong:
                problems.error(path, *located.where((key, lang)), f"string '{key}': {why}")
            if wrong:
                continue
        for lang in models.LANGS:
            text, where = value[lang], located.where((key, lang))
            # (a counted string's forms are filled in by plurals.phrase)
            made = Text if isinstance(text, str) else Counted
            strings[lang][key] = made(text, key, path, problems.root, where)
    month_names_problems(strings, located, problems)
    return strings


MONTHS = 12


def month_names_problems(strings: dict[str, dict], located, problems: Problems) -> None:
    """An error for a language whose string 'months' is not the names of the twelve months, January
    first, separated by commas: a date takes its month's name by the month's number
    (views.format_date), and a date in a month the text has no name for failed on its page."""
    for lang in models.LANGS:
        text = dict.get(strings[lang], "months")  # (a missing one is told where the pages need it)
        if text is None:
            continue
        pieces = text.split(",") if isinstance(text, str) else []
        named = sum(1 for piece in pieces if piece.strip())
        if len(pieces) != MONTHS or named != MONTHS:
            given = f"{named} name{'s' if named != 1 else ''}" if isinstance(text, str) else "plural forms"
            problems.error(located.file, *located.where(("months", lang)),
                           f"string 'months' in '{lang}': the names of the {MONTHS} months, January first, separated "
                           f"by commas (it gives {given})")


def placeholder_problems(key: str, value: dict, located, problems: Problems) -> bool:
    """An error for a text of a string whose brace is not closed or whose placeholder has a
    conversion or format ({version!r}, {version:d}: plurals.formatted_placeholder), or one for a
    string whose two languages name different placeholders ({version} in one, {versio} in the
    other: the page would fail to fill one in); whether there was one. (Counted strings:
    plurals.form_problem.)"""
    texts = {lang: value[lang] for lang in models.LANGS if isinstance(value[lang], str)}
    found = {lang: placeholders(text) for lang, text in texts.items()}
    for lang in (lang for lang, names in found.items() if names is None):
        problems.error(located.file, *located.where((key, lang)),
                       f"string '{key}' in '{lang}': a brace is not closed (write a brace itself as {{{{ or }}}})")
    if None in found.values():
        return True
    formatted = {lang: plurals.formatted_placeholder(text) for lang, text in texts.items()}
    for lang, (name, written) in ((lang, found) for lang, found in formatted.items() if found):
        problems.error(located.file, *located.where((key, lang)),
                       f"string '{key}' in '{lang}': write the placeholder as {{{name}}}, without a conversion or "
                       f"format ('{written}')")
    if any(formatted.values()):
        return True
    if len(found) == 2 and found["ar"] != found["en"]:
        shown = {lang: ", ".join("{" + name + "}" for name in sorted(names)) or "none" for lang, names in found.items()}
        problems.error(located.file, *located.where((key,), key=True),
                       f"string '{key}': ar has the placeholders {shown['ar']} and en {shown['en']}; both languages "
                       "take the same")
        return True
    return False


def placeholders(text: str) -> frozenset[str] | None:
    """The {name}s of an interface string, or None if a brace is not closed."""
    try:
        return frozenset(field for _text, field, _spec, _conv in string.Formatter().parse(text) if field is not None)
    except ValueError:
        return None


def misused(string, why: str) -> BuildFailed:
    """The error for an interface string (a Text or a Counted) that the pages use otherwise than it
    is written, at its line."""
    problems = Problems(root=string.root)
    problems.error(string.path, *string.where, f"string '{string.name}': {why}")
    return BuildFailed(problems)


def counted(forms, number: int, lang: str) -> str:
    """A counted string's form for ``number`` in ``lang`` (plurals.phrase), as the templates'
    ``|counted`` filter gives it. A string written as one text where a page counts with it is an
    error at its line, not a TypeError at the template's."""
    if isinstance(forms, Text):
        raise misused(forms, "the pages count with it: give a form for each plural category of each language, "
                             "such as en: {one: \"{n} paragraph\", other: \"{n} paragraphs\"}")
    return plurals.phrase(forms, number, lang)


class Counted(dict):
    """A counted string's plural forms, knowing where they are written: used as one text, by a
    template ({{ t.x }}) or by the engine (a .format(…) of it), they are an error at their line, not
    the Python text of a mapping on the page, or a crash."""

    def __init__(self, forms: dict, name: str, path: Path, root: Path, where: tuple[int, int]):
        super().__init__(forms)
        self.name, self.path, self.root, self.where = name, path, root, where

    def __reduce__(self):  # crosses to a worker process whole
        return (Counted, (dict(self), self.name, self.path, self.root, self.where))

    def as_text(self, *args, **kwargs):
        raise misused(self, "it has plural forms, but the pages show it as one text: write one text in each "
                            "language, {ar: \"…\", en: \"…\"}")

    __str__ = __html__ = format = as_text


class Text(str):
    """An interface string that knows where it is written: filled in with a {name} the page does not
    give (a slip made alike in both languages), it is an error at its line, not a crash."""

    def __new__(cls, text: str, name: str, path: Path, root: Path, where: tuple[int, int]):
        made = super().__new__(cls, text)
        made.name, made.path, made.root, made.where = name, path, root, where
        return made

    def __reduce__(self):  # crosses to a worker process whole
        return (Text, (str(self), self.name, self.path, self.root, self.where))

    def format(self, *args, **kwargs) -> str:
        try:
            return super().format(*args, **kwargs)
        except (KeyError, IndexError, ValueError, AttributeError) as exc:
            problems = Problems(root=self.root)
            unknown = "{" + str(exc.args[0]) + "}" if isinstance(exc, KeyError) else "a placeholder"
            offered = ", ".join("{" + name + "}" for name in kwargs) or "none"
            problems.error(self.path, *self.where, f"string '{self.name}': {unknown} is not one the pages fill in "
                                                   f"(they give {offered})")
            raise BuildFailed(problems) from None


def visible(paths) -> list[Path]:
    """Sorted, without hidden files (editor lock files such as .#mosul.yaml)."""
    return sorted(p for p in paths if not p.name.startswith("."))


def discover_reports(project: Project, order: list[str] = (), problems: Problems | None = None) -> list[Path]:
    """The report folders in the edition's order: those ``order`` names (config.yaml's report_order)
    first, as it names them, then the others by name. A folder of reports that cannot be read is an
    error (in ``problems``; without them, raised)."""
    folder = project.content / "reports"
    found = Problems(root=project.root) if problems is None else problems
    entries = folder_entries(folder, found)  # an entry tells whether it is a folder without a system call
    if problems is None and found.errors:
        raise BuildFailed(found)
    names = [entry.name for entry in entries if not entry.name.startswith(".") and _folder(entry)]
    for entry in entries:  # a report written as one file would be passed over without a word
        if entry.name.lower().endswith(".md") and not entry.name.startswith(".") and not _folder(entry):
            found.error(folder / entry.name, 1, 1, f"not read: a report is a folder content/reports/<name>/ holding "
                                                   f"ar.md and en.md (move it to content/reports/{entry.name[:-3]}/)")
    rank = {name: position for position, name in enumerate(order)}
    return [folder / name for name in sorted(names, key=lambda name: (rank.get(name, len(rank)), name))]


# The folders of a language's site that the edition makes itself (urls.Urls): a prose page of the
# same name would replace or mix with them
BUILT_IN_PAGES = {"reports": "reports", "entities": "index of entities", "meetings": "meetings",
                  "notes": "editorial notes", "witnesses": "witnesses", "collations": "collations",
                  "chronology": "chronology", "data": "data page", "search": "search page"}


# The prose pages that every page of the site links to (templates/base.html: the navigation and the
# footer): without one of them every page would carry a broken link
LINKED_PAGES = ("about", "principles")


def discover_pages(project: Project, problems: Problems) -> dict[str, dict[str, Path]]:
    pages: dict[str, dict[str, Path]] = {}
    for path in visible(listed(project.content / "pages", problems, "*.md")):
        name, _, lang = path.stem.rpartition(".")
        if lang not in models.LANGS or not name:
            problems.error(path, 1, 1, "a page file is named <name>.ar.md or <name>.en.md")
            continue
        if not SLUG.fullmatch(name):
            problems.error(path, 1, 1, f"page name '{name}': lower-case letters, digits and single hyphens only "
                                       "(it is the page's address)")
            continue
        if name in BUILT_IN_PAGES:
            problems.error(path, 1, 1, f"page name '{name}' is the address of the edition's own "
                                       f"{BUILT_IN_PAGES[name]}; name the page otherwise")
            continue
        pages.setdefault(name, {})[lang] = path
    for name, paths in pages.items():
        for lang in models.LANGS:
            if lang not in paths:
                other = next(iter(paths.values()))
                problems.error(other, 1, 1, f"page '{name}' has no {lang} version ({name}.{lang}.md)")
    for name in LINKED_PAGES:
        if name not in pages:
            problems.error(project.content / "pages" / f"{name}.en.md", 1, 1,
                           f"page '{name}' is missing: every page of the site links to it (write {name}.ar.md "
                           f"and {name}.en.md in content/pages/)")
    return pages


def _folder(entry: os.DirEntry) -> bool:
    """Whether a report folder's entry is a folder; one that cannot be told is taken for one, so
    that reading it says why (content.load_report)."""
    try:
        return entry.is_dir()
    except OSError:
        return True


NOISE_NAMES = {"4913", "__pycache__"}  # 4913: the file vim creates to test a folder is writable
NOISE_ENDINGS = ("~", ".swp", ".swo", ".swn", ".swx", ".pyc", ".pyo", "___jb_tmp___", "___jb_old___")


def is_noise(name: str) -> bool:
    """Whether a file or folder is an editor's or a tool's, not a source: hidden, a swap file, a
    backup, an autosave (#mosul.yaml#), a lock file, a cache (never published, and the live preview
    does not watch it)."""
    return (name in NOISE_NAMES or name.startswith(".") or (name.startswith("#") and name.endswith("#"))
            or name.endswith(NOISE_ENDINGS))


def never_read(parts: tuple[str, ...]) -> bool:
    """Whether the build passes over a path of the project (its parts, relative to the project's
    folder), so that the live preview need not rebuild when it changes: a hidden one, or one that
    is or lies in an editor's or a tool's file or folder (is_noise). The folders of
    content/reports/ are the exception: the build reads each, and what it holds, whatever its name
    unless hidden (a report named 4913 is a report; a folder x~ is an error: discover_reports)."""
    if any(part.startswith(".") for part in parts):
        return True
    judged = parts[3:] if parts[:2] == ("content", "reports") else parts
    return any(map(is_noise, judged))


def static_files(project: Project, problems: Problems) -> dict[str, bytes]:
    """templates/static/'s files by their path there (the site has them as assets: urls.Urls.asset;
    a link out of the project is an error of load_sources, and never copied), but editors' files
    (``is_noise``: style.css~, .style.css.swp). Read with the other sources: one that cannot be
    read is an error among theirs (a folder, check_tree's)."""
    files = {}
    if os.path.isdir(project.static):
        for path in sorted(project.static.rglob("*")):
            relative = path.relative_to(project.static)
            if path.is_file() and not any(map(is_noise, relative.parts)) and inside(path, project.root):
                try:
                    files[relative.as_posix()] = path.read_bytes()
                except OSError as exc:
                    cannot_read(path, exc, problems)
    return files


def lunr_js(project: Project, problems: Problems) -> bytes:
    """lunr.js comes from the npm package at install time; it is never committed."""
    path = project.root / "node_modules" / "lunr" / "lunr.min.js"
    if not os.path.isfile(path):
        problems.error(project.root / "package.json", 1, 1,
                       "lunr.js is not installed (node_modules/lunr/lunr.min.js missing): run `npm ci`")
        raise BuildFailed(problems)
    try:
        return path.read_bytes()
    except OSError as exc:
        cannot_read(path, exc, problems)
        raise BuildFailed(problems) from None
