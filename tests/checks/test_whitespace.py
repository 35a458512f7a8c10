"""Whitespace kinds: trailing white space, blank-line runs, leading blanks, final newline, line endings."""

from __future__ import annotations

from lint.checks.whitespace import (
    BlankLineRun, BlankLineRunParams, FinalNewline, FinalNewlineParams, LeadingBlankLines,
    LeadingBlankLinesParams, LineEndings, LineEndingsParams, TrailingWhitespace, TrailingWhitespaceParams,
)
from lint.document import Document
from lint.fix import apply_edits


def spans(kind, params, text, path="doc.txt"):
    return [(h.start_line, h.end_line) for h in kind().check(Document.from_text(text, path), params)]


def fixed(kind, params, text):
    doc = Document.from_text(text)
    edits = [e for h in kind().check(doc, params) for e in h.fix["edits"]]
    return apply_edits(doc.text, edits)[0]


def test_trailing_whitespace_one_finding_per_line_and_fix():
    text = "a  \nb\nc\t\n   \n"
    assert spans(TrailingWhitespace, TrailingWhitespaceParams(), text) == [(1, 1), (3, 3), (4, 4)]
    assert spans(TrailingWhitespace, TrailingWhitespaceParams(blank_lines=False), text) == [(1, 1), (3, 3)]
    assert fixed(TrailingWhitespace, TrailingWhitespaceParams(), text) == "a\nb\nc\n\n"


def test_blank_line_run_reports_rare_runs_and_collapses_them():
    text = "Title\n\n\n\nBody one.\n\nBody two.\n"
    assert spans(BlankLineRun, BlankLineRunParams(), text) == [(2, 4)]
    assert fixed(BlankLineRun, BlankLineRunParams(), text) == "Title\n\nBody one.\n\nBody two.\n"


def test_blank_line_runs_as_a_house_style_are_left_alone():
    text = "".join(f"Chapter {i}\n\n\n\nText.\n\n\n\n" for i in range(6))
    assert spans(BlankLineRun, BlankLineRunParams(), text) == []


def test_paginated_files_are_skipped():
    assert spans(BlankLineRun, BlankLineRunParams(), "A\n\n\n\n\fB\n") == []
    assert spans(LeadingBlankLines, LeadingBlankLinesParams(), "\nRFC 1\n\f\n") == []


def test_leading_blank_lines_once_with_fix():
    assert spans(LeadingBlankLines, LeadingBlankLinesParams(), "\n\nTitle\n") == [(1, 2)]
    assert fixed(LeadingBlankLines, LeadingBlankLinesParams(), "\n\nTitle\n") == "Title\n"
    assert spans(LeadingBlankLines, LeadingBlankLinesParams(), "\n\n") == []


def test_final_newline():
    assert spans(FinalNewline, FinalNewlineParams(), "a\nb") == [(2, 2)]
    assert fixed(FinalNewline, FinalNewlineParams(), "a\nb") == "a\nb\n"
    assert spans(FinalNewline, FinalNewlineParams(), "a\n") == []
    assert spans(FinalNewline, FinalNewlineParams(), "") == []


def test_line_endings_runs_from_the_file(tmp_path):
    from lint.load import load

    path = tmp_path / "mixed.txt"
    path.write_bytes(b"a\r\nb\r\nc\nd\ne\r\nf\r\ng\r\n")
    doc = Document(str(path), load(str(path)))
    hits = list(LineEndings().check(doc, LineEndingsParams()))
    assert [(h.start_line, h.end_line) for h in hits] == [(3, 4)]
    assert hits[0].args["major"] == "CRLF"


def test_line_endings_in_memory_text_gives_one_finding():
    assert spans(LineEndings, LineEndingsParams(), "a\r\nb\nc\r\n") == [(1, 3)]
    assert spans(LineEndings, LineEndingsParams(), "a\r\nb\r\n") == []
