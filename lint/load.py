"""Bytes on disk to text with real line numbers, whatever the encoding.

A linter that crashes on one badly encoded file is a linter nobody can run on a
scraped corpus, so decoding never fails: undecodable bytes are recorded (the
`invalid-encoding` rule reports them) and the text is decoded as well as it can be.
"""

from __future__ import annotations

import codecs
import os
import stat as stat_module
import threading
from dataclasses import dataclass, field

from lint.errors import DoclintError

# Longest BOMs first: the UTF-32-LE BOM begins with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

BINARY_SNIFF_BYTES = 8192

# Windows-1252 leaves five bytes undefined; those decode as their Latin-1 code points.
# A decoding table for codecs.charmap_decode: one character per byte value.
_CP1252_OR_LATIN1 = "".join(
    bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(256)
)


class BinaryFile(DoclintError):
    """The file looks like binary data; it is skipped with a notice, not linted."""


@dataclass(frozen=True, slots=True)
class DecodeError:
    """Undecodable bytes at a line and column of the decoded text (both 1-based)."""

    line: int
    col: int
    raw: bytes


@dataclass(slots=True)
class Source:
    """Decoded text with '\\n' line endings plus what was true of the original bytes."""

    text: str
    encoding: str
    bom: bool = False
    crlf: int = 0
    cr: int = 0
    lf: int = 0
    final_newline: bool = True
    decode_errors: list[DecodeError] = field(default_factory=list)
    # The bytes the text was decoded from, when they are its UTF-8 exactly (no mark, no
    # carriage return, no bad byte): the case fold and the tokeniser read UTF-8, and
    # need not encode the text again.  Not an argument, so that dataclasses.replace,
    # which a fix uses to give a source new text, does not carry the old bytes over.
    utf8: bytes | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def newline(self) -> str:
        """The file's dominant line ending, used when a fix writes the file back."""
        counts = {"\r\n": self.crlf, "\r": self.cr, "\n": self.lf}
        best = max(counts, key=lambda k: counts[k])
        return best if counts[best] else "\n"


def read_bytes(path: str) -> bytes:
    return read_file(path)[0]


def read_file(path: str) -> tuple[bytes, tuple[int, int]]:
    """A file's bytes, and its (size, mtime_ns) when it was opened: a later edit then
    shows as a changed mtime.

    Read with plain system calls (open, fstat, read, close): a buffered file object
    makes three more per file, and a corpus has hundreds of thousands of files.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        try:
            st = os.fstat(fd)
            if stat_module.S_ISDIR(st.st_mode):
                raise IsADirectoryError(path)
            want = st.st_size + 1
            data = os.read(fd, want)
            if len(data) == want or not stat_module.S_ISREG(st.st_mode):  # grown since, or not a plain file
                parts = [data]
                while chunk := os.read(fd, 1 << 20):
                    parts.append(chunk)
                data = b"".join(parts)
        finally:
            os.close(fd)
    except IsADirectoryError:
        raise DoclintError(f"{path}: is a directory") from None
    except FileNotFoundError:
        raise DoclintError(f"{path}: no such file") from None
    except PermissionError:
        raise DoclintError(f"{path}: permission denied") from None
    except OSError as exc:
        raise DoclintError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return data, (st.st_size, st.st_mtime_ns)


def decode(data: bytes, path: str = "<bytes>") -> Source:
    """Decode bytes; raise BinaryFile for data that is not text at all."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            text, errors = _decode_with_errors(body, encoding)
            return _finish(text, encoding, True, errors)
    if b"\0" in data[:BINARY_SNIFF_BYTES]:
        raise BinaryFile(f"{path}: binary file skipped")
    try:
        return _finish(data.decode("utf-8"), "utf-8", False, [], data)
    except UnicodeDecodeError:
        pass
    text, errors = _decode_with_errors(data, "utf-8")
    # Many bad sequences and few good multi-byte ones: this is a legacy 8-bit
    # encoding, not UTF-8 with a few damaged bytes.  Windows-1252 is a superset of
    # Latin-1 for printable text and the usual culprit in scraped corpora.
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    valid_multibyte = non_ascii - text.count("\ufffd")
    if len(errors) > valid_multibyte:
        line, col = _line_col(text, errors[0][0])
        legacy = codecs.charmap_decode(data, "strict", _CP1252_OR_LATIN1)[0]
        source = _finish(legacy, "cp1252", False, [])
        source.decode_errors = [DecodeError(line, col, errors[0][1])]
        return source
    return _finish(text, "utf-8", False, errors)


def _decode_with_errors(data: bytes, encoding: str) -> tuple[str, list[tuple[int, bytes]]]:
    """Decode with U+FFFD for bad bytes, remembering where each bad run sits in the text.

    One decoding of the whole input, its error handler noting each bad run's bytes:
    restarting the decoder after every bad byte copied the rest of the input each time,
    seconds for a Windows-1252 book.  The text before each run decodes on its own, so
    its length gives the run's place in the text."""
    spans: list[tuple[int, int]] = []
    _BAD_RUNS.spans = spans
    try:
        text = data.decode(encoding, errors=_RECORD_ERRORS)
    finally:
        _BAD_RUNS.spans = None
    errors: list[tuple[int, bytes]] = []
    out_len = 0
    done = 0
    for start, end in spans:
        out_len += len(data[done:start].decode(encoding)) if start > done else 0
        errors.append((out_len, bytes(data[start:end])))
        out_len += 1
        done = end
    return text, errors


def _record_bad_run(exc: UnicodeDecodeError) -> tuple[str, int]:
    _BAD_RUNS.spans.append((exc.start, exc.end))
    return "\ufffd", exc.end


_BAD_RUNS = threading.local()  # the runs of the decoding under way in this thread
_RECORD_ERRORS = "doclint-record-bad-runs"
codecs.register_error(_RECORD_ERRORS, _record_bad_run)


def _finish(
    text: str,
    encoding: str,
    bom: bool,
    errors: list[tuple[int, bytes]],
    utf8: bytes | None = None,
) -> Source:
    returns = text.count("\r")
    crlf = text.count("\r\n") if returns else 0  # most text has no carriage return at all
    cr = returns - crlf
    lf = text.count("\n") - crlf
    # Error offsets refer to the un-normalised text; map them before normalising.
    error_lines = [_line_col(text, off) for off, _ in errors]
    if crlf or cr:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        utf8 = None
    final_newline = text.endswith("\n") or text == ""
    decode_errors = [DecodeError(line, col, raw) for (line, col), (_, raw) in zip(error_lines, errors)]
    source = Source(text, encoding, bom, crlf, cr, lf, final_newline, decode_errors)
    source.utf8 = utf8
    return source


def _line_col(text: str, offset: int) -> tuple[int, int]:
    """Line and column of an offset, counting '\\r\\n', '\\r' and '\\n' as line ends."""
    head = text[:offset]
    line = head.count("\n") + head.count("\r") - head.count("\r\n") + 1
    last = max(head.rfind("\n"), head.rfind("\r"))
    return line, offset - last


def load(path: str) -> Source:
    return decode(read_bytes(path), path)
