"""Applying fixes: text edits that checks attach to their hits, written back atomically.

A fix is a dict on a Hit (and in the JSON report), so a reader can see what it
would do:

    {"description": "Remove trailing whitespace", "safety": "safe",
     "edits": [{"start_line": 3, "start_col": 41, "end_line": 3, "end_col": 44, "replacement": ""}]}

Columns are 1-based and the end is exclusive; an edit may span lines (end_line/end_col
past a line end deletes the newline).  `safe` fixes cannot change what the text
says; `unsafe` ones delete content (boilerplate blocks) and run only when asked.
Files keep their encoding, byte order mark and line endings.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from lint.atomic import write_atomic
from lint.findings import Finding

SAFETIES = ("safe", "unsafe")
MAX_PASSES = 6  # fixes can uncover or enable others (a blank run shrinks after a bullet goes)


def edit(start_line: int, start_col: int, end_line: int, end_col: int, replacement: str = "") -> dict[str, Any]:
    return {"start_line": start_line, "start_col": start_col, "end_line": end_line, "end_col": end_col,
            "replacement": replacement}


def make_fix(description: str, edits: list[dict[str, Any]], safety: str = "safe") -> dict[str, Any]:
    assert safety in SAFETIES
    return {"description": description, "safety": safety, "edits": edits}


def delete_lines(first: int, last: int, description: str, safety: str = "safe") -> dict[str, Any]:
    """Remove whole lines `first`..`last`, newline included."""
    return make_fix(description, [edit(first, 1, last + 1, 1)], safety)


@dataclass
class FileFix:
    path: str
    before: str
    after: str
    applied: int
    source: Any  # the decoded original: its encoding, BOM and line endings are kept


def _offset(starts: list[int], text_len: int, line: int, col: int) -> int:
    if line > len(starts):  # one past the last line: the end of the text
        return text_len
    return min(starts[line - 1] + col - 1, text_len)


def apply_edits(text: str, edits: list[dict[str, Any]]) -> tuple[str, int]:
    """Apply non-overlapping edits (later ones that overlap an earlier one are skipped)."""
    starts = [0]
    pos = text.find("\n")
    while pos != -1:
        starts.append(pos + 1)
        pos = text.find("\n", pos + 1)
    spans = []
    for e in edits:
        a = _offset(starts, len(text), e["start_line"], e["start_col"])
        b = _offset(starts, len(text), e["end_line"], e["end_col"])
        spans.append((a, max(a, b), e.get("replacement", "")))
    spans.sort(key=lambda s: (s[0], s[1]))
    out, cursor, applied = [], 0, 0
    for a, b, replacement in spans:
        if a < cursor:
            continue  # overlaps an edit already taken; the next pass will revisit it
        out.append(text[cursor:a])
        out.append(replacement)
        cursor = b
        applied += 1
    out.append(text[cursor:])
    return "".join(out), applied


def allowed(fix: dict[str, Any] | None, unsafe: bool) -> bool:
    return bool(fix) and (fix.get("safety") == "safe" or unsafe)


def plan(findings: list[Finding], unsafe: bool) -> dict[str, list[dict[str, Any]]]:
    """Edits per file from the findings whose fixes may run."""
    edits: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in findings:
        if allowed(f.fix, unsafe):
            edits[f.path].extend(f.fix["edits"])
    return edits


def encode_like(text: str, source: Any) -> bytes:
    """Text back to bytes in the file's own encoding, BOM and dominant line ending."""
    newline = source.newline
    if newline != "\n":
        text = text.replace("\n", newline)
    encoding = source.encoding
    data = text.encode(encoding, errors="surrogateescape" if encoding == "utf-8" else "strict")
    if source.bom:
        import codecs

        bom = {"utf-8": codecs.BOM_UTF8, "utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE,
               "utf-32-le": codecs.BOM_UTF32_LE, "utf-32-be": codecs.BOM_UTF32_BE}[encoding]
        data = bom + data
    return data


def unified_diff(path: str, before: str, after: str) -> str:
    return "".join(difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True),
        fromfile=f"a/{path}", tofile=f"b/{path}",
    ))


def write(fs_path: str, text: str, source: Any) -> None:
    write_atomic(fs_path, encode_like(text, source))


def fix_report(report: Any, rules: list[Any], cfg: Any, unsafe: bool) -> list[FileFix]:
    """Apply the fixes of `report` file by file, re-linting in memory until nothing changes.

    Only per-document rules take part in the later passes; the caller lints the
    whole corpus again afterwards to report what is left.
    """
    from dataclasses import replace

    from lint.document import Document
    from lint.engine import lint_documents
    from lint.errors import DoclintError
    from lint.load import load

    doc_rules = [r for r in rules if not r.is_corpus]
    by_path: dict[str, list[Finding]] = defaultdict(list)
    for f in report.findings:
        by_path[f.path].append(f)
    out: list[FileFix] = []
    for path in sorted(p for p, fs in by_path.items() if any(allowed(f.fix, unsafe) for f in fs)):
        try:
            source = load(path)
        except DoclintError:
            continue
        if source.decode_errors:
            continue  # writing back would turn undecodable bytes into U+FFFD
        text, findings, applied = source.text, by_path[path], 0
        for _ in range(MAX_PASSES):
            edits = plan(findings, unsafe).get(path, [])
            new, n = apply_edits(text, edits)
            if not n or new == text:
                break
            text, applied = new, applied + n
            findings = lint_documents([Document(path, replace(source, text=text))], doc_rules, cfg)
        if text != source.text:
            out.append(FileFix(path, source.text, text, applied, source))
    return out


def write_fixes(fixes: list[FileFix]) -> None:
    for fx in fixes:
        write(fx.path, fx.after, fx.source)
