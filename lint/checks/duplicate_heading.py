"""The same heading twice in one file: a section pasted in twice, or an outline left in.

Numbered headings (chapters, N.N sections) are compared by number and title;
unnumbered ones, optionally, by title alone and only when they have a few words.
Headings meant to repeat ("Summary", "Conclusion" closing every section) and lines
that recur three or more times (running headers) are left alone.  The second and
later uses are reported, each pointing at the first.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from lint.checks._headings import GENERIC_TITLES, body_headings, heading_title, section_kind
from lint.checks.base import DocumentCheck
from lint.document import Document
from lint.findings import Hit, Related


@dataclass(frozen=True)
class DuplicateHeadingParams:
    numbered: bool = True  # compare numbered headings (True) or unnumbered ones (False)
    min_words: int = 3  # unnumbered headings shorter than this are never compared
    max_repeats: int = 2  # a heading line found more often than this is a running header
    generic: tuple[str, ...] = tuple(sorted(GENERIC_TITLES))  # titles meant to repeat


class DuplicateHeading(DocumentCheck):
    Params = DuplicateHeadingParams

    def check(self, doc: Document, p: DuplicateHeadingParams) -> Iterator[Hit]:
        heads = body_headings(doc)
        counts = Counter(h.text for h in heads)
        generic = set(p.generic)
        seen: dict[tuple, int] = {}
        for h in heads:
            numbered = section_kind(h) is not None
            if numbered != p.numbered or (not numbered and h.number):
                continue
            title = heading_title(h)
            if not title or title in generic or counts[h.text] > p.max_repeats:
                continue
            if not numbered and len(title.split()) < p.min_words:
                continue
            key = (h.number.upper() if numbered else None, title)
            if key in seen:
                yield Hit(h.line, h.line, {"heading": h.text, "first_line": seen[key]},
                          related=(Related(doc.path, seen[key], seen[key]),), key=h.text)
            else:
                seen[key] = h.line
