"""The structure kinds (toc, section_numbering, duplicate_heading) on the e-book and on small texts."""

from __future__ import annotations

from lint.checks.duplicate_heading import DuplicateHeading, DuplicateHeadingParams
from lint.checks.numbering import Numbering, NumberingParams
from lint.checks.toc import Toc, TocParams
from lint.document import Document
from lint.load import load
from lint.params import build_params

from conftest import EBOOK, dedent


def lines(kind, params_cls, doc: Document, **params) -> list[int]:
    return [h.start_line for h in kind().check(doc, build_params(params_cls, params, "test"))]


def ebook() -> Document:
    return Document(EBOOK.name, load(str(EBOOK)))


def test_ebook_overview_headings_are_not_in_the_toc_and_real_sections_are():
    got = lines(Toc, TocParams, ebook(), defect="heading-not-listed")
    assert [698, 712, 734, 756] == [n for n in got if 694 <= n <= 1054]
    assert not [n for n in got if 123 <= n <= 344]  # chapter 1's overview repeats the listed titles


def test_ebook_reused_numbers_point_at_the_first_use():
    doc = ebook()
    hits = list(Numbering().check(doc, NumberingParams(defect="reused")))
    chapter3 = [(h.start_line, h.related[0].start_line) for h in hits if 694 <= h.start_line <= 1054]
    assert chapter3 == [(776, 698), (840, 712), (908, 734), (987, 756)]


def test_ebook_duplicate_headings_skip_generic_summary_and_conclusion():
    got = lines(DuplicateHeading, DuplicateHeadingParams, ebook())
    assert [n for n in got if n <= 344] == [161, 199, 247, 295]
    assert 157 not in got and 195 not in got


def test_ebook_toc_agrees_on_titles_and_page_order():
    doc = ebook()
    assert lines(Toc, TocParams, doc, defect="title-mismatch") == []
    assert lines(Toc, TocParams, doc, defect="page-order") == []


def test_out_of_order_ignores_local_numbering_and_reuse():
    doc = Document.from_text(dedent("""
        2.1 First

        1. Point

        2.3 Third

        1. Point

        2.2 Second

        2.1 First Again With Another Title
    """))
    assert lines(Numbering, NumberingParams, doc, defect="out-of-order") == [9]
    assert lines(Numbering, NumberingParams, doc, defect="reused") == [11]


def test_chapters_are_numbered_within_their_part():
    doc = Document.from_text(dedent("""
        Part One

        Chapter I. The Start

        Prose.

        Part Two

        Chapter I. Another Start

        Prose.
    """))
    assert lines(Numbering, NumberingParams, doc, defect="reused") == []


def test_unnumbered_duplicates_need_three_words():
    doc = Document.from_text(dedent("""
        Market Share

        Prose.

        Market Share

        Prose.

        Market Share in Asia

        Prose.

        Market Share in Asia

        Prose.
    """))
    assert lines(DuplicateHeading, DuplicateHeadingParams, doc, numbered=False) == [13]


def test_body_lines_are_normalised_only_when_an_entry_needs_them(monkeypatch):
    """Entries that a numbered heading settles never make the check normalise every line
    of the body; an entry with no heading does, once, and is still found in the text."""
    import lint.checks.toc as toc_module

    calls = []
    original = toc_module.normalise_title
    monkeypatch.setattr(toc_module, "normalise_title", lambda text: calls.append(text) or original(text))
    titles = ["Origins", "Growth", "Markets", "Rivals", "Future"]
    entries = "\n".join(f"{i}.1 {t} .......... {i}" for i, t in enumerate(titles, 1))
    body = "\n\n".join(f"{i}.1 {t}\n\n" + "Some prose about it.\n" * 40 for i, t in enumerate(titles, 1))
    doc = Document.from_text(f"Contents\n\n{entries}\n\n{body}")
    assert doc.toc is not None and len(doc.toc.entries) == 5
    assert lines(Toc, TocParams, doc, defect="title-mismatch") == []
    assert lines(Toc, TocParams, doc, defect="entry-without-heading") == []
    assert len(calls) < 40  # titles only, not the 200 lines of the body
    calls.clear()
    doc = Document.from_text(f"Contents\n\n{entries}\nEpilogue .......... 9\n\n{body}\nEpilogue\n\nThe end.\n")
    assert lines(Toc, TocParams, doc, defect="entry-without-heading") == []  # "Epilogue" is in the body
    assert len(calls) > 200
