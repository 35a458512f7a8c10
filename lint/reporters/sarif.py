"""SARIF 2.1.0, as GitHub code scanning reads it: rule metadata, locations, fingerprints."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from lint.findings import Finding, Report

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/doclint/"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _uri(path: str) -> str:
    return quote(path, safe="/:")


def _region(start: int, end: int, start_col: int | None = None, end_col: int | None = None) -> dict[str, Any]:
    region: dict[str, Any] = {"startLine": start, "endLine": max(start, end)}
    if start_col is not None:
        region["startColumn"] = start_col
    if end_col is not None and start == end and (start_col is None or end_col > start_col):
        region["endColumn"] = end_col
    return region


def _location(path: str, region: dict[str, Any]) -> dict[str, Any]:
    uri = {"uri": _uri(path)}
    if not path.startswith("/"):
        uri["uriBaseId"] = "%SRCROOT%"
    return {"physicalLocation": {"artifactLocation": uri, "region": region}}


def _rule(rule: Any) -> dict[str, Any]:
    doc = rule.doc
    markdown = "\n\n".join(
        f"**{title}**\n\n{doc[key]}" for key, title in
        (("what", "What it finds"), ("why", "Why it matters"), ("fix", "How to fix")) if doc.get(key))
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": doc.get("what", rule.summary)},
        "help": {"text": markdown.replace("**", ""), "markdown": markdown},
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        "properties": {"category": rule.category, "status": rule.status, "tags": [rule.category]},
    }


def _result(f: Finding, rule_index: dict[str, int]) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": f.rule,
        "level": _LEVEL[f.severity],
        "message": {"text": f.message},
        "locations": [_location(f.path, _region(f.start_line, f.end_line, f.start_col, f.end_col))],
        "partialFingerprints": {"doclintFingerprint/v1": f.fingerprint},
        "properties": {"name": f.name, "category": f.category},
    }
    if f.rule in rule_index:
        result["ruleIndex"] = rule_index[f.rule]
    if f.related:
        result["relatedLocations"] = []
        for i, r in enumerate(f.related):
            loc = _location(r.path, _region(r.start_line, r.end_line))
            loc["id"] = i + 1
            text = "other copy" if r.similarity is None else f"other copy (similarity {r.similarity:.2f})"
            loc["message"] = {"text": text}
            result["relatedLocations"].append(loc)
    if f.fix is not None:
        result["properties"]["fix"] = f.fix
    return result


def as_dict(report: Report) -> dict[str, Any]:
    rules = [report.rules[code] for code in sorted(report.rules)]
    rule_index = {r.code: i for i, r in enumerate(rules)}
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "doclint",
                "version": report.version,
                "semanticVersion": report.version,
                "informationUri": INFORMATION_URI,
                "rules": [_rule(r) for r in rules],
            }},
            "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The folder doclint ran in."}}},
            "results": [_result(f, rule_index) for f in report.findings],
            "columnKind": "unicodeCodePoints",
        }],
    }


def render(report: Report, **_: Any) -> str:
    return json.dumps(as_dict(report), indent=2, ensure_ascii=False) + "\n"
