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


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="build.py", description="Build the bilingual edition into site/.")
    parser.add_argument("--project", type=Path, default=Path(__file__).resolve().parent,
                        help="project folder (default: the folder of build.py)")
    parser.add_argument("--out", type=Path, help="output folder (default: <project>/site)")
    parser.add_argument("--base-url", help="override config.yaml's base_url, e.g. /edition/")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="also print, per entity, how many mentions the texts have in each language")
    parser.add_argument("--check", action="store_true",
                        help="validate everything and check the built result (links, anchors, assets, "
                             "language counterparts); writes nothing")
    parser.add_argument("--strict", action="store_true", help="with --check: treat warnings as errors")
    parser.add_argument("--write-schemas", action="store_true",
                        help="write the JSON Schemas of config, annotations, notes and collations into schemas/ and exit")
    parser.add_argument("--release", action="store_true",
                        help="build and write a release archive of every data file into dist/ (or --dist)")
    parser.add_argument("--dist", type=Path, help="folder for --release (default: <project>/dist)")
    parser.add_argument("--serve", action="store_true", help="build, serve and rebuild on every change")
    parser.add_argument("-p", "--port", type=port_number, default=8000, help="port for --serve (default 8000)")
    parser.add_argument("-b", "--bind", default="127.0.0.1", help="address for --serve (default 127.0.0.1)")
    parser.add_argument("--open", action="store_true", help="open the site in a browser (with --serve)")
    args = parser.parse_args(argv)
    if args.strict and not args.check:
        parser.error("--strict goes with --check")
    if args.check and args.serve:
        parser.error("--check and --serve cannot be combined")
    if args.release and (args.check or args.serve or args.write_schemas):
        parser.error("--release cannot be combined with --check, --serve or --write-schemas")
    if args.dist and not args.release:
        parser.error("--dist goes with --release")
    return args


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
