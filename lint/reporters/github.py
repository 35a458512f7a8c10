"""GitHub Actions workflow commands, so findings appear as annotations on the pull request."""

from __future__ import annotations

from typing import Any

from lint.findings import Report

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Report, **_: Any) -> str:
    out = []
    for f in report.findings:
        props = [f"file={_escape_property(f.path)}", f"line={f.start_line}", f"endLine={f.end_line}"]
        if f.start_col is not None and f.start_line == f.end_line:
            props.append(f"col={f.start_col}")
            if f.end_col is not None:
                props.append(f"endColumn={f.end_col}")
        props.append(f"title={_escape_property(f'{f.rule} {f.name}')}")
        out.append(f"::{_LEVEL[f.severity]} {','.join(props)}::{_escape_data(f.message)}")
    return "\n".join(out) + ("\n" if out else "")
