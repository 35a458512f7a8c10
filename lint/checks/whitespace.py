"""Invisible layout defects: trailing white space, runs of blank lines, leading blank
lines, a missing final newline and mixed line endings.

They change nothing a reader sees, which is why they survive review, but they break
diffs, exact-duplicate hashing and line-oriented tools.  Each kind is tiny; the
fixes are safe because they touch white space only.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import regex

from lint.checks.base import DocumentCheck
from lint.document import Document
from lint.findings import Hit
from lint.fix import delete_lines, edit, make_fix

_TRAILING = regex.compile(r"(?r)[ \t\u00a0\u3000]+$")


@dataclass(frozen=True)
class TrailingWhitespaceParams:
    blank_lines: bool = True  # also report lines that hold nothing but white space


class TrailingWhitespace(DocumentCheck):
    Params = TrailingWhitespaceParams

    def check(self, doc: Document, p: TrailingWhitespaceParams) -> Iterator[Hit]:
        for i, line in enumerate(doc.lines):
            if not line or line[-1] not in " \t\u00a0\u3000":
                continue
            if doc.blank[i] and not p.blank_lines:
                continue
            m = _TRAILING.search(line)
            if m is None:
                continue
            n = i + 1
            yield Hit(n, n, {"count": len(m.group())}, start_col=m.start() + 1, end_col=m.end() + 1,
                      key=line.strip() or "<blank>",
                      fix=make_fix("Remove trailing whitespace", [edit(n, m.start() + 1, n, m.end() + 1)]))


def _blank_runs(doc: Document) -> list[tuple[int, int]]:
    """(first, last) 1-based line numbers of every run of blank lines."""
    runs, start = [], None
    for i, b in enumerate(doc.blank):
        if b and start is None:
            start = i + 1
        elif not b and start is not None:
            runs.append((start, i))
            start = None
    if start is not None:
        runs.append((start, len(doc.lines)))
    return runs


@dataclass(frozen=True)
class BlankLineRunParams:
    min_run: int = 3  # this many blank lines in a row make a run
    # A file that separates every chapter with 3+ blank lines has a style, not a defect:
    # report runs only while they are rare (at most this many, and this share of all gaps,
    # though one run is always rare enough).
    max_runs: int = 3
    max_share: float = 0.05
    skip_paginated: bool = True  # form-feed files lay out pages with blank lines

    def validate(self) -> str | None:
        if self.min_run < 2:
            return "'min_run' must be at least 2"
        if not 0 <= self.max_share <= 1:
            return "'max_share' must be between 0 and 1"
        return None


class BlankLineRun(DocumentCheck):
    Params = BlankLineRunParams

    def check(self, doc: Document, p: BlankLineRunParams) -> Iterator[Hit]:
        if p.skip_paginated and doc.paginated:
            return
        total = len(doc.lines)
        runs = _blank_runs(doc)
        inner = [(a, b) for a, b in runs if a != 1 and b != total]
        big = [(a, b) for a, b in inner if b - a + 1 >= p.min_run]
        if not big or len(big) > p.max_runs or len(big) > max(1.0, p.max_share * len(inner)):
            return
        for a, b in big:
            yield Hit(a, b, {"count": b - a + 1}, key=doc.lines[a - 2].strip(),
                      fix=delete_lines(a + 1, b, "Collapse the blank lines to one"))


@dataclass(frozen=True)
class LeadingBlankLinesParams:
    skip_paginated: bool = True  # RFC-style files open with a blank line before the page header


class LeadingBlankLines(DocumentCheck):
    Params = LeadingBlankLinesParams

    def check(self, doc: Document, p: LeadingBlankLinesParams) -> Iterator[Hit]:
        if not doc.lines or not doc.blank[0] or doc.last_content_line() is None:
            return
        if p.skip_paginated and doc.paginated:
            return
        last = next(i for i, b in enumerate(doc.blank) if not b)  # 0-based first content = last blank 1-based
        yield Hit(1, last, {"count": last}, key="leading", fix=delete_lines(1, last, "Remove the leading blank lines"))


@dataclass(frozen=True)
class FinalNewlineParams:
    pass


class FinalNewline(DocumentCheck):
    Params = FinalNewlineParams

    def check(self, doc: Document, p: FinalNewlineParams) -> Iterator[Hit]:
        # The text, not source.final_newline: a fix pass re-lints edited text with the old Source.
        if not doc.text or doc.text.endswith("\n"):
            return
        n = len(doc.lines)
        end = len(doc.lines[-1]) + 1
        yield Hit(n, n, {}, start_col=end, end_col=end, key="final-newline",
                  fix=make_fix("Add a newline at the end of the file", [edit(n, end, n, end, "\n")]))


_ENDING = regex.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class LineEndingsParams:
    pass


class LineEndings(DocumentCheck):
    """Reports each run of lines in the minority line-ending style.

    The Source keeps only counts, so the ending of each line is read back from the
    file's bytes; when they cannot be read (text given in memory), one finding
    covers the file.
    """

    Params = LineEndingsParams

    def check(self, doc: Document, p: LineEndingsParams) -> Iterator[Hit]:
        src = doc.source
        counts = {"CRLF": src.crlf, "CR": src.cr, "LF": src.lf}
        used = [k for k, v in counts.items() if v]
        if len(used) < 2:
            return
        major = max(counts, key=lambda k: counts[k])
        endings = _read_endings(doc)
        if endings is None:
            minor = ", ".join(f"{counts[k]} {k}" for k in used if k != major)
            yield Hit(1, max(1, len(doc.lines)), {"style": minor, "major": major}, key="line-endings")
            return
        name = {"\r\n": "CRLF", "\r": "CR", "\n": "LF"}
        run_start = None
        run_style = None
        for k, ending in enumerate([*endings, None]):
            style = name.get(ending) if ending else None
            minority = style is not None and style != major
            if run_start is not None and (not minority or style != run_style):
                yield Hit(run_start, k, {"style": f"{k - run_start + 1} {run_style}", "major": major},
                          key=f"{run_style}:{doc.lines[run_start - 1].strip()}")
                run_start = None
            if minority and run_start is None:
                run_start, run_style = k + 1, style


def _read_endings(doc: Document) -> list[str] | None:
    """The line ending of each line, in order, from the file on disk; None if unavailable."""
    try:
        with open(doc.fs_path, "rb") as fh:
            data = fh.read()
    except OSError:
        return None
    enc = doc.source.encoding
    try:
        text = data.decode(enc + "-sig" if enc == "utf-8" else enc, errors="replace")
    except LookupError:
        return None
    if enc != "utf-8" and text.startswith("\ufeff"):
        text = text[1:]
    endings = _ENDING.findall(text)
    if len(endings) != doc.text.count("\n"):
        return None  # the file changed since it was loaded
    return endings
