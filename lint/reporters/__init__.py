"""One module per output format; each renders the same Report and decides nothing else."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from lint.findings import Report


def _text(report: Report, **options: Any) -> str:
    from lint.reporters import text

    return text.render(report, **options)


def _json(report: Report, **options: Any) -> str:
    from lint.reporters import json_report

    return json_report.render(report, **options)


def _github(report: Report, **options: Any) -> str:
    from lint.reporters import github

    return github.render(report, **options)


def _sarif(report: Report, **options: Any) -> str:
    from lint.reporters import sarif

    return sarif.render(report, **options)


def _html(report: Report, **options: Any) -> str:
    from lint.reporters import html

    return html.render(report, **options)


# Imported lazily: the HTML reporter pulls in jinja2, which a pre-commit run never needs.
FORMATS: dict[str, Callable[..., str]] = {
    "text": _text,
    "json": _json,
    "github": _github,
    "sarif": _sarif,
    "html": _html,
}


def render(report: Report, fmt: str, **options: Any) -> str:
    return FORMATS[fmt](report, **options)


def render_chunks(report: Report, fmt: str, **options: Any) -> Iterable[str]:
    """The report in pieces to write one after another: a JSON report of a large corpus is
    never one string in memory.  Other formats come in one piece."""
    if fmt == "json":
        from lint.reporters import json_report

        return json_report.chunks(report, **options)
    return [render(report, fmt, **options)]
