"""The document model on the seeds and on small crafted texts."""

from __future__ import annotations

import random

import pytest

from lint import document, kernels
from lint.document import Document
from lint.load import load

from conftest import EBOOK, FIXTURES, SEEDS, dedent


def ebook() -> Document:
    return Document(EBOOK.name, load(str(EBOOK)))


def test_ebook_has_twenty_chapter_headings_in_the_body():
    doc = ebook()
    chapters = [h for h in doc.headings if h.kind == "chapter"]
    assert [h.number for h in chapters] == [str(n) for n in range(1, 21)]
    assert all(h.line > doc.toc.end_line for h in chapters)
    assert chapters[0].title == "Early Life and Background"


def test_ebook_table_of_contents_is_found_at_the_top():
    doc = ebook()
    toc = doc.toc
    assert toc is not None
    assert doc.line(toc.start_line) == "Table of Contents"
    assert toc.entries[0].text == "Chapter 1: Early Life and Background"
    assert toc.entries[0].page == "6"
    assert toc.entries[-1].number == "20.4"
    assert len(toc.entries) == 100  # 20 chapters with four sections each
    dotted = [e for e in toc.entries if e.leader]
    assert dotted and all("....." in doc.line(e.line) for e in dotted)
    # No heading is taken from inside the table of contents.
    assert not [h for h in doc.headings if toc.start_line <= h.line <= toc.end_line]


def test_ebook_numbered_sections_belong_to_their_chapter():
    doc = ebook()
    sec = next(s for s in doc.sections if s.heading and s.heading.text == "1.1 Childhood in Hangzhou")
    parent = doc.sections[sec.parent]
    assert parent.heading.kind == "chapter" and parent.heading.number == "1"


def test_article_headings_are_short_title_lines():
    doc = Document("a.txt", load(str(SEEDS / "003_79b111b3cbf9490d.txt")))
    titles = [h.text for h in doc.headings]
    assert "AI Talent and Infrastructure Investments" in titles
    assert "Key Takeaways" in titles
    # Body paragraphs, one per line without blank lines between, are not headings.
    assert all(len(t) < 90 for t in titles)


def test_heading_kinds_and_levels():
    doc = Document.from_text(dedent("""
        # Title in Markdown

        Chapter 3: The Middle

        2.1 A numbered section

        Some prose that ends with a full stop.

        A Short Title Line

        More prose follows here, and it is long enough to be a paragraph.
    """), "x.md")
    got = [(h.kind, h.level, h.title) for h in doc.headings]
    assert got == [
        ("markdown", 1, "Title in Markdown"),
        ("chapter", 1, "The Middle"),
        ("numbered", 2, "A numbered section"),
        ("title", 2, "A Short Title Line"),
    ]


def test_a_numbered_title_runs_to_its_last_non_space_character():
    """Inner white space, an ideographic space, a trailing tab or spaces: the title is
    the text after the number up to its last visible character."""
    text = ("Intro prose that ends here.\n\n1.2 Scope  and\u3000aims \t \n\n"
            "More prose that ends here.\n\n3. Growth x\n\nEnd of the text, with a stop.\n")
    got = [(h.number, h.title) for h in Document.from_text(text).headings if h.kind == "numbered"]
    assert got == [("1.2", "Scope  and\u3000aims"), ("3", "Growth x")]


def test_sentences_and_list_items_are_not_headings():
    doc = Document.from_text(dedent("""
        In practice, the company made adjustments:

        - E-commerce core business
        1. A list item that is a sentence.

        This line ends with a period.
    """))
    assert doc.headings == []


def test_paragraphs_split_on_blank_lines_headings_and_long_lines():
    doc = Document.from_text(dedent("""
        Heading Here
        """) + ("A long scraped paragraph sentence. " * 6).strip() + "\n"
        + ("Another long paragraph on the next line. " * 5).strip() + "\n\nwrapped short\nlines join\n")
    spans = [(p.start_line, p.end_line) for p in doc.paragraphs]
    assert spans == [(1, 1), (2, 2), (3, 3), (5, 6)]


def test_line_of_and_col_of_map_offsets():
    doc = Document.from_text("ab\ncde\n")
    off = doc.text.index("d")
    assert (doc.line_of(off), doc.col_of(off)) == (2, 2)


def test_a_contents_title_in_any_case_is_found_behind_its_folded_word():
    """The title is looked for only in texts whose folded form holds "contents": sound
    because every character the pattern takes for a letter of it, ignoring case, folds
    to that letter (the long s included)."""
    import sys

    import regex

    from lint.document import _TOC_TITLE

    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    for letter in "contents":
        alike = regex.findall(regex.escape(letter), every, regex.IGNORECASE)
        assert len(alike) >= 2 and all(ch.casefold() == letter for ch in alike), letter
    assert len(regex.findall("s", every, regex.IGNORECASE)) == 3  # s, S and the long s
    body = "\n\nChapter 1: Beginnings\nChapter 2: Middles\nChapter 3: Ends\n\nChapter 1: Beginnings\n\nIt started.\n"
    for title in ("CONTENTS", "Table of Contents:", "  contents", "Table of Content\u017f"):
        assert _TOC_TITLE.match(title)
        toc = Document.from_text(title + body).toc
        assert toc is not None and toc.titled and toc.start_line == 1, title
    assert Document.from_text("Intents\n" + body).toc is None


def test_toc_without_a_title_is_found_from_page_numbered_entries():
    doc = Document.from_text(dedent("""
        A Book Title

        Chapter 1: Beginnings\t1
        1.1 The First Steps\t3
        1.2 The Second Steps\t7
        Chapter 2: Middles\t12
        2.1 Halfway There\t15

        Chapter 1: Beginnings

        It started on a Monday.
    """))
    toc = doc.toc
    assert toc is not None and not toc.titled
    assert (toc.start_line, toc.end_line, len(toc.entries)) == (3, 7, 5)
    assert [h.line for h in doc.headings if h.kind == "chapter"] == [9]


def test_an_untitled_toc_is_a_run_that_other_content_breaks_in_both_forms(monkeypatch):
    """Five page-numbered entries in a row make a contents list without a title; blank
    lines and white space after the page number do not break the run, a line of other
    content does (one of white space beyond ASCII too), and page furniture does not.
    The kernel's scan and the Python loop agree on each."""
    entries = ["Chapter 1: Beginnings\t1", "1.1 The First Steps\t3  ", "1.2 The Second Steps\t7",
               "Chapter 2: Middles\t12", "2.1 Halfway There\t15"]
    cases = {
        "\n".join(entries): (1, 5),
        "\n\n".join(entries): (1, 9),
        "\n".join(entries[:2] + ["A stray line of text"] + entries[2:]): None,
        "\n".join(entries[:2] + ["\u3000"] + entries[2:]): None,
        "\n".join(entries[:2] + ["\fRFC 9999   Example   June 2024", "RFC 9999   Example   June 2024"] + entries[2:]): (1, 7),
    }
    for form in ("compiled", "python"):
        if form == "python":
            monkeypatch.setattr(document, "_kernels", None)
        for text, span in cases.items():
            toc = Document.from_text(text + "\n\nChapter 1: Beginnings\n\nIt started on a Monday.\n").toc
            assert (toc.start_line, toc.end_line) == span if span else toc is None, (form, text)


def test_toc_entries_wrap_and_tolerate_page_furniture():
    doc = Document.from_text(dedent("""
        Table of Contents

           1. Introduction ................................................  2
           2. Protocol Overview ...........................................  3
              2.1 Rules for When to Use Entity Tags and Last-
              modified Dates ..............................................  5

        Author                                                      [Page 1]
        \fRFC 9999                     Example                      June 2024

           2.2 Caching ....................................................  6
           3. Security Considerations .....................................  9

        1. Introduction

        This document describes a protocol.
    """))
    toc = doc.toc
    assert [e.number for e in toc.entries] == ["1", "2", "2.1", "2.2", "3"]
    assert toc.entries[2].page == "5" and toc.entries[2].title.endswith("Last-modified Dates")
    assert not any(h.line in doc.furniture for h in doc.headings)


def test_running_headers_and_wrapped_numbers_are_not_headings():
    doc = Document.from_text(dedent("""
        The details are given in the section
        14.35. The Range Header of this document.

        RFC 2616                        HTTP/1.1                       June 1999

        3.2 Exposure to the Internet in the U.S.

        Prose that ends here.

        5.3 Investment from SoftBank and Yahoo!

        1.5 million users joined in the first year

        Still prose.
    """))
    assert [h.text for h in doc.headings] == [
        "3.2 Exposure to the Internet in the U.S.",
        "5.3 Investment from SoftBank and Yahoo!",
    ]


def test_the_last_content_line_is_the_same_whether_or_not_the_text_was_split():
    """Found from the text itself when its lines were never needed, and from the lines
    when they were: blank means spaces, tabs, form feeds, no-break and zero-width
    spaces, and nothing else (an em space is content)."""
    texts = ["", "\n", " \t\n\n", "one\n", "one\n\n  \n", "one\ntwo \u00a0\n\u200b\ufeff\n\f\n",
             "a\n\u2003\n", "\n\nlast", "x\n\t\v\n"]
    for text in texts:
        fresh = Document.from_text(text)
        split = Document.from_text(text)
        expected = max((i for i, line in enumerate(split.lines, 1) if not split.is_blank(i)), default=None)
        assert fresh.last_content_line() == expected, repr(text)
        assert "lines" not in fresh.__dict__
        split.lines  # noqa: B018 - the other path
        assert split.last_content_line() == expected, repr(text)
    assert Document.from_text("a\n\u2003\n").last_content_line() == 2


def test_blank_lines_hold_only_spaces_tabs_form_feeds_and_invisible_spaces():
    doc = Document.from_text("a\n \t\f\v\n\u00a0\u200b\ufeff\n\n\u2003\n\u0085\n.\n \u2028 \n")
    assert doc.blank == [False, True, True, True, False, False, False, False]
    assert [doc.is_blank(n) for n in range(1, 9)] == doc.blank


def test_lines_of_white_space_that_are_not_blank_are_never_headings():
    """Every white-space character `blank` does not take (em spaces, U+3000, the line
    separators) alone on a line: no heading, and the model around it is unchanged."""
    import sys

    from lint.document import _BLANK_CHARS

    spaces = [c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace() and c not in _BLANK_CHARS + "\n\r"]
    assert "\u3000" in spaces and "\u2003" in spaces
    for space in spaces:
        doc = Document.from_text(f"Chapter 1\n\n{space}\n\n1.1 Markets\n\nText.\n{space}{space}\n", "a.md")
        assert [(h.line, h.text) for h in doc.headings] == [(1, "Chapter 1"), (5, "1.1 Markets")], repr(space)


def test_the_quick_tests_before_the_heading_patterns_never_turn_a_heading_away():
    """Every character that the chapter or numbered patterns accept first passes the
    quick test of the first character; leaders, tabs and wide gaps are found as the
    patterns find them."""
    import random
    import sys

    import regex

    from lint.document import (_CHAPTER, _NUMBERED, _NUMBERED_SINGLE, _WIDE_GAP, _is_entry_or_running_header,
                               _may_open_chapter, _may_open_number)

    chapter_initial = regex.compile(r"(?i)[cpbas]")
    digit = regex.compile(r"\d")
    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        if chapter_initial.match(ch):
            assert _may_open_chapter(ch), hex(code)
        if digit.match(ch):
            assert _may_open_number(ch), hex(code)
    assert not _may_open_chapter("x") and not _may_open_number("x")
    assert _CHAPTER.match("  \u017fection 4 Tides") and _may_open_chapter("\u017f")  # long s, case-folded
    assert _NUMBERED.match("\U00010d40.2 Title") and _may_open_number("\U00010d40")  # a digit only regex knows
    assert _NUMBERED_SINGLE.match("7. Title")

    leader = regex.compile(r"\.{4,}|(?:\. ){3,}|\t")
    pieces = ["a", ".", ". ", " ", "   ", "\t", "\u00a0", "7"]
    rng = random.Random(3)
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 10))).strip() or "a"
        expected = bool(leader.search(text) or _WIDE_GAP.search(text))
        assert _is_entry_or_running_header(text) == expected, repr(text)


def test_page_furniture_is_what_a_search_line_by_line_finds():
    """Form feeds, "[Page N]" footers, "RFC N" headers and recurring numbered lines with
    wide gaps, found over the whole text: the lines a test of each line finds."""
    import random

    import regex

    from lint.document import _WIDE_GAP

    from conftest import FIXTURES

    marker = regex.compile(r"\f|\[Page \d+\]|^\s*RFC \d+ ")

    def reference(doc: Document) -> frozenset[int]:
        keys = [line.strip() for line in doc.lines]
        counts = {k: keys.count(k) for k in set(keys) if k}
        return frozenset(n for n, (line, key) in enumerate(zip(doc.lines, keys), 1)
                         if marker.search(line) or (counts.get(key, 0) >= 3 and _WIDE_GAP.search(key)
                                                    and any(c.isdigit() for c in key)))

    texts = [p.read_text(encoding="utf-8", errors="replace").replace("\0", " ") for p in sorted(FIXTURES.rglob("*.txt"))]
    # The lower-case marks pass the literal scan's case-folded gate and must still be
    # turned away; "\u00df" folds to two letters, moving every offset after it.
    pieces = ["RFC 1034 ", "  RFC 7 ", "\f", "[Page 3]", "x RFC 9 ", "Title   12", "\n", "\n", "\n\n", " ", "a",
              "\x1c", "\u3000", "\t", "RFC x ", "rfc 5 ", "[page 4]", "\u00df"]
    rng = random.Random(2)
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 30))) for _ in range(2000)]
    found = 0
    for text in texts:
        doc = Document.from_text(text)
        assert doc.furniture == reference(doc), repr(text[:200])
        found += len(doc.furniture)
    assert found > 1000


def test_the_model_literals_are_scanned_with_the_rules_before_the_first_document(monkeypatch):
    """The engine registers the model's literals with the rules' (engine._plan): the
    first document's furniture and contents tests then reuse its one literal scan
    instead of rebuilding the automaton and scanning the text again."""
    from lint import engine
    from lint.api import prepare
    from lint.checks import literals

    monkeypatch.setattr(literals, "_SCANNER", literals._Scanner())
    monkeypatch.setattr(engine, "_PLAN", None)
    rules = prepare(isolated=True).rules
    engine._plan(rules)
    before = literals._SCANNER.generation
    doc = Document.from_text("Contents\n\nChapter 1   3\n\n\fRFC 9999   Example   June 2024\n")
    engine.process_document(doc, rules)
    assert literals._SCANNER.generation == before
    assert {"contents", "\f", "rfc ", "   "} <= doc.scanned


def test_the_quick_test_for_list_items_never_turns_one_away():
    """Every pair of ASCII characters after any leading white space, and every line of
    the fixtures: where the list-item pattern matches, the quick test lets it through."""
    from lint.document import _LIST_ITEM, _may_be_list_item

    from conftest import FIXTURES

    lines = [f"{pad}{chr(a)}{chr(b)}{tail}" for pad in ("", "  ", "\t", "\u00a0") for a in range(1, 128)
             for b in range(1, 128) for tail in (" item", "")]
    lines += [line for p in sorted(FIXTURES.rglob("*.txt"))
              for line in p.read_text(encoding="utf-8", errors="replace").splitlines()]
    items = [line for line in lines if _LIST_ITEM.match(line)]
    assert len(items) > 1000
    assert all(_may_be_list_item(line) for line in items)
    assert not _may_be_list_item("and so the story goes on") and not _may_be_list_item("   ")


def test_line_starts_are_the_offsets_after_each_newline():
    from conftest import FIXTURES

    texts = ["", "\n", "a", "a\n", "\n\n", "a\nb", "a\n\nb\n", "\u00e9\u2028x\n\fy"]
    texts += [p.read_text(encoding="utf-8", errors="replace").replace("\0", " ") for p in sorted(FIXTURES.rglob("*.txt"))]
    for text in texts:
        doc = Document.from_text(text)
        expected = [0] + [i + 1 for i, ch in enumerate(doc.text) if ch == "\n"]
        assert doc.line_starts == expected, repr(text[:80])
        assert all(doc.line_of(start) == n for n, start in enumerate(expected, 1))


def _model(doc: Document) -> tuple:
    return doc.toc, doc.headings, doc.paragraphs


def _random_texts(count: int, seed: int) -> list[str]:
    """Short texts from the pieces the heading and paragraph tests look at: markers,
    fences, numbers, sentence ends, odd white space, lines either side of the lengths
    that matter."""
    pieces = list(" \t\u3000\u2003\x85\x1c\u200b\xa0#*-_`~.1IVCa) b.\"'\u201d:;()[]|>\u2022") + [
        "Chapter ", "1. ", "## ", "```", "x" * 118, "x" * 130, "y" * 158 + ".", "y" * 170 + ".",
        "1.2 ", "- ", "Contents", "Title Case Words", "and so", "Long Title Words " * 5, "T", "**", "{", ",",
        "\u201c", "\u2018", "\u2026", "\u2014", "\u2013", "\t12", " .... 7", "  iv", "Part II\t9 ", "xiv"]
    rng = random.Random(seed)
    return ["\n".join("".join(rng.choice(pieces) for _ in range(rng.randint(0, 6)))
                      for _ in range(rng.randint(1, 25))) + rng.choice(["", "\n"]) for _ in range(count)]


@pytest.mark.parametrize("path", [*sorted(SEEDS.glob("*.txt")), *sorted((FIXTURES / "samples").glob("*.txt"))],
                         ids=lambda p: p.name)
def test_the_compiled_line_loops_give_the_python_loops_model_on_real_text(path, monkeypatch):
    compiled = _model(Document(path.name, load(str(path))))
    monkeypatch.setattr(document, "_kernels", None)
    assert _model(Document(path.name, load(str(path)))) == compiled


def test_the_compiled_line_loops_give_the_python_loops_model_on_random_text(monkeypatch):
    texts = _random_texts(3000, seed=11)
    compiled = [_model(Document.from_text(t, path)) for t in texts for path in ("a.txt", "a.md")]
    monkeypatch.setattr(document, "_kernels", None)
    assert [_model(Document.from_text(t, path)) for t in texts for path in ("a.txt", "a.md")] == compiled


def test_the_heading_kernel_passes_over_the_inside_of_wrapped_paragraphs():
    """In hard-wrapped prose only the first line of each paragraph reaches the
    classifier, and of those not the ones no kind of heading can start with."""
    doc = Document.from_text(dedent("""
        CHAPTER I

        It was the best of times, it was the worst of times,
        it was the age of wisdom, it was the age of foolishness,
        it was the epoch of belief.
        # A Markdown heading, whatever the line before
        1.2 Nor this, for the same reason

        ```
        ~~~

        lower-case first line of a paragraph
            Indented Title Case Line

            Chapter 2
        and the rest

        The End of the Beginning

        (An Aside in Brackets)

        Title Case Words, Then a Comma,

        Words That Run On Past the Longest Title Any Heading Has, Which Is Ninety Characters Long Indeed

        Chapter 3 begins here, and ends with a comma,
    """), "a.md")
    candidates = kernels.heading_candidates(doc.lines, doc.blank, document._HEADING_MAX, document._LONG_LINE,
                                            document._TITLE_MAX)
    # The fence and the "#" line are always looked at; a small or indented first
    # letter that opens no chapter word, never; nor a line that only a title could
    # be and that opens with a bracket, ends in a comma or is too long for a title.
    # A chapter word's initial keeps its line, whatever the end.
    assert candidates == [0, 5, 8, 9, 14, 17, 25]
    assert [h.line for h in doc.headings] == [1, 6, 15, 18]


def test_a_paragraphs_text_is_its_lines_joined():
    doc = Document.from_text("it was one\nand two.\n\n- a\n- b\nlast line without newline")
    assert [(b.start_line, b.end_line, b.text) for b in doc.paragraphs] == [
        (1, 2, "it was one\nand two."), (4, 4, "- a"), (5, 6, "- b\nlast line without newline")]
    assert all(b.text == "\n".join(doc.lines[b.start_line - 1 : b.end_line]) for b in doc.paragraphs)
    assert doc.paragraph_spans == [(b.start_line, b.end_line) for b in doc.paragraphs]
    for text in ("a\nb\n\nc", "a\nb\n\nc\n", "\n\nx\n"):
        lines = text.split("\n")[: text.count("\n") + (not text.endswith("\n"))]
        doc = Document.from_text(text)
        for first in range(1, len(lines) + 1):
            for last in range(first, len(lines) + 1):
                assert doc.span_text(first, last) == "\n".join(lines[first - 1 : last]), (text, first, last)


def test_checks_that_read_a_few_paragraphs_make_no_block_for_the_others():
    """The file-ending and paragraph-scope pattern rules read paragraphs' spans and the
    text of the few they look at: a seed article is linted without its Block list."""
    from lint.api import prepare
    from lint.engine import process_document

    path = next(SEEDS.glob("000_*.txt"))
    doc = Document(path.name, load(str(path)))
    result = process_document(doc, prepare({}, isolated=True).rules)
    assert result.hits.count > 0 and "paragraph_spans" in doc.__dict__
    assert "paragraphs" not in doc.__dict__


def test_the_folded_text_is_str_casefold_with_or_without_the_kernels(monkeypatch):
    """The kernels fold by their table, the typographic apostrophe kept (the literal gates
    look for it); text beyond the Basic Plane and a build without kernels take
    str.casefold itself."""
    from lint import minhash

    rng = random.Random(2)
    pool = [chr(c) for c in range(0x20, 0x3000)] + ["\u2019", "\u00df", "\u0130", "\u03a3", "\ufb01", "\u1e9e"]
    texts = ["".join(rng.choice(pool) for _ in range(rng.randint(1, 300))) for _ in range(300)]
    texts += [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    texts += ["Don\u2019t STRASSE \u1e9e \U0001f600 A\n", "plain ASCII Text\n"]
    for text in texts:
        assert Document.from_text(text).folded == text.casefold()
    assert minhash.casefolded("Don\u2019t \u00c9T\u00c9".encode()) == "don\u2019t \u00e9t\u00e9"
    assert minhash.casefolded("\U0001f600 A".encode()) is None  # beyond the table: str.casefold's turn
    monkeypatch.setattr(minhash, "_kernels", None)
    assert minhash.casefolded("\u00c9T\u00c9".encode()) is None
    assert Document.from_text("\u00c9T\u00c9 \u2019").folded == "\u00e9t\u00e9 \u2019"


def test_what_checks_derive_from_a_document_is_made_once_and_goes_with_it():
    """The literal scan, the tokens and the paragraph table live in the document's memo:
    every check gets the same object back, another document its own, and nothing in
    them points back at the document, which goes as soon as its last reference does
    (with the cycle collector off, as it is for most of a run)."""
    import gc
    import weakref

    from lint import minhash
    from lint.checks import literals

    from lint.document import SCANNED_LITERALS

    literals.expect(SCANNED_LITERALS | {"paypal"})  # as the engine does: no literal arrives late
    text = "1. Scope\n\nA paragraph of prose with a \u201cquote\u201d in it, sent via PayPal.\n"
    doc = Document.from_text(text)
    made = (literals.find(doc, frozenset({"paypal"})), minhash.tokens(doc), minhash.paragraph_tokens(doc))
    assert "paypal" in made[0]
    again = (literals.find(doc, frozenset({"paypal"})), minhash.tokens(doc), minhash.paragraph_tokens(doc))
    assert all(a is b for a, b in zip(made, again))
    other = Document.from_text(text)
    assert not any(a is b for a, b in zip(made, (literals.find(other, frozenset()), minhash.tokens(other),
                                                  minhash.paragraph_tokens(other))))
    doc.headings, doc.sections, doc.toc, doc.furniture  # the model's own derived data too
    gone = weakref.ref(doc)
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        del doc, again
        assert gone() is None
    finally:
        if was_enabled:
            gc.enable()


def test_derived_values_are_computed_once_and_kept_on_the_document(monkeypatch):
    """Each is computed on first use, once, and then read from the document's own
    __dict__; another document computes its own."""
    calls = []
    descriptor = Document.__dict__["headings"]
    assert isinstance(descriptor, document.derived) and "Headings of the body" in descriptor.__doc__
    compute = descriptor.compute
    monkeypatch.setattr(descriptor, "compute", lambda doc: calls.append(doc) or compute(doc))
    doc = Document.from_text("# One\n\nText.\n\n# Two\n\nMore text.\n")
    assert "headings" not in doc.__dict__
    first = doc.headings
    assert [h.title for h in first] == ["One", "Two"]
    assert doc.headings is first and doc.__dict__["headings"] is first and calls == [doc]
    other = Document.from_text("# Three\n")
    assert [h.title for h in other.headings] == ["Three"] and calls == [doc, other]
