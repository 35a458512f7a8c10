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


def test_each_styles_lines_are_those_a_line_by_line_search_finds():
    """The whole-text search and the literal scan give the lines that searching every
    line alone gives, at line ends and starts above all (an apostrophe after or before
    the newline is not next to white space within its line), on the seeds and on
    random texts of quotes, letters, white space and curly quotes."""
    import random

    from lint.checks.literals import find
    from lint.checks.quotes import _CURLY, _CURLY_LITERALS, _STRAIGHT, _STRAIGHT_IN_TEXT, _lines_with

    from conftest import SEEDS

    def by_line(doc):
        return ([i for i, line in enumerate(doc.lines) if _STRAIGHT.search(line)],
                [i for i, line in enumerate(doc.lines) if _CURLY.search(line)])

    def by_text(doc):
        return (_lines_with(doc, _STRAIGHT_IN_TEXT),
                sorted(n - 1 for n in find(doc, _CURLY_LITERALS).lines(doc, _CURLY_LITERALS)))

    rng = random.Random(7)
    alphabet = ["a", "\u00e9", "7", " ", "\t", "\n", "\n", "'", "'", '"', "\u2019", "\u201c", "\u00df", "\u3000", "-"]
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60))) for _ in range(3_000)]
    seen_at_edges = 0
    for text in texts:
        doc = Document.from_text(text)
        assert by_text(doc) == by_line(doc), repr(text)
        seen_at_edges += "'\n" in text or "\n'" in text
    assert seen_at_edges > 500


def test_a_straight_minority_at_the_share_limit_is_reported_whatever_stops_the_search():
    """Among many curly lines, the search for straight ones stops once they are too many
    to be a minority: six straight lines of forty (15%) are still reported, seven are not."""
    curly = "".join(f"The \u201cmodel {i}\u201d won.\n" for i in range(34))
    six = "".join(f'He said "line {i}".\n' for i in range(6))
    assert lines(curly + six) == list(range(35, 41))
    seven = curly[: curly.rfind("The")] + six + 'And "one more".\n'
    assert lines(seven) == []
    assert lines(seven, max_share=0.2) == list(range(34, 41))
