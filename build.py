#!/usr/bin/env python3
"""Build the bilingual edition into site/ (see README.md).

Exit status: 0 success, 1 build or validation error, 2 usage error.
"""
from __future__ import annotations

import argparse
import signal
import sys
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP (a service manager, a closed terminal): ended like a Ctrl-C, cleaning up."""


def stop(signum, frame):
    raise Stopped(signal.Signals(signum).name)


def port_number(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port {port} is out of range (0-65535; 0 picks a free one)")
    return port


class Parser(argparse.ArgumentParser):
    """A usage error is one line, ``build.py: error: …`` with exit status 2, as every other problem
    is one line (``build.py --help`` shows the usage)."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message}\n")


# the ways of running build.py: at most one of them (none: build site/)
MODES = ("--check", "--release", "--serve", "--write-schemas")
# what those that write no site write instead (--out would be ignored)
NO_SITE = {"--check": "builds in memory and writes nothing",
           "--release": "writes only the release archive (into dist/ or --dist)",
           "--write-schemas": "writes only schemas/"}


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = Parser(prog="build.py", description="Build the bilingual edition into site/.")
    parser.add_argument("--project", type=Path, default=Path(__file__).resolve().parent,
                        help="project folder (default: the folder of build.py)")
    parser.add_argument("--out", type=Path, help="output folder (default: <project>/site; a build or --serve)")
    parser.add_argument("--base-url", help="override config.yaml's base_url, e.g. /edition/ (a build, --check or --release)")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="also print, per entity, how many mentions the texts have in each language (a build)")
    modes = parser.add_mutually_exclusive_group()  # MODES
    modes.add_argument("--check", action="store_true",
                       help="validate everything and check the built result (links, anchors, assets, "
                            "language counterparts); writes nothing")
    modes.add_argument("--write-schemas", action="store_true",
                       help="write the JSON Schemas of config, annotations, notes and collations into schemas/ and exit")
    modes.add_argument("--release", action="store_true",
                       help="build and write a release archive of every data file into dist/ (or --dist)")
    modes.add_argument("--serve", action="store_true", help="build, serve and rebuild on every change")
    parser.add_argument("--strict", action="store_true", help="with --check: treat warnings as errors")
    parser.add_argument("--dist", type=Path, help="folder for --release (default: <project>/dist)")
    parser.add_argument("-p", "--port", type=port_number, help="port for --serve (default 8000)")
    parser.add_argument("-b", "--bind", help="address for --serve (default 127.0.0.1)")
    parser.add_argument("--open", action="store_true", help="open the site in a browser (with --serve)")
    args = parser.parse_args(argv)
    problem = combination_problem(args)
    if problem:
        parser.error(problem)
    args.port = 8000 if args.port is None else args.port
    args.bind = "127.0.0.1" if args.bind is None else args.bind
    return args


def combination_problem(args: argparse.Namespace) -> str | None:
    """An option that the way of running chosen (``MODES``) would ignore: refused, not passed over."""
    mode = next((flag for flag in MODES if getattr(args, flag[2:].replace("-", "_"))), None)
    for name, given in (("-p/--port", args.port is not None), ("-b/--bind", args.bind is not None),
                        ("--open", args.open)):
        if given and mode != "--serve":
            return f"{name} goes with --serve"
    if args.strict and mode != "--check":
        return "--strict goes with --check"
    if args.dist is not None and mode != "--release":
        return "--dist goes with --release"
    if args.out is not None and mode in NO_SITE:
        return f"--out goes with a build or --serve; {mode} {NO_SITE[mode]}"
    if args.verbose and mode is not None:
        return f"-v/--verbose goes with a build (it prints the mentions the build found), not with {mode}"
    if args.base_url is not None and mode == "--serve":
        return "--base-url is for publication builds; --serve previews the site at /"
    if args.base_url is not None and mode == "--write-schemas":
        return "--base-url goes with a build, --check or --release; --write-schemas writes only schemas/"
    return None


if __name__ == "__main__":
    for name in ("SIGTERM", "SIGHUP"):  # the preview sets its own
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), stop)
    try:
        from edition import cli  # inside: Ctrl-C while it loads is an interruption too
        sys.exit(cli.main(parse_args(sys.argv[1:])))
    except BrokenPipeError:  # output piped into e.g. `head`
        sys.stderr.close()
        sys.exit(0)
    except Stopped as stopped:
        print(f"build.py: stopped by {stopped}; the output folder is left as it was", file=sys.stderr)
        sys.exit(128 + signal.Signals[str(stopped)].value)
    except KeyboardInterrupt:
        print("build.py: interrupted; the output folder is left as it was", file=sys.stderr)
        sys.exit(130)
    except BrokenProcessPool:  # a worker killed from outside (out of memory, kill -9)
        print("build.py: error: a build worker process died (killed from outside, or out of memory); "
              "the output folder is left as it was", file=sys.stderr)
        sys.exit(1)
