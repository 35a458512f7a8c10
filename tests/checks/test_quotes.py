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


def test_texts_without_one_style_are_passed_over_with_the_same_findings(monkeypatch):
    """The literal scan and a substring test skip texts that lack curly or straight
    quotes; every fixture and crafted mix gives the findings of reading every line."""
    import lint.checks.quotes as quotes_module

    from conftest import FIXTURES

    texts = [p.read_text(encoding="utf-8", errors="replace").replace("\0", " ") for p in sorted(FIXTURES.rglob("*.txt"))]
    texts += [STRAIGHT + "The \u201cmodel\u201d won.\n", STRAIGHT, STRAIGHT.replace('"', "\u201d"),
              "".join(f"It\u2019s line {i}.\n" for i in range(12)) + "Don't.\n"]
    docs = [Document.from_text(t) for t in texts]
    p = MixedQuotesParams()
    gated = [[h.start_line for h in MixedQuotes().check(d, p)] for d in docs]
    monkeypatch.setattr(quotes_module, "any_found", lambda doc, literals: True)  # as if every text had curly quotes
    ungated = [[h.start_line for h in MixedQuotes().check(Document.from_text(t), p)] for t in texts]
    assert gated == ungated
    assert sum(map(len, gated)) >= 2
