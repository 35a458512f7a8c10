"""Turning a TOML table into a check kind's frozen Params dataclass, or a clear error.

Every rule file and every per-rule override in the user's config goes through
`build_params`, so the shipped defaults and user config are validated by the same code.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import types
import typing
from collections.abc import Iterable
from typing import Any, Literal, get_args, get_origin

import regex

from lint.errors import DoclintError


def build_params(params_cls: type, raw: dict[str, Any], where: str, validate: bool = True) -> Any:
    """Validate `raw` against `params_cls` and build it; `where` names the file and table.
    Keys and types are always checked; `validate=False` skips the Params' own check."""
    fields, hints = _shape(params_cls)
    values: dict[str, Any] = {}
    for key, value in raw.items():
        attr = key.replace("-", "_")
        if attr not in fields:
            names = sorted(fields)
            close = difflib.get_close_matches(attr, names, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else f" (known keys: {', '.join(names)})"
            raise DoclintError(f"{where} has unknown key '{key}'{hint}")
        values[attr] = _coerce(value, hints[attr], f"{where} key '{key}'")
    try:
        params = params_cls(**values)
    except TypeError as exc:  # a required field is missing
        raise DoclintError(f"{where}: {exc}") from None
    check = getattr(params, "validate", None) if validate else None
    if check is not None:
        problem = check()
        if problem:
            raise DoclintError(f"{where}: {problem}")
    return params


@functools.lru_cache(maxsize=None)
def _shape(params_cls: type) -> tuple[dict[str, dataclasses.Field], dict[str, Any]]:
    """A Params class's fields and resolved type hints: resolved once per class, not once
    per rule (35 pattern rules share one; resolving was a third of loading the catalogue)."""
    return {f.name: f for f in dataclasses.fields(params_cls)}, typing.get_type_hints(params_cls)


def regex_problem(patterns: Iterable[str]) -> str | None:
    """The first pattern that does not compile, said as a Params.validate() message."""
    for pattern in patterns:
        try:
            regex.compile(pattern)
        except regex.error as exc:
            return f"pattern {pattern!r} does not compile: {exc}"
    return None


def merge_params(params: Any, raw: dict[str, Any], where: str) -> Any:
    """Override some fields of an existing Params, validating the new values."""
    base = {f.name: getattr(params, f.name) for f in dataclasses.fields(params)}
    merged = type(params)
    checked = build_params(merged, {**_as_raw(base), **raw}, where)
    return checked


def _as_raw(values: dict[str, Any]) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in values.items()}


def _coerce(value: Any, hint: Any, where: str) -> Any:
    origin = get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = get_args(hint)
        if value is None and type(None) in options:
            return None
        errors = []
        for option in options:
            if option is type(None):
                continue
            try:
                return _coerce(value, option, where)
            except DoclintError as exc:
                errors.append(str(exc))
        raise DoclintError(errors[0] if errors else f"{where}: bad value {value!r}")
    if origin is Literal:
        allowed = get_args(hint)
        if value not in allowed:
            raise DoclintError(f"{where} must be one of {', '.join(map(repr, allowed))}, not {value!r}")
        return value
    if origin is tuple:
        item = get_args(hint)[0]
        if not isinstance(value, list | tuple):
            raise DoclintError(f"{where} must be a list, not {type(value).__name__}")
        return tuple(_coerce(v, item, f"{where}[{i}]") for i, v in enumerate(value))
    if hint is bool:
        if not isinstance(value, bool):
            raise DoclintError(f"{where} must be true or false, not {value!r}")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise DoclintError(f"{where} must be an integer, not {value!r}")
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise DoclintError(f"{where} must be a number, not {value!r}")
        return float(value)
    if hint is str:
        if not isinstance(value, str):
            raise DoclintError(f"{where} must be a string, not {value!r}")
        return value
    raise DoclintError(f"{where}: unsupported parameter type {hint!r}")
