"""Helpers the truncation kinds share: what ends a sentence, what is a list item or a structural heading."""

from __future__ import annotations

import regex

from lint.document import Document, Heading

# A line that ends a sentence (or a clause that may end a block): closing punctuation,
# a closing quote or bracket, a dash, optionally followed by emphasis markers.
TERMINAL = regex.compile(r"""(?:[.!?\u2026:;"\u201d\u2019')\]\u00bb]|--|[\u2014\u2013])[*_]*\s*$""")
LIST_ITEM = regex.compile(r"^\s*(?:[-*+\u2022\u25e6\u25aa\u25cf\u25a0\u25ba\u2023\u2013]|\d{1,3}[.)]|[a-zA-Z][.)])\s+\S")
LONE_BULLET = regex.compile(r"^\s*(?:[-*+\u2022\u25e6\u25aa\u25cf\u25a0\u25ba\u2023\u2013\u00b7]|\d{1,3}[.)])\s*$")


def ends_sentence(line: str) -> bool:
    return TERMINAL.search(line) is not None


def is_structural(h: Heading) -> bool:
    """A heading marked as one: Markdown '#', a chapter word, or a section number.

    Unnumbered title-like lines are recognised by shape alone, too uncertain for
    deciding that something is missing around them.
    """
    return h.kind in ("markdown", "chapter", "numbered")


def next_content(doc: Document, line: int) -> int | None:
    """The next line after `line` that is neither blank nor a lone bullet, or None at the end."""
    for n in range(line + 1, len(doc.lines) + 1):
        if not doc.blank[n - 1] and not LONE_BULLET.match(doc.lines[n - 1]):
            return n
    return None


def prev_content(doc: Document, line: int) -> int | None:
    for n in range(line - 1, 0, -1):
        if not doc.blank[n - 1] and not LONE_BULLET.match(doc.lines[n - 1]):
            return n
    return None
