"""Bytes that are not valid in the file's encoding, found while loading.

The loader never fails on them (it decodes as well as it can); this kind turns what
it recorded into findings, so a damaged file is reported instead of crashing the run.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from lint.checks.base import DocumentCheck
from lint.document import Document
from lint.findings import Hit


@dataclass(frozen=True)
class EncodingParams:
    max_per_file: int = 0  # 0: report every bad byte run; else at most this many, then a count

    def validate(self) -> str | None:
        return "'max_per_file' must not be negative" if self.max_per_file < 0 else None


class Encoding(DocumentCheck):
    Params = EncodingParams

    def check(self, doc: Document, p: EncodingParams) -> Iterator[Hit]:
        errors = doc.source.decode_errors
        if not errors:
            return
        if doc.source.encoding == "cp1252":
            e = errors[0]
            yield Hit(e.line, e.line, {"bytes": e.raw.hex(" "), "encoding": "UTF-8",
                                       "decoded": "decoded as Windows-1252"},
                      start_col=e.col, key="cp1252")
            return
        shown = errors if not p.max_per_file else errors[: p.max_per_file]
        for e in shown:
            yield Hit(e.line, e.line, {"bytes": e.raw.hex(" "), "encoding": doc.source.encoding,
                                       "decoded": "replaced with U+FFFD"},
                      start_col=e.col, end_col=e.col + 1, key=e.raw.hex())
