"""The JSON report: exactly the contract in findings.schema.json (schema_version 1)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from lint.findings import Report

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
    """The report's text a finding at a time, exactly as json.dumps(as_dict(report),
    indent=2) writes it: a million findings never exist as one list of dicts and one string."""
    text = json.dumps(_envelope(report, []), indent=2, ensure_ascii=False)
    if not report.findings:
        yield text + "\n"
        return
    before, after = text.split('"findings": []', 1)
    yield before + '"findings": ['
    for i, finding in enumerate(report.findings):
        item = json.dumps(finding.to_dict(), indent=2, ensure_ascii=False).replace("\n", "\n    ")
        yield ("," if i else "") + "\n    " + item
    yield "\n  ]" + after + "\n"

