"""A file that stops mid-sentence: a cut-off download, a failed conversion, a page limit.

The last line of text is found after skipping blank lines, lone bullets and closing
boilerplate (a subscribe consent line, "Leave a Reply", a copyright line), so a page
footer that lacks a full stop is not mistaken for a cut.  Headings, list items and
short closing lines (a signature, "Thanks for reading") are never called truncated.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

import regex

from lint.checks.literals import any_search, gated
from lint.checks.prose import ITEM, ends_sentence, is_lone_bullet, more_words_than
from lint.checks.base import DocumentCheck
from lint.document import Document
from lint.findings import Hit
from lint.params import regex_problem

_MID_WORD = regex.compile(r"(?r)(?:\b\w{1,2}|-)$")
_CUT_END = regex.compile(r"(?:^[\p{Ll}]|[,\-(\[\u201c\u2018\"]$|^\p{Ll})")
_REFERENCE = regex.compile(r"://|/|@|^www\.")


@dataclass(frozen=True)
class FileEndingParams:
    min_words: int = 10  # the last paragraph must have at least this many words to count as prose
    max_skip_words: int = 60  # closing boilerplate paragraphs longer than this are judged, not skipped
    # Closing lines skipped before judging the end: footers that are complete without a full stop.
    skip: tuple[str, ...] = (
        r"\b(?:subscribe|newsletter|privacy policy|terms of (?:use|service)|cookies?)\b",
        r"^\W*(?:leave a (?:reply|comment)|post a comment|\d+ comments?|comments?|share(?: this)?\b.*"
        r"|read more|continue reading|related (?:posts|articles)|tags?:.*|categor(?:y|ies):.*)\W*$",
        r"(?:^\W*(?:copyright|\u00a9|\(c\))\b|all rights reserved)",
        r"^\W*\*{3}.*\*{3}\W*$|^\W*end of (?:the )?project gutenberg",
        r"^\W*(?:https?://|www\.)\S+\W*$",
        r"^\W*[\w.+-]+@[\w-]+(?:\.[\w-]+)+\W*$",
    )

    def validate(self) -> str | None:
        if self.min_words < 1:
            return "'min_words' must be at least 1"
        return regex_problem(self.skip)

    @cached_property
    def gated_skip(self) -> tuple:
        """Each skip pattern behind its literal gate (see lint.checks.literals.any_search)."""
        return gated(self.skip, regex.IGNORECASE)


class FileEnding(DocumentCheck):
    Params = FileEndingParams

    def check(self, doc: Document, p: FileEndingParams) -> Iterator[Hit]:
        skip = p.gated_skip
        spans = doc.paragraph_spans
        k = len(spans) - 1
        # Closing boilerplate is skipped a whole paragraph at a time, so that the last
        # line of a wrapped sentence is never judged without the rest of it.
        while k >= 0 and _passed_over(doc, *spans[k], skip, p):
            k -= 1
        if k < 0:
            return
        first, end = spans[k]
        n = end
        # Lines of white space that `blank` counts as content (an em space, U+3000) hold no end either.
        while n > first and (doc.blank[n - 1] or is_lone_bullet(doc.lines[n - 1])
                             or doc.lines[n - 1].isspace()):
            n -= 1
        if n in doc.heading_at or n in doc.toc_lines:
            return
        line = doc.lines[n - 1].rstrip()
        if not line:
            return
        if line.startswith(("  ", "\t")):
            return  # indented: verse, a quotation, code or a list of corrections, not running prose
        if ends_sentence(line) or ITEM.match(line) or line.strip().startswith("|") or line.endswith("|"):
            return
        if not more_words_than(doc.span_text(first, end), p.min_words - 1):
            return
        last = line.split()[-1]
        # A cut leaves a lower-case word, a comma, an opening quote or bracket, or a
        # broken word; a capitalised last word ("by Charles Dickens", "Boston, MA 02110
        # USA"), a number, a URL or a path ends a name, an address or a reference.
        if not _CUT_END.search(last) or _REFERENCE.search(last):
            return
        cut = "mid-word" if _MID_WORD.search(line) else "mid-sentence"
        tail = line.strip()[-40:]
        yield Hit(n, n, {"cut": cut, "tail": tail}, key=tail)


def _passed_over(doc: Document, first: int, last: int, skip: tuple, p: FileEndingParams) -> bool:
    """Whether a closing paragraph is left out of the judgement: lone bullets, or a short
    one that a skip pattern matches."""
    if _is_lone(doc, first, last):
        return True
    if not skip:
        return False
    text = doc.span_text(first, last)
    return not more_words_than(text, p.max_skip_words) and any_search(text, skip)


def _is_lone(doc: Document, first: int, last: int) -> bool:
    return all(doc.blank[i - 1] or is_lone_bullet(doc.lines[i - 1]) for i in range(first, last + 1))
