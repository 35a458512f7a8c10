"""List residue from HTML and Markdown conversion: items indented unlike their
siblings, typographic bullet glyphs, whole lists indented inside flush-left prose,
and a bullet put in front of what is really the rest of a sentence.

Converters render <li> with whatever indentation and glyph the page used, so the
same document ends up with several list styles; these kinds find the odd ones out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import regex

from lint.checks.base import DocumentCheck
from lint.checks.literals import any_found
from lint.checks.prose import (
    GLYPHS,
    ITEM,
    MARKER,
    ends_sentence,
    in_comment_block,
    is_prose,
    item_info,
    prev_nonblank,
)
from lint.document import Document
from lint.findings import Hit
from lint.fix import edit, make_fix

_ENDS_COLON = regex.compile(r"(?r):[*_]*\s*$")


@dataclass(frozen=True)
class ListIndentParams:
    # Indents (in columns) that count as accidental.  RFCs and licences indent whole
    # numbered lists by 3 on purpose, so only 1 is reported by default.
    indents: tuple[int, ...] = (1,)
    window: int = 40  # how far back (lines) to look for a sibling item

    def validate(self) -> str | None:
        if not self.indents or any(i < 1 or i > 8 for i in self.indents):
            return "'indents' must list columns between 1 and 8"
        return None


class ListIndent(DocumentCheck):
    """An item indented a little while its earlier sibling (same marker type) is flush left.

    An item under a less-indented item of another marker type, or under one that
    ends with ':', is nested, not misaligned.  Consecutive items at the same indent
    share their verdict.
    """

    Params = ListIndentParams

    def check(self, doc: Document, p: ListIndentParams) -> Iterator[Hit]:
        lines, blank, heads = doc.lines, doc.blank, doc.heading_at
        status: dict[int, bool] = {}
        for i in _indented_item_lines(doc, p.indents):
            s = lines[i]
            if not s[:1].isspace():
                continue
            info = item_info(s)
            if info is None:
                continue
            ind, typ, _ = info
            if ind not in p.indents or typ == "alpha":
                continue
            j_prev = prev_nonblank(lines, blank, i, skip_lone=True)
            pinfo = item_info(lines[j_prev]) if j_prev >= 0 else None
            if pinfo and pinfo[0] < ind and not (pinfo[1] == typ == "num") and (
                pinfo[1] != typ or _ENDS_COLON.search(lines[j_prev])
            ):
                status[i] = False
                continue
            if pinfo and pinfo[0] == ind and pinfo[1] == typ and j_prev in status:
                status[i] = status[j_prev]
                if status[i]:
                    yield _indent_hit(i, s, ind, None)
                continue
            flag, sibling = False, None
            j = i - 1
            while j >= 0 and i - j <= p.window:
                t = lines[j]
                if (j + 1) in heads and not ITEM.match(t):
                    break
                jinfo = item_info(t)
                if jinfo and jinfo[1] == typ:
                    if jinfo[0] == ind and status.get(j):
                        flag, sibling = True, j
                    else:
                        flag, sibling = jinfo[0] == 0, j
                    break
                j -= 1
            status[i] = flag
            if flag:
                yield _indent_hit(i, s, ind, sibling)


def _indented_item_lines(doc: Document, indents: tuple[int, ...]) -> list[int]:
    """0-based indices of the lines that may be list items indented by one of `indents`
    columns: every line that ITEM matches with such an indent is among them."""
    out = [0] if doc.lines else []
    out += [doc.line_of(m.start() + 1) - 1 for m in _items_after_newline(tuple(indents)).finditer(doc.text)]
    return out


@lru_cache(maxsize=16)
def _items_after_newline(indents: tuple[int, ...]) -> regex.Pattern:
    """An item indented by one of `indents` columns (tabs at four, as item_info counts
    them) on any line but the first, searched over the whole text: the engine skips from
    newline to newline, and with the indent spelt out most lines fail at their first
    character (RFCs indent every line by three spaces, and only one is reported)."""
    found, frontier = [], [""]
    while frontier:
        longer = [s + ch for s in frontier for ch in (" ", "\t") if len((s + ch).expandtabs(4)) <= max(indents)]
        found += [s for s in longer if len(s.expandtabs(4)) in indents]
        frontier = longer
    spelt = "|".join(regex.escape(s) for s in sorted(found, key=len, reverse=True))
    return regex.compile(rf"\n(?:{spelt})(?:{MARKER})[ \t]+\S")


def _indent_hit(i: int, s: str, ind: int, sibling: int | None) -> Hit:
    n = i + 1
    width = len(s) - len(s.lstrip())
    return Hit(n, n, {"indent": ind, "sibling": "" if sibling is None else f" (line {sibling + 1})"},
               start_col=1, end_col=width + 1, key=s.strip(),
               fix=make_fix("Remove the indentation", [edit(n, 1, n, width + 1)], "unsafe"))


_GLYPH_ITEM = regex.compile(rf"^[ \t]*[{GLYPHS}][ \t]+\S")
_GLYPH_LITERALS = frozenset(GLYPHS)  # looked up in the document's literal scan


@dataclass(frozen=True)
class BulletGlyphParams:
    # Items on consecutive lines, as an HTML-to-text converter writes an <ul>.  A glyph
    # list whose items wrap onto indented lines was typed by hand (the Gutenberg
    # licence) and is a deliberate style.
    min_items: int = 2


class BulletGlyph(DocumentCheck):
    """Runs of items whose marker is a typographic glyph (•, ◦, ▪ …): one finding per run."""

    Params = BulletGlyphParams

    def literals(self, p: BulletGlyphParams) -> frozenset[str]:
        return _GLYPH_LITERALS

    def check(self, doc: Document, p: BulletGlyphParams) -> Iterator[Hit]:
        if not any_found(doc, _GLYPH_LITERALS):
            return  # no glyph anywhere, as in most texts: no line to look at
        lines, n, i = doc.lines, len(doc.lines), 0
        while i < n:
            if _GLYPH_ITEM.match(lines[i]):
                j = i
                while j + 1 < n and _GLYPH_ITEM.match(lines[j + 1]):
                    j += 1
                if j - i + 1 < p.min_items:
                    i = j + 1
                    continue
                glyph = lines[i].strip()[0]
                yield Hit(i + 1, j + 1, {"glyph": glyph, "items": j - i + 1}, key=lines[i].strip())
                i = j + 1
            else:
                i += 1


@dataclass(frozen=True)
class IndentedListParams:
    max_indent: int = 4  # deeper indents are block quotes or code, not list residue
    min_items: int = 2


class IndentedList(DocumentCheck):
    """A whole list (its first item too) indented while the prose before it is flush left.

    One finding per list; runs of glyph bullets are left to bullet-glyph.
    """

    Params = IndentedListParams

    def check(self, doc: Document, p: IndentedListParams) -> Iterator[Hit]:
        lines, blank, n, i = doc.lines, doc.blank, len(doc.lines), 0
        while i < n:
            info = item_info(lines[i])
            if info and 1 <= info[0] <= p.max_indent and info[2] not in GLYPHS:
                j_prev = prev_nonblank(lines, blank, i)
                prev = lines[j_prev] if j_prev >= 0 else ""
                if j_prev >= 0 and not item_info(prev) and not prev[:1].isspace() and is_prose(prev, 6):
                    j = last = i
                    while j + 1 < n:
                        t = lines[j + 1]
                        if blank[j + 1]:
                            if j + 2 < n and lines[j + 2][:1].isspace():
                                j += 1
                                continue
                            break
                        if not t[:1].isspace():
                            break
                        j += 1
                        last = j
                    items = 0
                    for k in range(i, last + 1):
                        kinfo = item_info(lines[k])
                        if kinfo and kinfo[0] == info[0]:
                            items += 1
                    if items >= p.min_items:
                        yield Hit(i + 1, last + 1, {"indent": info[0], "items": items}, key=lines[i].strip())
                        i = last + 1
                        continue
            i += 1


_SPURIOUS = regex.compile(r"^[ \t]*[-*+\u2022][ \t]+[a-z]+\b")
_SPURIOUS_MARK = regex.compile(r"^[ \t]*[-*+\u2022][ \t]+")


@dataclass(frozen=True)
class SpuriousBulletParams:
    min_words: int = 8  # the line before the gap must be prose of at least this many words


class SpuriousBullet(DocumentCheck):
    """'- lowercase …' after a gap, where the prose before stops mid-sentence: the
    converter turned the rest of a sentence into a list item."""

    Params = SpuriousBulletParams

    def check(self, doc: Document, p: SpuriousBulletParams) -> Iterator[Hit]:
        lines, blank = doc.lines, doc.blank
        for i, s in enumerate(lines):
            if not _SPURIOUS.match(s):
                continue
            j = prev_nonblank(lines, blank, i, skip_lone=True)
            if j < 0 or i - j < 2:
                continue
            prev = lines[j]
            if is_prose(prev, p.min_words) and not ends_sentence(prev) and not _ENDS_COLON.search(prev):
                if s.lstrip().startswith("*") and in_comment_block(lines, i):
                    continue
                mark = _SPURIOUS_MARK.match(s).end()
                yield Hit(i + 1, i + 1, {"text": s.strip()[:40]}, start_col=1, end_col=mark + 1, key=s.strip())

