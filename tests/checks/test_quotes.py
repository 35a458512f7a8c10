"""mixed_quotes: the minority style is reported line by line, only when it is rare."""

from __future__ import annotations

from lint.checks.quotes import MixedQuotes, MixedQuotesParams
from lint.document import Document


def lines(text, **kw):
    return [h.start_line for h in MixedQuotes().check(Document.from_text(text), MixedQuotesParams(**kw))]


STRAIGHT = "".join(f'He said "line {i}".\n' for i in range(12))


def test_a_few_curly_lines_in_a_straight_text():
    assert lines(STRAIGHT + "The \u201cmodel\u201d won.\n") == [13]


def test_consistent_or_evenly_mixed_texts_are_clean():
    assert lines(STRAIGHT) == []
    half = "".join(f'"a{i}"\n\u201cb{i}\u201d\n' for i in range(10))
    assert lines(half) == []


def test_short_texts_have_no_majority():
    assert lines('He said "yes".\nShe said \u201cno\u201d.\n"Ok".\n') == []


def test_primes_and_em_dashes_do_not_count():
    assert lines(STRAIGHT.replace('"', "\u201c") + "It is 5' tall \u2014 really.\n") == []
