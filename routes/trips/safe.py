"""Untrusted trip text into plain data, within limits: nothing a hostile file holds can
make the reader recurse without bound, expand, or print more than a line.

The trip reader (:mod:`.read`) validates the data's meaning; this module only makes sure
it is safe to look at: size, nesting, aliases, text length, lone surrogates, and bad
values quoted short in every error.
"""

from __future__ import annotations

import json
import re
import reprlib
from pathlib import Path
from typing import Any

import yaml

from ..errors import TripError
from ..settings import DEFAULT, Settings

__all__ = ["quote", "read_at_most", "load_data"]


def quote(value: Any, limit: int = DEFAULT.max_quoted_chars) -> str:
    """A bad value as an error message quotes it: its repr, cut to ``limit`` characters.

    Never the whole value: a trip may hold megabytes in one field, or a structure whose
    full repr is huge.

    >>> quote("x" * 200, limit=12)
    "'xxxxxxxxxx…"
    >>> quote([1, [2, [3, [4, [5]]]]])
    '[1, [2, [3, [...]]]]'
    """
    if isinstance(value, str):
        text = repr(value[: limit + 1])
        return text if len(text) <= limit else text[: limit - 1] + "…"
    r = reprlib.Repr()
    r.maxstring = r.maxother = limit + 2
    r.maxlist = r.maxtuple = r.maxdict = r.maxset = 6
    r.maxlevel = 3
    text = r.repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def read_at_most(p: Path, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of a trip file (one more tells the caller it is too big)."""
    try:
        with p.open("rb") as fh:
            raw = fh.read(limit + 1)
    except FileNotFoundError as err:
        raise TripError(f"trip file not found: {p}") from err
    except IsADirectoryError as err:
        raise TripError(f"trip file is a directory: {p}") from err
    except OSError as err:
        raise TripError(f"cannot read trip file {p}: {err.strerror or err}") from err
    return raw


def load_data(text: str, json_: bool = False, source_path: str = "<trip>", settings: Settings = DEFAULT) -> Any:
    """Parsed YAML (or JSON), checked for nesting, aliases, text length and surrogates."""
    where = source_path
    try:
        data = json.loads(text) if json_ else _load_yaml(text, where, settings)
    except TripError:
        raise
    except json.JSONDecodeError as err:
        raise TripError(f"{where}: invalid JSON at line {err.lineno}: {err.msg}") from err
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(err, "problem", None) or "cannot parse"
        raise TripError(f"{where}: invalid YAML{at}: {problem}") from err
    except RecursionError as err:
        raise TripError(f"{where}: nested too deeply (the limit is {settings.max_depth} levels)") from err
    except (ValueError, OverflowError) as err:  # e.g. an integer of more than 4,300 digits, 2023-02-30
        raise TripError(f"{where}: cannot read a value: {quote(str(err))}") from err
    _check_values(data, where, settings)
    return data


# libyaml when PyYAML was built with it (the usual wheels): about ten times faster
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load_yaml(text: str, where: str, settings: Settings) -> Any:
    """Parse YAML after one pass over its events has bounded nesting and aliases.

    The event pass is flat (the parser keeps its own stack), so a file nested thousands
    deep is refused before anything recursive sees it. An alias may repeat a plain value
    only: an alias of a list or a mapping is how a "billion laughs" file expands a few
    lines into gigabytes, and a trip file has no need for one.
    """
    anchors: dict[str, bool] = {}  # anchor -> names a collection
    depth = aliases = 0
    for event in yaml.parse(text, Loader=_LOADER):
        line = event.start_mark.line + 1 if event.start_mark is not None else 0
        if isinstance(event, yaml.NodeEvent):
            if depth + 1 > settings.max_depth:
                raise TripError(f"{where}: line {line}: nested more than {settings.max_depth} levels deep (max_depth)")
            if isinstance(event, yaml.AliasEvent):
                aliases += 1
                if anchors.get(event.anchor, False):
                    raise TripError(
                        f"{where}: line {line}: an alias repeats a list or mapping; trip files allow aliases of "
                        "plain values only: write the value out"
                    )
                if aliases > settings.max_yaml_aliases:
                    raise TripError(
                        f"{where}: line {line}: more than {settings.max_yaml_aliases} aliases (max_yaml_aliases)"
                    )
            elif event.anchor is not None:
                anchors[event.anchor] = isinstance(event, yaml.CollectionStartEvent)
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader, bounded above


_SURROGATE = re.compile("[\ud800-\udfff]")


def _check_values(data: Any, where: str, settings: Settings) -> None:
    """Walk the parsed data once: depth, text length and lone surrogates, within limits."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > settings.max_depth:
            raise TripError(f"{where}: nested more than {settings.max_depth} levels deep (max_depth)")
        if isinstance(value, dict):
            stack.extend((k, depth + 1) for k in value)
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
        elif isinstance(value, str):
            if len(value) > settings.max_string_chars:
                raise TripError(
                    f"{where}: a text of {len(value):,} characters ({quote(value, 30)}); "
                    f"the limit is {settings.max_string_chars:,} (max_string_chars)"
                )
            bad = _SURROGATE.search(value)
            if bad:
                raise TripError(
                    f"{where}: a text holds a lone surrogate (\\u{ord(bad.group()):04x}), which is not a character: "
                    "save the trip file as proper UTF-8"
                )
