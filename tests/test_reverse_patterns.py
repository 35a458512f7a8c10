"""Patterns anchored at the end of a line are searched from the end ((?r)), which is
what makes them cheap on long lines; they must find exactly what the forward search
finds, span and groups, on every line of real text."""

from __future__ import annotations

import regex

from lint import document
from lint.checks import file_ending, lists, paragraph_break, prose, toc_residue, whitespace

from conftest import FIXTURES

# Whose match (span, groups) is used; the others only say whether a line ends so.
SPANS = [document._TOC_TIGHT_TAIL, paragraph_break._HYPHEN_END, toc_residue._PAGE_TAIL, whitespace._TRAILING]
FOUND = [document._SENTENCE_END, document._STRICT_END, document._ABBREV_END, prose.TERMINAL, lists._ENDS_COLON,
         paragraph_break._COLON_END, paragraph_break._TOC_TAIL, file_ending._MID_WORD]

AWKWARD = ["", " ", "end.", "end.  ", "a.)", "Chapter 4 ........ 12", "Intro\t\t7", "A. B.", "Smith Jr.",
           "pre-", "well-known-", "x" * 500 + ":**", "word " * 200 + "end", "ab", "a b", "\u2014", "i. ii. xiv",
           "Title .12", "Title.12 ", "  \u00a0\u3000", "--", "\u201cquoted.\u201d  "]


def test_end_anchored_patterns_find_what_a_forward_search_finds():
    lines = list(AWKWARD)
    for path in sorted(FIXTURES.rglob("*")):
        if path.is_file() and path.suffix in (".txt", ".md", ".copyright"):
            lines += path.read_text(encoding="utf-8", errors="replace").split("\n")
    assert len(lines) > 15_000
    for reverse in SPANS + FOUND:
        assert reverse.flags & regex.REVERSE
        forward = regex.compile(reverse.pattern.replace("(?r)", "", 1), reverse.flags & ~regex.REVERSE)
        found = 0
        for line in lines:
            a, b = forward.search(line), reverse.search(line)
            assert (a is None) == (b is None), (reverse.pattern, line)
            if a is not None:
                found += 1
                if reverse in SPANS:
                    assert a.span() == b.span() and a.groups() == b.groups(), (reverse.pattern, line)
        assert found, reverse.pattern
