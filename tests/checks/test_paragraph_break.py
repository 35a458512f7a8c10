"""broken_paragraph and hyphenated_break."""

from __future__ import annotations

from lint.checks.paragraph_break import (
    BrokenParagraph, BrokenParagraphParams, HyphenatedBreak, HyphenatedBreakParams,
)
from lint.document import Document


def spans(kind, params, text):
    return [(h.start_line, h.end_line) for h in kind().check(Document.from_text(text), params)]


A = "Jack Ma's parents were traditional performers who had a deep connection with"


def test_lower_case_continuation_after_a_gap():
    assert spans(BrokenParagraph, BrokenParagraphParams(), f"{A}\n\nthe performing arts of the city.\n") == [(1, 3)]
    assert spans(BrokenParagraph, BrokenParagraphParams(), f"{A}\n-\n\nthe performing arts of the city.\n") == [(1, 4)]


def test_capitalised_continuation_after_a_function_word():
    a = "In the years that followed he worked as a teacher and a translator for many of the"
    b = "Hangzhou companies that traded with partners in the United States and Europe."
    assert spans(BrokenParagraph, BrokenParagraphParams(), f"{a}\n\n{b}\n") == [(1, 3)]


def test_complete_sentences_headings_and_paginated_files_are_clean():
    assert spans(BrokenParagraph, BrokenParagraphParams(), f"{A} art.\n\nthe next one.\n") == []
    assert spans(BrokenParagraph, BrokenParagraphParams(), f"{A}\n\n# the heading\n") == []
    assert spans(BrokenParagraph, BrokenParagraphParams(), f"{A}\n\nthe performing arts.\n\f\n") == []


def test_hyphenated_break_needs_the_joined_word_elsewhere():
    text = "The data went from one computer to an-\nother, and then another.\n"
    assert spans(HyphenatedBreak, HyphenatedBreakParams(), text) == [(1, 2)]
    assert spans(HyphenatedBreak, HyphenatedBreakParams(), "A well-\nknown fact.\n") == []


def test_a_lone_bullet_is_what_the_pattern_matches_whatever_its_length():
    """Settled by length first: a marker alone is at most four characters besides
    spaces and tabs, however many of those surround it."""
    import random

    from lint.checks.prose import LONE_BULLET, is_lone_bullet

    rng = random.Random(5)
    pieces = [" ", " ", "\t", "-", "*", "\u2022", "\u00b7", "1", "12", "123", "1234", ".", ")", "a", "\u3000", "\u00a0"]
    lines = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 12))) for _ in range(20_000)]
    lines += ["      -      ", "\t\t123.\t\t", "1234.", "- item", "                \u2022"]
    lone = 0
    for line in lines:
        assert is_lone_bullet(line) == (LONE_BULLET.match(line) is not None), repr(line)
        lone += is_lone_bullet(line)
    assert lone > 500


def test_a_line_ends_a_sentence_exactly_where_the_terminal_pattern_says():
    """ends_sentence reads the line's end with string methods; it agrees with TERMINAL's
    search on random ends of terminals, dashes, emphasis markers and every kind of white
    space (U+001C..U+001F, which str.strip would take, are not white space to the
    pattern), and on every line of the seeds."""
    import random

    from lint.checks.prose import TERMINAL, ends_sentence

    from conftest import SEEDS

    rng = random.Random(3)
    pieces = list(".!?\u2026:;\"\u201d\u2019')]\u00bb\u2014\u2013-*_ \t\u3000\x1c\x1f\u2028\n\x85\xa0ab7#(") + ["--", "**"]
    lines = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 8))) for _ in range(100_000)]
    lines += [line for p in sorted(SEEDS.glob("*.txt")) for line in p.read_text(errors="replace").split("\n")]
    ends = 0
    for line in lines:
        assert ends_sentence(line) == (TERMINAL.search(line) is not None), repr(line)
        ends += ends_sentence(line)
    assert ends > 20_000
