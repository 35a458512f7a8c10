"""The duplicate rules on the real seed corpus: what must be found, and where nothing may be."""

from __future__ import annotations

import pytest

from lint.api import prepare

from conftest import SEEDS, lint_folder

EBOOK = "004_bc88c7d21c4337ff.txt"


@pytest.fixture(scope="module")
def findings():
    return lint_folder(SEEDS, prepare({"select": ["duplicate"], "preview": True})).findings


def test_blurb_copying_the_last_section_is_found_with_both_spans(findings):
    blurb = [f for f in findings if f.path == EBOOK and f.start_line <= 7 <= f.end_line and f.rule == "DUP005"]
    assert len(blurb) == 1
    (rel,) = blurb[0].related
    assert rel.path == EBOOK and rel.start_line == 6049 and 6075 <= rel.end_line <= 6080
    assert rel.similarity >= 0.9


def test_repeated_email_line_is_found(findings):
    assert [(f.start_line, f.related[0].start_line) for f in findings
            if f.rule == "DUP002" and f.path == EBOOK and f.start_line < 200] == [(121, 119)]


def test_overview_blocks_are_found_with_related_spans_in_the_same_chapter(findings):
    restated = [f for f in findings if f.rule == "DUP004" and f.path == EBOOK]
    starts = {f.start_line for f in restated}
    # Overview blocks of odd chapters 1, 3, 5, 7, 9, 11, 13, 15, 17, 19 (labelled).
    for line in (127, 698, 1361, 1926, 2603, 3215, 3923, 4490, 4999, 5585):
        assert line in starts
    ch1 = next(f for f in restated if f.start_line == 127)
    assert ch1.end_line >= 149
    assert {r.start_line for r in ch1.related} >= {161, 199, 295}
    assert all(r.path == EBOOK and 0 < r.similarity <= 1 for r in ch1.related)


def test_nothing_is_flagged_in_the_articles(findings):
    assert [f for f in findings if not f.path.startswith("004_")] == []


def test_same_topic_detailed_sections_are_not_flagged_as_copies(findings):
    # The book's detailed sections retell one another's topics in other words; only
    # the restatement rule may say so, never a copy rule.
    copies = [f for f in findings if f.rule in ("DUP001", "DUP003", "DUP005") and 120 < f.start_line < 6000]
    assert copies == []


def test_output_is_identical_across_jobs(findings):
    again = lint_folder(SEEDS, prepare({"select": ["duplicate"], "preview": True}), jobs=2).findings
    assert [f.to_dict() for f in again] == [f.to_dict() for f in findings]
