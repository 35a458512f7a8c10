"""Section numbers that are reused with another title, or that go backwards.

Dotted numbers (2.1, 7.4.2) are global to a document, and so are chapter numbers
within their book, part or volume.  A bare "1." restarts in every section by design
and is never compared.  The second use of a number is reported, pointing at the first.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from lint.checks._headings import body_headings, heading_title, section_kind
from lint.checks.base import DocumentCheck
from lint.document import Document
from lint.findings import Hit, Related

_CONTAINERS = ("book", "part", "volume")


@dataclass(frozen=True)
class NumberingParams:
    # reused: a number already used by a heading with a different title;
    # out-of-order: a number lower than the previous one at the same level under the same parent.
    defect: Literal["reused", "out-of-order"]


class Numbering(DocumentCheck):
    Params = NumberingParams

    def check(self, doc: Document, p: NumberingParams) -> Iterator[Hit]:
        seen: dict[tuple, tuple[int, str, str]] = {}
        last_at: dict[tuple, tuple[int, int]] = {}
        container = None
        for h in body_headings(doc):
            kind = section_kind(h)
            if kind is None or not h.number:
                continue
            number = h.number.upper()
            if kind in _CONTAINERS:
                container = (kind, number)
                key = ("container", kind, number)
            elif kind.startswith("dotted"):
                key = ("dotted", number)
            else:
                key = ("chapter", container, kind, number)
            title = heading_title(h)
            if key in seen:
                first_line, first_title, first_text = seen[key]
                if p.defect == "reused" and first_title != title:
                    yield Hit(h.line, h.line, {"number": h.number, "first": first_text, "first_line": first_line},
                              related=(Related(doc.path, first_line, first_line),), key=h.text)
                continue
            seen[key] = (h.line, title, h.text)
            if p.defect == "out-of-order" and key[0] == "dotted":
                parts = tuple(int(x) for x in number.split("."))
                level = (len(parts), parts[:-1])
                if level in last_at and parts[-1] < last_at[level][0]:
                    prev = ".".join(map(str, (*parts[:-1], last_at[level][0])))
                    yield Hit(h.line, h.line, {"number": h.number, "previous": prev, "previous_line": last_at[level][1]},
                              related=(Related(doc.path, last_at[level][1], last_at[level][1]),), key=h.text)
                last_at[level] = (parts[-1], h.line)
