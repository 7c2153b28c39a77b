"""How the command line counts things: "1 warning", "0 warnings", "2 entities"."""
from __future__ import annotations

IRREGULAR = {"entity": "entities", "index": "indexes"}


def count(number: int, noun: str) -> str:
    """`number` and the noun, singular for exactly one and plural otherwise."""
    if number == 1:
        return f"1 {noun}"
    return f"{number} {IRREGULAR.get(noun, noun + 's')}"
