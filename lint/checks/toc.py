"""A table of contents that disagrees with the body it lists.

Only what the contents claim to list is compared: if its entries are chapters and
N.N sections, N.N.N sub-sections in the body are allowed to be missing from it.
Titles are compared after normalisation (case, quotes, punctuation, markup), and a
title that shortens the other ("Alibaba's IPO" for "Alibaba's IPO: A Milestone")
still matches.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from lint.checks._headings import (body_headings, compatible, heading_title, normalise_title, normalised_lines,
                                  section_kind)
from lint.checks.base import DocumentCheck
from lint.document import Document, TocEntry
from lint.document import _CHAPTER  # the same chapter pattern the model uses for entries
from lint.findings import Hit


@dataclass(frozen=True)
class TocParams:
    # heading-not-listed: a numbered body heading of a kind the contents list, missing from them;
    # entry-without-heading: an entry whose title appears nowhere in the body;
    # title-mismatch: an entry whose number heads a body section with another title;
    # page-order: an entry whose page number is lower than the previous entry's.
    defect: Literal["heading-not-listed", "entry-without-heading", "title-mismatch", "page-order"]
    min_entries: int = 3  # contents with fewer entries are not compared

    def validate(self) -> str | None:
        return "'min_entries' must be at least 1" if self.min_entries < 1 else None


def entry_kind(entry: TocEntry) -> str | None:
    m = _CHAPTER.match(entry.text)
    if m:
        return m.group("word").casefold()
    if entry.number and "." in entry.number.strip("."):
        return f"dotted{entry.number.strip('.').count('.') + 1}"
    return None


def entry_title(entry: TocEntry) -> str:
    if entry.title == entry.text and _CHAPTER.match(entry.text):
        return ""  # "Chapter IV." with no title
    return normalise_title(entry.title)


class Toc(DocumentCheck):
    Params = TocParams

    def check(self, doc: Document, p: TocParams) -> Iterator[Hit]:
        toc = doc.toc
        if toc is None or len(toc.entries) < p.min_entries:
            return
        if p.defect == "page-order":
            yield from _page_order(toc.entries)
            return
        listed: dict[tuple[str, str], list[str]] = defaultdict(list)
        parents = set()  # numbers whose sub-sections the contents list ("3" when 3.1 is listed)
        titles = set()
        for e in toc.entries:
            t = entry_title(e)
            titles.add(t)
            kind = entry_kind(e)
            if kind:
                number = e.number.strip(".").upper()
                listed[(kind, number)].append(t)
                if "." in number:
                    parents.add(number.rsplit(".", 1)[0])
        heads = body_headings(doc)
        if p.defect == "heading-not-listed":
            kinds = {k for k, _ in listed}
            for h in heads:
                kind = section_kind(h)
                if kind is None or kind not in kinds:
                    continue
                if kind.startswith("dotted") and h.number.rsplit(".", 1)[0] not in parents:
                    continue  # the contents leave out all sub-sections of this section
                t = heading_title(h)
                if t and t in titles:
                    continue
                if any(not t or compatible(t, c) for c in listed.get((kind, h.number.upper()), [])):
                    continue
                yield Hit(h.line, h.line, {"heading": h.text}, key=h.text)
            return
        by_number: dict[tuple[str, str], list[str]] = defaultdict(list)
        for h in heads:
            kind = section_kind(h)
            if kind and h.number:
                by_number[(kind, h.number.upper())].append(heading_title(h))
        body = _Body(doc, toc.end_line)
        for e in toc.entries:
            t = entry_title(e)
            if not t:
                continue
            kind = entry_kind(e)
            found = by_number.get((kind, e.number.strip(".").upper()), []) if kind and e.number else []
            if p.defect == "title-mismatch":
                if found and not any(not c or compatible(t, c) for c in found) and not body.mentions(t):
                    yield Hit(e.line, e.line, {"entry": e.text, "heading": found[0], "number": e.number}, key=e.text)
            elif not found and not body.mentions(t):
                yield Hit(e.line, e.line, {"entry": e.text}, key=e.text)


class _Body:
    """The text after the contents, each line's title normalised, made when first asked:
    most entries are settled by a heading, and normalising every line of a book is
    most of what the check would otherwise cost."""

    def __init__(self, doc: Document, after: int):
        self.doc, self.after = doc, after

    def mentions(self, title: str) -> bool:
        return title in normalised_lines(self.doc, self.after)


def _page_order(entries: tuple[TocEntry, ...]) -> Iterator[Hit]:
    prev = None
    for e in entries:
        if e.page and e.page.isdigit():
            page = int(e.page)
            if prev is not None and page < prev:
                yield Hit(e.line, e.line, {"entry": e.text, "page": page, "previous": prev}, key=e.text)
            prev = page
