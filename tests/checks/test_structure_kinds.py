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
    """Entries that a numbered heading settles never make the check normalise the body;
    an entry with no heading does, once per document however many contents rules ask,
    and is still found in the text."""
    import lint.checks._headings as headings

    bodies = []  # the texts of several lines that were normalised
    original = headings._PUNCT

    class Counting:
        def sub(self, repl, text):
            if "\n" in text:
                bodies.append(text)
            return original.sub(repl, text)

    monkeypatch.setattr(headings, "_PUNCT", Counting())
    titles = ["Origins", "Growth", "Markets", "Rivals", "Future"]
    entries = "\n".join(f"{i}.1 {t} .......... {i}" for i, t in enumerate(titles, 1))
    body = "\n\n".join(f"{i}.1 {t}\n\n" + "Some prose about it.\n" * 40 for i, t in enumerate(titles, 1))
    doc = Document.from_text(f"Contents\n\n{entries}\n\n{body}")
    assert doc.toc is not None and len(doc.toc.entries) == 5
    assert lines(Toc, TocParams, doc, defect="title-mismatch") == []
    assert lines(Toc, TocParams, doc, defect="entry-without-heading") == []
    assert bodies == []  # titles only, not the 200 lines of the body
    doc = Document.from_text(f"Contents\n\n{entries}\nEpilogue .......... 9\n\n{body}\nEpilogue\n\nThe end.\n")
    assert lines(Toc, TocParams, doc, defect="entry-without-heading") == []  # "Epilogue" is in the body
    assert lines(Toc, TocParams, doc, defect="entry-without-heading") == []  # another rule of the kind
    assert len(bodies) == 1 and bodies[0].count("\n") > 200  # the whole body, once for the document


def test_the_body_is_normalised_whole_as_each_line_would_be():
    """Contents entries are looked for in the body normalised once over its whole text:
    line for line what normalise_title gives (quotes, markup, punctuation, case, runs of
    white space, separators only str.split counts), on the seeds and a crafted text."""
    from lint.checks._headings import normalise_title, normalised_lines

    from conftest import SEEDS

    crafted = ("Contents\n\n1. **The \u201cBig\u201d Idea** ..... 3\n\n# Part\u00a0II \u2014 \u2018Straße\u2019\n"
               "  tabs\there\x1cand\u2028there  \n\n***\n_x_ `code` #tag\n")
    texts = [crafted] + [p.read_text(errors="replace") for p in sorted(SEEDS.glob("*.txt"))]
    for text in texts:
        doc = Document.from_text(text)
        for after in (0, 3, len(doc.lines) // 2, len(doc.lines)):
            expected = " \n ".join(normalise_title(line) for line in doc.lines[after:])
            assert normalised_lines(doc, after) == expected
    assert "1 the big idea 3" in normalised_lines(Document.from_text(crafted), 0)


def test_section_kind_names_chapters_and_dotted_numbers_the_same_every_time():
    """Each answer is kept per chapter line or number: asked again, or of another
    document, the same heading gets the same kind, and different ones stay apart."""
    from lint.checks._headings import section_kind

    text = dedent("""
        Chapter 1: Beginnings

        The first chapter opens the story of the firm and its founders in detail.

        Part II

        The second part follows the firm as it grows into a global business.

        2.1 Growth of Regional Markets

        The firm entered new markets one region at a time over a decade.

        2.1.3 Logistics and Delivery

        Deliveries were handled by a network of partners across the country.
        """)
    expected = ["chapter", "part", "dotted2", "dotted3"]
    for _ in range(2):
        doc = Document.from_text(text)
        assert [section_kind(h) for h in doc.headings] == expected
