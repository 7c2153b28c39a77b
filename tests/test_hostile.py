"""Hostile and broken input: each case is one exact line, the right exit status, no traceback,
nothing of a file outside the project printed, and the project (its previous site/ included)
exactly as it was. See "What the build refuses" in CONTRIBUTING.md."""
import hashlib
import os
import pickle
import re
import shutil
import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from conftest import FIXTURES

ROOT = Path(__file__).resolve().parent.parent
SECRET = "SECRET-7f3a-not-for-publication"  # in every file outside the project that a case links to
LINK_OUT = ("symbolic link to a place outside the project; the build reads only files inside it "
            "(replace the link with the file itself)")
LINK_GIT = ("symbolic link into the project's .git/ folder, which holds git's own files (in CI, the checkout's "
            "credentials) and no source (replace the link with the file itself)")
ANN = "content/annotations/"
AR = "content/reports/sample/ar.md"
PAGE = "content/pages/principles.en.md"


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    """The small fixture project with the real templates, built once: its site/ is the previous
    site every case must leave untouched."""
    project = tmp_path_factory.mktemp("pristine") / "mini"
    shutil.copytree(FIXTURES / "mini", project)
    shutil.copytree(ROOT / "templates", project / "templates")
    (project / "node_modules").symlink_to(ROOT / "node_modules")
    subprocess.run([sys.executable, str(ROOT / "build.py"), "--project", str(project)], check=True,
                   capture_output=True, timeout=120)
    return project


def snapshot(project: Path) -> dict[str, str]:
    """Every file and link of the project (site/ included), by content; links by their target."""
    seen = {}
    for folder, folders, files in os.walk(project):
        for name in folders + files:
            path = Path(folder) / name
            relative = path.relative_to(project).as_posix()
            if path.is_symlink():
                seen[relative] = "-> " + os.readlink(path)
            elif path.is_file():
                seen[relative] = hashlib.sha1(path.read_bytes()).hexdigest()
            elif not path.is_dir():
                seen[relative] = "special"
        folders[:] = [f for f in folders if not (Path(folder) / f).is_symlink()]
    return seen


# ------------------------------------------------------------------ how a case breaks the project

def edit(relative: str, old: str, new: str) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        path = project / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"fixture text {old!r} not in {relative}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return apply


def on_two_workers(change: Callable[[Path], None]) -> Callable[[Path], None]:
    """``change``, in the fixture with a second report: a full build of two reports reads them on
    two workers while the parent compiles every template (workers.py)."""
    def apply(project: Path) -> None:
        reports, witnesses = project / "content/reports", project / "content/witnesses"
        shutil.copytree(reports / "sample", reports / "sample-two")
        shutil.copy(witnesses / "sample.txt", witnesses / "sample-two.txt")
        edit("content/reports/sample-two/ar.md", "seed: sample.txt", "seed: sample-two.txt")(project)
        change(project)
    return apply


def write(relative: str, data: bytes | str) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        path = project / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return apply


def replace_bytes(relative: str, old: bytes, new: bytes) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        path = project / relative
        data = path.read_bytes()
        assert old in data
        path.write_bytes(data.replace(old, new, 1))
    return apply


def link_out(relative: str, folder: bool = False) -> Callable[[Path], None]:
    """Replace (or add) ``relative`` by a link to a file or folder outside the project holding SECRET."""
    def apply(project: Path) -> None:
        outside = project.parent / "outside" / relative
        if folder:
            for name in ("ar.md", "en.md"):
                (outside / name).parent.mkdir(parents=True, exist_ok=True)
                (outside / name).write_text(f"---\nseed: {SECRET}\n---\n{{#p1}}\n{SECRET}\n", encoding="utf-8")
        else:
            outside.parent.mkdir(parents=True, exist_ok=True)
            outside.write_text(f"{SECRET}: [\n", encoding="utf-8")
        path = project / relative
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        path.unlink(missing_ok=True)
        path.symlink_to(outside)
    return apply


def fifo(relative: str) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        (project / relative).unlink()
        os.mkfifo(project / relative)
    return apply


def line_ends(relative: str, ending: bytes) -> Callable[[Path], None]:
    """Save ``relative`` with ``ending`` at the end of each line (b"\\r": old Mac files)."""
    def apply(project: Path) -> None:
        path = project / relative
        path.write_bytes(path.read_bytes().replace(b"\n", ending))
    return apply


def folder_for(relative: str) -> Callable[[Path], None]:
    """Replace the file ``relative`` by a folder of that name."""
    def apply(project: Path) -> None:
        (project / relative).unlink()
        (project / relative).mkdir()
    return apply


def track(relative: str) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        write(relative, "notes\n")(project)
        subprocess.run(["git", "init", "-q", str(project)], check=True)
        subprocess.run(["git", "-C", str(project), "add", relative], check=True)
    return apply


def content_moved_and_linked(project: Path) -> None:
    """content/ kept in another folder of the project, content a link to it (the build reads it: it
    lies inside the project)."""
    (project / "sources").mkdir()
    (project / "content").rename(project / "sources/content")
    (project / "content").symlink_to(Path("sources/content"))


def link_into_git(relative: str) -> Callable[[Path], None]:
    """Make the project a git work tree whose config holds SECRET (as CI's checkout holds its
    credentials there), and put at ``relative`` a link to that config."""
    def apply(project: Path) -> None:
        subprocess.run(["git", "init", "-q", str(project)], check=True)
        subprocess.run(["git", "-C", str(project), "config", "http.extraheader", f"AUTHORIZATION: basic {SECRET}"],
                       check=True)
        path = project / relative
        path.unlink(missing_ok=True)
        path.symlink_to(os.path.relpath(project / ".git/config", path.parent))
    return apply


def nothing(project: Path) -> None:
    pass


def both(*steps):
    def apply(project: Path) -> None:
        for step in steps:
            step(project)
    return apply


def nested_yaml(depth: int) -> str:
    return "id: mosul\nkind: place\nname: " + "[" * depth + "x" + "]" * depth + "\n"


ALIAS_BOMB = "id: mosul\nlol: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"l{n}: &{chr(98 + n)} [{', '.join(['*' + chr(97 + n)] * 9)}]\n" for n in range(9))


@dataclass
class Case:
    setup: Callable[[Path], None]
    expected: str  # the exact line printed
    status: int = 1
    args: tuple[str, ...] = ()


STRICT = ("--check", "--strict")

CASES = {
    # 1. the output folder
    "out is content/": Case(nothing, "build.py: error: --out 'content' is or lies in the project's content/ folder; "
                                     "choose a folder of its own, such as site/", 2, ("--out", "content")),
    "out in templates/": Case(nothing, "build.py: error: --out 'templates/static' is or lies in the project's "
                                       "templates/ folder; choose a folder of its own, such as site/", 2,
                              ("--out", "templates/static")),
    "out in .git": Case(nothing, "build.py: error: --out '.git/site' is or lies in the project's .git/ folder; "
                                 "choose a folder of its own, such as site/", 2, ("--out", ".git/site")),
    "out is the project": Case(nothing, "build.py: error: --out '.' is the project folder or holds it; the build "
                                        "replaces its output folder whole", 2, ("--out", ".")),
    "out above the project": Case(nothing, "build.py: error: --out '..' is the project folder or holds it; the "
                                           "build replaces its output folder whole", 2, ("--out", "..")),
    "out is a file": Case(nothing, "build.py: error: --out 'config.yaml' is a file, not a folder", 2,
                          ("--out", "config.yaml")),
    "out in content/ that is a link": Case(content_moved_and_linked, "build.py: error: --out 'content/site' is or lies "
                                           "in the project's content/ folder; choose a folder of its own, such as "
                                           "site/", 2, ("--out", "content/site")),
    "out in the folder content/ links to": Case(content_moved_and_linked, "build.py: error: --out 'sources/content/site' "
                                                "is or lies in the project's content/ folder; choose a folder of its "
                                                "own, such as site/", 2, ("--out", "sources/content/site")),
    "dist in content/ that is a link": Case(content_moved_and_linked, "build.py: error: --dist 'content/dist' is or lies "
                                            "in the project's content/ folder; write releases into a folder of their "
                                            "own, such as dist/", 2, ("--release", "--dist", "content/dist")),
    "out holds a tracked file": Case(track("notes/todo.txt"), "build.py: error: --out 'notes' holds files tracked by "
                                     "git; choose a folder of its own, such as site/", 2, ("--out", "notes")),
    "out not made by the build": Case(write("drafts/todo.txt", "x"), "build.py: error: --out 'drafts' is a folder "
                                      "the build did not make (no .edition-site in it) and is not empty; the build "
                                      "replaces its output folder whole: empty it or choose another", 2,
                                      ("--out", "drafts")),
    # 2. links out of the project
    "static asset linked out": Case(link_out("templates/static/leak.txt"),
                                    f"templates/static/leak.txt:1:1: error: {LINK_OUT}"),
    "annotation linked out": Case(link_out(ANN + "leak.yaml"), f"{ANN}leak.yaml:1:1: error: {LINK_OUT}"),
    "report folder linked out": Case(link_out("content/reports/leak", folder=True),
                                     f"content/reports/leak:1:1: error: {LINK_OUT}"),
    "template linked out": Case(link_out("templates/_head.html"), f"templates/_head.html:1:1: error: {LINK_OUT}"),
    "config linked out": Case(link_out("config.yaml"), f"config.yaml:1:1: error: {LINK_OUT}"),
    "strings linked out": Case(link_out("templates/strings.yaml"), f"templates/strings.yaml:1:1: error: {LINK_OUT}"),
    "page linked out": Case(link_out("content/pages/principles.en.md"),
                            f"content/pages/principles.en.md:1:1: error: {LINK_OUT}"),
    "static asset linked into .git": Case(link_into_git("templates/static/leak.txt"),
                                          f"templates/static/leak.txt:1:1: error: {LINK_GIT}"),
    "annotation linked into .git": Case(link_into_git(ANN + "leak.yaml"), f"{ANN}leak.yaml:1:1: error: {LINK_GIT}"),
    # 3. unreadable text
    "invalid UTF-8 in an annotation": Case(replace_bytes(ANN + "mosul.yaml", b"A city", b"A \xffcity"),
                                           f"{ANN}mosul.yaml:4:42: error: invalid UTF-8: byte 0xff cannot be read as "
                                           "text; save the file as UTF-8"),
    "invalid UTF-8 in a report": Case(replace_bytes(AR, "للتحالف".encode(), b"\xd8"),
                                      f"{AR}:36:84: error: invalid UTF-8: byte 0xd8 cannot be read as text; save "
                                      "the file as UTF-8"),
    "invalid UTF-8 in config.yaml": Case(replace_bytes("config.yaml", b"base_url: /", b"base_url: /\xc3("),
                                         "config.yaml:9:12: error: invalid UTF-8: byte 0xc3 cannot be read as text; "
                                         "save the file as UTF-8"),
    "a named pipe for an annotation": Case(fifo(ANN + "raqqa.yaml"), f"{ANN}raqqa.yaml:1:1: error: not a regular "
                                           "file; a source must be a plain text file"),
    "a folder named like an annotation": Case(write(ANN + "extra.yaml/x", "x"), f"{ANN}extra.yaml:1:1: error: "
                                              "cannot read the file: Is a directory"),
    "a folder named like a report's en.md": Case(folder_for("content/reports/sample/en.md"),
                                                 "content/reports/sample/en.md:1:1: error: cannot read the file: Is a "
                                                 "directory"),
    "a folder named like a witness": Case(folder_for("content/witnesses/sample.txt"),
                                          "content/witnesses/sample.txt:1:1: error: cannot read the file: Is a directory"),
    # config.yaml and the strings are read once, by name: a folder there is not a missing file
    "a folder named like config.yaml": Case(folder_for("config.yaml"),
                                            "config.yaml:1:1: error: cannot read the file: Is a directory"),
    "a folder named like the strings": Case(folder_for("templates/strings.yaml"),
                                            "templates/strings.yaml:1:1: error: cannot read the file: Is a directory"),
    "a named pipe for config.yaml": Case(fifo("config.yaml"), "config.yaml:1:1: error: not a regular file; a source must be a plain text file"),
    "a file name with a line break": Case(write(ANN + "x\ny.yaml", "id: x\n"),
                                          f"{ANN}x\\ny.yaml:1:1: error: missing required field 'kind' (one of "
                                          "resolution, document, working-group, person, organization, place, event, "
                                          "meeting)"),
    "YAML with old Mac line endings and a slip": Case(write(ANN + "mosul.yaml", "id: mosul\rkind: place\rrelated: [raqqa\r"),
                                                      f"{ANN}mosul.yaml:1:10: error: its lines end in a carriage return "
                                                      "(U+000D) alone, as old Mac files do: save it with LF (or CRLF) "
                                                      "line endings"),
    "report with old Mac line endings": Case(line_ends(AR, b"\r"), f"{AR}:1:4: error: its lines end in a carriage "
                                             "return (U+000D) alone, as old Mac files do: save it with LF (or CRLF) "
                                             "line endings"),
    "carriage return inside a line of a report": Case(replace_bytes(AR, "للتحالف".encode(), "لل\rتحالف".encode()),
                                                      f"{AR}:36:86: error: carriage return (U+000D) without a line feed "
                                                      "inside a line: delete it"),
    "oversized source": Case(write(ANN + "huge.yaml", "# " + "x" * (2 * 1024 * 1024) + "\n"),
                             f"{ANN}huge.yaml:1:1: error: file is 2,097,155 bytes; a source file may have at most "
                             "2,097,152 bytes (split it)"),
    "YAML nested 600 deep": Case(write(ANN + "mosul.yaml", nested_yaml(600)),
                                 f"{ANN}mosul.yaml:3:27: error: YAML nested more than 20 levels deep"),
    "YAML nested 100,000 deep": Case(write(ANN + "mosul.yaml", nested_yaml(100_000)),  # the C parser's stack: a crash
                                     f"{ANN}mosul.yaml:3:27: error: YAML nested more than 20 levels deep"),
    "YAML list nested 60,000 deep on one line": Case(write(ANN + "mosul.yaml", "- " * 60_000 + "x\n"),
                                                     f"{ANN}mosul.yaml:1:43: error: YAML nested more than 20 levels deep"),
    "YAML alias bomb": Case(write(ANN + "mosul.yaml", ALIAS_BOMB),
                            f"{ANN}mosul.yaml:2:6: error: YAML anchors and aliases ('&a') are not supported; write "
                            "the value out, and quote text that starts with & or * (90 more in this file)"),
    "YAML alias": Case(edit(ANN + "mosul.yaml", "country: {ar: العراق, en: Iraq}", "country: &c {ar: العراق, en: Iraq}\nx: *c"),
                       f"{ANN}mosul.yaml:5:10: error: YAML anchors and aliases ('&c') are not supported; write "
                       "the value out, and quote text that starts with & or * (1 more in this file)"),
    "unclosed YAML bracket": Case(edit(ANN + "mosul.yaml", "related: [raqqa]", "related: [raqqa"),
                                  f"{ANN}mosul.yaml:7:8: error: invalid YAML: did not find expected ',' or ']'; "
                                  "the '[' opened on line 6, column 10 is not closed"),
    "template syntax error": Case(edit("templates/report.html", "{% block", "{% if %}{% block"),
                                  "templates/report.html:3:1: error: TemplateSyntaxError: Expected an expression, got "
                                  "'end of statement block'"),
    "template syntax error, two workers": Case(on_two_workers(edit("templates/report.html", "{% block", "{% if %}{% block")),
                                               "templates/report.html:3:1: error: TemplateSyntaxError: Expected an "
                                               "expression, got 'end of statement block'"),
    "entity template syntax error, two workers": Case(
        on_two_workers(edit("templates/entity.html", "{% block", "{% if %}{% block")),
        "templates/entity.html:2:1: error: TemplateSyntaxError: Expected an expression, got 'end of statement block'"),
    "template undefined variable": Case(edit("templates/_head.html", "<meta", "{{ no_such_thing }}<meta"),
                                        "templates/_head.html:2:1: error: UndefinedError: 'no_such_thing' is "
                                        "undefined"),
    "template type error": Case(edit("templates/_head.html", "<meta", "{{ 1 + 'a' }}<meta"),
                                "templates/_head.html:2:1: error: TypeError: unsupported operand type(s) for +: "
                                "'int' and 'str'"),
    "unclosed quote in a span": Case(edit(AR, 'type="misprint"', 'type="misprint'),
                                     f"{AR}:36:72: error: unclosed quote: the value that starts here has no "
                                     "closing '\"'"),
    "backslash before a span value's closing quote": Case(edit(AR, 'type="misprint"', 'type="misprint\\"'),
                                                         f"{AR}:36:81: error: a backslash just before the closing quote "
                                                         "makes the quote part of the value, which is then not closed: "
                                                         "a value cannot end in '\\'"),
    "space before a span's brace": Case(edit(AR, "[الخاصعة]{", "[الخاصعة] {"),
                                        f"{AR}:36:51: error: space between ']' and '{{': write [text]{{corr=\"…\"}} "
                                        "with nothing between"),
    "span bracket not closed": Case(edit(AR, "[الخاصعة]{", "[الخاصعة{"),
                                    f"{AR}:36:42: error: '[' is not closed by ']' (write a literal bracket as \\[)"),
    "stray closing bracket": Case(edit(AR, "للتحالف تعمل", "للتحالف] تعمل"),
                                  f"{AR}:36:91: error: ']' closes no '[' (write a literal bracket as \\])"),
    "unquoted span value": Case(edit(AR, 'corr="الخاضعة"', "corr=الخاضعة"),
                                f"{AR}:36:52: error: malformed attribute: write key=\"value\" (corr=\"…\" or ref=\"…\")"),
    "span brace not closed": Case(edit(AR, 'type="misprint"}', 'type="misprint"'),
                                  f"{AR}:36:51: error: '{{' is not closed by '}}'"),
    # 4. addresses and names
    "base_url with a backslash": Case(edit("config.yaml", "base_url: /", "base_url: /\\evil.example/"),
                                      "config.yaml:9:11: error: base_url: must be a path that starts with one '/' "
                                      "(such as /edition/), or an http:// or https:// address"),
    "base_url javascript:": Case(edit("config.yaml", "base_url: /", "base_url: 'javascript:alert(1)//'"),
                                 "config.yaml:9:11: error: base_url: must be a path that starts with one '/' "
                                 "(such as /edition/), or an http:// or https:// address"),
    "base_url with a look-alike host": Case(edit("config.yaml", "base_url: /", "base_url: https://www.un.\u043erg/"),
                                            "config.yaml:9:11: error: base_url: host 'www.un.\u043erg' (not ASCII: "
                                            "U+043E CYRILLIC SMALL LETTER O): a letter of another script may look like a "
                                            "Latin one and lead to another site; write the host in ASCII, an "
                                            "internationalized name in its punycode form (xn--…)"),
    "base_url without a trailing slash": Case(edit("config.yaml", "base_url: /", "base_url: /edition"),
                                              "config.yaml:9:11: error: base_url: must end with '/' (/edition/)"),
    "--base-url with a backslash": Case(nothing, "build.py: error: --base-url '/\\evil.example/' must be a path "
                                        "that starts with one '/' (such as /edition/), or an http:// or https:// "
                                        "address", 2, ("--base-url", "/\\evil.example/")),
    "--base-url with a password": Case(nothing, "build.py: error: --base-url 'https://me:pw@example.org/' must not "
                                       "contain a user name or password", 2,
                                       ("--base-url", "https://me:pw@example.org/")),
    "source URL with a password": Case(edit(ANN + "mosul.yaml", "  - citation: A gazetteer.",
                                            "  - citation: A gazetteer.\n    url: https://me:pw@example.org/x"),
                                       f"{ANN}mosul.yaml:9:10: error: sources.0.url: must not contain a user name or "
                                       "password"),
    "source URL with a look-alike host": Case(edit(ANN + "mosul.yaml", "  - citation: A gazetteer.",
                                                   "  - citation: A gazetteer.\n    url: https://www.un.\u043erg/x"),
                                              f"{ANN}mosul.yaml:9:10: error: sources.0.url: host 'www.un.\u043erg' (not "
                                              "ASCII: U+043E CYRILLIC SMALL LETTER O): a letter of another script may "
                                              "look like a Latin one and lead to another site; write the host in ASCII, "
                                              "an internationalized name in its punycode form (xn--…)"),
    "page link with a fullwidth host": Case(edit(PAGE, "The *page* text.", "The <https://\uff45xample.org/> text."),
                                            f"{PAGE}:4:6: error: link 'https://\uff45xample.org/': host "
                                            "'\uff45xample.org' (not ASCII: U+FF45 FULLWIDTH LATIN SMALL LETTER E): a "
                                            "letter of another script may look like a Latin one and lead to another "
                                            "site; write the host in ASCII, an internationalized name in its punycode "
                                            "form (xn--…)"),
    "source URL with a port that is none": Case(edit(ANN + "mosul.yaml", "  - citation: A gazetteer.",
                                                     "  - citation: A gazetteer.\n    url: https://example.org:99999/x"),
                                                f"{ANN}mosul.yaml:9:10: error: sources.0.url: port '99999' is not a port "
                                                "(0 to 65535)"),
    "page link javascript:": Case(edit(PAGE, "The *page* text.", "The *page* [text](javascript:alert(1))."),
                                  f"{PAGE}:4:19: error: link 'javascript:alert(1)': must be an http:// or https:// "
                                  "URL, a mailto: address or a path of the site"),
    "page link without a scheme": Case(edit(PAGE, "The *page* text.", "The *page* [text](//evil.example/x)."),
                                       f"{PAGE}:4:19: error: link '//evil.example/x': leads to another site without "
                                       "saying how (// or \\): write the address whole, https://…"),
    "page link with a password": Case(edit(PAGE, "The *page* text.", "The <https://me:pw@evil.example/> text."),
                                      f"{PAGE}:4:6: error: link 'https://me:pw@evil.example/': must not contain a "
                                      "user name or password"),
    "page link with a space": Case(edit(PAGE, "The *page* text.", "The [page](<https://evil example/>) text."),
                                   f"{PAGE}:4:13: error: link 'https://evil example/': an address cannot hold a "
                                   "space, a line break or a control character (write a space as %20)"),
    "page image from elsewhere": Case(edit(PAGE, "The *page* text.", "The ![page](https://evil.example/p.gif) text."),
                                      f"{PAGE}:4:13: error: image 'https://evil.example/p.gif': an image must be a "
                                      "file of the site: the pages load nothing from elsewhere"),
    "page link to no page": Case(edit(PAGE, "The *page* text.", "The *page* [text](/en/nowhere/)."),
                                 f"{PAGE}:4:19: error: broken link: '/en/nowhere/' (no en/nowhere/index.html in the site)"),
    "page link to a missing anchor": Case(edit(PAGE, "The *page* text.", "The *page* [text](../about/#nope)."),
                                          f"{PAGE}:4:19: error: broken anchor: '../about/#nope' (no id 'nope' in "
                                          "en/about/index.html)"),
    "page link above the site": Case(edit(PAGE, "The *page* text.", "The *page* [text](../../../x/)."),
                                     f"{PAGE}:4:19: error: link outside the site: '../../../x/'"),
    "page image not in the site": Case(edit(PAGE, "The *page* text.", "The ![page](/assets/none.png) text."),
                                       f"{PAGE}:4:13: error: broken link: '/assets/none.png' (no assets/none.png in "
                                       "the site)"),
    "page link to .env": Case(edit(PAGE, "The *page* text.", "The *page* [text](../../.env)."),
                              f"{PAGE}:4:19: error: link '../../.env': leads to a hidden file or folder ('.env'): "
                              "the site publishes none; link to a page of the site"),
    "page link into .github/": Case(edit(PAGE, "The *page* text.", "The *page* [text](/.github/workflows/x.yml)."),
                                    f"{PAGE}:4:19: error: link '/.github/workflows/x.yml': leads to a hidden file or "
                                    "folder ('.github'): the site publishes none; link to a page of the site"),
    "page link to the build's marker": Case(edit(PAGE, "The *page* text.", "The *page* [text](/.edition-site)."),
                                            f"{PAGE}:4:19: error: link '/.edition-site': leads to a hidden file or "
                                            "folder ('.edition-site'): the site publishes none; link to a page of the "
                                            "site"),
    "page image in a hidden folder, escaped": Case(edit(PAGE, "The *page* text.", "The ![x](/assets/%2Egit/p.png) text."),
                                                   f"{PAGE}:4:10: error: image '/assets/%2Egit/p.png': leads to a hidden "
                                                   "file or folder ('.git'): the site publishes none; link to a page of "
                                                   "the site"),
    "page link to no page, checked": Case(edit(PAGE, "The *page* text.", "The *page* [text](/en/nowhere/)."),
                                          f"{PAGE}:4:19: error: broken link: '/en/nowhere/' (no en/nowhere/index.html "
                                          "in the site)", args=("--check",)),
    "report folder with a space": Case(lambda p: shutil.copytree(p / "content/reports/sample", p / "content/reports/my report"),
                                       "content/reports/my report:1:1: error: report folder name 'my report' is not a "
                                       "slug: use lower-case letters, digits and single hyphens (it becomes the "
                                       "report's address)"),
    "report folder with #": Case(lambda p: shutil.copytree(p / "content/reports/sample", p / "content/reports/a#b"),
                                 "content/reports/a#b:1:1: error: report folder name 'a#b' is not a slug: use "
                                 "lower-case letters, digits and single hyphens (it becomes the report's address)"),
    "report folder with ?": Case(lambda p: shutil.copytree(p / "content/reports/sample", p / "content/reports/x?..y"),
                                 "content/reports/x?..y:1:1: error: report folder name 'x?..y' is not a slug: use "
                                 "lower-case letters, digits and single hyphens (it becomes the report's address)"),
    "version that is a path": Case(edit("config.yaml", "base_url: /", 'base_url: /\nversion: "1.0/../../x"'),
                                   "config.yaml:10:10: error: version: '1.0/../../x' does not have the expected "
                                   "form: the edition's version, e.g. 1.0 (letters, digits, '.', '+' and '-': it "
                                   "names the release archive)"),
    "witness named by dots": Case(edit(AR, "seed: sample.txt", 'seed: "...txt"'),
                                  f"{AR}:2:7: error: seed: '...txt' does not have the expected form: the "
                                  "witness's file name in content/witnesses/, e.g. 000_907d811416d42409.txt"),
    # 5. invisible characters (errors under --check --strict)
    "YAML escape making a control character": Case(edit(ANN + "mosul.yaml", "en: Iraq}", 'en: "Ir\\x01aq"}'),
                                                   f"{ANN}mosul.yaml:5:27: error: an escape in this string makes "
                                                   "the control character U+0001, which a page cannot carry; delete it"),
    "noncharacter of a supplementary plane in a gloss": Case(edit(ANN + "mosul.yaml", "A city in", "A \U0010ffffcity in"),
                                                             f"{ANN}mosul.yaml:4:42: error: control character U+10FFFF: "
                                                             "a text cannot carry it (HTML and XML forbid it); delete it"),
    "YAML escape making a bidi override": Case(edit(ANN + "mosul.yaml", "en: Iraq}", 'en: "Ir\\u202Eaq"}'),
                                               f"{ANN}mosul.yaml:5:27: error: an escape in this string makes the "
                                               "invisible format character U+202E RIGHT-TO-LEFT OVERRIDE: delete it, "
                                               "or state why the edition needs it under format_characters in "
                                               "config.yaml (--strict)", 1, STRICT),
    "bidi override in a gloss": Case(edit(ANN + "mosul.yaml", "A city in", "A \u202ecity in"),
                                     f"{ANN}mosul.yaml:4:42: error: bidirectional control U+202E RIGHT-TO-LEFT "
                                     "OVERRIDE: delete it, or state why the edition needs it under format_characters "
                                     "in config.yaml (--strict)", 1, STRICT),
    "bidi isolate in a report": Case(edit(AR, "للتحالف", "\u2067للتحالف"),
                                     f"{AR}:36:84: error: bidirectional control U+2067 RIGHT-TO-LEFT ISOLATE: delete "
                                     "it, or state why the edition needs it under format_characters in config.yaml "
                                     "(--strict)", 1, STRICT),
    "zero width space in config": Case(edit("config.yaml", "  en: The Coalition", "  en: The Coal\u200bition"),
                                       "config.yaml:4:15: error: invisible format character U+200B ZERO WIDTH SPACE: "
                                       "delete it, or state why the edition needs it under format_characters in "
                                       "config.yaml (--strict)", 1, STRICT),
}


def run_build(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--project", str(project), *args],
                          capture_output=True, text=True, timeout=60, cwd=project)


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_input(pristine, tmp_path, name):
    case = CASES[name]
    project = tmp_path / "mini"
    shutil.copytree(pristine, project, symlinks=True)
    case.setup(project)
    before = snapshot(project)
    result = run_build(project, *case.args)
    printed = result.stdout + result.stderr
    assert case.expected in printed.splitlines(), printed
    assert result.returncode == case.status, printed
    assert "Traceback" not in printed
    assert SECRET not in printed
    assert snapshot(project) == before  # sources and the previous site/ untouched, nothing left beside them
    assert {p.name for p in tmp_path.iterdir()} <= {"mini", "outside"}


# ------------------------------------------------------------------ what is accepted

def test_an_explained_format_character_is_accepted(pristine, tmp_path):
    project = tmp_path / "mini"
    shutil.copytree(pristine, project, symlinks=True)
    edit(AR, "للتحالف", "لل\u200cتحالف")(project)
    edit("content/witnesses/sample.txt", "للتحالف", "لل\u200cتحالف")(project)  # (as printed: the text keeps it)
    flagged = f"{AR}:36:86: warning: invisible format character U+200C ZERO WIDTH NON-JOINER: delete it, or state " \
              "why the edition needs it under format_characters in config.yaml"
    assert flagged in run_build(project, "--check").stdout.splitlines()
    edit("config.yaml", "base_url: /", "base_url: /\nformat_characters:\n  U+200C: keeps two letters apart as printed")(project)
    result = run_build(project, "--check")
    assert result.returncode == 0, result.stdout
    assert "U+200C" not in result.stdout and result.stdout.splitlines()[-1].startswith("check: 0 errors, 2 warnings;")


def test_a_folder_the_build_made_is_replaced_and_leftovers_of_killed_builds_removed(pristine, tmp_path):
    project = tmp_path / "mini"
    shutil.copytree(pristine, project, symlinks=True)
    out = tmp_path / "public"
    assert run_build(project, "--out", str(out)).returncode == 0
    assert (out / ".edition-site").is_file()
    dead = subprocess.Popen(["true"])  # a process that has ended: its pid names a killed build
    dead.wait()
    leftovers = [tmp_path / f".public-new-{dead.pid}-x1", tmp_path / f".public-old-{dead.pid}", tmp_path / ".public-new-abc"]
    for folder in leftovers:
        (folder / "en").mkdir(parents=True)
    alive = tmp_path / f".public-new-{os.getpid()}-y2"  # a build still running: not touched
    alive.mkdir()
    (out / "stale.html").write_text("old", encoding="utf-8")
    result = run_build(project, "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["mini", "public", alive.name])
    assert not (out / "stale.html").exists() and (out / "en/reports/sample/index.html").is_file()


def test_the_default_site_from_before_the_marker_is_still_replaced(pristine, tmp_path):
    project = tmp_path / "mini"
    shutil.copytree(pristine, project, symlinks=True)
    (project / "site/.edition-site").unlink(missing_ok=True)
    result = run_build(project)
    assert result.returncode == 0, result.stderr
    assert (project / "site/.edition-site").is_file()


def test_build_failed_crosses_from_a_worker_process_whole():
    from edition.problems import BuildFailed, Problems
    problems = Problems(root=ROOT)
    problems.error(ROOT / "templates/report.html", 3, 1, "TemplateSyntaxError: x")
    again = pickle.loads(pickle.dumps(BuildFailed(problems)))
    assert [str(p) for p in again.problems.errors] == ["templates/report.html:3:1: error: TemplateSyntaxError: x"]


def test_format_characters_are_every_character_of_category_cf():
    from edition.safety import FORMAT_CHARACTERS
    cf = [c for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]
    found = [c for c in range(sys.maxunicode + 1) if FORMAT_CHARACTERS.fullmatch(chr(c))]
    assert found == cf


def test_the_characters_no_text_can_carry_are_every_noncharacter_of_every_plane():
    """Only the Basic Multilingual Plane's were refused (U+FDD0 to U+FDEF, U+FFFE, U+FFFF): U+10FFFF
    and the other planes' last two reached the pages, which an HTML parser refuses as noncharacters."""
    from edition.safety import CONTROL_CHARACTERS
    noncharacters = [c for c in range(sys.maxunicode + 1) if 0xfdd0 <= c <= 0xfdef or c & 0xfffe == 0xfffe]
    assert len(noncharacters) == 66
    assert [c for c in noncharacters if not CONTROL_CHARACTERS.fullmatch(chr(c))] == []


def test_a_site_folder_that_is_a_link_is_refused_and_what_it_points_to_kept(pristine, tmp_path):
    """The build replaces its output folder whole: a site/ that is a link would have it replace
    the folder the link points to (a thesis, node_modules/)."""
    project = tmp_path / "mini"
    shutil.copytree(pristine, project, symlinks=True)
    elsewhere = tmp_path / "outside"
    elsewhere.mkdir()
    (elsewhere / "thesis.txt").write_text(SECRET, encoding="utf-8")
    (elsewhere / ".edition-site").write_bytes(b"")  # even a folder that looks like a build's
    shutil.rmtree(project / "site", ignore_errors=True)
    (project / "site").symlink_to(elsewhere)
    for args in ((), ("--out", str(project / "site"))):
        result = run_build(project, *args)
        assert result.returncode == 2, result.stdout + result.stderr
        assert "is a symbolic link; the build replaces its output folder whole" in result.stderr
        assert sorted(p.name for p in elsewhere.iterdir()) == [".edition-site", "thesis.txt"]
    assert run_build(project, "--out", str(elsewhere)).returncode == 0  # the folder itself, named: its marker says so


def test_compiled_templates_are_kept_only_in_the_projects_own_cache(pristine, tmp_path):
    """A .cache/ that is a link is neither read (its code would run) nor pruned (its files deleted)."""
    project = tmp_path / "mini"
    shutil.copytree(pristine, project, symlinks=True)
    elsewhere = tmp_path / "outside"
    (elsewhere / "templates").mkdir(parents=True)
    (elsewhere / "templates" / "notes.txt").write_text(SECRET, encoding="utf-8")
    shutil.rmtree(project / ".cache", ignore_errors=True)
    (project / ".cache").symlink_to(elsewhere)
    result = run_build(project)
    assert result.returncode == 0, result.stderr
    assert [p.name for p in (elsewhere / "templates").iterdir()] == ["notes.txt"]


def test_no_hidden_character_reaches_a_page_through_a_reference_or_an_escape(pristine, tmp_path):
    """The checks read every character of a source: a character reference in Markdown stays as
    written, and a %-escape in a URL is shown decoded only if that hides nothing (a right-to-left
    override would show 'gnp.exe' as 'exe.png')."""
    project = tmp_path / "mini"
    shutil.copytree(pristine, project, symlinks=True)
    edit(ANN + "mosul.yaml", "en: A city in northern Iraq.", "en: A city &#x202E; in &rlm; northern Iraq.")(project)
    edit(ANN + "mosul.yaml", "  - citation: A gazetteer.", "  - citation: A gazetteer.\n"
         "    url: https://example.org/%E2%80%AEgnp.exe\n  - citation: An atlas.\n"
         "    url: https://example.org/wiki/%D8%A7%D9%84%D9%85%D9%88%D8%B5%D9%84")(project)
    result = run_build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    hidden = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
    for path in (project / "site").rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".jsonld", ".xml", ".txt", ".csv"):
            assert not hidden.search(path.read_text(encoding="utf-8")), path
    page = (project / "site/en/entities/mosul/index.html").read_text(encoding="utf-8")
    assert "A city &amp;#x202E; in &amp;rlm; northern Iraq." in page
    assert ">https://example.org/%E2%80%AEgnp.exe<" in page
    assert ">https://example.org/wiki/الموصل<" in page  # an address in Arabic is shown as readers type it


def test_a_templates_byte_order_mark_is_dropped_as_every_sources(pristine, tmp_path):
    """A BOM at the start of a template (an editor's save) would open every page's head with a
    character, which ends the head there."""
    project = tmp_path / "mini"
    shutil.copytree(pristine, project, symlinks=True)
    head = project / "templates" / "_head.html"
    head.write_bytes(b"\xef\xbb\xbf" + head.read_bytes())
    assert run_build(project).returncode == 0
    assert "\ufeff" not in (project / "site/en/index.html").read_text(encoding="utf-8")


def test_the_command_line_fails_in_one_line_where_python_would_print_a_traceback(pristine, tmp_path):
    """A terminal that cannot show Arabic, schemas/ that cannot be written, a build worker killed
    from outside: one line each, never a traceback."""
    project = tmp_path / "mini"
    shutil.copytree(pristine, project, symlinks=True)
    edit(ANN + "mosul.yaml", "related: [raqqa]", "related: [raqqa]\naliases: {ar: [زززز]}")(project)
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--project", str(project), "--check"],
                            capture_output=True, timeout=60, env={**os.environ, "PYTHONIOENCODING": "latin-1"})
    printed = (result.stdout + result.stderr).decode("latin-1")
    assert "Traceback" not in printed and "\\u0632\\u0632" in printed, printed
    (project / "schemas").write_text("a file", encoding="utf-8")
    result = run_build(project, "--write-schemas")
    assert result.returncode == 1 and result.stderr.startswith("build.py: error: cannot write the schemas: ")
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1
    died = ("import sys, runpy\nfrom concurrent.futures.process import BrokenProcessPool\nimport edition.cli\n"
            "def main(args):\n    raise BrokenProcessPool('A child process terminated abruptly')\n"
            f"edition.cli.main = main\nsys.argv = ['build.py']\nrunpy.run_path({str(ROOT / 'build.py')!r}, run_name='__main__')\n")
    result = subprocess.run([sys.executable, "-c", died], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("build.py: error: a build worker process died"), result.stderr


def test_a_prose_page_may_link_within_the_site_by_relative_paths_and_anchors(pristine, tmp_path):
    """What the check of prose links accepts, a build and --check (which follows the links of the
    built pages, ``..`` resolved) accept too."""
    project = tmp_path / "mini"
    shutil.copytree(pristine, project, symlinks=True)
    edit(PAGE, "The *page* text.", "The [about](../about/), [home](../) and [top](#main) and [same](./) text.")(project)
    for args in ((), ("--check",)):
        result = run_build(project, *args)
        assert result.returncode == 0 and ": error:" not in result.stdout, result.stdout + result.stderr
    page = (project / "site/en/principles/index.html").read_text(encoding="utf-8")
    assert 'href="../about/"' in page and 'href="#main"' in page


def test_a_hidden_folder_of_the_static_assets_is_not_published(pristine, tmp_path):
    """templates/static/.github/x.txt (a hidden folder: an editor's, a tool's) was copied to
    assets/.github/x.txt, and a link to it was followed; hidden files were already left out."""
    project = tmp_path / "mini"
    shutil.copytree(pristine, project, symlinks=True)
    (project / "templates/static/.github").mkdir()
    (project / "templates/static/.github/x.txt").write_text(SECRET, encoding="utf-8")
    result = run_build(project, "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert not any(".github" in path.parts for path in (tmp_path / "out").rglob("*"))


def test_a_paragraph_of_many_marks_takes_linear_time_in_its_tei():
    """A text of 60,000 marked words (within the 2 MiB a source may have) took the TEI n² steps: each
    word's following text was placed after the paragraph's last child, which lxml found by counting
    them all (13 s for one report of 20,000; about 45 s here). Found from the end, it takes a few
    hundredths of a second; the bound only catches the square coming back."""
    import time
    from lxml import etree
    from edition.tei import add_text
    paragraph = etree.Element("p")
    start = time.perf_counter()
    for _ in range(60000):
        etree.SubElement(paragraph, "name").text = "كلمة"
        add_text(paragraph, " ")
    assert time.perf_counter() - start < 5
    assert paragraph[-1].tail == " " and paragraph.text is None
