"""The terminal report: one line per finding, then counts per rule and a summary line."""

from __future__ import annotations

from collections import Counter
from typing import Any

from lint.findings import Report

_COLOURS = {"error": "\x1b[31m", "warning": "\x1b[33m", "info": "\x1b[36m"}
_BOLD, _DIM, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"


def render(report: Report, *, colour: bool = False, statistics: bool = True, **_: Any) -> str:
    def paint(text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if colour else text

    out: list[str] = []
    for f in report.findings:
        where = f"{f.path}:{f.start_line}:{f.start_col or 1}:"
        sev = paint(f"[{f.severity}]", _COLOURS[f.severity])
        line = f"{paint(where, _BOLD)} {paint(f.rule, _BOLD)} {sev} {f.message}"
        if f.related:
            r = f.related[0]
            more = f" (+{len(f.related) - 1} more)" if len(f.related) > 1 else ""
            line += paint(f" [see {r.path}:{r.start_line}-{r.end_line}{more}]", _DIM)
        out.append(line)
    if statistics and report.findings:
        out.append("")
        counts = Counter((f.rule, f.name) for f in report.findings)
        width = len(str(max(counts.values())))
        for (code, name), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            out.append(f"{n:>{width}}  {code}  {name}")
    by_sev = Counter(f.severity for f in report.findings)
    total = len(report.findings)
    parts = [f"{by_sev[s]} {s if by_sev[s] == 1 or s == 'info' else s + 's'}" for s in ("error", "warning", "info") if by_sev[s]]
    noun = "finding" if total == 1 else "findings"
    files = "file" if report.files_scanned == 1 else "files"
    detail = f" ({', '.join(parts)})" if parts else ""
    out.append("")
    out.append(paint(f"Found {total} {noun}{detail} in {report.files_scanned} {files}.", _BOLD)
               if total else f"No findings in {report.files_scanned} {files}.")
    return "\n".join(out).lstrip("\n") + "\n"
