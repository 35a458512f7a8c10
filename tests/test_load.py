"""Decoding never fails and never moves a line: BOMs, bad bytes, legacy encodings, line endings."""

from __future__ import annotations

import codecs

import pytest

from lint.document import Document
from lint.load import BinaryFile, decode

TEXT = "Caf\u00e9 \u2014 first line\nsecond line\n"


@pytest.mark.parametrize("raw,encoding,bom", [
    (TEXT.encode("utf-8"), "utf-8", False),
    (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8", True),
    (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16-le", True),
    (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-be", True),
    (codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le"), "utf-32-le", True),
])
def test_unicode_encodings_decode_cleanly(raw, encoding, bom):
    src = decode(raw)
    assert src.text == TEXT
    assert (src.encoding, src.bom) == (encoding, bom)
    assert src.decode_errors == []


def test_stray_bytes_are_recorded_with_line_and_column_and_replaced():
    raw = "ok \u00e9\u00e8 \u2014 \u201cquoted\u201d\nbad ".encode() + b"\xff" + b" here\nand " + b"\xc3\x28\n"
    src = decode(raw)
    assert src.encoding == "utf-8"
    assert [(e.line, e.col, e.raw) for e in src.decode_errors] == [(2, 5, b"\xff"), (3, 5, b"\xc3")]
    assert src.text.split("\n")[1] == "bad \ufffd here"


def test_legacy_eight_bit_text_is_decoded_as_windows_1252():
    raw = "plain\nna\u00efve \u20ac5 caf\u00e9\n".encode("cp1252")
    src = decode(raw)
    assert src.encoding == "cp1252"
    assert src.text == "plain\nna\u00efve \u20ac5 caf\u00e9\n"
    assert [(e.line, e.col) for e in src.decode_errors] == [(2, 3)]


def test_bad_runs_are_placed_as_a_decoder_restarted_after_each_one_places_them():
    """One decoding with an error handler gives the text and the runs (their offsets in
    the text and their bytes) that decoding strictly, run by run, gives; in every
    encoding the loader uses, and for Windows-1252's five undefined bytes."""
    import random

    from lint.load import _decode_with_errors

    def reference(data: bytes, encoding: str):
        parts, errors, pos, length = [], [], 0, 0
        while pos < len(data):
            try:
                chunk = data[pos:].decode(encoding)
            except UnicodeDecodeError as exc:
                good = data[pos : pos + exc.start].decode(encoding)
                parts += [good, "\ufffd"]
                errors.append((length + len(good), data[pos + exc.start : pos + exc.end]))
                length += len(good) + 1
                pos += exc.end
                continue
            parts.append(chunk)
            break
        return "".join(parts), errors

    pieces = [b"a", b"\n", b"\xe2\x80\x99", b"\xe2\x80", b"\xc3", b"\xa9", b"\x92", b"\xff", b"\xf0\x9f\x98",
              b"\xed\xa0\x80", b"\xef\xbf\xbd", b"\xd8", b"\xdc", b"\x00"]
    rng = random.Random(11)
    for _ in range(3000):
        data = b"".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        for encoding in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"):
            assert _decode_with_errors(data, encoding) == reference(data, encoding), (data, encoding)
    legacy = decode(bytes(range(0x80, 0x100)) * 2)
    assert legacy.encoding == "cp1252"
    assert [legacy.text[i] for i in (0x01, 0x0D, 0x0F, 0x10, 0x1D)] == ["\x81", "\x8d", "\x8f", "\x90", "\x9d"]
    assert legacy.text[0] == "\u20ac" and legacy.text[0x12] == "\u2019"


def test_binary_data_is_refused():
    with pytest.raises(BinaryFile):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_endings_keep_line_numbers(newline):
    raw = newline.join(["one", "two", "", "four"]).encode() + newline.encode()
    doc = Document("x.txt", decode(raw))
    assert doc.lines == ["one", "two", "", "four"]
    assert doc.line_of(doc.text.index("four")) == 4
    assert doc.source.newline == newline


def test_mixed_line_endings_are_counted():
    src = decode(b"a\r\nb\nc\rd")
    assert (src.crlf, src.lf, src.cr) == (1, 1, 1)
    assert src.text == "a\nb\nc\nd"
    assert src.final_newline is False


def test_form_feed_and_unicode_separators_do_not_start_lines():
    doc = Document.from_text("a\x0cb\u2028c\nd\n")
    assert doc.lines == ["a\x0cb\u2028c", "d"]


def test_read_file_gives_the_bytes_and_the_stat_they_were_read_under(tmp_path):
    import os

    from lint.load import read_file

    path = tmp_path / "a.txt"
    path.write_bytes(b"caf\xc3\xa9\n" * 1000)
    data, (size, mtime_ns) = read_file(str(path))
    st = os.stat(path)
    assert data == path.read_bytes() and (size, mtime_ns) == (st.st_size, st.st_mtime_ns)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert read_file(str(empty))[0] == b""


def test_read_file_reads_a_pipe_to_its_end(tmp_path):
    """Not a plain file (a named pipe, a device): its size says nothing; read to the end."""
    import os
    import threading

    from lint.load import read_file

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    payload = b"x" * 300_000  # more than a pipe holds at once

    def writer():
        with open(fifo, "wb") as fh:
            fh.write(payload)

    t = threading.Thread(target=writer)
    t.start()
    assert read_file(str(fifo))[0] == payload
    t.join()


def test_read_file_errors_are_one_line_and_name_the_path(tmp_path):
    from lint.errors import DoclintError
    from lint.load import read_file

    with pytest.raises(DoclintError, match=r"missing\.txt: no such file"):
        read_file(str(tmp_path / "missing.txt"))
    with pytest.raises(DoclintError, match=r": is a directory"):
        read_file(str(tmp_path))


@pytest.mark.parametrize("raw,kept", [
    (TEXT.encode("utf-8"), True),
    (b"", True),
    (codecs.BOM_UTF8 + TEXT.encode("utf-8"), False),
    (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), False),
    (TEXT.replace("\n", "\r\n").encode("utf-8"), False),  # the text is not those bytes
    (b"ok \xff here\n", False),
    ("na\u00efve \u201cquote\u201d\n".encode("cp1252"), False),
])
def test_a_documents_utf8_is_its_files_bytes_only_when_they_are_its_text(raw, kept):
    """The case fold and the tokeniser read the text as UTF-8: the file's own bytes when
    decoding changed nothing, else the text encoded; the two are always the same."""
    source = decode(raw)
    assert (source.utf8 is raw) == kept
    doc = Document("a.txt", source)
    assert doc.utf8 == doc.text.encode("utf-8", "surrogatepass")
    if kept:
        assert doc.utf8 is raw  # not encoded again


def test_a_source_given_new_text_does_not_keep_the_old_bytes():
    """A fix makes its source's new text with dataclasses.replace: the bytes of the old
    text must not come with it."""
    from dataclasses import replace

    source = decode(TEXT.encode("utf-8"))
    fixed = replace(source, text=TEXT.upper())
    assert source.utf8 is not None and fixed.utf8 is None
    assert Document("a.txt", fixed).utf8 == TEXT.upper().encode("utf-8")
