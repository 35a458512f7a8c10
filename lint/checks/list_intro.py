"""A list introduction ("... as follows:") with no list after it: the items were lost.

The intro is reported when the next thing is a heading or the end of the file.  An
intro followed by a quotation, a paragraph or a table is left alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

import regex

from lint.checks.prose import ITEM, next_content
from lint.checks.base import DocumentCheck
from lint.document import Document
from lint.findings import Hit


@dataclass(frozen=True)
class ListIntroParams:
    phrases: tuple[str, ...] = (
        r"as follows", r"the following(?: \w+)?", r"following (?:steps|points|ways|reasons|items) are",
        r"include[sd]?", r"these (?:are|include)", r"below", r"such as", r"here (?:are|is)",
    )

    def validate(self) -> str | None:
        try:
            self.compiled
        except regex.error as exc:
            return f"'phrases' do not compile: {exc}"
        return None

    @cached_property
    def compiled(self) -> regex.Pattern:
        alts = "|".join(f"(?:{p})" for p in self.phrases)
        # The phrase may come anywhere in the clause the colon ends ("here are answers to
        # the top 10 questions, based on ...:"), but not in an earlier sentence.
        return regex.compile(rf"\b(?:{alts})\b[^.!?]{{0,200}}:[*_]*\s*$", regex.IGNORECASE)


class ListIntro(DocumentCheck):
    Params = ListIntroParams

    def check(self, doc: Document, p: ListIntroParams) -> Iterator[Hit]:
        heading_at = doc.heading_at
        for i, line in enumerate(doc.lines):
            if not line.rstrip().endswith((":", ":**", ":_")) or ITEM.match(line):
                continue
            if not p.compiled.search(line):
                continue
            n = i + 1
            if n in heading_at or n in doc.toc_lines:
                continue
            k = next_content(doc, n)
            if k is None or (k in heading_at and not ITEM.match(doc.lines[k - 1])):
                yield Hit(n, n, {"intro": line.strip()[-50:]}, key=line.strip())
