"""Atomic writes: whole bytes or pieces, and a failure half-way leaves the old file whole."""

from __future__ import annotations

import pytest

from lint.atomic import write_atomic


def test_bytes_and_pieces_write_the_same_file(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    write_atomic(a, b"one two three\n")
    write_atomic(b, (piece for piece in (b"one ", b"two ", b"three\n")))
    assert a.read_bytes() == b.read_bytes() == b"one two three\n"


def test_a_failure_while_writing_pieces_keeps_the_old_file(tmp_path):
    target = tmp_path / "report.json"
    target.write_bytes(b"old report\n")

    def pieces():
        yield b"new "
        raise RuntimeError("renderer failed")

    with pytest.raises(RuntimeError):
        write_atomic(target, pieces())
    assert target.read_bytes() == b"old report\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # no temporary file left behind
