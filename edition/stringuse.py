"""Where the interface strings are asked for: each name a template reads (``t.x``, ``t['x']``,
``ts.ar.x``) at its first use, and each the engine reads by a constant name (``t[…]``). Read only
when a string is found missing (sources.Strings), so that every missing string is told at once,
each where it is needed, rather than the first one the build happened to ask for."""
from __future__ import annotations

import re
from pathlib import Path

from jinja2 import Environment, TemplateSyntaxError, nodes

from .safety import listed
from .problems import Problems

ENGINE = Path(__file__).resolve().parent
ENGINE_USE = re.compile(r'\bt\["([a-z0-9_]+)"\]')  # the engine's modules write t["…"]


def template_uses(templates: Path) -> dict[str, tuple[Path, int, int]]:
    """Each string name the templates read by a constant name, at its first use (file, line, col)."""
    found: dict[str, tuple[Path, int, int]] = {}
    environment = Environment()
    for path in listed(templates, Problems(root=templates.parent), "*.html"):
        try:
            source = path.read_text(encoding="utf-8")
            tree = environment.parse(source)
        except (OSError, UnicodeDecodeError, TemplateSyntaxError):
            continue  # told by the template's own check
        lines = source.splitlines()
        for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
            name = _string_name(node)
            if name and name not in found:
                line = lines[node.lineno - 1] if node.lineno <= len(lines) else ""
                used = re.search(rf"""(?:\.|\[\s*['"]){re.escape(name)}\b""", line)
                found[name] = (path, node.lineno, used.end() - len(name) + 1 if used else 1)
    return dict(sorted(found.items(), key=lambda item: (str(item[1][0]), item[1][1], item[0])))


def _string_name(node) -> str | None:
    """The name of ``t.x``, ``t['x']``, ``ts.ar.x`` or ``ts[lang]['x']``, or None."""
    holder = node.node
    if isinstance(node, nodes.Getattr):
        name = node.attr
    elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
        name = node.arg.value
    else:
        return None
    if isinstance(holder, nodes.Name) and holder.name == "t":
        return name
    language = holder.node if isinstance(holder, (nodes.Getattr, nodes.Getitem)) else None
    if isinstance(language, nodes.Name) and language.name == "ts":
        return name
    return None


def engine_uses() -> list[str]:
    """Each string name the engine's modules read by a constant name."""
    names = set()
    for path in ENGINE.glob("*.py"):
        names.update(ENGINE_USE.findall(path.read_text(encoding="utf-8")))
    return sorted(names)
