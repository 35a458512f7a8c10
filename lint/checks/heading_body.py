"""A heading with nothing under it: the next thing is another heading of the same or a
higher level, or the end of the file.

Only headings marked as such (Markdown '#', a chapter word, a section number) are
judged.  A parent heading followed by its first sub-heading has a body (its
sub-sections), and a run of three or more headings is a list of contents, not a
series of empty sections.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import regex

from lint.checks.prose import is_structural, next_content, prev_content
from lint.checks.base import DocumentCheck
from lint.document import Document
from lint.findings import Hit


_CONTAINER = regex.compile(r"^\W*(?:part|book|volume)\b", regex.IGNORECASE)


@dataclass(frozen=True)
class HeadingBodyParams:
    at_end: bool = True  # also report a heading that ends the file
    # Deeper sections (4.5.3.2.2 in an RFC) often carry their content in the title
    # ("MAIL Command: 5 Minutes"); headings with more number parts are not judged.
    max_depth: int = 3


class HeadingBody(DocumentCheck):
    Params = HeadingBodyParams

    def check(self, doc: Document, p: HeadingBodyParams) -> Iterator[Hit]:
        heading_at = doc.heading_at
        for h in doc.headings:
            if not is_structural(h) or (h.kind == "numbered" and "." not in (h.number or "")):
                continue  # "1. Point" local headings introduce a paragraph, often on the same topic
            if h.number and h.number.count(".") + 1 > p.max_depth:
                continue
            k = next_content(doc, h.line)
            if k is None:
                if p.at_end:
                    yield Hit(h.line, h.line, {"heading": h.text, "next": "the end of the file"}, key=h.text)
                continue
            nxt = heading_at.get(k)
            if nxt is None or not is_structural(nxt) or nxt.level > h.level:
                continue
            if _CONTAINER.match(h.text) and not _CONTAINER.match(nxt.text):
                continue  # "PART ONE" followed by its first chapter
            before = prev_content(doc, h.line)
            after = next_content(doc, k)
            if (before is not None and before in heading_at) or (after is not None and after in heading_at):
                continue  # three headings in a row: a contents list
            yield Hit(h.line, h.line, {"heading": h.text, "next": f"\u201c{nxt.text}\u201d"}, key=h.text)
