#!/usr/bin/env python3
"""Run a command while holding a lock file: `python3 tools/locked.py LOCKFILE COMMAND...`.

The Makefile installs through it, so that `make serve` and `make test` started at the same time
(two terminals, a fresh clone) install one after the other instead of running two `pip install`
or `npm ci` into the same folders. The second waits, says so, and then finds the work done.
Exit status: the command's.
"""
from __future__ import annotations

import fcntl
import subprocess
import sys


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print("usage: locked.py LOCKFILE COMMAND...", file=sys.stderr)
        return 2
    lock_path, command = argv[0], argv[1:]
    with open(lock_path, "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"waiting for the installation running in another terminal to finish ({lock_path}) ...",
                  flush=True)
            fcntl.flock(lock, fcntl.LOCK_EX)
        return subprocess.call(command)


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(130)
