"""What the command line does with its arguments: build, report, exit status."""
from __future__ import annotations

import os
import sys

from .pipeline import build, build_into, page_weights
from .check import check_site
from .problems import BuildFailed, Problems
from .models import LANGS
from .urls import Urls


def print_problems(problems: Problems, stream=sys.stderr) -> None:
    for problem in problems.sorted():
        print(problem, file=stream)
        if os.environ.get("GITHUB_ACTIONS"):
            print(problem.github_annotation(), file=stream)


def main(args) -> int:
    if args.serve:
        from .serve import serve
        return serve(args)
    if args.check:
        return check(args)
    if args.write_schemas:
        from .schemas import write
        for path in write(args.project.resolve()):
            print(f"wrote {path}")
        return 0
    root = args.project.resolve()
    out = (args.out or root / "site")
    try:
        result = build_into(root, out, base_url=args.base_url)
    except BuildFailed as failed:
        print_problems(failed.problems)
        errors, warnings = len(failed.problems.errors), len(failed.problems.warnings)
        print(f"build failed: {errors} error(s), {warnings} warning(s); site/ left unchanged", file=sys.stderr)
        return 1
    print_problems(result.problems)
    pages = sum(1 for name in result.files if name.endswith(".html"))
    indexes = ", ".join(f"{lang} {sum(result.files.size(name) for name in result.files if name.startswith(Urls.search_parts(lang))) / 1024:.0f} KiB"
                        for lang in LANGS)
    if args.verbose:
        print_mentions(result)
    weights = page_weights(result.files)
    heaviest = max(weights, key=weights.get)
    print(f"built {pages} pages ({result.counts['reports']} reports, {result.counts['entities']} entities) "
          f"into {out} in {result.seconds:.2f}s; search index {indexes}; heaviest report page "
          f"{weights[heaviest] / 1024:.0f} KiB gzipped with CSS and JS; {len(result.problems.warnings)} warning(s)")
    return 0


def check(args) -> int:
    """Validate and build in memory, then check the result; nothing is written."""
    root = args.project.resolve()
    try:
        result = build(root, base_url=args.base_url)
        problems = result.problems
        check_site(result.files, Urls(result.edition.config.base_url).base_path, problems)
    except BuildFailed as failed:
        problems = failed.problems
    if args.strict:
        for warning in problems.warnings:
            problems.items.remove(warning)
            problems.error(warning.file, warning.line, warning.col, warning.message + " (--strict)")
    print_problems(problems, stream=sys.stdout)
    errors, warnings = len(problems.errors), len(problems.warnings)
    print(f"check: {errors} error(s), {warnings} warning(s)")
    return 1 if errors else 0


def print_mentions(result) -> None:
    """One line per entity: its id, kind and mentions in the Arabic and the English texts."""
    edition = result.edition
    print(f"{'entity':44} {'kind':14} {'ar':>4} {'en':>4}")
    for entity_id in sorted(edition.entities):
        counts = {lang: edition.mention_counts[(entity_id, lang)] for lang in ("ar", "en")}
        print(f"{entity_id:44} {edition.entity(entity_id).kind:14} {counts['ar']:>4} {counts['en']:>4}")
