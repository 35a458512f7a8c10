"""Sentences cut in two by the layout: a paragraph break (blank lines, a lone bullet)
in the middle of a sentence, and a word hyphenated across a line break.

Both come from converting paged or HTML text: a page or <p> boundary fell inside a
sentence, or print hyphenation was kept after re-flowing.  Readers stumble and
sentence-level tools see two fragments.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import regex

from lint.checks.base import DocumentCheck
from lint.checks.prose import (
    ITEM,
    WORD,
    ends_sentence,
    is_lone_bullet,
    is_prose,
    next_nonblank,
    prev_nonblank,
)
from lint.document import Document
from lint.findings import Hit

_COLON_END = regex.compile(r"(?r):\**$")
_BULLET_BODY = regex.compile(r"^[-*+\u2022][ \t]+(.*)$")
_URL = regex.compile(r"^(?:https?://|www\.)")
_CREDIT = regex.compile(r"\bcredit:|REUTERS/|getty", regex.IGNORECASE)
# A TOC entry ending in a page number is not a sentence.
_TOC_TAIL = regex.compile(r"(?r)(?:\t+|(?:\.[ \t]?){2,}[ \t]*|\u2026{2,}[ \t]*|[ \t]{3,})(?:\d{1,4}|[ivxlc]{1,6})[ \t]*$")
# Words after which a sentence cannot stop: a gap after one of them is inside the sentence.
_FUNCTION_WORD = regex.compile(
    r"(?:the|a|an|of|to|and|or|in|on|for|with|by|as|into|from|that|this|these|his|her|their|its|"
    r"was|were|is|are|be|which|who|than|at|our|your|my|such|about|between|across|over)",
    regex.IGNORECASE,
)
_OPENERS = "\"\u201c\u2018'(["


@dataclass(frozen=True)
class BrokenParagraphParams:
    min_words: int = 8  # the line before the gap must be prose of at least this many words
    max_gap: int = 3  # blank or lone-bullet lines between the two halves
    skip_paginated: bool = True  # page breaks in form-feed files are the format


class BrokenParagraph(DocumentCheck):
    """Line A (prose, no sentence end) and line B after a gap, where B continues A.

    B continues A when it starts in lower case (A 10+ words, B 3+), or starts with a
    capital while A (15+ words, not title case) ends in a comma, a function word or
    a capitalised word (a name split in two).  A short line right under a heading is
    a subtitle or byline, not half a sentence.
    """

    Params = BrokenParagraphParams

    def check(self, doc: Document, p: BrokenParagraphParams) -> Iterator[Hit]:
        if p.skip_paginated and doc.paginated:
            return
        lines, blank, heads = doc.lines, doc.blank, doc.heading_at
        # The lines a gap (a blank line or a lone bullet) follows, in one pass.
        before_gaps = [i for i in range(len(lines) - 1)
                       if not blank[i] and (blank[i + 1] or is_lone_bullet(lines[i + 1]))]
        for i in before_gaps:
            s = lines[i]
            if ends_sentence(s) or (i + 1) in heads or not is_prose(s, p.min_words):  # cheapest first
                continue
            st = s.rstrip()
            if _COLON_END.search(st) or _TOC_TAIL.search(st):
                continue
            k = next_nonblank(lines, blank, i, skip_lone=True)
            if k is None or k - i > p.max_gap + 1 or (k + 1) in heads:
                continue
            t = lines[k]
            body = t.strip()
            if ITEM.match(t):
                mi = _BULLET_BODY.match(body)
                if not (mi and mi.group(1)[:1].islower()):
                    continue
                body = mi.group(1)
            if not body or body[0] in _OPENERS or _URL.match(body):
                continue
            if _CREDIT.search(st):
                continue
            pp = prev_nonblank(lines, blank, i)
            na, nb = len(st.split()), len(body.split())
            if pp >= 0 and (pp + 1) in heads and na < 15:
                continue
            if not _continues(st, body, na, nb):
                continue
            if is_prose(body, 3) or body[0].islower():
                yield Hit(i + 1, k + 1, {"tail": st[-30:].lstrip(), "head": body[:30].rstrip()},
                          key=f"{st[-40:]}|{body[:40]}")


def _continues(a: str, b: str, na: int, nb: int) -> bool:
    if b[0].islower():
        return na >= 10 and nb >= 3
    if not (na >= 15 and nb >= 8 and b[0].isupper()):
        return False
    if a.endswith(","):
        return True
    last = a.rstrip("*").split()[-1].strip("*_")
    if _FUNCTION_WORD.fullmatch(last):
        return True
    words = WORD.findall(a)
    title_case = sum(1 for w in words if w[0].isupper()) > 0.5 * max(1, len(words))
    return last[:1].isupper() and last.isalpha() and not last.isupper() and not title_case


_HYPHEN_END = regex.compile(r"(?r)(?<![\w-])(\p{L}{2,})-$")
_LOWER_START = regex.compile(r"^\s*(\p{Ll}{2,})\b")
_WORDS = regex.compile(r"\p{L}+")


@dataclass(frozen=True)
class HyphenatedBreakParams:
    # Only when the joined word also occurs unhyphenated in the same document, so
    # real compounds ("well-\nknown") are left alone.
    require_joined_elsewhere: bool = True


class HyphenatedBreak(DocumentCheck):
    Params = HyphenatedBreakParams

    def check(self, doc: Document, p: HyphenatedBreakParams) -> Iterator[Hit]:
        vocab: Counter | None = None
        lines = doc.lines
        for i in range(len(lines) - 1):
            s = lines[i].rstrip()
            if not s.endswith("-"):
                continue
            m = _HYPHEN_END.search(s)
            if not m:
                continue
            nxt = _LOWER_START.match(lines[i + 1])
            if not nxt:
                continue
            joined = (m.group(1) + nxt.group(1)).casefold()
            if p.require_joined_elsewhere:
                if vocab is None:
                    vocab = Counter(w.casefold() for w in _WORDS.findall(doc.text))
                if not vocab[joined]:
                    continue
            yield Hit(i + 1, i + 2, {"first": m.group(1), "second": nxt.group(1)},
                      start_col=m.start() + 1, key=f"{m.group(1)}-{nxt.group(1)}")
