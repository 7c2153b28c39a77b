"""What the command line does with its arguments: build, report, exit status."""
from __future__ import annotations

import os
import re
import sys

from .pipeline import build, build_into, page_weights
from .check import Checked, check_site
from .models import LANGS
from .output import OutputBusy, claimed, refusal
from .problems import BuildFailed, Problems
from .urls import Urls, base_url_problem
from .wording import count


def print_problems(problems: Problems, stream=None) -> None:
    stream = stream or sys.stderr  # (the one of the moment, not the one when this module loaded)
    for problem in problems.sorted():
        print(problem, file=stream)
        if os.environ.get("GITHUB_ACTIONS"):
            print(problem.github_annotation(), file=stream)


def usage_problem(args) -> str | None:
    """What is wrong with the arguments themselves, checked before anything is read or written."""
    if not args.project.is_dir():
        return f"--project '{args.project}' is not a folder" + ("" if args.project.exists() else " (it does not exist)")
    if args.base_url is not None and base_url_problem(args.base_url):
        shown = re.sub(r"[\x00-\x1f\x7f]", lambda m: repr(m.group())[1:-1], args.base_url)  # a line break as \n
        return f"--base-url '{shown}' {base_url_problem(args.base_url)}"
    if args.release:
        from .release import release_refusal
        dist = args.dist or args.project / "dist"
        why = release_refusal(dist, args.project)
        return f"--dist '{dist}' {why}" if why else None
    if args.serve or not (args.check or args.write_schemas):
        default = args.project / "site"
        out = args.out or default
        why = refusal(out, args.project, default=os.path.abspath(out) == os.path.abspath(default))
        if why:
            return f"--out '{out}' {why}" if args.out else f"the output folder '{out}' {why}"
    return None


def main(args) -> int:
    for stream in (sys.stdout, sys.stderr):  # a terminal that cannot show Arabic gets escapes, not a traceback
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    problem = usage_problem(args)
    if problem:
        print(f"build.py: error: {problem}", file=sys.stderr)
        return 2
    if args.serve:
        from .serve import serve
        return serve(args)
    if args.check:
        return check(args)
    if args.release:
        return release_command(args)
    if args.write_schemas:
        from .schemas import write
        try:
            written = write(args.project.resolve())
        except OSError as exc:
            print(f"build.py: error: cannot write the schemas: {exc.strerror or exc}"
                  f"{f' ({exc.filename})' if exc.filename else ''}", file=sys.stderr)
            return 1
        for path in written:
            print(f"wrote {path}")
        return 0
    root = args.project.resolve()
    out = (args.out or root / "site")
    try:
        with claimed(out, "build.py"):
            result = build_into(root, out, base_url=args.base_url)
    except OutputBusy as busy:
        print(f"build.py: error: the output folder '{out}' {busy}; {out} left unchanged: stop that process, "
              "or build into another folder with --out", file=sys.stderr)
        return 1
    except BuildFailed as failed:
        print_problems(failed.problems)
        errors, warnings = len(failed.problems.errors), len(failed.problems.warnings)
        print(f"build failed: {count(errors, 'error')}, {count(warnings, 'warning')}; {out} left unchanged",
              file=sys.stderr)
        return 1
    except OSError as exc:  # the output folder cannot be made or written (a read-only or missing place, a full disk)
        print(f"build.py: error: cannot write the site to '{out}': {exc.strerror or exc}"
              f"{f' ({exc.filename})' if exc.filename else ''}; {out} left unchanged", file=sys.stderr)
        return 1
    print_problems(result.problems)
    pages = sum(1 for name in result.files if name.endswith(".html"))
    indexes = ", ".join(f"{lang} {sum(result.files.size(name) for name in result.files if name.startswith(Urls.search_parts(lang))) / 1024:.0f} KiB"
                        for lang in LANGS)
    if args.verbose:
        print_mentions(result)
    print(f"built {count(pages, 'page')} ({count(result.counts['reports'], 'report')}, "
          f"{count(result.counts['entities'], 'entity')}) into {out} in {result.seconds:.2f}s; search index {indexes}; "
          f"{heaviest_page(result.files)}; {count(len(result.problems.warnings), 'warning')}")
    return 0


def heaviest_page(files) -> str:
    """The summary's weight of the heaviest report page; an edition without reports has none."""
    weights = page_weights(files)
    if not weights:
        return "no report page"
    return f"heaviest report page {max(weights.values()) / 1024:.0f} KiB gzipped with CSS and JS"


def release_command(args) -> int:
    """Build in memory and write the release archive; nothing else is written."""
    from .release import release
    root = args.project.resolve()
    try:
        archive, count_files = release(root, args.dist or root / "dist", base_url=args.base_url)
    except BuildFailed as failed:
        print_problems(failed.problems)
        errors, warnings = len(failed.problems.errors), len(failed.problems.warnings)
        print(f"release failed: {count(errors, 'error')}, {count(warnings, 'warning')}; no archive written",
              file=sys.stderr)
        return 1
    except OSError as exc:  # the folder or the archive cannot be written (read-only, a folder in its place, a full disk)
        print(f"build.py: error: cannot write the release archive into '{args.dist or root / 'dist'}': "
              f"{exc.strerror or exc}{f' ({exc.filename})' if exc.filename else ''}", file=sys.stderr)
        return 1
    print(f"wrote {archive} ({count(count_files, 'data file')}, README.txt and MANIFEST.sha256)")
    return 0


def check(args) -> int:
    """Validate and build in memory, then check the result; nothing is written."""
    root = args.project.resolve()
    checked = None
    try:
        result = build(root, base_url=args.base_url)
        problems = result.problems
        checked = check_site(result.files, Urls(result.catalog.config().base_url).base_path, problems)
    except BuildFailed as failed:
        problems = failed.problems
    if args.strict:
        for warning in problems.warnings:
            problems.items.remove(warning)
            problems.error(warning.file, warning.line, warning.col, warning.message + " (--strict)")
    print_problems(problems, stream=sys.stdout)
    errors, warnings = len(problems.errors), len(problems.warnings)
    print(f"check: {count(errors, 'error')}, {count(warnings, 'warning')}; {what_was_checked(checked)}")
    return 1 if errors else 0


def what_was_checked(checked: Checked | None) -> str:
    if checked is None:
        return "the sources have errors, so no site was built and no link checked"
    return (f"checked {count(checked.pages, 'page')}, {count(checked.links, 'link')} "
            f"and {count(checked.anchors, 'anchor')}")


def print_mentions(result) -> None:
    """One line per entity: its id, kind and mentions in the Arabic and the English texts."""
    catalog = result.catalog
    print(f"{'entity':44} {'kind':14} {'ar':>4} {'en':>4}")
    for entity_id in catalog.entity_ids():
        counts = {lang: result.mention_counts[(entity_id, lang)] for lang in LANGS}
        print(f"{entity_id:44} {catalog.entity(entity_id).kind:14} {counts['ar']:>4} {counts['en']:>4}")
