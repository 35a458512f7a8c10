"""Reporters: the JSON contract, the text format, fingerprints that survive edits above."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import pytest

import lint
from lint.findings import Finding, Related, Report
from lint.reporters import render

from conftest import REPO, SEEDS, SHARED

SCHEMA_PATH = SHARED / "findings.schema.json"
VENDORED_SCHEMA = REPO / "tests" / "schemas" / "findings.schema.json"


@pytest.fixture(scope="module")
def schema():
    # The contract lives in shared/; a vendored copy keeps the suite runnable from
    # an sdist, and this test fails if the two ever drift apart.
    vendored = json.loads(VENDORED_SCHEMA.read_text())
    if SCHEMA_PATH.exists():
        assert json.loads(SCHEMA_PATH.read_text()) == vendored
    return vendored


@pytest.fixture(scope="module")
def seeds_report():
    # Only the donation appeal: this module tests the reporters, not the rules.
    return lint.check([SEEDS], config={"select": ["BPL001"]}, jobs=1)


def test_json_report_of_the_seeds_validates_against_the_schema(schema, seeds_report):
    data = json.loads(render(seeds_report, "json"))
    jsonschema.validate(data, schema)
    assert data["files_scanned"] == 5
    assert data["summary"]["by_rule"]["BPL001"] == 2


def test_json_report_with_related_columns_and_fix_validates(schema):
    f = Finding("DUP001", "near-duplicate-section", "duplicate", "warning", "a.txt", 3, 9, "m", "fp",
                start_col=2, end_col=5, related=(Related("b.txt", 1, 4, 0.93),), fix={"kind": "delete"})
    data = json.loads(render(Report([f], 2, "0.1.0"), "json"))
    jsonschema.validate(data, schema)
    assert data["findings"][0]["related"] == [{"path": "b.txt", "start_line": 1, "end_line": 4, "similarity": 0.93}]


def test_json_report_streamed_a_finding_at_a_time_is_the_same_text():
    """chunks() writes large reports piece by piece; the bytes must be json.dumps's own."""
    from lint.reporters.json_report import as_dict, chunks

    report = lint.check([SEEDS], config={"select": ["BPL001", "DUP005", "FMT002"]}, jobs=1)
    assert len(report.findings) > 10 and any(f.related for f in report.findings)
    fancy = Finding("DUP001", "near-duplicate-section", "duplicate", "warning", "caf\u00e9/\u201cq\u201d.txt", 3, 9,
                    "line\nbreak \u2014 \"quoted\"", "fp", start_col=2, end_col=5,
                    related=(Related("b.txt", 1, 4, 0.93),), fix={"edits": [{"replacement": "\t"}]})
    graver = Finding("DUP001", "near-duplicate-section", "duplicate", "error", "caf\u00e9/\u201cq\u201d.txt", 3, 9,
                     "m", "fp2")  # the same rule at another severity (a rule's written head is kept)
    for r in (report, Report([], 0, "0.1.0"), Report([fancy], 1, "0.1.0"), Report([graver], 1, "0.1.0")):
        assert "".join(chunks(r)) == json.dumps(as_dict(r), indent=2, ensure_ascii=False) + "\n"
    # Findings are written a few hundred at a time: every count about a batch's edges.
    many = [report.findings[i % len(report.findings)] for i in range(600)] + [fancy]
    for n in (2, 255, 256, 257, 258, 512, 513, 601):
        r = Report(many[-n:], 3, "0.1.0")
        assert "".join(chunks(r)) == json.dumps(as_dict(r), indent=2, ensure_ascii=False) + "\n", n


def test_a_first_finding_with_no_path_is_written_by_json_itself():
    """A finding whose path is not text (None, from a caller's own Finding) goes to
    json.dumps like any value only json knows, even as the first a process writes: the
    writer's memory of the last path starts empty, not as None."""
    probe = (
        "import json; from lint.findings import Finding, Report; "
        "from lint.reporters.json_report import as_dict, chunks; "
        "r = Report([Finding('X001', 'x', 'formatting', 'warning', None, 1, 1, 'm', 'fp')], 1, '0.1.0'); "
        "print(''.join(chunks(r)) == json.dumps(as_dict(r), indent=2, ensure_ascii=False) + '\\n')"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True", out.stdout + out.stderr


def test_indented_json_is_json_dumps_own_text_for_every_kind_of_value():
    from lint.reporters.json_report import indented

    values = [
        {"a": 1, "b": [1, 2.5, {"c": None, "d": []}], "e": {}, "f": "\u00fc \u2028 \x00 \"q\" \\ \t",
         "g": True, "h": False, "i": float("nan"), "j": float("inf"), "k": float("-inf"), "l": -0.0,
         "m": 1e300, "n": (1, "x"), "o": 10**30, "p": [[{}], [[]]]},
        [], {}, "s", 3, 0.1, None,
    ]
    import enum

    class Level(enum.IntEnum):
        HIGH = 3

    class Name(str):
        pass

    values.append({"level": Level.HIGH, "name": Name("x\"y"), "nested": [Level.HIGH, Name("z")]})
    for value in values:
        assert indented(value) == json.dumps(value, indent=2, ensure_ascii=False)
    assert indented({"k": [1]}, "\n    ") == json.dumps({"k": [1]}, indent=2).replace("\n", "\n    ")
    for unknown in ({1: "int key"}, {"set": {1}}, b"bytes"):
        with pytest.raises(TypeError):
            indented(unknown)  # the report then falls back to json.dumps for that finding


def test_fixes_are_json_dumps_own_text_in_every_shape():
    """The JSON report writes lint.fix's usual shape of fix directly, and any other shape
    (keys in another order, an extra key, a tuple of edits, a bool for a line) as any
    value: both must be json.dumps's text, at the report's indentation."""
    from lint.fix import edit, make_fix
    from lint.reporters.json_report import _fix

    usual = make_fix("Replace \u201c**x\u201d", [edit(1, 2, 3, 4, 'a\n"b" \u2028 \\'), edit(10, 1, 11, 1)], "unsafe")
    odd = [
        make_fix("no edits", []),
        {"safety": "safe", "description": "keys in another order", "edits": [edit(1, 1, 1, 2)]},
        {"kind": "delete"},
        {"edits": [{"replacement": "\t"}]},
        make_fix("a bool line", [dict(edit(1, 1, 1, 2), start_line=True)]),
        make_fix("an extra key", [dict(edit(1, 1, 1, 2), note="x")]),
        make_fix("a float column", [dict(edit(1, 1, 1, 2), end_col=2.0)]),
        {"description": "a tuple of edits", "safety": "safe", "edits": (edit(1, 1, 1, 2),)},
        make_fix("edits of another order", [{"replacement": "", **edit(1, 1, 1, 2)}]),
    ]
    for fix in [usual, *odd]:
        for pad in ("\n", "\n      "):
            assert _fix(fix, pad) == json.dumps(fix, indent=2, ensure_ascii=False).replace("\n", pad), fix


def test_text_report_lines_and_summary(seeds_report):
    out = render(seeds_report, "text", colour=False)
    lines = out.splitlines()
    assert lines[0].endswith("004_bc88c7d21c4337ff.txt:116:1: BPL001 [warning] Donation appeal left in the text: "
                             "\u201cIf you appreciate this eBook, please send\u201d")
    assert "2  BPL001  donation-appeal" in out
    assert lines[-1] == "Found 2 findings (2 warnings) in 5 files."
    assert "\x1b[" not in out
    assert "\x1b[" in render(seeds_report, "text", colour=True)


def test_findings_are_sorted_deterministically(seeds_report):
    keys = [f.sort_key() for f in seeds_report.findings]
    assert keys == sorted(keys)


def test_fingerprints_survive_lines_inserted_above(tmp_path):
    text = "Intro paragraph.\n\nPlease consider a small donation via PayPal.\n"
    (tmp_path / "a.txt").write_text(text)
    before = lint.check([tmp_path], config={"select": ["BPL001"]}, jobs=1).findings
    (tmp_path / "a.txt").write_text("A new first line.\n\nAnother new paragraph.\n\n" + text)
    after = lint.check([tmp_path], config={"select": ["BPL001"]}, jobs=1).findings
    assert len(before) == len(after) == 1
    assert before[0].start_line != after[0].start_line
    assert before[0].fingerprint == after[0].fingerprint


def test_repeated_identical_findings_get_distinct_fingerprints(tmp_path):
    (tmp_path / "a.txt").write_text("Please donate via PayPal.\n\nfiller\n\nPlease donate via PayPal.\n")
    found = lint.check([tmp_path], config={"select": ["BPL001"]}, jobs=1).findings
    assert len(found) == 2 and found[0].fingerprint != found[1].fingerprint


def test_fingerprint_keys_fold_white_space_exactly_as_they_always_have():
    """Baselines hold fingerprints: the key's white space is folded as runs of the regex
    module's \\s, whichever way it is computed (str.split() also splits on U+001C-U+001F)."""
    import random

    import regex

    from lint.findings import normalise_key

    def reference(text: str) -> str:
        return regex.sub(r"\s+", " ", text).strip().casefold()

    pieces = ["Word", "ß", " ", "\t", "\n", "\u00a0", "\u2003", "\u2028", "\u0085", "\x1c", "\x1f", "\u200b", "Ünïcode"]
    rng = random.Random(7)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 12))) for _ in range(5000)]
    texts += ["  Leading and trailing  ", "a\x1cb", "\x1e", "Straße\u00a0Nord"]
    for text in texts:
        assert normalise_key(text) == reference(text), repr(text)
