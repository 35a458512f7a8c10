"""The fix engine: edits, overlap, encodings and line endings kept, atomic writes, the CLI flags."""

from __future__ import annotations

import codecs
import os

from lint.fix import apply_edits, delete_lines, edit, encode_like
from lint.load import decode

from conftest import run_cli

APPEAL_DOC = "Chapter one ends here.\n\nIf you appreciate this eBook, please send money\nthrough PayPal Account:\n\nThe end.\n"


def test_edits_apply_in_order_and_overlaps_wait_for_the_next_pass():
    text = "abc def\nghi\n"
    out, n = apply_edits(text, [edit(1, 5, 1, 8, "XYZ"), edit(1, 1, 1, 2, ""), edit(1, 6, 1, 7, "?")])
    assert (out, n) == ("bc XYZ\nghi\n", 2)


def test_delete_lines_takes_the_newline_and_works_at_the_end():
    text = "a\nb\nc\n"
    assert apply_edits(text, delete_lines(2, 2, "x")["edits"])[0] == "a\nc\n"
    assert apply_edits(text, delete_lines(3, 3, "x")["edits"])[0] == "a\nb\n"


def test_encode_like_restores_bom_encoding_and_line_endings():
    raw = codecs.BOM_UTF16_LE + "one\r\ntwo\r\n".encode("utf-16-le")
    src = decode(raw)
    assert encode_like(src.text, src) == raw


def test_unsafe_fix_deletes_the_appeal_and_relint_is_clean(tmp_path):
    (tmp_path / "book.txt").write_text(APPEAL_DOC)
    proc = run_cli("check", ".", "--isolated", "--select", "BPL001", "--fix", cwd=tmp_path)
    assert proc.returncode == 1, "donation removal is unsafe: --fix alone leaves it"
    assert (tmp_path / "book.txt").read_text() == APPEAL_DOC
    proc = run_cli("check", ".", "--isolated", "--select", "BPL001", "--unsafe-fixes", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "applied 1 fix to 1 file" in proc.stderr
    assert "No findings" in proc.stdout
    assert (tmp_path / "book.txt").read_text() == "Chapter one ends here.\n\nThe end.\n"
    assert [n for n in os.listdir(tmp_path) if n != ".doclint_cache"] == ["book.txt"], "no temporary files left"


def test_diff_shows_the_change_and_writes_nothing(tmp_path):
    (tmp_path / "book.txt").write_text(APPEAL_DOC)
    proc = run_cli("check", ".", "--isolated", "--select", "BPL001", "--unsafe-fixes", "--diff", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.startswith("--- a/book.txt\n+++ b/book.txt\n")
    assert "-If you appreciate this eBook, please send money\n" in proc.stdout
    assert (tmp_path / "book.txt").read_text() == APPEAL_DOC


def test_files_are_never_modified_without_fix(tmp_path):
    (tmp_path / "book.txt").write_text(APPEAL_DOC)
    before = os.stat(tmp_path / "book.txt")
    run_cli("check", ".", "--isolated", cwd=tmp_path)
    after = os.stat(tmp_path / "book.txt")
    assert (before.st_mtime_ns, before.st_ino) == (after.st_mtime_ns, after.st_ino)
