"""Simple JSON paths: dotted names with list positions, e.g. ``alerts[0].labels.service``.

A path is a name, then any number of ``.name`` and ``[n]`` steps; ``[-1]`` is the last item
and ``["a key.with dots"]`` a name written as a JSON string. Evaluating a path never raises:
a step that does not fit the data gives :data:`MISSING`.
"""

from __future__ import annotations

import json
import re
from typing import Any

Step = str | int
_NAME = re.compile(r"[^.\[\]\s\"]+")
_INDEX = re.compile(r"\[(-?\d+)\]")
_QUOTED = re.compile(r"\[(\"(?:[^\"\\]|\\.)*\")\]")


class PathSyntaxError(ValueError):
    """The path cannot be read; the message says where and why."""


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Missing()


def parse_path(text: str) -> tuple[Step, ...]:
    """The steps of ``text`` (names and list positions), or :class:`PathSyntaxError` naming
    the character where it goes wrong."""
    if not isinstance(text, str) or not text.strip():
        raise PathSyntaxError("The path is empty.")
    text = text.strip()
    steps: list[Step] = []
    position = 0
    while position < len(text):
        char = text[position]
        if char == "[":
            index = _INDEX.match(text, position)
            quoted = _QUOTED.match(text, position)
            if index:
                steps.append(int(index[1]))
                position = index.end()
            elif quoted:
                steps.append(json.loads(quoted[1]))
                position = quoted.end()
            else:
                raise PathSyntaxError(
                    f"Character {position + 1}: write a list position as [0] (or [-1] for the last) "
                    'or a name as ["name"].'
                )
            continue
        if char == ".":
            if not steps:
                raise PathSyntaxError("Character 1: the path starts with a name, not “.”.")
            position += 1
        elif steps:
            raise PathSyntaxError(f"Character {position + 1}: expected “.” or “[” before “{char}”.")
        name = _NAME.match(text, position)
        if not name:
            shown = text[position] if position < len(text) else "the end"
            raise PathSyntaxError(f"Character {position + 1}: expected a name, found “{shown}”.")
        steps.append(name[0])
        position = name.end()
    return tuple(steps)


def path_value(data: Any, steps: tuple[Step, ...]) -> Any:
    """The value at ``steps`` in ``data``, or :data:`MISSING` when a step does not fit."""
    value = data
    for step in steps:
        if isinstance(step, int):
            if not isinstance(value, list) or not -len(value) <= step < len(value):
                return MISSING
            value = value[step]
        else:
            if not isinstance(value, dict) or step not in value:
                return MISSING
            value = value[step]
    return value
