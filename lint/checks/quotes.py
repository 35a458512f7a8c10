"""Straight and curly quotes mixed in one document.

A text that uses one style throughout and the other on a few lines was pasted
together from different sources or partly re-typeset; the odd lines are the
finding.  A document that mixes the styles evenly has no majority to follow and is
left alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import regex

from lint.checks.base import DocumentCheck
from lint.checks.literals import any_found, find
from lint.document import Document
from lint.findings import Hit

# A straight double quote anywhere; a straight apostrophe only where it can be a
# quote or an elision (word'word, ' word, word ').  Primes after digits are not counted.
_STRAIGHT = regex.compile(r"\"|(?<=\p{L})'(?=\p{L})|(?<=\s)'(?=\p{L})|(?<=\p{L})'(?=\s)")
# The same over the whole text: the white space around an apostrophe is never the
# newline, which a line searched alone does not have.
_STRAIGHT_IN_TEXT = regex.compile(r"\"|(?<=\p{L})'(?=\p{L})|(?<=[^\S\n])'(?=\p{L})|(?<=\p{L})'(?=[^\S\n])")
_CURLY_CHARS = "\u2018\u2019\u201c\u201d"
_CURLY = regex.compile(f"[{_CURLY_CHARS}]")
_CURLY_LITERALS = frozenset(_CURLY_CHARS)  # looked up in the document's literal scan


@dataclass(frozen=True)
class MixedQuotesParams:
    max_share: float = 0.15  # the minority style may be on at most this share of quote-bearing lines
    max_lines: int = 50  # and on at most this many lines; beyond that the mix is the style
    min_lines: int = 10  # quote-bearing lines needed before a majority means anything

    def validate(self) -> str | None:
        if not 0 < self.max_share < 0.5:
            return "'max_share' must be between 0 and 0.5"
        return None


class MixedQuotes(DocumentCheck):
    Params = MixedQuotesParams

    def literals(self, p: MixedQuotesParams) -> frozenset[str]:
        return _CURLY_LITERALS

    def check(self, doc: Document, p: MixedQuotesParams) -> Iterator[Hit]:
        # Both styles must occur; a text with only one (most of them) needs no line read.
        if not any_found(doc, _CURLY_LITERALS):
            return
        if '"' not in doc.text and "'" not in doc.text:
            return
        # The lines of each style, from one search of the text and the literal scan,
        # not a search of every line for each.
        curly = sorted(n - 1 for n in find(doc, _CURLY_LITERALS).lines(doc, _CURLY_LITERALS))
        # A minority is on at most this many lines (the quote-bearing lines are at most
        # all of them): when the curly lines are more, only a straight minority can be
        # reported, and the search for straight quotes stops as soon as they are more too.
        cap = min(p.max_lines, p.max_share * len(doc.lines))
        straight = _lines_with(doc, _STRAIGHT_IN_TEXT, cap if len(curly) > cap else None)
        if not straight or not curly:
            return
        if len(curly) < len(straight):
            minority, style, other, rx = curly, "curly", "straight", _CURLY
        else:
            minority, style, other, rx = straight, "straight", "curly", _STRAIGHT
        total = len(set(straight) | set(curly))
        if total < p.min_lines or len(minority) > p.max_share * total or len(minority) > p.max_lines:
            return
        majority = total - len(minority)
        for i in minority:
            line = doc.lines[i]
            m = rx.search(line)
            yield Hit(i + 1, i + 1, {"style": style, "other": other, "lines": majority},
                      start_col=m.start() + 1, end_col=m.end() + 1, key=line.strip())


def _lines_with(doc: Document, rx: regex.Pattern, limit: float | None = None) -> list[int] | None:
    """0-based numbers of the lines that rx matches on, searching on from the next line
    after each match; None as soon as they are more than `limit`.  Every match of rx is
    one straight quote: the quotes are found with str.find, which runs at memory speed,
    and rx is tried at each in turn, where a search had the regex engine step through
    every character between them."""
    text, starts = doc.text, doc.line_starts
    found: list[int] = []
    pos = 0
    double, single = text.find('"'), text.find("'")
    while True:
        if double != -1 and double < pos:
            double = text.find('"', pos)
        if single != -1 and single < pos:
            single = text.find("'", pos)
        if double == -1 and single == -1:
            return found
        at = single if double == -1 or (single != -1 and single < double) else double
        if rx.match(text, at) is None:  # an apostrophe that is neither quote nor elision: go on after it
            pos = at + 1
            continue
        line = doc.line_of(at)
        found.append(line - 1)
        if limit is not None and len(found) > limit:
            return None
        if line >= len(starts):
            return found
        pos = starts[line]
