"""Helpers the structure kinds share: which headings are numbered sections, and title keys.

A numbered section is a chapter ("Chapter 3", "Part II") or a dotted number
("2.1", "7.4.2").  A bare "1." heading is local numbering (a list of points set
apart by blank lines) that restarts inside every section, so it is never compared.
"""

from __future__ import annotations

from functools import lru_cache

import regex

from lint.document import Document, Heading

_CHAPTER_WORD = regex.compile(r"^\s*(?:#{1,6}\s*)?(chapter|part|book|volume|section|appendix)\b", regex.IGNORECASE)
_DOTTED = regex.compile(r"^\d{1,3}(?:\.\d{1,3})+$")
_PUNCT = regex.compile(r"[^\w\s]")
_MARKUP = regex.compile(r"[*_`#]")
_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})

# Headings that are meant to repeat: a "Summary" or "Conclusion" closing every section.
GENERIC_TITLES = frozenset((
    "summary", "conclusion", "conclusions", "introduction", "overview", "references", "notes", "note",
    "key takeaways", "takeaways", "faq", "faqs", "background", "discussion", "exercises", "questions",
    "further reading", "bibliography", "sources", "acknowledgements", "acknowledgments", "abstract",
    "examples", "example", "results", "preface", "epilogue", "prologue", "appendix", "index", "contents",
    "table of contents", "definitions", "see also", "final thoughts", "in summary", "recap", "review", "quiz",
    "solution", "solutions", "answers", "status of this memo", "copyright notice", "security considerations",
    "iana considerations", "authors addresses", "author s address", "acknowledgement", "description", "usage",
    "options", "license", "files", "comment", "the end", "finis",
))


def normalise_title(title: str) -> str:
    """Lower case, straight quotes, no markup or punctuation, single spaces."""
    t = _MARKUP.sub("", title.translate(_QUOTES)).casefold()
    return " ".join(_PUNCT.sub(" ", t).split())


_BODIES = "normalised bodies"  # their key in a Document's memo: line number -> text


def normalised_lines(doc: Document, after: int) -> str:
    """Every line after line `after`, normalised as normalise_title does it, joined by
    " \n ": the text that contents entries are looked for in.  Each substitution runs
    once over the whole body (it maps characters alone, and keeps the newlines), not
    once per line, and the contents rules that read it share one copy per document."""
    made = doc.memo.setdefault(_BODIES, {})
    text = made.get(after)
    if text is None:
        body = _MARKUP.sub("", "\n".join(doc.lines[after:]).translate(_QUOTES)).casefold()
        text = made[after] = " \n ".join(" ".join(line.split()) for line in _PUNCT.sub(" ", body).split("\n"))
    return text


def heading_title(heading: Heading) -> str:
    """The normalised title; "" for a bare "CHAPTER IV." whose title the model leaves as the whole line."""
    if heading.kind == "chapter" and heading.title == heading.text:
        return ""
    return normalise_title(heading.title)


def section_kind(heading: Heading) -> str | None:
    """"chapter", "part", … for chapter-word headings, "dotted2"/"dotted3" for N.N / N.N.N, else None.

    Three structure rules ask it of every heading of every document, and the same few
    numbers and chapter lines recur across a corpus: each answer is looked up once."""
    if heading.kind == "chapter":
        return _chapter_kind(heading.text)
    if heading.number:
        return _number_kind(heading.number)
    return None


@lru_cache(maxsize=4096)
def _chapter_kind(text: str) -> str:
    m = _CHAPTER_WORD.match(text)
    return m.group(1).casefold() if m else "chapter"


@lru_cache(maxsize=4096)
def _number_kind(number: str) -> str | None:
    return f"dotted{number.count('.') + 1}" if _DOTTED.match(number) else None


def body_headings(doc: Document) -> list[Heading]:
    """Headings after the table of contents (all of them when there is none)."""
    after = doc.toc.end_line if doc.toc else 0
    return [h for h in doc.headings if h.line > after]


def compatible(a: str, b: str) -> bool:
    """Two normalised titles name the same thing: equal, or one shortens the other."""
    if a == b or (a and b and (a.startswith(b) or b.startswith(a))):
        return True
    return a.replace(" ", "") == b.replace(" ", "")  # "RFC1541" and "RFC 1541"
