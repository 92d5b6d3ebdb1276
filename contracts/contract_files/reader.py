"""Reading typed values out of YAML nodes, with the line each was written on.

The contract-file parser (``contracts.contract_files.parse``) composes the text into nodes
with :class:`SafeNodeLoader` and reads every value through a :class:`NodeReader`, which
records a :class:`Problem` (line, key path, reason) for each bad value instead of stopping,
so that one pass lists every problem.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

import yaml
from django.core.exceptions import ValidationError
from django.db import models

from contracts.contract_files.export import WEEKDAY_KEYS, Item, Problem

NULL_TAG = "tag:yaml.org,2002:null"
BOOL_TAG = "tag:yaml.org,2002:bool"
TRUE_WORDS = {"true", "yes", "on"}


class SafeNodeLoader(yaml.SafeLoader):
    """The safe loader, refusing aliases: a file that refers back to itself is not a contract."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "anchors and aliases (*name) are not supported", event.start_mark
            )
        return super().compose_node(parent, index)


def line_of_node(node: yaml.Node | None) -> int | None:
    return node.start_mark.line + 1 if node is not None else None


class NodeReader:
    """Reads typed values out of YAML nodes, recording a :class:`Problem` for each bad one."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def problem(self, line: int | None, path: str, message: str) -> None:
        self.problems.append(Problem(line, path, message))

    # -- structure

    def mapping(
        self, node: yaml.Node, path: str, item: Item, *, keys: tuple[str, ...], required: tuple[str, ...] = ()
    ) -> dict[str, yaml.Node] | None:
        """The mapping's keys → value nodes; records each value's line in ``item.lines``."""
        item.path, item.line = path, line_of_node(node)
        if not isinstance(node, yaml.MappingNode):
            self.problem(line_of_node(node), path, "expected a mapping of keys to values")
            return None
        found: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            where = f"{path}.{key}" if path and key else (key or path)
            if key not in keys:
                hint = "" if key is None else f"; expected one of: {', '.join(keys)}"
                self.problem(line_of_node(key_node), where, f"unknown key{hint}")
            elif key in found:
                self.problem(line_of_node(key_node), where, "given twice")
            else:
                found[key] = value_node
                item.lines[key] = line_of_node(value_node)
        for key in required:
            if key not in found or self.is_null(found[key]):
                where = f"{path}.{key}" if path else key
                self.problem(line_of_node(found.get(key, node)), where, "missing")
        return found

    def sequence(self, node: yaml.Node | None, path: str) -> list[yaml.Node]:
        if node is None or self.is_null(node):
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.problem(line_of_node(node), path, "expected a list (lines starting with “- ”)")
            return []
        return list(node.value)

    @staticmethod
    def is_null(node: yaml.Node) -> bool:
        return isinstance(node, yaml.ScalarNode) and node.tag == NULL_TAG and node.style is None

    def scalar(self, node: yaml.Node | None, path: str) -> str | None:
        if node is None or self.is_null(node):
            return None
        if not isinstance(node, yaml.ScalarNode):
            self.problem(line_of_node(node), path, "expected a single value, not a list or mapping")
            return None
        return node.value

    # -- typed values; each returns ``default`` after recording a problem

    def text(self, fields: dict, key: str, path: str, default: str = "") -> str:
        value = self.scalar(fields.get(key), join_path(path, key))
        return default if value is None else value

    def boolean(self, fields: dict, key: str, path: str, default: bool = False) -> bool:
        node = fields.get(key)
        value = self.scalar(node, join_path(path, key))
        if value is None:
            return default
        if node.tag != BOOL_TAG:
            self.problem(line_of_node(node), join_path(path, key), f"“{value}” is not true or false")
            return default
        return value.lower() in TRUE_WORDS

    def decimal(self, fields: dict, key: str, path: str, default: Decimal | None = None) -> Decimal | None:
        node = fields.get(key)
        value = self.scalar(node, join_path(path, key))
        if value is None:
            return default
        try:
            number = Decimal(value.strip().replace("_", ""))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            self.problem(line_of_node(node), join_path(path, key), f"“{value}” is not a number")
            return default
        return number

    def integer(self, fields: dict, key: str, path: str, default: int | None = None) -> int | None:
        node = fields.get(key)
        value = self.scalar(node, join_path(path, key))
        if value is None:
            return default
        text = value.strip()
        if not text.isdigit():
            self.problem(
                line_of_node(node), join_path(path, key), f"“{value}” is not a whole number (0 or more)"
            )
            return default
        return int(text)

    def date(self, fields: dict, key: str, path: str) -> date | None:
        node = fields.get(key)
        value = self.scalar(node, join_path(path, key))
        if value is None:
            return None
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            self.problem(
                line_of_node(node), join_path(path, key), f"“{value}” is not a date; write it as YYYY-MM-DD"
            )
            return None

    def choice(
        self, fields: dict, key: str, path: str, choices: type[models.TextChoices], default: str = ""
    ) -> str:
        node = fields.get(key)
        value = self.scalar(node, join_path(path, key))
        if value is None:
            return default
        if value not in choices.values:
            allowed = ", ".join(v for v in choices.values if v)
            self.problem(line_of_node(node), join_path(path, key), f"“{value}” is not one of: {allowed}")
            return default
        return value

    def weekday(self, node: yaml.Node | None, path: str) -> int | None:
        value = self.scalar(node, path)
        if value is None:
            return None
        text = value.strip().lower()
        if text in WEEKDAY_KEYS:
            return WEEKDAY_KEYS.index(text)
        if text.isdigit() and int(text) < 7:
            return int(text)
        self.problem(line_of_node(node), path, f"“{value}” is not a weekday; write monday … sunday")
        return None

    # -- model validation, mapped back to lines

    def validate(
        self, instance: models.Model, item: Item, *, exclude: tuple[str, ...] = (), clean=True
    ) -> None:
        """Run the model's own field validation (and ``clean()``) without the database."""
        try:
            instance.clean_fields(exclude=list(exclude))
            if clean:
                instance.clean()
        except ValidationError as exc:
            self.model_errors(exc, item)

    def model_errors(self, exc: ValidationError, item: Item) -> None:
        if hasattr(exc, "error_dict"):
            for name, errors in exc.message_dict.items():
                key = "" if name == "__all__" else name
                for message in errors:
                    self.problem(item.line_of(key), join_path(item.path, key), message.rstrip("."))
        else:
            for message in exc.messages:
                self.problem(item.line, item.path, message.rstrip("."))


def join_path(path: str, key: str) -> str:
    return f"{path}.{key}" if path and key else (path or key)
