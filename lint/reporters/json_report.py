"""The JSON report: exactly the contract in findings.schema.json (schema_version 1)."""

from __future__ import annotations

import json
from typing import Any

from lint.findings import Report

SCHEMA_VERSION = 1


def as_dict(report: Report) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "doclint", "version": report.version},
        "files_scanned": report.files_scanned,
        "findings": [f.to_dict() for f in report.findings],
        "summary": report.summary(),
    }


def render(report: Report, **_: Any) -> str:
    return json.dumps(as_dict(report), indent=2, ensure_ascii=False) + "\n"
