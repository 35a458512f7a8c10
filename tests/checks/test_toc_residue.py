"""toc_dot_leader and toc_page_number, with their fixes."""

from __future__ import annotations

from lint.checks.toc_residue import TocDotLeader, TocDotLeaderParams, TocPageNumber, TocPageNumberParams
from lint.document import Document
from lint.fix import apply_edits

TOC = (
    "Table of Contents\n\n"
    "Chapter 1: Early Life\t6\n"
    "1.1 Childhood in Hangzhou\t8\n"
    "1.2 Early Education.....\t10\n"
    "1.3 First Jobs . . . . . 12\n\n"
    "Chapter 1: Early Life\n\nHe was born in 1964.\n"
)


def run(kind, params, text):
    doc = Document.from_text(text)
    hits = list(kind().check(doc, params))
    return [h.start_line for h in hits], apply_edits(doc.text, [e for h in hits for e in h.fix["edits"]])[0]


def test_dot_leaders_are_reported_and_removed():
    found, fixed = run(TocDotLeader, TocDotLeaderParams(), TOC)
    assert found == [5, 6]
    assert "1.2 Early Education\n1.3 First Jobs\n" in fixed


def test_page_numbers_without_leader_are_reported_and_removed():
    found, fixed = run(TocPageNumber, TocPageNumberParams(), TOC)
    assert found == [3, 4]
    assert "Chapter 1: Early Life\n1.1 Childhood in Hangzhou\n" in fixed


def test_ellipses_in_prose_and_paginated_files_are_clean():
    assert run(TocDotLeader, TocDotLeaderParams(), "He waited... for 3 hours.\n")[0] == []
    assert run(TocDotLeader, TocDotLeaderParams(), TOC + "\f\n")[0] == []
    assert run(TocPageNumber, TocPageNumberParams(), TOC + "\f\n")[0] == []


def test_only_lines_that_cannot_end_in_a_leader_are_passed_over_before_the_pattern():
    """On every line of the fixtures and seeds, and on crafted ones: wherever the leader
    pattern matches, the quick test lets the line through (a tab after the leader, a
    roman or non-ASCII page number, spaces after it); prose with an ellipsis is not."""
    from lint.checks.toc_residue import _LEADER, _may_end_in_leader

    from conftest import FIXTURES, SEEDS

    lines = {line for p in [*sorted(FIXTURES.rglob("*.txt")), *sorted(SEEDS.glob("*.txt"))]
             for line in p.read_text(encoding="utf-8", errors="replace").split("\n")}
    crafted = {"Intro .... 12", "Intro .... xii  ", "Intro ....\tsee below", "Intro \u2026\u2026 \u0663",
               "Intro ____ IV\t", "Intro . . . 7 \t "}
    matched = 0
    for line in lines | crafted:
        if _LEADER.search(line):
            matched += 1
            assert _may_end_in_leader(line), line
    assert matched >= len(crafted) + 5
    assert not _may_end_in_leader("He waited... for hours.") and not _may_end_in_leader("...")
    assert run(TocDotLeader, TocDotLeaderParams(), "Intro \u2026\u2026 \u0663\n")[0] == [1]


def test_a_file_with_a_form_feed_is_paginated():
    assert Document.from_text("Page one.\n\fPage two.\n").paginated
    assert not Document.from_text("Page one.\nPage two.\n").paginated
    assert Document.from_text("\f").paginated and not Document.from_text("").paginated
