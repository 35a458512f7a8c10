"""The JSON report: exactly the contract in findings.schema.json (schema_version 1)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from json.encoder import encode_basestring as _string  # the C function when the C module is there
from typing import Any

from lint.findings import Finding, Report

SCHEMA_VERSION = 1


def as_dict(report: Report) -> dict[str, Any]:
    return _envelope(report, [f.to_dict() for f in report.findings])


def _envelope(report: Report, findings: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "doclint", "version": report.version},
        "files_scanned": report.files_scanned,
        "findings": findings,
        "summary": report.summary(),
    }


def render(report: Report, **_: Any) -> str:
    return "".join(chunks(report))


def chunks(report: Report, **_: Any) -> Iterator[str]:
    """The report's text a few hundred findings at a time, exactly as
    json.dumps(as_dict(report), indent=2) writes it: a million findings never exist as
    one list of dicts and one string, nor pass one by one through the writer."""
    text = json.dumps(_envelope(report, []), indent=2, ensure_ascii=False)
    findings = report.findings
    if not findings:
        yield text + "\n"
        return
    before, after = text.split('"findings": []', 1)
    yield before + '"findings": [\n    ' + _item(findings[0])
    for lo in range(1, len(findings), _FINDINGS_AT_ONCE):
        yield ",\n    " + ",\n    ".join([_item(f) for f in findings[lo : lo + _FINDINGS_AT_ONCE]])
    yield "\n  ]" + after + "\n"


_FINDINGS_AT_ONCE = 256  # findings written as one piece: about 200 KB of text


def _item(finding: Finding) -> str:
    try:
        return _finding(finding, "\n    ")
    except TypeError:  # a value of a type only json itself knows how to write
        return json.dumps(finding.to_dict(), indent=2, ensure_ascii=False).replace("\n", "\n    ")


def _finding(f: Finding, pad: str) -> str:
    """indented(f.to_dict(), pad), field by field: no dict is built and no value's type
    looked up for the fields whose type is known (a fifth of the report's time).  The
    four fields a rule fixes are written once per rule, and a file's path once per run
    of its findings."""
    inner = pad + "  "
    key = (f.rule, f.name, f.category, f.severity, pad)
    head = _HEADS.get(key)
    if head is None:
        if len(_HEADS) >= _HEADS_MAX:
            _HEADS.clear()
        head = _HEADS[key] = ("{" + inner + '"rule": ' + _string(f.rule) + "," + inner + '"name": ' + _string(f.name)
                              + "," + inner + '"category": ' + _string(f.category) + "," + inner
                              + '"severity": ' + _string(f.severity) + "," + inner + '"path": ')
    last = _LAST_PATH[0]
    if last[0] is not f.path:  # one tuple, swapped whole: threads rendering at once each see a pair
        last = _LAST_PATH[0] = (f.path, _string(f.path))
    parts = [
        head + last[1],
        '"start_line": ' + _int(f.start_line),
        '"end_line": ' + _int(f.end_line),
    ]
    if f.start_col is not None:
        parts.append('"start_col": ' + _int(f.start_col))
    if f.end_col is not None:
        parts.append('"end_col": ' + _int(f.end_col))
    parts.append('"message": ' + _string(f.message))
    if f.related:
        parts.append('"related": ' + indented([r.to_dict() for r in f.related], inner))
    parts.append('"fingerprint": ' + _string(f.fingerprint))
    if f.fix is not None:
        parts.append('"fix": ' + _fix(f.fix, inner))
    return ("," + inner).join(parts) + pad + "}"


# The written head of each rule's findings, by (rule, name, category, severity, pad): a
# handful of entries per run, bounded for a caller that keeps rendering made-up rules.
_HEADS: dict[tuple[str, str, str, str, str], str] = {}
_HEADS_MAX = 4096
_LAST_PATH: list[tuple] = [(object(), "")]  # the last path written and its JSON text: a file's findings come together


_FIX_KEYS = ("description", "safety", "edits")
_EDIT_KEYS = ("start_line", "start_col", "end_line", "end_col", "replacement")


def _fix(fix: Any, pad: str) -> str:
    """indented(fix, pad), written directly for the shape lint.fix gives every fix (a
    description, a safety and a list of edits, keys in that order): nine findings in
    ten of a large report carry one, and walked as any value it was half the report's
    time.  Any other shape, or a value of another type, goes to indented()."""
    if type(fix) is not dict or tuple(fix) != _FIX_KEYS:
        return indented(fix, pad)
    description, safety, edits = fix["description"], fix["safety"], fix["edits"]
    if type(description) is not str or type(safety) is not str or type(edits) is not list or not edits:
        return indented(fix, pad)
    inner = pad + "  "
    item = inner + "  "
    field = item + "  "
    written = []
    for e in edits:
        if type(e) is not dict or tuple(e) != _EDIT_KEYS:
            return indented(fix, pad)
        start_line, start_col, end_line, end_col, replacement = e.values()
        if not (type(start_line) is int and type(start_col) is int and type(end_line) is int
                and type(end_col) is int and type(replacement) is str):
            return indented(fix, pad)
        written.append("{" + field + '"start_line": ' + int.__repr__(start_line) + "," + field + '"start_col": '
                       + int.__repr__(start_col) + "," + field + '"end_line": ' + int.__repr__(end_line) + ","
                       + field + '"end_col": ' + int.__repr__(end_col) + "," + field + '"replacement": '
                       + _string(replacement) + item + "}")
    return ("{" + inner + '"description": ' + _string(description) + "," + inner + '"safety": ' + _string(safety)
            + "," + inner + '"edits": [' + item + ("," + item).join(written) + inner + "]" + pad + "}")


def _int(value: int) -> str:
    if type(value) is not int:  # a bool or a numpy integer: json.dumps decides
        raise TypeError(type(value).__name__)
    return int.__repr__(value)


def indented(value: Any, pad: str = "\n") -> str:
    """json.dumps(value, indent=2, ensure_ascii=False) for the types a finding is made
    of, with `pad` starting each new line.  The standard library writes indented JSON
    in pure Python, a generator per level: three quarters of the report's time on a
    large corpus.  Values are told apart by their exact type, one lookup each; anything
    else raises TypeError."""
    scalar = _SCALARS.get(type(value))
    if scalar is not None:
        return scalar(value)
    inner = pad + "  "
    kind = type(value)
    if kind is dict:
        if not value:
            return "{}"
        # A key that is not a string makes _string raise TypeError: json.dumps converts it.
        return "{" + inner + ("," + inner).join([
            _string(k) + ": " + (s(v) if (s := _SCALARS.get(type(v))) is not None else indented(v, inner))
            for k, v in value.items()]) + pad + "}"
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        return "[" + inner + ("," + inner).join([
            s(v) if (s := _SCALARS.get(type(v))) is not None else indented(v, inner) for v in value]) + pad + "]"
    return _subclassed(value, pad)


def _subclassed(value: Any, pad: str) -> str:
    """indented() for subclasses of the JSON types (an IntEnum, a str subclass), written
    as the type they extend."""
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, int):  # bool cannot be subclassed: _SCALARS has it
        return int.__repr__(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, dict):
        return indented(dict(value), pad)
    if isinstance(value, (list, tuple)):
        return indented(list(value), pad)
    raise TypeError(f"not written here: {type(value).__name__}")


_FLOATS = {float("inf"): "Infinity", float("-inf"): "-Infinity"}


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    return _FLOATS.get(value) or float.__repr__(value)


_SCALARS = {
    str: _string,
    int: int.__repr__,
    float: _float,
    bool: lambda value: "true" if value else "false",
    type(None): lambda value: "null",
}
