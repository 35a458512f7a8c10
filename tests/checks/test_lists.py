"""List kinds: stray indents, glyph bullets, indented lists, spurious bullets."""

from __future__ import annotations

from lint.checks.lists import (
    BulletGlyph, BulletGlyphParams, IndentedList, IndentedListParams, ListIndent, ListIndentParams,
    SpuriousBullet, SpuriousBulletParams,
)
from lint.document import Document


def lines(kind, params, text):
    return [(h.start_line, h.end_line) for h in kind().check(Document.from_text(text), params)]


def test_list_indent_flags_one_column_items_after_flush_siblings():
    text = "- one\n - two\n - three\n\nText.\n"
    assert lines(ListIndent, ListIndentParams(), text) == [(2, 2), (3, 3)]


def test_list_indent_leaves_nested_items_alone():
    assert lines(ListIndent, ListIndentParams(), "1. Parent:\n - child\n - child\n") == []
    assert lines(ListIndent, ListIndentParams(), "- a\n   - b\n") == []  # indent 3 is not in the default
    assert lines(ListIndent, ListIndentParams(indents=(1, 2, 3)), "- a\n   - b\n") == [(2, 2)]


def test_list_indent_stops_at_a_heading():
    text = "- one\n\n# Next part\n\n - two\n"
    assert lines(ListIndent, ListIndentParams(), text) == []


def test_bullet_glyph_one_finding_per_run_of_two_or_more():
    text = "Intro:\n\n  \u2022 a\n  \u2022 b\n\nText.\n\n\u2022 alone\n    continued\n"
    assert lines(BulletGlyph, BulletGlyphParams(), text) == [(3, 4)]


def test_indented_list_after_flush_prose():
    text = "These are the questions readers asked about it.\n\n  1. First?\n    Yes.\n  2. Second?\n    No.\n"
    assert lines(IndentedList, IndentedListParams(), text) == [(3, 6)]
    assert lines(IndentedList, IndentedListParams(), "Short.\n\n  1. a\n  2. b\n") == []


def test_spurious_bullet_after_unfinished_prose():
    text = "By analysing consumer data such as browsing and purchase\n\n- habits, it anticipates demand.\n"
    assert lines(SpuriousBullet, SpuriousBulletParams(), text) == [(3, 3)]
    text = "By analysing consumer data such as browsing and purchase.\n\n- habits matter.\n"
    assert lines(SpuriousBullet, SpuriousBulletParams(), text) == []


def test_lines_searched_for_indented_items_hold_every_indented_item_in_order():
    """The whole-text search for items indented by the columns asked for passes over
    no line that the item pattern takes as so indented, on the fixtures and on crafted
    lists, for several sets of columns (tabs count four)."""
    import random

    from lint.checks.lists import _indented_item_lines
    from lint.checks.prose import item_info

    from conftest import FIXTURES

    texts = [p.read_text(encoding="utf-8", errors="replace").replace("\0", " ") for p in sorted(FIXTURES.rglob("*.txt"))]
    pieces = ["- a", " - b", "\t1. c", "  12) d", " x. e", "  \u2022 f", "   \u2013 g", "text", " ", "", " -", " 1.x",
              " \t- h", "\t 2) i", "\t\t* j", "    + k"]
    rng = random.Random(4)
    texts += ["\n".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(3000)]
    for indents in ((1,), (1, 2, 3), (4,), (5, 8), tuple(range(1, 9))):
        seen = 0
        for text in texts:
            doc = Document.from_text(text)
            candidates = _indented_item_lines(doc, indents)
            assert candidates == sorted(set(candidates))
            wanted = [i for i, line in enumerate(doc.lines)
                      if line[:1] in " \t" and (info := item_info(line)) and info[0] in indents]
            assert set(wanted) <= set(candidates), (indents, repr(text[:200]))
            assert set(candidates) - set(wanted) <= {0}, (indents, repr(text[:200]))  # the first line, always
            seen += len(wanted)
        assert seen > 500, indents
