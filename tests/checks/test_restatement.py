"""The restatement kind: structure (restarting numbers, short overview run) plus evidence."""

from __future__ import annotations

import tomllib

from lint.checks.restatement import Restatement, RestatementParams
from lint.document import Document
from lint.params import build_params

from conftest import REPO


def _example() -> str:
    data = tomllib.loads((REPO / "rules/duplicate/restated-section.toml").read_text(encoding="utf-8"))
    return data["example"][0]["text"]


def hits(text: str, **params):
    p = build_params(RestatementParams, params, "test")
    return list(Restatement().check(Document.from_text(text), p))


def test_overview_block_is_reported_once_with_every_retold_section():
    found = hits(_example())
    assert [(h.start_line, h.end_line) for h in found] == [(3, 10)]
    assert [(r.start_line, r.end_line) for r in found[0].related][:1] == [(12, 16)]
    assert {r.start_line for r in found[0].related} >= {12, 18, 24}
    assert all(0 < r.similarity <= 1 for r in found[0].related)


def test_item_mode_reports_each_item_against_its_section():
    found = hits(_example(), report="item")
    assert [(h.start_line, h.related[0].start_line) for h in found] == [(3, 12), (6, 18), (9, 24)]


def test_without_restart_nothing_is_reported():
    text = _example()
    detailed = text[text.index("3.1 Building the Pier\n\nIn 1821"):]
    assert hits("Chapter 3: The Harbour\n\n" + detailed) == []


def test_same_topic_overview_that_does_not_mirror_is_not_reported():
    # The overview items talk about the harbour, but none of their facts appear below.
    text = _example()
    overview_end = text.index("3.1 Building the Pier\n\nIn 1821")
    unrelated = """Chapter 3: The Harbour

3.1 Weather
Gales from the west batter the quay in February and fog is common in June.

3.2 Birds
Kittiwakes nest on the cliffs and puffins visit the skerries in May.

3.3 Boats Today
Two crab boats and a lifeboat named Grace Darling use the quay now.

"""
    assert hits(unrelated + text[overview_end:]) == []


def test_wrap_up_items_are_never_reported():
    text = _example().replace("3.3 The Museum\nThe fish", "3.3 Conclusion and Museum\nThe fish")
    found = hits(text, report="item")
    assert [h.start_line for h in found] == [3, 6]


def test_an_overview_as_long_as_the_details_is_not_an_overview():
    assert hits(_example(), overview_ratio=0.05) == []
