"""Fixture folders: a tiny corpus plus expect.toml saying what must and must not be found.

Expectations sit beside the text, never in it: an inline marker would change the
words and shingles that the rules measure.  For every rule named in expect.toml the
findings on the folder must be exactly the listed ones; [[clean]] entries say a
rule must not fire on a file, and [[todo]] records a known miss without failing.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from lint.api import prepare

from conftest import FIXTURES, lint_folder

CASES = sorted(p.parent for p in FIXTURES.rglob("expect.toml"))


def _span(entry: dict) -> tuple[int, int]:
    if "lines" in entry:
        return entry["lines"][0], entry["lines"][-1]
    return entry["line"], entry["line"]


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_fixture(case: Path):
    expect = tomllib.loads((case / "expect.toml").read_text(encoding="utf-8"))
    wanted = expect.get("finding", [])
    clean = expect.get("clean", [])
    rules = sorted({e["rule"] for e in wanted + clean + expect.get("todo", [])})
    assert rules, "expect.toml names no rule"
    prepared = prepare({"select": rules, "preview": True, **expect.get("config", {})})
    findings = lint_folder(case, prepared).findings
    codes = {r: prepared.catalogue.lookup(r).code for r in rules}
    got = sorted((f.rule, f.path, f.start_line, f.end_line) for f in findings)
    want = sorted((codes[e["rule"]], e["path"], *_span(e)) for e in wanted)
    if not expect.get("partial", False):
        assert got == want
    else:
        assert set(want) <= set(got)
    for entry in wanted:
        if "related" in entry:
            match = [f for f in findings if f.rule == codes[entry["rule"]] and f.path == entry["path"]
                     and (f.start_line, f.end_line) == _span(entry)]
            shown = {f"{r.path}:{r.start_line}-{r.end_line}" for f in match for r in f.related}
            assert entry["related"] in shown
    for entry in clean:
        code = codes[entry["rule"]]
        lo, hi = _span(entry) if ("lines" in entry or "line" in entry) else (1, 10**9)
        bad = [f for f in findings if f.rule == code and f.path == entry["path"]
               and f.start_line <= hi and f.end_line >= lo]
        assert not bad, f"{code} must not fire on {entry['path']}: {[f.message for f in bad]}"
