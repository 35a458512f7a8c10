"""Line-level predicates shared by the formatting and truncation kinds (not a check kind itself).

Scraped and converted text rarely has reliable structure, so these are small,
conservative tests on one line: is it a list item, a lone bullet, prose, does it
end a sentence; and where the next or previous line of content is.  Everything
is compiled once, at import.
"""

from __future__ import annotations

import regex

from lint.document import Document, Heading

# A list item: indent, marker (bullet glyph, number or letter) and a body.
MARKER = r"[-*+\u2022\u25e6\u25aa\u25cf\u25a0\u25ba\u2023\u2013]|\d{1,3}[.)]|[a-zA-Z][.)]"
ITEM = regex.compile(rf"^(?P<ind>[ \t]*)(?P<mk>{MARKER})[ \t]+(?P<body>\S.*)$")
# A list marker with nothing after it: what is left when an HTML <li> lost its text.
LONE_BULLET = regex.compile(r"^[ \t]*(?:[-*+\u2022\u25e6\u25aa\u25cf\u25a0\u25ba\u2023\u2013\u00b7]|\d{1,3}[.)])[ \t]*$")
GLYPHS = "\u2022\u25e6\u25aa\u25cf\u25a0\u25ba\u2023"
# How a sentence (or a clause that may stand before a gap) ends, emphasis markers allowed after it.
TERMINAL = regex.compile(r"""(?r)(?:[.!?\u2026:;"\u201d\u2019')\]\u00bb]|--|[\u2014\u2013])[*_]*\s*$""")
WORD = regex.compile(r"[A-Za-z][A-Za-z'\u2019\-]*")
COMMENT_STAR = regex.compile(r"^\s*\*(?:\s|$)")
COMMENT_EDGE = regex.compile(r"^\s*(?:/\*|\*/)")


def is_lone_bullet(line: str) -> bool:
    """Whether a line is a list marker alone (LONE_BULLET).  Such a line is at most four
    characters besides spaces and tabs: most lines are settled by their length, without
    the pattern."""
    return len(line.strip(" \t")) <= 4 and LONE_BULLET.match(line) is not None


def ends_sentence(line: str) -> bool:
    """TERMINAL.search(line) is not None, by string methods: called on most lines of a
    text, where the pattern's search cost three times as much."""
    body = line.rstrip(_WHITE_SPACE).rstrip("*_")
    return body[-1:] in _TERMINAL_CHARS if body[-1:] != "-" else body.endswith("--")


# The characters the regex module's \s matches (Unicode White_Space); str.split and
# str.strip would also take U+001C..U+001F.
_WHITE_SPACE = ("\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
                "\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
_TERMINAL_CHARS = frozenset(".!?\u2026:;\"\u201d\u2019')]\u00bb\u2014\u2013")


def more_words_than(text: str, limit: int) -> bool:
    """len(text.split()) > limit, without splitting more of the text than that takes.

    A text of at most 2 x limit characters holds at most limit words (each but the last
    needs a separator after it), and a longer one is split only limit times: a scraped
    paragraph of a few hundred words, whole, cost 7 us for every unit that the
    boilerplate rules, which take units of at most some number of words, looked at."""
    if len(text) <= 2 * limit:
        return False
    return len(text.split(maxsplit=limit)) > limit


def is_prose(line: str, min_words: int = 8) -> bool:
    s = line.strip()
    return len(s.split()) >= min_words and not is_lone_bullet(s)


def item_info(line: str) -> tuple[int, str, str] | None:
    """(indent in columns, marker type num|alpha|bullet, marker) of a list item, else None."""
    m = ITEM.match(line)
    if not m:
        return None
    mk = m.group("mk")
    typ = "num" if mk[0].isdigit() else ("alpha" if mk[0].isalpha() else "bullet")
    return len(m.group("ind").expandtabs(4)), typ, mk


def prev_nonblank(lines: list[str], blank: list[bool], i: int, skip_lone: bool = False) -> int:
    """0-based index of the nearest earlier non-blank line (lone bullets skipped if asked), or -1."""
    j = i - 1
    while j >= 0 and (blank[j] or (skip_lone and is_lone_bullet(lines[j]))):
        j -= 1
    return j


def next_nonblank(lines: list[str], blank: list[bool], i: int, skip_lone: bool = False) -> int | None:
    j = i + 1
    while j < len(lines) and (blank[j] or (skip_lone and is_lone_bullet(lines[j]))):
        j += 1
    return j if j < len(lines) else None


def next_content(doc: Document, line: int) -> int | None:
    """The next line (1-based) after `line` that is neither blank nor a lone bullet, or None at the end."""
    j = next_nonblank(doc.lines, doc.blank, line - 1, skip_lone=True)
    return None if j is None else j + 1


def prev_content(doc: Document, line: int) -> int | None:
    """The previous line (1-based) before `line` that is neither blank nor a lone bullet, or None."""
    j = prev_nonblank(doc.lines, doc.blank, line - 1, skip_lone=True)
    return None if j < 0 else j + 1


def is_structural(h: Heading) -> bool:
    """A heading marked as one: Markdown '#', a chapter word, or a section number.

    Unnumbered title-like lines are recognised by shape alone, too uncertain for
    deciding that something is missing around them.
    """
    return h.kind in ("markdown", "chapter", "numbered")


def in_comment_block(lines: list[str], i: int) -> bool:
    """Line i sits in a C-style comment block (' * ' continuation lines), as in licence headers."""
    lo, hi = max(0, i - 2), min(len(lines), i + 3)
    stars = sum(1 for j in range(lo, hi) if COMMENT_STAR.match(lines[j]))
    return stars >= 3 or any(COMMENT_EDGE.match(lines[j]) for j in range(lo, hi))
