"""YAML read with line numbers: every mapping and sequence knows the line it starts on
and the lines of its keys or items, so that each fact read from a CI or deployment file can
cite ``path:line``. Only plain data is built (a safe loader)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any


class YamlMap(dict[Any, Any]):
    """A YAML mapping that knows its own 1-based line and the line of each key."""

    line: int
    key_lines: dict[Any, int]

    def line_of(self, key: Any, default: int | None = None) -> int:
        """The line of ``key``, else ``default``, else the mapping's own line."""
        return self.key_lines.get(key, self.line if default is None else default)


class YamlList(list[Any]):
    """A YAML sequence that knows its own 1-based line and the line of each item."""

    line: int
    item_lines: list[int]


class YamlError(Exception):
    """A YAML document that could not be read; ``line`` is where the reader stopped."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


@cache
def _line_loader() -> type[Any]:
    import yaml  # type: ignore[import-untyped,unused-ignore]

    # libyaml's parser when PyYAML was built with it (several times faster), else Python's.
    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class LineLoader(base):  # type: ignore[misc,valid-type,unused-ignore]
        """A safe loader whose mappings and sequences record their lines."""

    def construct_map(loader: Any, node: Any) -> Iterator[YamlMap]:
        result = YamlMap()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        yield result
        loader.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                continue
            result[key] = loader.construct_object(value_node, deep=True)
            result.key_lines[key] = key_node.start_mark.line + 1

    def construct_list(loader: Any, node: Any) -> Iterator[YamlList]:
        result = YamlList()
        result.line = node.start_mark.line + 1
        result.item_lines = []
        yield result
        for item in node.value:
            result.append(loader.construct_object(item, deep=True))
            result.item_lines.append(item.start_mark.line + 1)

    LineLoader.add_constructor("tag:yaml.org,2002:map", construct_map)
    LineLoader.add_constructor("tag:yaml.org,2002:seq", construct_list)
    return LineLoader


def load_yaml(text: str) -> list[Any]:
    """Every document of a YAML stream, mappings as :class:`YamlMap` and sequences as
    :class:`YamlList`. Only plain data is built (a ``yaml.SafeLoader``). Raises
    :class:`YamlError` when the text is not valid YAML."""
    import yaml  # type: ignore[import-untyped,unused-ignore]

    documents: list[Any] = []
    try:
        documents.extend(yaml.load_all(text, Loader=_line_loader()))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise YamlError(f"not valid YAML: {problem} (line {line})", line) from None
    except RecursionError:
        raise YamlError("not valid YAML: nested too deeply", 1) from None
    return documents


def line_of(value: Any, key: Any, default: int) -> int:
    """The line of ``key`` in a YAML mapping, or ``default`` for anything else."""
    return value.line_of(key, default) if isinstance(value, YamlMap) else default


def mapping_of(value: Any) -> Mapping[Any, Any]:
    """``value`` if it is a YAML mapping, else an empty one."""
    return value if isinstance(value, dict) else {}


def items_with_lines(value: Any, default: int) -> list[tuple[Any, int]]:
    """The items of a YAML sequence (or a lone scalar) with their lines."""
    if isinstance(value, YamlList):
        return list(zip(value, value.item_lines, strict=True))
    if isinstance(value, list):
        return [(item, default) for item in value]
    if value is None:
        return []
    return [(value, default)]


TEXT_LIMIT = 1_000  # characters of a list or mapping shown as text


def text_of(value: Any) -> str:
    """A YAML scalar as the text a person wrote (``true``, ``3``, ``a b``); lists and
    mappings joined, cut after :data:`TEXT_LIMIT` characters (aliases can nest a small file
    into an enormous value). Helm actions neutralised by
    :func:`syspatterns.model.deployment.neutralise_helm` are shown as ``{{ expression }}``."""
    if isinstance(value, str):
        return value.strip().replace("⟦", "{{ ").replace("⟧", " }}")
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        items = value.items() if isinstance(value, dict) else ((None, v) for v in value)
        parts: list[str] = []
        size = 0
        for key, item in items:
            if size > TEXT_LIMIT:
                parts.append("...")
                break
            part = text_of(item) if key is None else f"{text_of(key)}: {text_of(item)}"
            parts.append(part)
            size += len(part) + 2
        return ", ".join(parts)
    return str(value).strip()
