"""Phrases and regular expressions over a scope of the text (Vale's `existence`).

Most boilerplate and many artefacts are recognisable by their words alone; a new
phrase family is then a rule file, not code.  Precision comes from the scope (a
short paragraph, the tail of the file), from `require` (every listed pattern must
also appear in the same unit) and from `exceptions` (a unit that matches one is
left alone).
"""

from __future__ import annotations

import bisect
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

import regex

from lint import minhash
from lint.checks.base import DocumentCheck
from lint.checks.literals import (Gated, Occurrences, any_search, find, gate, gated, opening_characters,
                                 sre_constants, sre_parse)
from lint.checks.prose import more_words_than
from lint.document import Block, Document
from lint.findings import Hit
from lint.fix import delete_lines, edit, make_fix
from lint.params import regex_problem

Scope = Literal["line", "paragraph", "section", "document"]
Region = Literal["head", "tail", "anywhere"]
# A replacement template that is one group reference, \g<name> or \g<2>.
_ONE_GROUP = regex.compile(r"\\g<(?:(?P<name>[^\W\d]\w*)|(?P<number>\d+))>")


@dataclass(frozen=True)
class PatternParams:
    phrases: tuple[str, ...]
    scope: Scope = "line"
    region: Region = "anywhere"
    region_lines: int = 200  # how many lines count as the head or the tail
    ignorecase: bool = True
    fuzzy: int = 0  # errors (insertions, deletions, substitutions) allowed per phrase
    require: tuple[str, ...] = ()  # each must also match somewhere in the unit
    exceptions: tuple[str, ...] = ()  # a unit matching any of these is not reported
    max_unit_words: int = 0  # 0: any length; else only units of at most this many words
    report: Literal["match", "unit"] = "match"  # the span reported: the match or its whole unit
    applies_to: Literal["all", "plain", "markdown"] = "all"
    skip_toc: bool = False  # leave the table of contents alone
    once_per_unit: bool = False  # one finding per unit however many matches
    # What --fix may do: delete or replace the match, or delete the whole unit's lines.
    fix: Literal["none", "delete-match", "replace-match", "delete-unit"] = "none"
    fix_replacement: str = ""  # for replace-match; may use \\1 group references
    fix_safety: Literal["safe", "unsafe"] = "safe"
    # With report = "unit": grow the reported block over neighbouring short lines that
    # belong to it (an appeal's e-mail lines, a footer's call-to-action heading).
    extend_before: tuple[str, ...] = ()  # a line just above that matches one of these joins the block
    extend_after: tuple[str, ...] = ()  # lines just below that match one of these join the block
    extend_gap: int = 1  # at most this many blank lines between the block and a joining line
    extend_max_words: int = 12  # only lines of at most this many words join

    def validate(self) -> str | None:
        if not self.phrases:
            return "'phrases' must list at least one pattern"
        if self.fuzzy < 0 or self.fuzzy > 3:
            return "'fuzzy' must be between 0 and 3"
        if self.region_lines < 1:
            return "'region_lines' must be at least 1"
        if self.extend_gap < 0 or self.extend_max_words < 1:
            return "'extend_gap' must be 0 or more and 'extend_max_words' at least 1"
        return regex_problem((*self.phrases, *self.require, *self.exceptions, *self.extend_before, *self.extend_after))

    # Phrases take fuzziness and V1 semantics; require, exceptions and extend patterns
    # are plain.  Every compiled form is built from these two helpers, once per Params.

    def _phrase(self, pattern: str) -> str:
        return f"(?:{pattern}){{e<={self.fuzzy}}}" if self.fuzzy else f"(?:{pattern})"

    def _flags(self, phrase: bool = False) -> int:
        return regex.MULTILINE | (regex.V1 if phrase else 0) | (regex.IGNORECASE if self.ignorecase else 0)

    def _compile(self, source: str, phrase: bool = False) -> regex.Pattern:
        return regex.compile(source, self._flags(phrase))

    def _compile_any(self, patterns: tuple[str, ...]) -> regex.Pattern | None:
        return self._compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None

    @cached_property
    def compiled(self) -> regex.Pattern:
        return self._compile("|".join(self._phrase(p) for p in self.phrases), phrase=True)

    @cached_property
    def compiled_each(self) -> tuple[regex.Pattern, ...]:
        """One pattern per phrase: searching each is much faster than one long alternation."""
        return tuple(self._compile(self._phrase(p), phrase=True) for p in self.phrases)

    @cached_property
    def compiled_prefilter(self) -> tuple["Prefilter", ...]:
        """Each phrase alone, for searching the whole text: string anchors become line anchors.

        A phrase written for one line may anchor with \\A and \\Z; over the whole text in
        MULTILINE mode, ^ and $ match exactly there, at every line.
        """
        out = []
        flags = self._flags(phrase=True)
        for p, opens_lines in zip(self.phrases, self.opens_lines):
            anchored = _line_anchors(p)
            after_newline = opening = None
            if opens_lines:
                after_newline = "\n" + self._phrase(anchored[1:])
                opening = opening_characters(anchored, self.ignorecase)
            out.append(Prefilter(self._phrase(anchored), after_newline, flags, opening))
        return tuple(out)

    @cached_property
    def opens_lines(self) -> tuple[bool, ...]:
        """Per phrase, whether every match of it starts at a line start (it opens with ^
        or \\A outside any alternation; a fuzzy phrase may lose its anchor to an error)."""
        return tuple(not self.fuzzy and _starts_lines(_line_anchors(p)) for p in self.phrases)

    @cached_property
    def line_searchers(self) -> tuple["regex.Pattern | AtLineStart", ...]:
        """Per phrase, what searches one line for it (a unit of scope "line", which holds
        no newline): a phrase that opens lines can match only at the line's start, where
        one match attempt answers, not an attempt at every character of the line (for a
        share prompt's "^\\W*(?:share this|...)" on a line of prose, 12 us against 0.4)."""
        return tuple(AtLineStart(rx) if opens else rx for rx, opens in zip(self.compiled_each, self.opens_lines))

    @cached_property
    def gates(self) -> tuple[tuple[frozenset[str], ...] | None, ...]:
        """Per phrase, the literal sets the text must have one of each of for it to match (None: no gate).

        A fuzzy phrase may match with any of its letters changed, so it has none.
        """
        return tuple(None if self.fuzzy else gate(p) for p in self.phrases)

    @cached_property
    def literals(self) -> frozenset[str]:
        """Every literal of every phrase's gate: what the document's one scan is asked for."""
        return frozenset(word for g in self.gates if g for options in g for word in options)

    @cached_property
    def needs_a_literal(self) -> bool:
        """Whether every phrase is gated: then a text holding none of `literals` has no match."""
        return all(g is not None for g in self.gates)

    @cached_property
    def replacement(self) -> Callable[[regex.Match], str]:
        """match -> its replacement, as match.expand(fix_replacement) gives it; without
        parsing the template for every match when it is one group or plain text (a
        group that took no part expands to nothing)."""
        template = self.fix_replacement
        if "\\" not in template:
            return lambda m: template
        one = _ONE_GROUP.fullmatch(template)
        if one is not None and one["name"]:  # a name: the match may be of one phrase alone,
            name = one["name"]  # which has the group if its branch of the alternation does
            return lambda m: (m.group(name) if name in m.re.groupindex else None) or ""
        if one is not None:
            number = int(one["number"])
            return lambda m: m.group(number) or ""
        return lambda m: m.expand(template)

    @cached_property
    def replacement_numbers_groups(self) -> bool:
        """Whether the replacement needs the match of the phrases' alternation, not of the
        one phrase that matched: it refers to groups by number (or in a template), and
        a phrase's groups are numbered from 1 on its own."""
        template = self.fix_replacement
        if self.fix != "replace-match" or "\\" not in template:
            return False
        one = _ONE_GROUP.fullmatch(template)
        return one is None or one["name"] is None

    @cached_property
    def compiled_require(self) -> tuple[regex.Pattern, ...]:
        return tuple(self._compile(p) for p in self.require)

    @cached_property
    def compiled_extend(self) -> tuple[regex.Pattern | None, regex.Pattern | None]:
        return self._compile_any(self.extend_before), self._compile_any(self.extend_after)

    @cached_property
    def gated_exceptions(self) -> Gated:
        """Each exception alone, behind its literal gate.  Whether any of them matches is
        whether their alternation does; but the alternation is tried at every position of
        a long line, where most exceptions' literals ("/*", "***") are not even present."""
        return gated(self.exceptions, self._flags())


class Pattern(DocumentCheck):
    Params = PatternParams

    def literals(self, p: PatternParams) -> frozenset[str]:
        return p.literals

    def check(self, doc: Document, p: PatternParams) -> Iterator[Hit]:
        if p.applies_to == "plain" and doc.is_markdown:
            return
        if p.applies_to == "markdown" and not doc.is_markdown:
            return
        # The document's one literal scan answers for every gated phrase; and most
        # documents hold none of a rule's literals: one set test settles them all.
        found = find(doc, p.literals) if p.literals else None
        if p.needs_a_literal and not found.passes((p.literals,)):
            return
        # One search over the whole text first: most documents have no match at all, and
        # those that do are checked only in the units that a match touches.  Every unit
        # is a substring of the text and the patterns run in MULTILINE mode, so a match
        # inside a unit is also found (or overlapped) by the search over the whole text.
        touched, numbers = _touched_lines(doc, p.compiled_prefilter, p.gates, found)
        if not touched:
            return
        each = p.line_searchers if p.scope == "line" else p.compiled_each
        live = [(i, each[i]) for i in numbers]
        live_patterns = [rx for _, rx in live]
        lo, hi = _region(doc, p)
        toc = doc.toc_lines if p.skip_toc else range(0)
        covered = 0  # last line of the previous grown block: units inside it are already reported
        for unit in _units(doc, p.scope, touched):
            if unit.end_line < lo or unit.start_line > hi or unit.start_line <= covered:
                continue
            if unit.start_line in toc:
                continue
            if p.max_unit_words and more_words_than(unit.text, p.max_unit_words):
                continue
            if p.report == "unit" or p.once_per_unit:
                # Only the first match counts: the earliest one, ties going to the earlier
                # phrase, exactly as the alternation would choose.
                found = [(m.start(), i, m) for i, rx in live
                         for m in (rx.search(unit.text),) if m is not None]
                matches = [min(found, key=lambda t: t[:2])[2]] if found else []
            else:
                matches = _all_matches(unit.text, p, live_patterns)
            if not matches:
                continue
            if any(r.search(unit.text) is None for r in p.compiled_require):
                continue
            if p.exceptions and any_search(unit.text, p.gated_exceptions):
                continue
            if p.report == "unit" or p.once_per_unit:
                first = matches[0]
                if p.report == "unit":
                    if p.extend_before or p.extend_after:
                        unit = _grow(doc, unit, p)
                        covered = unit.end_line
                    yield Hit(unit.start_line, unit.end_line, {"match": _quote(first.group())},
                              key=unit.text, fix=_unit_fix(doc, unit, p))
                else:
                    yield _match_hit(unit, first, p)
                continue
            for m in matches:
                if m.end() == m.start():
                    continue
                yield _match_hit(unit, m, p)


def _all_matches(text: str, p: PatternParams, patterns: list[regex.Pattern | AtLineStart]) -> list[regex.Match]:
    """The matches of the phrases' alternation, in order, as `p.compiled.finditer` gives them.

    The alternation is tried at every position of the unit, phrase after phrase; each
    phrase alone is found by the regex engine's fast scan for its first characters.  So
    the phrases are searched one by one and merged: at each step the leftmost match,
    ties going to the earlier phrase, as the alternation chooses.  An empty match (which
    finditer steps over by its own rules) or a fuzzy phrase takes the alternation itself.
    `patterns` are the phrases, in order, that the document's literals let match at all.
    """
    if p.fuzzy:
        return list(p.compiled.finditer(text))
    upcoming = [rx.search(text) for rx in patterns]
    out: list[regex.Match] = []
    pos = 0
    while True:
        best = None
        for i, m in enumerate(upcoming):
            if m is not None and m.start() < pos:  # overlaps the last match taken: look further on
                m = upcoming[i] = patterns[i].search(text, pos)
            if m is not None and (best is None or m.start() < best.start()):
                best = m
        if best is None:
            if p.replacement_numbers_groups:  # numbered as the alternation numbers them
                return [p.compiled.match(text, m.start()) for m in out]
            return out
        if best.end() == best.start():
            return list(p.compiled.finditer(text))
        out.append(best)
        pos = best.end()


class AtLineStart:
    """A phrase that opens lines, searched in a text with no newline: it can match at
    the text's start alone (MULTILINE's ^ matches after a newline, and \\A and ^ match
    at no other `pos`), so search is a match there."""

    __slots__ = ("rx",)

    def __init__(self, rx: regex.Pattern):
        self.rx = rx

    def search(self, text: str, pos: int = 0) -> regex.Match | None:
        return self.rx.match(text) if pos == 0 else self.rx.search(text, pos)


def _grow(doc: Document, unit: Block, p: PatternParams) -> Block:
    """The unit grown over the short neighbouring lines that `extend_before`/`extend_after` accept."""
    before, after = p.compiled_extend

    def joins(n: int, rx: regex.Pattern | None) -> bool:
        text = doc.lines[n - 1]
        return rx is not None and not more_words_than(text, p.extend_max_words) and rx.search(text) is not None

    def step(n: int, direction: int) -> int | None:
        """The next non-blank line from n in direction, if no more than extend_gap blanks lie between."""
        gap = 0
        n += direction
        while 1 <= n <= len(doc.lines) and doc.blank[n - 1]:
            gap += 1
            n += direction
        return n if 1 <= n <= len(doc.lines) and gap <= p.extend_gap else None

    first, last = unit.start_line, unit.end_line
    n = step(first, -1)
    while n is not None and joins(n, before):
        first = n
        n = step(first, -1)
    n = step(last, 1)
    while n is not None and joins(n, after):
        last = n
        n = step(last, 1)
    if (first, last) == (unit.start_line, unit.end_line):
        return unit
    return Block(first, last, "\n".join(doc.lines[first - 1 : last]))


def _unit_fix(doc: Document, unit: Block, p: PatternParams) -> dict | None:
    if p.fix != "delete-unit":
        return None
    first, last = unit.start_line, unit.end_line
    # Take one blank line with the block so that no double gap is left behind.
    if last < len(doc.lines) and doc.blank[last]:
        last += 1
    elif first > 1 and doc.blank[first - 2]:
        first -= 1
    return delete_lines(first, last, "Delete the block", p.fix_safety)


def _match_hit(unit: Block, m: regex.Match, p: PatternParams) -> Hit:
    text = unit.text
    if "\n" not in text:  # one line: no newline to count or look back to
        start_line = end_line = unit.start_line
        start_col, end_col = m.start() + 1, m.end() + 1
    else:
        start_line = unit.start_line + text.count("\n", 0, m.start())
        end_line = unit.start_line + text.count("\n", 0, max(m.start(), m.end() - 1))
        line_start = text.rfind("\n", 0, m.start()) + 1
        end_line_start = text.rfind("\n", 0, max(m.start(), m.end() - 1)) + 1
        start_col = m.start() - line_start + 1
        end_col = m.end() - end_line_start + 1
    fix = None
    if p.fix in ("delete-match", "replace-match"):
        replacement = p.replacement(m) if p.fix == "replace-match" else ""
        what = "Delete" if p.fix == "delete-match" else "Replace"
        fix = make_fix(f"{what} \u201c{_quote(m.group(), 30)}\u201d",
                       [edit(start_line, start_col, end_line, end_col, replacement)], p.fix_safety)
    elif p.fix == "delete-unit":
        fix = delete_lines(unit.start_line, unit.end_line, "Delete the block", p.fix_safety)
    return Hit(start_line, end_line, {"match": _quote(m.group())},
               start_col=start_col, end_col=end_col, key=m.group(), fix=fix)


def _quote(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "\u2026"


def _region(doc: Document, p: PatternParams) -> tuple[int, int]:
    total = len(doc.lines)
    if p.region == "head":
        return 1, p.region_lines
    if p.region == "tail":
        last = doc.last_content_line() or total
        return max(1, last - p.region_lines + 1), total
    return 1, total


def _line_anchors(pattern: str) -> str:
    """Replace the string anchors \\A, \\Z and \\z by ^ and $, leaving escaped backslashes alone."""
    out, i = [], 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            out.append("^" if nxt == "A" else "$" if nxt in "Zz" else ch + nxt)
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


class Prefilter:
    """How one phrase is searched over the whole text.

    A phrase that begins with ^ can only match at a line start, yet the regex engine
    tries it at every character: 10 to 15 times slower than searching for "\\n"
    followed by the rest of the phrase, which it finds with a fast scan for the
    newline.  `after_newline` is that form, used on every line but the first.  Faster
    still, when the characters a match can open with are known (`opening`, from
    literals.opening_characters): the phrase is tried only at the starts of the lines
    that open with one of them, which for a bullet or a number is a few lines of a text.

    Both are compiled when first searched: a gated phrase whose literals a document
    lacks, or has only a few of, is never searched over the whole text, and compiling
    every phrase of every rule (with full case folding) was most of the cost of a
    worker's first document, and of a one-file pre-commit run.
    """

    def __init__(self, source: str, after_newline_source: str | None = None, flags: int = 0,
                 opening: bytes | None = None):
        self.source, self.after_newline_source, self.flags = source, after_newline_source, flags
        self.opening = opening  # per ASCII character, whether a match may open with it

    @cached_property
    def whole(self) -> regex.Pattern:
        return regex.compile(self.source, self.flags)

    @cached_property
    def after_newline(self) -> regex.Pattern | None:
        return None if self.after_newline_source is None else regex.compile(self.after_newline_source, self.flags)

    def spans(self, doc: Document) -> Iterator[tuple[int, int]]:
        """(start, end) offsets in doc.text of matches that, between them, overlap every
        match of the phrase (the line-start form may also give overlapping ones)."""
        text = doc.text
        if self.after_newline is None:
            for m in self.whole.finditer(text):
                yield m.start(), m.end()
            return
        if self.opening is not None:
            match = self.whole.match
            for start in _lines_opening_with(text, doc.line_starts, self.opening):
                m = match(text, start)
                if m is not None:
                    yield m.start(), m.end()
            return
        m = self.whole.match(text)  # the first line, with nothing before it
        if m is not None:
            yield m.start(), m.end()
        pos = 0
        search = self.after_newline.search
        while (m := search(text, pos)) is not None:  # m starts at the newline before its line
            yield m.start() + 1, m.end()
            pos = m.start() + 1


def _lines_opening_with(text: str, starts: list[int], opening: bytes) -> list[int]:
    """The line starts whose line opens with a character a match may begin with: any
    beyond ASCII, or an ASCII one that `opening` marks (kernels.lines_opening_with)."""
    kernels = minhash._compiled()
    if kernels is not None:
        return kernels.lines_opening_with(text, starts, opening)
    n = len(text)
    return [at for at in starts if at < n and (text[at] >= "\x80" or opening[ord(text[at])])]


def _starts_lines(pattern: str) -> bool:
    """Whether every match of a pattern starts at a line start: it opens with ^, outside
    any alternation.  A pattern Python's parser cannot read is searched as it is."""
    if not pattern.startswith("^") or sre_parse is None:
        return False
    try:
        with warnings.catch_warnings():  # "possible nested set": the regex module's syntax
            warnings.simplefilter("ignore")
            first = sre_parse.parse(pattern)[0]
    except Exception:  # \p{L} and the like: no shortcut
        return False
    return first == (sre_constants.AT, sre_constants.AT_BEGINNING)


def _touched_lines(doc: Document, phrases: tuple[Prefilter, ...],
                   gates: tuple[tuple[frozenset[str], ...] | None, ...], found: Occurrences | None,
                   ) -> tuple[list[int], list[int]]:
    """Sorted line numbers of the text that a match of some phrase may touch, and the
    numbers of the phrases that may match at all: the only ones a unit is searched for.

    A phrase whose gate has none of its literals in the text cannot match: not searched.
    Every match of a gated phrase contains one of each of its literal sets, so the units
    holding the rarest set's occurrences are all that can match; when that set is common
    in this text, one search of the phrase over the whole text narrows them instead.
    `found` is what the document's literal scan found of the gates' literals (None when
    no phrase is gated).
    """
    lines: set[int] = set()
    live: list[int] = []
    placed: set[frozenset[str]] = set()  # literal sets whose lines are already in
    for number, (prefilter, needs) in enumerate(zip(phrases, gates)):
        if needs is not None and not found.passes(needs):
            continue
        live.append(number)
        if needs is not None:
            counts = [found.count(options) for options in needs]
            rarest = needs[counts.index(min(counts))]
            if min(counts) <= max(_FEW, len(doc.lines) // _SHARE):
                if rarest not in placed:  # phrases sharing a literal ("**") place it once
                    placed.add(rarest)
                    lines |= found.lines(doc, rarest)
                continue
        for start, end in prefilter.spans(doc):
            first = doc.line_of(start)
            last = doc.line_of(max(start, end - 1))
            lines.update(range(first, last + 1))
    return sorted(lines), live


# Occurrences of a phrase's rarest literals that are checked unit by unit: this many, or
# one per _SHARE lines of the text; more, and one search of the whole text is cheaper.
_FEW = 8
_SHARE = 4


def _units(doc: Document, scope: str, touched: list[int]) -> list[Block]:
    """The units of a scope that contain a touched line, in document order."""
    if scope == "line":
        return [Block(n, n, doc.lines[n - 1]) for n in touched if n <= len(doc.lines) and not doc.blank[n - 1]]
    if scope == "paragraph":  # only the paragraphs touched are made into Blocks
        spans = doc.paragraph_spans
        firsts = [first for first, _ in spans]
        chosen: list[int] = []
        for n in touched:
            i = bisect.bisect_right(firsts, n) - 1
            if i >= 0 and spans[i][1] >= n and (not chosen or chosen[-1] != i):
                chosen.append(i)
        return [Block(*spans[i], doc.span_text(*spans[i])) for i in chosen]
    if scope == "section":
        units = [Block(s.start_line, s.end_line, doc.section_text(s, with_heading=True)) for s in doc.sections]
    else:
        last = doc.last_content_line() or 1
        return [Block(1, last, doc.text)]
    starts = [u.start_line for u in units]
    keep: list[Block] = []
    for n in touched:
        i = bisect.bisect_right(starts, n) - 1
        if i >= 0 and units[i].end_line >= n and (not keep or keep[-1] is not units[i]):
            keep.append(units[i])
    return keep
