"""A paragraph that stops mid-sentence right before a heading: text lost inside a file.

The e-book in the seed corpus has such cuts inside chapters ("... stretches far
beyond" and then "11.1 Alibaba in Logistics").  Only prose lines of some length are
judged, never list items, code or markup, contents entries or page furniture, and
only when the next thing is a marked heading (number, chapter word or '#').
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import regex

from lint.checks.prose import ITEM, ends_sentence, is_structural, next_content
from lint.checks.base import DocumentCheck
from lint.document import Document
from lint.findings import Hit

_NOT_PROSE = regex.compile(r"[{}<>=/\\|]|\.\s?\.\s?\.|\t|\S {3,}\S")


@dataclass(frozen=True)
class CutParagraphParams:
    min_words: int = 12  # the cut line must have at least this many words

    def validate(self) -> str | None:
        return "'min_words' must be at least 1" if self.min_words < 1 else None


class CutParagraph(DocumentCheck):
    Params = CutParagraphParams

    def check(self, doc: Document, p: CutParagraphParams) -> Iterator[Hit]:
        heading_at, lines, blank = doc.heading_at, doc.lines, doc.blank
        toc, furniture = doc.toc_lines, doc.furniture
        for h in doc.headings:
            if not is_structural(h):
                continue
            n = h.line - 1
            while n >= 1 and blank[n - 1]:
                n -= 1
            if n < 1 or n in heading_at or n in toc or n in furniture:
                continue
            line = lines[n - 1]
            if ends_sentence(line) or len(line.split()) < p.min_words or ITEM.match(line):  # the cheapest first
                continue
            if _NOT_PROSE.search(line.strip()):
                continue
            words = line.split()
            if sum(1 for w in words if w[:1].isalpha() and w[:1].islower()) < len(words) / 2:
                continue  # hex dumps, tables, title-cased lines: not running prose
            if next_content(doc, n) != h.line:
                continue
            tail = line.strip()[-40:]
            yield Hit(n, n, {"tail": tail, "heading": h.text}, key=line.strip())
