"""Print layout left in a table of contents: dot leaders and page numbers.

An e-text has no pages, so "Chapter 3 ........ 41" points nowhere; the leader and
the number are residue of the print edition or a word processor's TOC field.
Paginated files (form feeds, as in RFCs) really have pages and are skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import regex

from lint.checks.base import DocumentCheck
from lint.checks.literals import find
from lint.document import PAGE_END, Document
from lint.findings import Hit
from lint.fix import edit, make_fix

_PAGE = r"(?:\d{1,4}|[ivxlcIVXLC]{1,6})"
# A leader (three or more dots, spaced dots, ellipses, underscores) then a page number,
# or a long leader followed by a tab.  Group "cut" starts right after the entry's text.
_LEADER = regex.compile(
    rf"(?<=\S)(?P<cut>[ \t]*(?:\.{{3,}}|\u2026{{2,}}|(?:\. ){{3,}}\.?|_{{4,}})[ \t]*{_PAGE}[ \t]*$"
    rf"|[ \t]*(?:\.{{4,}}|\u2026{{2,}})[ \t]*\t.*$)"
)
# The separator and page number of an entry without a leader: a tab or 2+ spaces.
_PAGE_TAIL = regex.compile(rf"(?r)(?<=\S)(?:[ \t]*\t[ \t]*|[ \t]{{2,}}){_PAGE}[ \t]*$")


@dataclass(frozen=True)
class TocDotLeaderParams:
    skip_paginated: bool = True


class TocDotLeader(DocumentCheck):
    Params = TocDotLeaderParams

    def literals(self, p: TocDotLeaderParams) -> frozenset[str]:
        return _LEADER_MARKS

    def check(self, doc: Document, p: TocDotLeaderParams) -> Iterator[Hit]:
        if p.skip_paginated and doc.paginated:
            return
        for n in sorted(find(doc, _LEADER_MARKS).lines(doc, _LEADER_MARKS)):
            line = doc.lines[n - 1]
            if not _may_end_in_leader(line):
                continue
            m = _LEADER.search(line)
            if m is None:
                continue
            entry = line[: m.start()].strip()
            yield Hit(n, n, {"entry": entry[:60]}, start_col=m.start() + 1, end_col=len(line) + 1, key=entry,
                      fix=make_fix("Remove the dot leader and page number",
                                   [edit(n, m.start() + 1, n, len(line) + 1)]))


def _may_end_in_leader(line: str) -> bool:
    """Whether _LEADER may match: a leader then a tab, or a line that ends, but for
    spaces and tabs, in what a page number ends in (an ASCII digit or roman numeral,
    or anything beyond ASCII, left to the pattern).  A line of prose with an ellipsis
    in it is passed over without the pattern tried at each of its characters."""
    if "\t" in line:
        return True
    last = line.rstrip(" \t")[-1:]
    return bool(last) and (last in PAGE_END or last >= "\x80")


# Every leader holds one of these (none spans a line break).  They join the literals
# of the pattern rules' gates, so the one scan of a document finds them too.
_LEADER_MARKS = frozenset({"...", ". . .", "\u2026\u2026", "____"})


@dataclass(frozen=True)
class TocPageNumberParams:
    skip_paginated: bool = True


class TocPageNumber(DocumentCheck):
    """Entries of the detected table of contents that end in a page number (no leader:
    lines with a leader are toc-dot-leader's)."""

    Params = TocPageNumberParams

    def check(self, doc: Document, p: TocPageNumberParams) -> Iterator[Hit]:
        toc = doc.toc
        if toc is None or (p.skip_paginated and doc.paginated):
            return
        for e in toc.entries:
            if e.page is None:
                continue
            line = doc.lines[e.line - 1]
            if _LEADER.search(line):
                continue
            m = _PAGE_TAIL.search(line)
            if m is None:
                continue  # "man3/queue.3": a number glued to the text is not a page
            end = len(line) + 1
            yield Hit(e.line, e.line, {"page": e.page, "entry": e.text[:60]}, start_col=m.start() + 1,
                      end_col=end, key=e.text,
                      fix=make_fix("Remove the page number", [edit(e.line, m.start() + 1, e.line, end)]))
