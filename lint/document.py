"""The Document: one file's text and the structure every check shares.

Lines, paragraphs, headings, sections and the table of contents are derived once,
lazily, and shared by all checks, so no check re-parses the text.  Line numbers
are 1-based and count '\\n' only (after CRLF and lone CR have been normalised);
a form feed or a Unicode line separator does not start a line.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import KeysView
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

import regex

from lint.load import Source
from lint.minhash import _compiled, casefolded

# The compiled line loops (lint.kernels, as lint.minhash found them fit to use); the
# Python loops below where they were not built.
_kernels = _compiled()

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")


class derived:
    """A Document's value computed on first use and kept in its __dict__, where the
    next look finds it first: functools.cached_property without the lock it takes (on
    Python 3.11) around every first computation, 0.3 us of each of the dozen or more
    that every document makes.  A Document belongs to one thread."""

    def __init__(self, compute):
        self.compute = compute
        self.name = compute.__name__
        self.__doc__ = compute.__doc__

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.compute(instance)
        return value


_BLANK_CHARS = " \t\f\v\u00a0\u200b\ufeff"  # what a blank line may hold
# The longest line that may be a heading other than a Markdown one, once stripped.
_HEADING_MAX = 120
# The longest line that may be a heading by its shape alone (a title-like line).
_TITLE_MAX = 90
# A line longer than this is a paragraph of its own (scraped text) when it ends a sentence.
_LONG_LINE = 160
_MD_HEADING = regex.compile(r"^ {0,3}(#{1,6})[ \t]+(.+?)[ \t#]*$")
_CHAPTER = regex.compile(
    r"^\s*(?P<word>chapter|part|book|appendix|section)\s+"
    r"(?P<num>\d+|[ivxlcdm]+|[a-z]|one|two|three|four|five|six|seven|eight|nine|ten|"
    r"eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty)"
    r"\b(?!\.\d)\s*[.:\-\u2013\u2014]?\s*(?P<title>.*?)\s*$",
    regex.IGNORECASE,
)
# A numbered title runs to its last non-space character, taken greedily and backed off
# over the trailing white space: as a lazy ".*?" it was tried for an end at every
# character, and "1. Title" lines are most of the headings of many corpora.
_NUMBERED = regex.compile(r"^\s{0,3}(?P<num>\d{1,3}(?:\.\d{1,3})+)\.?[ \t]+(?P<title>\S(?:.*\S)?)\s*$")
_NUMBERED_SINGLE = regex.compile(r"^\s{0,3}(?P<num>\d{1,3})\.[ \t]+(?P<title>\S(?:.*\S)?)\s*$")
_LIST_ITEM = regex.compile(r"^(?P<indent>\s*)(?P<marker>[-*+\u2022\u25cf\u25e6\u25aa\u2023\u2043\u00b7]|\d{1,3}[.)]|[a-z][.)])(?:\s+|$)")
# A table-of-contents entry may end in a page number after a tab, spaces or dot leaders.
_TOC_TAIL = regex.compile(
    r"(?:\s*\.{2,}\s*|\s*(?:\.\s){2,}\s*|\t+\s*|\s{2,}|\s*\u2026+\s*)(?P<page>\d{1,4}|[ivxlc]{1,6})\s*$"
    r"|(?P<leader>\.{3,}|(?:\s\.){3,})\s*$"
)
# Inside page-numbered contents, a page number after a single space.
_TOC_LOOSE_PAGE = regex.compile(r"^(.*\S)\s(\d{1,4})$")
# A leader squeezed out by a long title: "... and Last-Modified Dates.89".
_TOC_TIGHT_TAIL = regex.compile(r"(?r)(?<=\p{L})\.(?P<page>\d{1,4})\s*$")
_TOC_TITLE = regex.compile(r"^\s*(?:table\s+of\s+contents|contents)\s*:?\s*$", regex.IGNORECASE)
_SENTENCE_END = regex.compile(r"(?r)[.!?:;…)\]\"'\u201d\u2019*]\s*$")
_STRICT_END = regex.compile(r"(?r)[.!?:\"\u201d]\s*$")
# Page furniture: a form feed, an RFC-style "[Page 12]" footer or "RFC 1034   Title   1987" header.
# The marks are searched over the whole text, where the engine skips ahead to their first
# character; a header is found from its "RFC " back to its line's start, over white space
# that stays on the line.
_PAGE_MARKS = (regex.compile(r"\f"), regex.compile(r"\[Page \d+\]"))
_RFC_HEADER = regex.compile(r"RFC \d+ ")  # after nothing but white space on its line
_LINE_INDENT = regex.compile(r"[^\S\n]*")
# The last character of a line that may end in a page number (digits or roman numerals).
_PAGE_END_CHARS = "0123456789ivxlcIVXLC"
PAGE_END = frozenset(_PAGE_END_CHARS)
_WIDE_GAP = regex.compile(r"\S {3,}\S")
# What the model asks the document's literal scan for, case-folded: the page marks' and
# the RFC header's literals, the three spaces of a wide gap, and the contents title's
# word.  The engine registers them with the rules' literals before the first document.
_PAGE_LITERALS = frozenset({"\f", "[page ", "rfc "})
_GAP_LITERAL = "   "
_CONTENTS_LITERAL = "contents"
SCANNED_LITERALS = _PAGE_LITERALS | {_GAP_LITERAL, _CONTENTS_LITERAL}
# What the chapter and numbered patterns need first, after white space.
_CHAPTER_INITIAL = regex.compile(r"[cpbas]", regex.IGNORECASE)
_DIGIT_INITIAL = regex.compile(r"\d")
# "1.5 million users ..." is a sentence that starts with a number, not a section heading.
_QUANTITY = regex.compile(r"^(?:million|billion|trillion|thousand|percent|per\b|times\b|%)", regex.IGNORECASE)
# Titles may end in an abbreviation ("in the U.S.", "Yahoo Inc.") and still be headings.
_ABBREV_END = regex.compile(r"(?r)(?:\b[A-Z]\.[A-Z]\.|\b(?:Inc|Ltd|Co|Corp|Jr|Sr|St|Dr|Mr|Mrs|Ms|No|vs|etc)\.)$")
_WORD = regex.compile(r"\p{L}[\p{L}\p{M}'\u2019]*")
_SMALL_WORDS = frozenset(
    "a an and as at but by for from in into is nor of on or over per the to up via vs with".split()
)


@dataclass(slots=True, unsafe_hash=True)  # not frozen: see VALUE_CLASSES in lint.findings
class Block:
    """A run of lines: a paragraph, or a section body."""

    start_line: int
    end_line: int
    text: str


@dataclass(slots=True, unsafe_hash=True)  # not frozen: see VALUE_CLASSES in lint.findings
class Heading:
    line: int
    level: int
    text: str  # the whole heading line, stripped
    title: str  # the text without number or chapter word
    number: str | None  # "1.2", "3", "IV" or None
    kind: str  # markdown | chapter | numbered | title


@dataclass(slots=True, unsafe_hash=True)  # not frozen: see VALUE_CLASSES in lint.findings
class Section:
    """A heading and its body, up to the next heading of any level.

    `parent` is the index of the enclosing section (a chapter for a numbered
    section) or None; the preamble before the first heading has heading None.
    """

    heading: Heading | None
    start_line: int
    end_line: int
    body_start: int
    parent: int | None

    @property
    def level(self) -> int:
        return self.heading.level if self.heading else 0


@dataclass(slots=True, unsafe_hash=True)  # not frozen: see VALUE_CLASSES in lint.findings
class TocEntry:
    line: int
    text: str  # the entry without leader and page number
    title: str
    number: str | None
    page: str | None
    leader: bool  # the raw line had a dot leader


@dataclass(slots=True, unsafe_hash=True)  # not frozen: see VALUE_CLASSES in lint.findings
class Toc:
    start_line: int  # the "Contents" title line, or the first entry when there is no title
    end_line: int
    entries: tuple[TocEntry, ...]
    titled: bool = True  # False when found from its entries alone


class Document:
    """One file as every check sees it."""

    def __init__(self, path: str, source: Source, fs_path: str | None = None):
        self.path = path
        self.fs_path = fs_path or path
        self.source = source
        self.text = source.text
        # What other modules work out from the document once and share (its literal scan,
        # its tokens), under a key of theirs: gone with the document, and a dict lookup
        # away where a weak-keyed table outside it cost half a microsecond a look.
        self.memo: dict[str, Any] = {}

    @classmethod
    def from_text(cls, text: str, path: str = "<text>") -> Document:
        """A document from a string, for tests and the Python API."""
        from lint.load import decode

        return cls(path, decode(text.encode("utf-8"), path))

    # -- lines ---------------------------------------------------------------

    @derived
    def lines(self) -> list[str]:
        """Line texts without their '\\n'; a final newline does not add an empty line."""
        lines = self.text.split("\n")
        if self.text.endswith("\n"):
            lines.pop()
        return lines

    @derived
    def line_starts(self) -> list[int]:
        """The offset of every line's start, and of the end of the text after a final
        newline: from the lines' lengths, summed without a Python loop."""
        starts = list(accumulate(map((1).__add__, map(len, self.lines)), initial=0))
        if not self.text.endswith("\n"):
            starts.pop()  # the last line has no newline, so nothing starts after it
        return starts

    @derived
    def characters(self) -> frozenset[str]:
        """The distinct characters of the text: whether any of a class occurs, in one pass."""
        return frozenset(self.text)

    @derived
    def folded(self) -> str:
        """The whole text case-folded: what literal gates (lint.checks.literals) search."""
        text = self.text
        if text.isascii():
            return text.lower()
        folded = casefolded(self.utf8)  # by the kernels' table when they are built
        return folded if folded is not None else text.casefold()

    @derived
    def utf8(self) -> bytes:
        """The text as UTF-8 (lone surrogates kept), for the compiled case fold and the
        tokeniser: the file's own bytes when they are exactly that, else encoded once
        (text beyond Latin-1 takes a pass of its own to encode)."""
        utf8 = self.source.utf8
        return utf8 if utf8 is not None else self.text.encode("utf-8", "surrogatepass")

    def line_of(self, offset: int) -> int:
        """1-based line of a character offset into `text`."""
        return bisect.bisect_right(self.line_starts, offset)

    def col_of(self, offset: int) -> int:
        """1-based column of a character offset into `text`."""
        return offset - self.line_starts[self.line_of(offset) - 1] + 1

    def line(self, number: int) -> str:
        return self.lines[number - 1]

    def is_blank(self, number: int) -> bool:
        return not self.lines[number - 1].strip(_BLANK_CHARS)

    @derived
    def blank(self) -> list[bool]:
        """blank[i] is True when line i+1 holds nothing but white space."""
        return [not line.strip(_BLANK_CHARS) for line in self.lines]

    @property
    def is_markdown(self) -> bool:
        return self.path.lower().endswith(MARKDOWN_SUFFIXES)

    def last_content_line(self) -> int | None:
        if "lines" not in self.__dict__:  # no need to split the text for this
            content = self.text.rstrip(_BLANK_CHARS + "\n")
            return content.count("\n") + 1 if content else None
        blank = self.__dict__.get("blank")  # from the end, line by line: most texts end at once
        for i in range(len(self.lines), 0, -1):
            if not (blank[i - 1] if blank is not None else self.is_blank(i)):
                return i
        return None

    @derived
    def paginated(self) -> bool:
        """Form feeds mark print pages (RFCs, old manuals): page furniture there is the format, not residue.

        Asked of the document's literal scan (a form feed folds to itself): a search of
        the text for it was 2 ms per 10 MB."""
        return "\f" in self.scanned

    @property
    def scanned(self) -> KeysView[str]:
        """The model's literals (SCANNED_LITERALS) that the case-folded text holds, from the
        document's one literal scan: a gate in front of the model's own searches.  Four
        substring searches of the text for furniture and one for "contents" were 38 ms
        per 10 MB of prose, more than the rest of both properties: a space, or an "s",
        is a common last character to search for."""
        from lint.checks import literals  # here: the checks package imports this module

        return literals.find(self, SCANNED_LITERALS).ends.keys()

    # -- table of contents ----------------------------------------------------

    @derived
    def furniture(self) -> frozenset[int]:
        """Lines that are page furniture, never headings or contents entries.

        Form feeds, "[Page 12]" footers, "RFC 1034  ...  November 1987" headers, and
        any line that recurs three or more times with a number and wide gaps in it
        (a running header or footer of paginated text).
        """
        out: set[int] = set()
        text = self.text
        found = self.scanned
        if not found.isdisjoint(_PAGE_LITERALS):
            out.update(self.line_of(m.start()) for rx in _PAGE_MARKS for m in rx.finditer(text))
            out.update(self._rfc_header_lines())
        # A running header recurs, and its wide gap is three spaces in a row: only the
        # lines that have them are counted (most texts have none), and only the few
        # that recur are tested, once each.
        if _GAP_LITERAL in found:
            gapped = [(i, line.strip()) for i, line in enumerate(self.lines) if _GAP_LITERAL in line]
            running = {key for key, count in Counter(key for _, key in gapped).items()
                       if count >= 3 and _WIDE_GAP.search(key) and any(c.isdigit() for c in key)}
            out.update(i + 1 for i, key in gapped if key in running)
        return frozenset(out)

    def _rfc_header_lines(self) -> list[int]:
        """Lines that open with "RFC <number> " after white space: found from each "RFC "
        back to its line's start (a few hundred in an RFC), not by trying a pattern at
        every line of a text that indents them all."""
        text = self.text
        out = []
        at = text.find("RFC ")
        while at >= 0:
            start = text.rfind("\n", 0, at) + 1
            if _LINE_INDENT.fullmatch(text, start, at) and _RFC_HEADER.match(text, at):
                out.append(self.line_of(start))
            at = text.find("RFC ", at + 1)
        return out

    @derived
    def toc(self) -> Toc | None:
        """A table of contents near the top.

        Either a "Contents" title and the entries after it, or, without a title, a run
        of five or more entry lines that carry page numbers.  The block ends after
        three non-entry lines in a row (a single short stray line such as page
        furniture is tolerated), when an entry reappears (the body has started), or
        when an entry without a page number follows entries that all had one.
        """
        limit = min(len(self.lines), max(400, len(self.lines) // 5))
        # Both titles hold "contents", as the folded text does wherever the pattern,
        # which ignores case, can match: most texts need no line tried.
        for i in range(limit) if _CONTENTS_LITERAL in self.scanned else ():
            if _TOC_TITLE.match(self.lines[i]):
                toc = self._read_toc(i + 1, i + 2)
                if toc is not None:
                    return toc
        # A run of entries with page numbers: only lines that end in a page number's
        # character can be one, and any other line with content breaks the run (page
        # furniture neither counts nor breaks).  The kernel finds those lines and the
        # breaks between them.
        if _kernels:
            ending, breaks = _kernels.page_end_lines(self.lines, self.blank, limit, _PAGE_END_CHARS, self.furniture)
        else:
            ending, breaks = self._page_end_lines(limit)
        run: list[int] = []
        for i, broken in zip(ending, breaks):
            if broken:
                run = []
            n = i + 1
            entry = _toc_entry(n, self.lines[i])
            if entry is not None and entry.page is not None:
                run.append(n)
                if len(run) >= 5:
                    return self._read_toc(None, run[0])
            else:
                run = []
        return None

    def _page_end_lines(self, limit: int) -> tuple[list[int], list[bool]]:
        """kernels.page_end_lines in Python, passing over page furniture as over blank lines."""
        ending: list[int] = []
        breaks: list[bool] = []
        broken = False
        furniture = self.furniture
        for i in range(limit):
            if self.blank[i] or i + 1 in furniture:
                continue
            if self.lines[i].rstrip()[-1:] in PAGE_END:
                ending.append(i)
                breaks.append(broken)
                broken = False
            else:
                broken = True  # no page number can end this line, so it is no paged entry
        return ending, breaks

    def _read_toc(self, title_line: int | None, first: int) -> Toc | None:
        entries: list[TocEntry] = []
        seen_titles: set[str] = set()
        blank_run = 0
        misses = 0
        furniture = self.furniture
        skip_to = 0
        for n in range(first, len(self.lines) + 1):
            if n < skip_to:
                continue
            raw = self.lines[n - 1]
            if self.blank[n - 1]:
                blank_run += 1
                # Long gaps end a contents list, except between page-numbered entries
                # (paginated text leaves blank lines around every page break).
                if blank_run > 3 and not (entries and entries[-1].page is not None):
                    break
                continue
            if n in furniture:
                continue
            entry = _toc_entry(n, raw)
            if entry is None:
                misses += 1
                # Stray lines (a part title, a chapter's summary line, "ETYMOLOGY.") may sit
                # inside the contents; three in a row, or a long paragraph, end them.
                if misses >= 3 or len(raw.split()) > 40:
                    break
                continue
            if entry.page is None and entries and entries[-1].page is not None:
                m = _TOC_LOOSE_PAGE.match(raw.strip())
                if m:  # "14.9.3 Modifications of the Basic Expiration Mechanism 104"
                    entry = _toc_entry(n, m.group(1) + "  " + m.group(2)) or entry
            if entry.page is None and n < len(self.lines):
                wrapped = _wrapped_entry(entry, self.lines[n])
                if wrapped is not None:  # "13.3.4 Rules for ... Last-" / "modified Dates.....85"
                    entry, skip_to = wrapped, n + 2
            key = entry.text.casefold()
            if entries and (key == entries[0].text.casefold() or (entry.page is None and key in seen_titles)):
                break  # the body starts by repeating an entry
            if entries and entry.page is None and not any(e.page is None for e in entries) and len(entries) >= 3:
                # Every entry so far had a page number; one without is the body.
                break
            seen_titles.add(key)
            entries.append(entry)
            blank_run = 0
            misses = 0
        if len(entries) < 3:
            return None
        start = title_line if title_line is not None else entries[0].line
        return Toc(start, entries[-1].line, tuple(entries), title_line is not None)

    @derived
    def toc_lines(self) -> range:
        toc = self.toc
        return range(toc.start_line, toc.end_line + 1) if toc else range(0)

    # -- headings and sections --------------------------------------------------

    @derived
    def headings(self) -> list[Heading]:
        """Headings of the body; lines inside the table of contents are entries, not headings."""
        out: list[Heading] = []
        lines, blank = self.lines, self.blank
        toc = self.toc_lines
        furniture = self.furniture
        in_fence = False
        # The kernel passes over lines that the tests below would settle at a glance.
        candidates = (_kernels.heading_candidates(lines, blank, _HEADING_MAX, _LONG_LINE, _TITLE_MAX) if _kernels
                      else range(len(lines)))
        for i in candidates:
            if blank[i]:
                continue
            raw = lines[i]
            stripped = raw.strip()
            if not stripped:
                continue  # white space that `blank` counts as content (an em space, U+3000)
            if stripped.startswith(("```", "~~~")):
                in_fence = not in_fence
                continue
            if in_fence or (len(stripped) > _HEADING_MAX and stripped[0] != "#"):
                continue  # most lines of prose are longer than any heading but a Markdown one
            n = i + 1
            if n in toc or n in furniture:
                continue
            prev_blank = i == 0 or blank[i - 1]
            next_blank = i + 1 >= len(lines) or blank[i + 1]
            heading = _classify_heading(n, raw, stripped, prev_blank, next_blank, lines[i - 1] if i else "")
            if heading is not None:
                out.append(heading)
        return out

    @derived
    def heading_at(self) -> dict[int, Heading]:
        return {h.line: h for h in self.headings}

    @derived
    def sections(self) -> list[Section]:
        heads = self.headings
        total = len(self.lines)
        out: list[Section] = []
        first_content = next((i + 1 for i, b in enumerate(self.blank) if not b), None)
        if heads and first_content is not None and first_content < heads[0].line:
            out.append(Section(None, first_content, heads[0].line - 1, first_content, None))
        stack: list[int] = []  # indices into out of open ancestors
        for k, h in enumerate(heads):
            end = heads[k + 1].line - 1 if k + 1 < len(heads) else total
            while end > h.line and self.blank[end - 1]:
                end -= 1
            while stack and out[stack[-1]].level >= h.level:
                stack.pop()
            parent = stack[-1] if stack else None
            out.append(Section(h, h.line, end, h.line + 1, parent))
            stack.append(len(out) - 1)
        if not heads and first_content is not None:
            last = self.last_content_line() or first_content
            out.append(Section(None, first_content, last, first_content, None))
        return out

    def span_text(self, first: int, last: int) -> str:
        """Lines first..last joined by newlines: the text from the first's start to the last's end."""
        starts = self.line_starts
        return self.text[starts[first - 1] : starts[last] - 1 if last < len(starts) else len(self.text)]

    def section_text(self, section: Section, with_heading: bool = False) -> str:
        start = section.start_line if with_heading else section.body_start
        return "\n".join(self.lines[start - 1 : section.end_line])

    # -- paragraphs -------------------------------------------------------------

    @derived
    def paragraphs(self) -> list[Block]:
        """Blocks of text separated by blank lines, headings and list items.

        Scraped text often puts one paragraph per line with no blank line between
        (a web page's <p> elements flattened), so a long line that ends a sentence
        also ends its paragraph; hard-wrapped prose has short lines and is unaffected.
        """
        return [Block(first, last, self.span_text(first, last)) for first, last in self.paragraph_spans]

    @derived
    def paragraph_spans(self) -> list[tuple[int, int]]:
        """(first line, last line) of each paragraph, in order: for the checks that read
        the text of only a few paragraphs, or none (most documents make no Block)."""
        lines, blank, heading_at = self.lines, self.blank, self.heading_at
        if _kernels:
            return _kernels.paragraph_spans(lines, blank, heading_at, _LIST_ITEM.match, _SENTENCE_END.search,
                                            _LONG_LINE)
        return _paragraph_spans(lines, blank, heading_at)

    # -- words ----------------------------------------------------------------

    @derived
    def words(self) -> list[str]:
        """Case-folded word tokens of the whole text, computed once for every check."""
        return [m.casefold() for m in _WORD.findall(self.text)]


def _paragraph_spans(lines: list[str], blank: list[bool], heading_at: dict[int, Heading]) -> list[tuple[int, int]]:
    """(first line, last line) of each paragraph: lint.kernels.paragraph_spans in Python."""
    out: list[tuple[int, int]] = []
    start = None

    def close(end: int) -> None:
        nonlocal start
        if start is not None and end >= start:
            out.append((start, end))
        start = None

    for i, raw in enumerate(lines):
        n = i + 1
        if blank[i]:
            close(n - 1)
            continue
        if n in heading_at:
            close(n - 1)
            out.append((n, n))
            continue
        if start is not None and _may_be_list_item(raw) and _LIST_ITEM.match(raw):
            close(n - 1)
        if start is None:
            start = n
        if len(raw) > _LONG_LINE and _SENTENCE_END.search(raw):
            close(n)
    close(len(lines))
    return out


def _is_title_like(text: str) -> bool:
    """Short, capitalised, no sentence punctuation at the end: how untagged headings look."""
    stripped = text.strip()
    if not stripped or len(stripped) > _TITLE_MAX or stripped[0].islower():
        return False
    if stripped[-1] in ".,;:!\u2026-\u2013\u2014([{\"'\u201c\u2018" or stripped.endswith("**"):
        return False
    if stripped.startswith(("-", "*", "+", "\u2022", ">", "|", "(", "[", '"', "\u201c", "'")):
        return False
    words = _WORD.findall(stripped)
    if not words or len(words) > 12:
        return False
    if "@" in stripped or "://" in stripped or stripped.startswith("www."):
        return False
    significant = [w for w in words if w.casefold() not in _SMALL_WORDS]
    if not significant:
        return False
    capitalised = sum(1 for w in significant if w[0].isupper())
    return capitalised / len(significant) >= 0.6


def _classify_heading(n: int, raw: str, stripped: str, prev_blank: bool, next_blank: bool, prev: str) -> Heading | None:
    m = _MD_HEADING.match(raw) if stripped[0] == "#" else None
    if m:
        title = m.group(2).strip()
        num = _NUMBERED.match(title) or _NUMBERED_SINGLE.match(title)
        return Heading(n, len(m.group(1)), title, num.group("title") if num else title,
                       num.group("num") if num else None, "markdown")
    if len(stripped) > _HEADING_MAX:
        return None
    # A heading starts a block: the line before is blank or ends a sentence.  Without
    # this, wrapped prose ("... described in section\n14.35. The ...") reads as one.
    # Every kind below asks this, or more (a chapter line wants a blank line or a
    # strict end before it): a line inside a paragraph is settled here.
    if not (prev_blank or len(prev) > _LONG_LINE or _SENTENCE_END.search(prev) is not None):
        return None
    if _is_entry_or_running_header(stripped):
        return None
    # Each pattern below needs a particular first character: checked before it is tried.
    first = stripped[0]
    if _may_open_chapter(first):
        m = _CHAPTER.match(raw)
        if m and (prev_blank or _STRICT_END.search(prev)) and (
                m.group("title") == "" or _is_title_like(m.group("title")) or m.group("title")[:1].isupper()):
            if not stripped.endswith((",", ";")) and len(stripped.split()) <= 16:
                return Heading(n, 1, stripped, m.group("title") or stripped, m.group("num"), "chapter")
    if _may_open_number(first):
        # Both patterns' only groups are (num, title): one groups() call, not four lookups by name.
        m = _NUMBERED.match(raw)
        if m:
            number, title = m.groups()
            if _is_heading_title(title):
                return Heading(n, number.count(".") + 1, stripped, title, number, "numbered")
        m = _NUMBERED_SINGLE.match(raw)
        if m and prev_blank and next_blank and not raw.startswith(" "):
            number, title = m.groups()
            if _is_heading_title(title):
                return Heading(n, 3, stripped, title, number, "numbered")
    if raw.startswith((" ", "\t")):
        return None  # an indented line is never a heading by its shape alone
    if _is_title_like(stripped) and not (_may_be_list_item(raw) and _LIST_ITEM.match(raw)):
        return Heading(n, 2, stripped, stripped, None, "title")
    return None


# The first character of a line that _CHAPTER or _NUMBERED may match, after white space:
# ASCII by a string, anything else by the regex engine itself (its sense of case and of
# digits is that of its own Unicode tables, not Python's).

def _may_open_chapter(first: str) -> bool:
    return first in "abcpsABCPS" if first < "\x80" else _CHAPTER_INITIAL.match(first) is not None


def _may_open_number(first: str) -> bool:
    return "0" <= first <= "9" if first < "\x80" else _DIGIT_INITIAL.match(first) is not None


def _may_be_list_item(raw: str) -> bool:
    """Whether _LIST_ITEM may match: its marker is the first character after white space,
    and most lines of prose start with a letter that is no marker or is not followed by
    "." or ")".  Anything beyond ASCII (bullet glyphs, other scripts' digits) is left to
    the pattern."""
    body = raw.lstrip()
    if not body:
        return False
    first = body[0]
    if first >= "\x80":
        return True
    if "a" <= first <= "z":
        return body[1:2] in (".", ")")
    return first in "-*+0123456789"


def _is_entry_or_running_header(stripped: str) -> bool:
    """A leader inside the line ("....", ". . . ") or a tab marks a contents entry, and a
    wide gap (_WIDE_GAP) a running header: plain substring tests, then the pattern."""
    if "...." in stripped or ". . . " in stripped or "\t" in stripped:
        return True
    return "   " in stripped and _WIDE_GAP.search(stripped) is not None


def _is_heading_title(title: str) -> bool:
    """A numbered line is a heading when its title is short and does not read as a sentence."""
    t = title.strip()
    if not t or len(t) > 100 or t[-1] in ",;" or t.startswith(("*", "-")):
        return False
    if t[-1] == "." and not _ABBREV_END.search(t):
        return False
    if _QUANTITY.match(t):
        return False
    if "**" in t:
        return False
    return t[0].isupper() or t[0].isdigit() or t[0] in "\"'\u201c"


def _wrapped_entry(entry: TocEntry, nxt: str) -> TocEntry | None:
    """An entry whose title wraps onto the next line, where its page number is."""
    stripped = nxt.strip()
    m = _TOC_TAIL.search(stripped)
    if not m or not m.group("page") or _NUMBERED.match(stripped) or _NUMBERED_SINGLE.match(stripped) or _CHAPTER.match(stripped):
        return None
    rest = stripped[: m.start()].rstrip(" .\t")
    if not rest or len(rest.split()) > 10:
        return None
    sep = "" if entry.text.endswith("-") else " "
    leader = ".." in m.group(0) or ". ." in m.group(0)
    return TocEntry(entry.line, entry.text + sep + rest, entry.title + sep + rest, entry.number, m.group("page"), leader)


def _toc_entry(n: int, raw: str) -> TocEntry | None:
    stripped = raw.strip()
    if len(stripped) > 140 and not _CHAPTER.match(stripped):
        return None
    page = None
    leader = False
    body = stripped
    m = _TOC_TAIL.search(stripped) or _TOC_TIGHT_TAIL.search(stripped)
    if m:
        page = m.group("page")
        leader = ".." in m.group(0) or ". ." in m.group(0) or bool(m.groupdict().get("leader"))
        body = stripped[: m.start()].rstrip(" .\t")
    if not body:
        return None
    m = _CHAPTER.match(body)
    if m:
        return TocEntry(n, body, m.group("title") or body, m.group("num"), page, leader)
    m = _NUMBERED.match(body) or _NUMBERED_SINGLE.match(body)
    if m:
        return TocEntry(n, body, m.group("title"), m.group("num"), page, leader)
    if page is not None or _is_title_like(body) or _MD_HEADING.match(body):
        title = body.lstrip("#").strip()
        return TocEntry(n, body, title, None, page, leader)
    return None
