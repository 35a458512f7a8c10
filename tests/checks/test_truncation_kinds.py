"""The truncation kinds (file_ending, heading_body, cut_paragraph, list_intro) on seed text and small texts."""

from __future__ import annotations

from lint.checks.cut_paragraph import CutParagraph, CutParagraphParams
from lint.checks.file_ending import FileEnding, FileEndingParams
from lint.checks.heading_body import HeadingBody, HeadingBodyParams
from lint.checks.list_intro import ListIntro, ListIntroParams
from lint.document import Document
from lint.load import load

from conftest import EBOOK, SEEDS, dedent


def seed(name: str) -> Document:
    path = next(SEEDS.glob(f"{name}_*.txt"))
    return Document(path.name, load(str(path)))


def ends(text: str) -> list[int]:
    return [h.start_line for h in FileEnding().check(Document.from_text(dedent(text)), FileEndingParams())]


def test_seed_articles_end_properly():
    for name in ("000", "001", "002", "003", "004"):
        assert list(FileEnding().check(seed(name), FileEndingParams())) == [], name


def test_cut_endings_are_found_and_names_addresses_references_are_not():
    prose = "The company expanded into cloud computing, logistics and entertainment and"
    assert ends(prose + "\n") == [1]
    assert ends(prose + " the \u201c\n") == [1]
    assert ends("Its founder was interviewed at length by the reporter Charles Dickens\n") == []
    assert ends("Write to the Free Software Foundation, 51 Franklin Street, Boston, MA 02110-1301 USA\n") == []
    assert ends("The full text of the licence can be found in /usr/share/common-licenses/GPL-3\n") == []
    assert ends("- a list item that has no full stop and goes on for more than ten words\n") == []


def test_a_last_line_of_white_space_that_is_not_blank_is_passed_over():
    """An em space or U+3000 alone on a line is content to the document model but holds
    no words: the end is judged on the line before it."""
    prose = "The company expanded into cloud computing, logistics and entertainment and"
    for space in ("\u2003", "\u3000", "\x85", "\u2028"):
        assert ends(prose + "\n" + space + "\n") == [1], repr(space)
        assert ends(prose + " ended.\n" + space + "\n") == [], repr(space)


def test_closing_boilerplate_is_skipped_a_paragraph_at_a_time():
    text = """
        Information about the foundation, including how to make donations, how to help, and how to
        subscribe to our email newsletter to hear about new eBooks.
    """
    assert ends(text) == []


def test_ebook_cuts_before_headings():
    doc = Document(EBOOK.name, load(str(EBOOK)))
    got = [h.start_line for h in CutParagraph().check(doc, CutParagraphParams())]
    assert 3286 in got and 4653 in got


def test_heading_without_body_and_its_exceptions():
    def run(text):
        return [h.start_line for h in HeadingBody().check(Document.from_text(dedent(text)), HeadingBodyParams())]

    assert run("2.1 Markets\n\nText.\n\n2.2 Customers\n\n2.3 Rivals\n\nText.\n") == [5]
    assert run("Chapter 3: Growth\n\n3.1 Markets\n\nText.\n") == []  # parent and first child
    assert run("Part One\n\nChapter I. Start\n\nText.\n") == []
    assert run("Text.\n\n2.4 The Last Section\n") == [3]  # the file ends on a heading
    assert run("1.1 One\n1.2 Two\n1.3 Three\n") == []  # a contents list


def test_list_intro_followed_by_heading_or_quotation():
    def run(text):
        return [h.start_line for h in ListIntro().check(Document.from_text(dedent(text)), ListIntroParams())]

    assert run("The steps are as follows:\n\n2.3 Rivals\n\nText.\n") == [1]
    assert run("The steps are as follows:\n") == [1]
    assert run('Ma stated:\n\n"Today is hard."\n') == []
    assert run("The steps are as follows:\n\n- one\n- two\n") == []


def test_closing_lines_to_skip_are_found_behind_literal_gates_as_their_alternation_finds_them():
    import regex

    from lint.checks.literals import any_search

    from conftest import FIXTURES

    p = FileEndingParams()
    alternation = regex.compile("|".join(f"(?:{s})" for s in p.skip), regex.IGNORECASE)
    paragraphs = {block for path in sorted(FIXTURES.rglob("*.txt"))
                  for block in path.read_text(encoding="utf-8", errors="replace").split("\n\n")}
    paragraphs |= {"\u00a9 2024 Example Media", "COPYRIGHT 1999", "Leave a Reply", "Subscribe now!",
                   "See www.example.org", "contact@example.org", "*** END ***", "Tags: news, cats"}
    skipped = 0
    for text in paragraphs:
        expected = alternation.search(text) is not None
        assert any_search(text, p.gated_skip) == expected, text[:80]
        skipped += expected
    assert skipped >= 12
