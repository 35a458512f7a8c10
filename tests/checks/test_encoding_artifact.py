"""replacement_character and invisible_character."""

from __future__ import annotations

from lint.checks.encoding_artifact import (
    InvisibleCharacter, InvisibleCharacterParams, ReplacementCharacter, ReplacementCharacterParams,
)
from lint.document import Document
from lint.load import decode


def test_replacement_characters_in_the_text_one_per_run():
    doc = Document.from_text("caf\ufffd\ufffd and na\ufffdve\n")
    hits = list(ReplacementCharacter().check(doc, ReplacementCharacterParams()))
    assert [(h.start_col, h.args["count"]) for h in hits] == [(4, 2), (13, 1)]


def test_replacement_characters_made_by_the_loader_are_not_reported_twice():
    data = b"caf\xe9 ok\n" + "na\ufffdve, \u00e9t\u00e9, \u00fcber\n".encode("utf-8")  # one bad byte, valid UTF-8 around it
    doc = Document("a.txt", decode(data))
    assert doc.source.encoding == "utf-8" and len(doc.source.decode_errors) == 1
    hits = list(ReplacementCharacter().check(doc, ReplacementCharacterParams()))
    assert [h.start_line for h in hits] == [2]


def test_invisible_characters_named_by_code_point_with_fix():
    doc = Document.from_text("a\u200b\u200bb\nc\u0007\n")
    hits = list(InvisibleCharacter().check(doc, InvisibleCharacterParams(characters="[\u200b]")))
    assert [(h.start_line, h.start_col, h.args["codes"]) for h in hits] == [(1, 2, "U+200B U+200B")]
    hits = list(InvisibleCharacter().check(doc, InvisibleCharacterParams()))
    assert [(h.start_line, h.args["codes"]) for h in hits] == [(2, "U+0007")]
    assert hits[0].fix["edits"][0] == {"start_line": 2, "start_col": 2, "end_line": 2, "end_col": 3, "replacement": ""}


def test_the_distinct_character_shortcut_finds_what_the_search_finds():
    from lint.catalogue import load_catalogue

    from conftest import FIXTURES

    texts = ["plain ascii only\n", "ascii with a bell \u0007 here\n", "caf\u00e9 and a zero\u200bwidth\n",
             "caf\u00e9 clean\n", "tab\there and \u00a0nbsp\n"]
    texts += [p.read_text(encoding="utf-8", errors="replace")
              for p in sorted(FIXTURES.rglob("*")) if p.is_file() and p.suffix in (".txt", ".md")]
    classes = [r.params for r in load_catalogue() if r.kind == "invisible_character"]
    assert all(p.scanned is not None for p in classes)  # the catalogue's classes: from the literal scan
    classes += [InvisibleCharacterParams(characters="[\u00c9Q\u200d]"),  # letters that fold: searched, not scanned
                InvisibleCharacterParams(characters=r"[^\x00-\u2fff]"),  # negated: the distinct-character test
                InvisibleCharacterParams(characters="a\u200b"),  # two characters in a row: no shortcut
                InvisibleCharacterParams(characters=r"\p{Cf}")]  # the regex module's own syntax: no shortcut
    assert [p.single for p in classes] == [True] * (len(classes) - 2) + [False, False]
    assert classes[0].members is not None and classes[-3].members is None
    assert classes[-4].members is not None and classes[-4].scanned is None
    texts.append("\u65e5\u672c\u8a9e and caf\u00e9\n")
    texts.append("CAF\u00c9 Quiet, joiner\u200d here\n")

    docs = [Document.from_text(t.replace("\0", " ")) for t in texts]

    def found(p, doc):
        return [(h.start_line, h.start_col, h.args["codes"]) for h in InvisibleCharacter().check(doc, p)]

    total = 0
    for p in classes:
        for doc in docs:
            expected = [(doc.line_of(m.start()), doc.col_of(m.start())) for m in p.compiled.finditer(doc.text)]
            got = found(p, doc)
            assert [g[:2] for g in got] == expected
            total += len(got)
    assert total >= 4  # the bell, the zero-width spaces, and what the fixtures hold
