"""The pattern kind: scopes, regions, case, fuzzy matching, require, exceptions, unit size."""

from __future__ import annotations

import dataclasses

import pytest

from lint.checks.pattern import AtLineStart, Pattern, PatternParams
from lint.document import Document
from lint.params import build_params

from conftest import dedent


def hits(text: str, path: str = "doc.txt", **params):
    p = build_params(PatternParams, params, "test")
    return [(h.start_line, h.end_line, h.args["match"]) for h in Pattern().check(Document.from_text(dedent(text), path), p)]


TEXT = """
    Opening line about cats.

    A paragraph that mentions dogs
    and continues about cats here.

    Closing line about cats.
"""


def test_line_scope_reports_each_match_with_its_line():
    assert hits(TEXT, phrases=["cats"]) == [(1, 1, "cats"), (4, 4, "cats"), (6, 6, "cats")]


def test_paragraph_scope_matches_across_a_line_break():
    assert hits(TEXT, phrases=[r"dogs\s+and"], scope="paragraph") == [(3, 4, "dogs and")]
    assert hits(TEXT, phrases=[r"dogs\s+and"], scope="line") == []


def test_report_unit_spans_the_whole_paragraph():
    assert hits(TEXT, phrases=["dogs"], scope="paragraph", report="unit") == [(3, 4, "dogs")]


def test_regions_limit_where_matches_count():
    assert [h[0] for h in hits(TEXT, phrases=["cats"], region="head", region_lines=2)] == [1]
    assert [h[0] for h in hits(TEXT, phrases=["cats"], region="tail", region_lines=1)] == [6]


def test_ignorecase_and_fuzzy():
    assert hits("Cats\n", phrases=["cats"]) == [(1, 1, "Cats")]
    assert hits("Cats\n", phrases=["cats"], ignorecase=False) == []
    assert hits("Subscirbe now\n", phrases=["subscribe now"]) == []
    assert hits("Subscirbe now\n", phrases=["subscribe now"], fuzzy=2) == [(1, 1, "Subscirbe now")]


def test_require_and_exceptions_look_at_the_whole_unit():
    assert hits(TEXT, phrases=["cats"], scope="paragraph", require=["dogs"]) == [(4, 4, "cats")]
    assert hits(TEXT, phrases=["cats"], scope="paragraph", exceptions=["dogs"]) == [(1, 1, "cats"), (6, 6, "cats")]


def test_max_unit_words_skips_long_paragraphs():
    assert hits(TEXT, phrases=["cats"], scope="paragraph", max_unit_words=5) == [(1, 1, "cats"), (6, 6, "cats")]


def test_max_unit_words_counts_words_as_str_split_does():
    """A unit of exactly max_unit_words words is taken and one of a word more is not,
    whatever separates them (runs of spaces, tabs, the ideographic space, U+001C that
    only str.split counts) and however long the words are."""
    for sep in (" ", "  \t ", "\u3000", "\x1c"):
        for word in ("a", "dogs"):
            words = ["cats"] + [word] * 5
            exact, over = sep.join(words[:5]) + "\n", sep.join(words) + "\n"
            assert hits(exact, phrases=["cats"], scope="paragraph", max_unit_words=5) == [(1, 1, "cats")], (sep, word)
            assert hits(over, phrases=["cats"], scope="paragraph", max_unit_words=5) == [], (sep, word)


def test_more_words_than_agrees_with_counting_every_word():
    import random

    from lint.checks.prose import more_words_than

    rnd = random.Random(3)
    spaces = [" ", "  ", "\n", "\t", "\u3000", "\x1c", "\xa0", "\u2028", "\x85", ""]
    texts = ["".join(rnd.choice(["a", "bc", "d\u00e9f", ""]) + rnd.choice(spaces) * rnd.randint(0, 3)
                     for _ in range(rnd.randint(0, 14))) for _ in range(3000)]
    below = above = 0
    for text in texts:
        for limit in range(9):
            expected = len(text.split()) > limit
            assert more_words_than(text, limit) == expected, (text, limit)
            above += expected
            below += not expected
    assert above > 1000 and below > 1000


def test_applies_to_plain_or_markdown():
    assert hits("**bold**\n", "a.md", phrases=[r"\*\*"], applies_to="plain") == []
    assert len(hits("**bold**\n", "a.txt", phrases=[r"\*\*"], applies_to="plain")) == 2


def test_section_and_document_scopes():
    text = """
        Chapter 1: One

        Body with a token.

        Chapter 2: Two

        Other body.
    """
    assert hits(text, phrases=["token"], scope="section", report="unit") == [(1, 3, "token")]
    assert hits(text, phrases=["token"], scope="document") == [(3, 3, "token")]


def test_columns_point_at_the_match():
    doc = Document.from_text("ab cats\n")
    p = build_params(PatternParams, {"phrases": ["cats"]}, "test")
    hit = next(Pattern().check(doc, p))
    assert (hit.start_col, hit.end_col) == (4, 8)


def test_extend_grows_a_unit_over_neighbouring_short_lines():
    text = """
        Story text ends here.

        Stay Informed

        Subscribe to our newsletter

        Privacy Policy

        More story text that is long enough not to join the block at all.
    """
    got = hits(text, phrases=["subscribe to our newsletter"], scope="paragraph", report="unit",
               extend_before=["informed"], extend_after=["privacy policy"])
    assert [(a, b) for a, b, _ in got] == [(3, 7)]
    # Without extend_* the unit is reported alone; with a gap of 0 nothing joins across a blank line.
    assert [(a, b) for a, b, _ in hits(text, phrases=["subscribe to our newsletter"], scope="paragraph",
                                       report="unit")] == [(5, 5)]
    assert [(a, b) for a, b, _ in hits(text, phrases=["subscribe to our newsletter"], scope="paragraph",
                                       report="unit", extend_after=["privacy policy"], extend_gap=0)] == [(5, 5)]


def test_extended_block_is_reported_once():
    text = """
        Subscribe now

        Subscribe today
    """
    got = hits(text, phrases=["subscribe"], scope="paragraph", report="unit", extend_after=["subscribe"])
    assert [(a, b) for a, b, _ in got] == [(1, 3)]


def test_unit_report_quotes_the_earliest_match_as_the_alternation_would():
    text = "Tip jar below, and please donate today.\n"
    got = hits(text, phrases=["please donate", "tip jar", "tip"], scope="paragraph", report="unit")
    assert got == [(1, 1, "Tip jar")]


def test_whole_text_prefilter_finds_exactly_what_unit_by_unit_scanning_finds(monkeypatch):
    """Every pattern rule, on every seed file: the fast path loses and invents nothing."""
    from lint.catalogue import load_catalogue
    from lint.checks import pattern as pattern_mod
    from lint.load import load

    from conftest import SEEDS

    docs = [Document(p.name, load(str(p))) for p in sorted(SEEDS.glob("*.txt"))]
    rules = [r for r in load_catalogue() if r.kind == "pattern"]
    assert len(rules) >= 10

    def run_all():
        return [(r.code, d.path, h.start_line, h.end_line, h.start_col)
                for r in rules for d in docs for h in Pattern().check(d, r.params)]

    fast = run_all()
    every_line = lambda doc, phrases, *_: (list(range(1, len(doc.lines) + 1)), list(range(len(phrases))))  # noqa: E731
    monkeypatch.setattr(pattern_mod, "_touched_lines", every_line)
    slow = run_all()
    assert fast == slow
    assert fast, "the seeds do contain pattern findings"


def test_literal_gates_lose_nothing_on_real_text(monkeypatch):
    """Every pattern rule on every fixture (the seeds and real samples among them): with gates as without."""
    from lint.catalogue import load_catalogue

    from conftest import FIXTURES

    texts = [p.read_text(encoding="utf-8", errors="replace")
             for p in sorted(FIXTURES.rglob("*")) if p.is_file() and p.suffix in (".txt", ".md", ".copyright")]
    docs = [Document.from_text(t.replace("\0", " ")) for t in texts]
    rules = [r for r in load_catalogue() if r.kind == "pattern"]
    gated = sum(1 for r in rules for g in r.params.gates if g)
    assert gated >= 20, "most phrases have a gate"

    def run_all():
        return [(r.code, n, h.start_line, h.end_line, h.start_col)
                for r in rules for n, d in enumerate(docs) for h in Pattern().check(d, r.params)]

    fast = run_all()
    # No phrase gated: fresh parameters, whose literals and rule-level gate follow.
    monkeypatch.setattr(PatternParams, "gates", property(lambda self: (None,) * len(self.phrases)))
    rules = [dataclasses.replace(r, params=dataclasses.replace(r.params)) for r in rules]
    assert not any(r.params.needs_a_literal or r.params.literals for r in rules)
    assert fast == run_all()
    assert len(fast) > 100


def test_a_rule_is_passed_over_whole_only_when_every_phrase_needs_a_literal():
    """A text without any of a rule's literals is settled by one set test, unless some
    phrase has no gate: that phrase must still be searched."""
    both = build_params(PatternParams, {"phrases": ["subscribe now", r"\A[-*]\Z"]}, "test")
    assert both.gates[0] is not None and both.gates[1] is None and not both.needs_a_literal
    assert hits("Intro.\n-\nMore text.\n", phrases=list(both.phrases)) == [(2, 2, "-")]
    gated = build_params(PatternParams, {"phrases": ["subscribe now", "unsubscribe"]}, "test")
    assert gated.needs_a_literal and gated.literals >= {"subscribe now", "unsubscribe"}
    assert hits("Subscribe NOW.\n", phrases=list(gated.phrases)) == [(1, 1, "Subscribe NOW")]


def test_required_literals_of_phrases():
    from lint.checks.literals import passes, required_literals

    appeal = required_literals(r"\bif you (?:appreciate|enjoy(?:ed)?)\b[^.]{0,80}?\bplease\b")
    assert appeal == ({"if you "}, {"appreciate", "enjoy"}, {"please"})
    assert passes(appeal, "if you enjoyed it, please send money")
    assert not passes(appeal, "if you enjoyed it, send money")  # no "please": the regex is not even tried
    from lint.checks.literals import find

    for text in ("If you enjoyed it, PLEASE send money", "if you enjoyed it, send money", "please"):
        doc = Document.from_text(text)
        literals = frozenset().union(*appeal)
        assert find(doc, literals).passes(appeal) == passes(appeal, text.casefold())
    assert find(Document.from_text("if you appreciate, please"), literals).passes(appeal)
    assert not find(Document.from_text("if you like it, please"), literals).passes(appeal)
    assert required_literals(r"\bbuy (?:me|us) a (?:coffee|beer|pizza)\b") == ({"buy "}, {" a "}, {"coffee", "beer", "pizza"})
    assert required_literals(r"\b(?:patreon|liberapay)\b") == ({"patreon", "liberapay"},)
    assert required_literals(r"Photo(?:graph)?s?: \S") == ({"photo"},)
    assert required_literals(r"STRASSE") == ({"strasse"},)
    assert required_literals(r"(?:subscribe|x)") is None  # one branch needs a single letter
    assert required_literals(r"(?:newsletter)?\s+\w+") is None  # optional: needs nothing
    assert required_literals(r"[[:alpha:]]+ foo") is None  # the regex module's own syntax: no gate
    assert required_literals(r"(unbalanced") is None
    # A literal repeated at least n times is required n times over, up to eight.
    assert required_literals(r"(?<![*\w])\*{3,}(?=\w)") == ({"***"},)
    assert required_literals(r"(?:ab){2}c{1,}d") == ({"abab"},)  # "c" and "d" alone are too short to count
    assert required_literals(r"=+ x{12} =") == ({"="}, {"xxxxxxxx"}, {" ="})
    assert required_literals(r"[*-]{3}") is None  # a set of two: neither character is needed


def test_a_phrase_with_the_regex_modules_own_fuzzy_matching_gets_no_gate():
    """Python's parser reads "{e<=1}" as four characters: a gate or a table of opening
    characters derived from that would pass over every text the phrase matches."""
    from lint.checks.literals import opening_characters, required_literals

    for constraint in ("{e<=1}", "{i<=1,d<=1}", "{2i+1s<=3}", "{1<=e<=2}", "{e}", "{e<=1:[a-z]}"):
        assert required_literals(r"\b(?:paypal)" + constraint) is None, constraint
        assert opening_characters(r"^(?:leave a reply)" + constraint, True) is None, constraint
    assert required_literals(r"\b(?:paypal){2,}") == ({"paypalpaypal"},)  # a repeat is not a constraint
    assert required_literals(r"paypal\{e\}") == ({"paypal{e}"},)  # nor are escaped braces
    text = "Send it via paypa1 now.\n\nIeave a reply\n"
    for phrase, scope, line in ((r"\b(?:paypal){e<=1}", "paragraph", 1), (r"^(?:leave a reply){e<=1}$", "line", 3)):
        found = hits(text, phrases=[phrase], scope=scope)
        assert [first for first, _, _ in found] == [line], phrase


def test_a_phrase_with_a_nested_set_gets_no_gate():
    """To the regex module's version 1, which phrases use, "[x[y]z]" is one set; Python
    reads "[x[y]" and then the characters "z]", and would gate the phrase on them."""
    from lint.checks.literals import opening_characters, required_literals

    for pattern in (r"[x[y]z]word", r"[[:alpha:]]+ word", r"[^[]word"):
        assert required_literals(pattern) is None, pattern
        assert opening_characters("^" + pattern, False) is None, pattern
    # Escaped brackets, and a "]" first in a set, are plain characters to both.
    assert required_literals(r"[(\[]note[)\]]") == ({"note"},)
    assert required_literals(r"[]x]+paypal") == ({"paypal"},)
    assert [first for first, _, _ in hits("See yword here.\n", phrases=[r"[x[y]z]word"], scope="line")] == [1]


def test_gate_keeps_the_most_selective_literal_sets():
    from lint.checks.literals import gate, required_literals

    assert gate(r"\bbuy (?:me|us) a (?:coffee|beer|pizza)\b") == ({"buy "}, {"coffee", "beer", "pizza"})
    assert gate(r"\bif you (?:appreciate|enjoy(?:ed)?)\b[^.]{0,80}?\bplease\b") == ({"if you "}, {"please"})
    assert gate(r"[[:alpha:]]+ foo") is None
    # Two or more symbols are rare in prose, so they gate although shorter than a word.
    assert required_literals(r"\*\*(?P<t>[^*\s]+)\*\*") == ({"**"},)
    assert required_literals(r"a\.") is None  # a letter and a dot: in every text
    # One character that prose seldom uses is as rare: an address needs its "@".
    assert gate(r"[\w.+-]+@[\w-]+\.[a-z]{2,}") == ({"@"},)
    assert gate("\u00c3[\u0080-\u00bf]") == ({"\u00e3"},)


def test_literal_occurrences_are_found_on_their_lines_after_case_folding():
    from lint.checks.literals import find

    # "STRASSE" and the German sharp s fold to different lengths: lines must still be right.
    doc = Document.from_text("\u00df" * 10 + "\nPAYPAL me\nx\ny\nsend via PayPal\n")
    found = find(doc, frozenset({"paypal"}))
    assert "paypal" in found and "venmo" not in found
    assert found.count(frozenset({"paypal", "venmo"})) == 2
    assert found.lines(doc, frozenset({"paypal"})) == {2, 5}
    across = frozenset({"me\nx"})
    assert find(doc, across).lines(doc, across) == {2, 3}


@pytest.mark.parametrize("placed_by", ["kernels", "python"])
def test_the_lines_of_literal_occurrences_are_those_counted_one_by_one(placed_by, monkeypatch):
    """Placed by the kernels, or in Python one by one (a few) or in bulk (many), every
    occurrence of a literal covers the lines that counting its first and last
    character's newlines gives, in texts that fold to other lengths."""
    import random

    from lint import minhash
    from lint.checks.literals import find

    if placed_by == "python":
        monkeypatch.setattr(minhash, "_kernels", None)
    else:
        assert minhash._compiled() is not None, "the kernels were not built"
    rng = random.Random(11)
    literals = frozenset({"ab", "b\na", "\na", "\u00df", "ss", "a", "\u2019"})
    for _ in range(2_000):
        text = "".join(rng.choice(["a", "b", "A", "\n", "\u00df", "S", "s", "\u2019", " "]) for _ in range(rng.randint(0, 200)))
        doc = Document.from_text(text)
        folded = doc.folded
        for word in literals:
            expected = set()
            at = folded.find(word)
            while at >= 0:
                expected.update(range(folded.count("\n", 0, at) + 1, folded.count("\n", 0, at + len(word) - 1) + 2))
                at = folded.find(word, at + 1)
            assert find(doc, literals).lines(doc, frozenset({word})) == expected, (text, word)


def test_the_kernels_place_occurrences_given_in_any_order_as_bisect_does():
    """Ends out of order (no scan gives them so, but nothing then goes missing), on the
    same line, across lines, and on the first and last line."""
    import random
    from bisect import bisect_right

    from lint import kernels

    rng = random.Random(5)
    for _ in range(3_000):
        starts = [0] + sorted(rng.sample(range(1, 400), rng.randint(0, 40)))
        back = rng.choice([0, 0, 1, 3, 25])
        ends = sorted(rng.randint(back, 420) for _ in range(rng.randint(0, 30)))
        if rng.random() < 0.3:
            rng.shuffle(ends)
        expected = set()
        for end in ends:
            expected.update(range(bisect_right(starts, end - back), bisect_right(starts, end) + 1))
        out = {10_000}
        assert kernels.occurrence_lines(ends, back, starts, out) is out
        assert out == expected | {10_000}, (starts, back, ends)


def test_scanned_documents_are_not_kept_alive():
    import gc
    import weakref

    from lint.checks.literals import find

    doc = Document.from_text("send via PayPal\n")
    find(doc, frozenset({"paypal"}))
    gone = weakref.ref(doc)
    del doc
    gc.collect()
    assert gone() is None


def test_rare_and_common_literals_find_the_same_matches(monkeypatch):
    """Few occurrences: only their units are checked; many: one search of the whole
    text narrows the units.  Both must report exactly the same."""
    from lint.checks import pattern as pattern_mod

    text = "\n\n".join(["Please donate to the shelter."] + ["We donate time, not money."] * 12
                       + ["Please donate today.", "Closing words."]) + "\n"
    phrase = r"\bplease donate\b"
    found = hits(text, phrases=[phrase], scope="paragraph")
    assert [line for line, _, _ in found] == [1, 27]
    monkeypatch.setattr(pattern_mod, "_FEW", 0)  # every phrase takes the whole-text search
    monkeypatch.setattr(pattern_mod, "_SHARE", 10**9)
    assert hits(text, phrases=[phrase], scope="paragraph") == found
    monkeypatch.setattr(pattern_mod, "_FEW", 10_000)  # every phrase is checked unit by unit
    assert hits(text, phrases=[phrase], scope="paragraph") == found


def test_line_start_phrases_are_searched_after_newlines_and_lose_no_line():
    from lint.checks.pattern import Prefilter, _starts_lines

    assert _starts_lines(r"^[ \t]*-[ \t]*$") and _starts_lines(r"^\d{1,3}[.)]")
    assert not _starts_lines(r"^a|b")  # the second branch may match anywhere
    assert not _starts_lines(r"a^") and not _starts_lines(r"(?:^a)")
    assert not _starts_lines(r"^\p{Lu}")  # what Python's parser cannot read is searched as it is

    text = "- first\n-\n-\n  -  \nword - word\n-\nx\n-\n\n-"
    doc = Document.from_text(text)
    for phrase in (r"^[ \t]*-[ \t]*$", r"^-\s*", r"^(?<!\s)-", r"^-(?=\n-)"):
        p = PatternParams(phrases=(phrase,), ignorecase=False)
        (prefilter,) = p.compiled_prefilter
        assert prefilter.after_newline is not None
        plain = Prefilter(prefilter.source, None, prefilter.flags)
        lines = lambda f: {doc.line_of(i) for s, e in f.spans(doc) for i in range(s, max(s + 1, e))}  # noqa: E731
        assert lines(plain) <= lines(prefilter), phrase
        assert lines(plain), phrase
    first_line_only = PatternParams(phrases=(r"\A- first",), ignorecase=False).compiled_prefilter[0]
    assert list(first_line_only.spans(doc)) == [(0, 7)]


def test_the_characters_a_line_start_phrase_may_open_with():
    from lint.checks.literals import opening_characters

    def opening(pattern, ignorecase=False):
        table = opening_characters(pattern, ignorecase)
        return None if table is None else "".join(chr(c) for c in range(128) if table[c])

    assert opening(r"^[ \t]*[-+\u2022][ \t]*$") == "\t +-"
    assert opening(r"^\d{1,3}[.)]") == "0123456789"
    assert opening(r"^(?:\*|[ \t]{0,8}\u00b7)[ \t]*$") == "\t *"
    assert opening(r"^(?=[a-c])b", ignorecase=True) == "Bb"  # a look-ahead is no character
    assert opening(r"^(?:ab|x?c)") == "acx"
    assert opening(r"^\W*share") == "".join(chr(c) for c in range(128) if not chr(c).isalnum() and chr(c) != "_"
                                            or chr(c) == "s")
    assert opening(r"(?i)^ab") == "Aa"  # an inline flag counts
    # Nothing to tell: an empty match, any character, a negated set, a letter beyond
    # ASCII that folds into it, a group's own flags, a pattern Python cannot read.
    for pattern in (r"^a?", r"^.*x", r"^[^a]", r"^$", r"^(?:a|)", r"^\p{Lu}", r"^(?i:a)", r"^[[a-z]--[aeiou]]"):
        assert opening(pattern) is None, pattern
    assert opening(r"^\u212a", ignorecase=True) is None and opening(r"^\u00df") == ""


def test_a_line_start_phrase_never_matches_at_a_line_its_table_leaves_out():
    """The table holds every ASCII character a match can open with (anything beyond
    ASCII is always tried): random lines, matched by the rules' phrases and others."""
    import random

    import regex

    from lint.catalogue import load_catalogue
    from lint.checks.literals import opening_characters

    phrases = [(f.source, f.flags, f.opening) for r in load_catalogue() if hasattr(r.params, "compiled_prefilter")
               for f in r.params.compiled_prefilter if f.opening is not None]
    assert len(phrases) >= 6
    for pattern, ignorecase in ((r"^\W*(?:leave|x)\b", True), (r"^\S+:", False), (r"^\D\d", False),
                                (r"^[ \t]*(?:[a-c]|\d+)\.", True), (r"^\s*k", True)):
        phrases.append((pattern, regex.V1 | regex.MULTILINE | (regex.IGNORECASE if ignorecase else 0),
                        opening_characters(pattern, ignorecase)))
    rng = random.Random(3)
    alphabet = list(" \t*-+_.):;'x1kKsS\u2022\u00b7\u212a\u00df") + [chr(c) for c in range(33, 127, 7)]
    for source, flags, table in phrases:
        assert table is not None
        rx = regex.compile(source, flags)
        for _ in range(3_000):
            line = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 8)))
            if rx.match(line):
                assert line[0] >= "\x80" or table[ord(line[0])], (source, line)


@pytest.mark.parametrize("placed_by", ["kernels", "python"])
def test_line_start_phrases_tried_at_the_lines_they_may_open_find_every_match(placed_by, monkeypatch):
    """The same spans as the search after every newline, for every rule's line-start
    phrases over the seeds and fixtures."""
    from lint import minhash
    from lint.catalogue import load_catalogue
    from lint.checks.pattern import Prefilter

    from conftest import FIXTURES

    if placed_by == "python":
        monkeypatch.setattr(minhash, "_kernels", None)
    prefilters = [f for r in load_catalogue() if hasattr(r.params, "compiled_prefilter")
                  for f in r.params.compiled_prefilter if f.opening is not None]
    texts = ["", "-", "- a\n-\n", "x\n\n  -  \n1.\n* \n\u00b7\n", "\n-"]
    texts += [p.read_text(encoding="utf-8", errors="replace") for p in sorted(FIXTURES.rglob("*.txt"))]
    texts = [t for t in texts if "\0" not in t]  # binary fixtures are never linted
    found = 0
    for text in texts:
        doc = Document.from_text(text)
        for f in prefilters:
            newline_search = Prefilter(f.source, f.after_newline_source, f.flags)
            spans = list(f.spans(doc))
            assert spans == list(newline_search.spans(doc)), (f.source, text[:60])
            found += len(spans)
    assert found > 50


def test_rules_with_line_anchored_phrases_take_the_newline_search():
    from lint.catalogue import load_catalogue

    rules = {r.code: r for r in load_catalogue()}
    assert all(f.after_newline is not None for f in rules["FMT005"].params.compiled_prefilter)
    assert any(f.after_newline is None for f in rules["BPL001"].params.compiled_prefilter)


def _occurrences(literals: list[str], text: str) -> dict[str, list[int]]:
    """The reference: every literal's end offsets (inclusive), found one by one with str.find."""
    found: dict[str, list[int]] = {}
    for literal in literals:
        at = text.find(literal)
        while at != -1:
            found.setdefault(literal, []).append(at + len(literal) - 1)
            at = text.find(literal, at + 1)
    return found


def test_the_compiled_literal_scan_finds_what_str_find_and_pyahocorasick_find():
    from lint import kernels
    from lint.checks.literals import Automaton

    from conftest import FIXTURES

    literals = sorted({"**", "*", " you ", "you", "ou", "paypal", "pay", "\u00e3", "\u00c3\u00a9".casefold(),
                       "\u00e2\u20ac", "\u00b7", "straße", "please", "lease", "e"})
    compiled, fallback = Automaton.build(literals, kernels), Automaton.build(literals, None)
    assert compiled.tables is not None and fallback.tables is None
    crafted = ["", "e", "***** you you", "pleaseplease lease", "pay paypal paypa",
               "caf\u00c3\u00a9 \u00e2\u20ac\u201c \u00b7 stra\u00dfe".casefold(),
               "emoji \U0001f600 then you", "\u4e2d\u6587 you \u00e3"]
    texts = crafted + [p.read_text(encoding="utf-8", errors="replace").casefold()
                       for p in sorted(FIXTURES.rglob("*.txt"))]
    for text in texts:  # one-, two- and four-byte strings all among them
        expected = _occurrences(literals, text)
        assert compiled.scan(text) == expected
        assert fallback.scan(text) == expected
    assert sum(len(v) for t in texts for v in compiled.scan(t).values()) > 1000


def test_a_long_text_walked_in_two_halves_finds_what_one_walk_finds():
    """Past a length, the compiled scan walks the text's two halves at once, the second
    from a little before the middle: occurrences that straddle the middle, end right at
    it or just before it, and the longest literal ending at the middle, are each found
    once, in order, in one-, two- and four-byte strings."""
    from lint import kernels
    from lint.checks.literals import Automaton

    literals = sorted({"paypal", "pay", "al", "a", "please donate", "donate", "·", "**"})
    compiled = Automaton.build(literals, kernels)
    overlap = compiled.tables[-1]
    assert overlap == len("please donate") - 1
    filler = "the quick brown fox jumps over the lazy dog. "
    texts = []
    for tail in ("", "é", "中", "😀"):  # the string's width
        for shift in range(-16, 17):  # where the middle falls against the planted literals
            body = (filler * 40)[:1500] + tail
            mid = len(body) // 2
            at = mid + shift
            planted = body[:at] + "please donate via paypal **" + body[at:]
            texts.append(planted)
    texts.append("please donate " * 500)  # occurrences everywhere, overlapping ones too
    for text in texts:
        assert len(text) >= 1024
        assert compiled.scan(text) == _occurrences(literals, text)
    # The halves are an optimisation, not a different answer: one walk gives the same.
    whole = Automaton(compiled.literals, compiled.tables[:-1] + (-1,), kernels)
    assert all(whole.scan(t) == compiled.scan(t) for t in texts)


def test_literals_the_table_cannot_hold_fall_back_to_pyahocorasick():
    from lint import kernels
    from lint.checks.literals import Automaton

    beyond = Automaton.build(["smile \U0001f600", "you"], kernels)  # a code point past U+FFFF
    assert beyond.tables is None
    assert beyond.scan("you smile \U0001f600") == {"you": [2], "smile \U0001f600": [10]}


def test_exceptions_searched_one_by_one_behind_gates_agree_with_their_alternation():
    import regex

    from lint.catalogue import load_catalogue
    from lint.checks.literals import any_search

    from conftest import FIXTURES

    rules = [r for r in load_catalogue() if r.kind == "pattern" and r.params.exceptions]
    assert len(rules) >= 4
    lines = {line for p in sorted(FIXTURES.rglob("*.txt"))
             for line in p.read_text(encoding="utf-8", errors="replace").splitlines()}
    lines |= {"/* a comment */", "***", " * * * ", "a ***bold*** claim", "e-mail: x@example.com", "\tiv "}
    seen = 0
    for rule in rules:
        p = rule.params
        flags = regex.MULTILINE | (regex.IGNORECASE if p.ignorecase else 0)
        alternation = regex.compile("|".join(f"(?:{e})" for e in p.exceptions), flags)
        for line in lines:
            expected = alternation.search(line) is not None
            assert any_search(line, p.gated_exceptions) == expected, (rule.code, line)
            seen += expected
    assert seen >= 10


def test_caseless_literals_are_found_in_a_text_as_in_its_case_fold():
    """A gate of caseless literals is tested on the text itself: sound because no
    character's case fold holds an ASCII character that is no letter, but that
    character itself; and a gate of letters is not caseless."""
    import sys

    from lint.checks.literals import caseless, gated

    symbols = {chr(c) for c in range(128) if not chr(c).isalpha()}
    for c in range(sys.maxunicode + 1):
        ch = chr(c)
        assert set(ch.casefold()) & symbols <= {ch}, hex(c)
    assert caseless("/*") and caseless("***") and caseless("\\$") and caseless("@")
    assert not caseless("paypal") and not caseless("\u00e2\u20ac") and not caseless("a*")
    (_, _, comment), (_, _, word) = gated((r"/\*|\*/", r"\bPayPal\b"))
    assert comment and not word


def test_phrases_searched_one_by_one_give_the_matches_of_their_alternation():
    """Every pattern rule, on every paragraph of the fixtures and some crafted lines: the
    same spans, and the same replacements, as finditer over the alternation."""
    from lint.catalogue import load_catalogue
    from lint.checks.pattern import _all_matches

    from conftest import FIXTURES

    rules = [r for r in load_catalogue() if r.kind == "pattern" and not r.params.fuzzy]
    units = {block for p in sorted(FIXTURES.rglob("*.txt"))
             for block in p.read_text(encoding="utf-8", errors="replace").split("\n\n")}
    units |= {"**a** b **c", "The **first never closes, but **this** does.", "__x__ and **y**", "**\n**z**"}
    compared = 0
    for rule in rules:
        p = rule.params
        for unit in units:
            expected = list(p.compiled.finditer(unit))
            got = _all_matches(unit, p, list(p.compiled_each))
            assert [m.span() for m in got] == [m.span() for m in expected], (rule.code, unit[:80])
            if p.fix == "replace-match":
                assert [p.replacement(m) for m in got] == [p.replacement(m) for m in expected], (rule.code, unit[:80])
            compared += len(expected)
    assert compared >= 200


def test_a_line_is_searched_for_a_line_opening_phrase_by_one_match_at_its_start():
    """Every line-scope pattern rule, on every line of the fixtures and some crafted
    ones: the searchers of one line find what searching each phrase finds, from the
    line's start and from further on."""
    from lint.catalogue import load_catalogue

    from conftest import FIXTURES

    rules = [r for r in load_catalogue() if r.kind == "pattern" and r.params.scope == "line"]
    lines = {line for p in sorted(FIXTURES.rglob("*.txt"))
             for line in p.read_text(encoding="utf-8", errors="replace").split("\n")}
    lines |= {"-", "  - ", "x -", "Share this", "a Share this", "1.", " 12) ", "**bold**", "x **", "** x",
              "\u00b7", "Tweet | Share", "Like this: read more"}
    opening = 0
    matched = 0
    for rule in rules:
        p = rule.params
        opening += sum(p.opens_lines)
        assert sum(p.opens_lines) == sum(isinstance(s, AtLineStart) for s in p.line_searchers)
        for line in lines:
            for searcher, rx in zip(p.line_searchers, p.compiled_each):
                for pos in (0, 1, len(line) // 2):
                    got, expected = searcher.search(line, pos), rx.search(line, pos)
                    assert (got and got.span()) == (expected and expected.span()), (rule.code, rx.pattern, line, pos)
                    matched += expected is not None
    assert opening >= 10 and matched >= 100
    # Opening lines is a property of the phrase, not of the rule: not of one with a
    # branch that may match anywhere, nor of a fuzzy one.
    assert PatternParams(phrases=(r"^a", r"^a|b", r"a^")).opens_lines == (True, False, False)
    assert PatternParams(phrases=(r"^share this",), fuzzy=1).opens_lines == (False,)


def test_the_literal_automaton_is_built_once_for_every_rule_of_a_run(monkeypatch):
    """Every check tells its literals before the first document (DocumentCheck.literals),
    so the first document does not rebuild the automaton once per check that scans."""
    from lint import engine
    from lint.api import prepare
    from lint.checks import literals

    from conftest import EBOOK

    monkeypatch.setattr(literals, "_SCANNER", literals._Scanner())
    monkeypatch.setattr(engine, "_PLAN", None)
    built = []
    original = literals.Automaton.build.__func__
    monkeypatch.setattr(literals.Automaton, "build", classmethod(lambda cls, *a: built.append(a) or original(cls, *a)))
    rules = prepare({}, isolated=True).rules
    doc = Document.from_text(EBOOK.read_text())
    result = engine.process_document(doc, rules)
    engine.process_document(Document.from_text("Chapter 1 ........ 3\n\u200bPlease donate today.\n"), rules)
    assert len(built) == 1 and len(built[0][0]) > 100  # one automaton, for all the checks' literals
    assert len(result.hits) > 10


def test_phrases_are_compiled_for_the_whole_text_only_when_first_searched():
    """A plain sentence meets no rule's literals: no gated phrase is compiled for it, and
    the rules' parameters still pickle (a spawned worker receives them) after some were."""
    import pickle

    from lint.catalogue import load_catalogue

    rules = [r for r in load_catalogue() if r.kind == "pattern"]
    doc = Document.from_text("Just a plain sentence about the weather.\n")
    for rule in rules:
        list(Pattern().check(doc, rule.params))
    prefilters = [(f, gate) for r in rules for f, gate in zip(r.params.compiled_prefilter, r.params.gates)]
    assert sum(1 for _, gate in prefilters if gate) >= 20
    assert all("whole" not in f.__dict__ for f, gate in prefilters if gate)
    assert any("whole" in f.__dict__ for f, gate in prefilters if not gate)  # ungated: searched at once
    again = pickle.loads(pickle.dumps(rules[0].params))
    assert [f.whole.pattern for f in again.compiled_prefilter] == [f.whole.pattern for f in rules[0].params.compiled_prefilter]


def test_a_replacement_is_what_expanding_its_template_gives():
    """One group or plain text is taken without parsing the template for every match; a
    group that took no part gives nothing, as expanding it does."""
    import regex

    rx = regex.compile(r"(?P<a>x)|(?P<t>\*\*(?P<inner>\w+)\*\*)")
    templates = ["", " ", "$", r"\g<inner>", r"\g<t>", r"\g<1>", r"\g<0>", r"<\g<inner>>", r"\1", r"\g<a>-\g<a>"]
    for template in templates:
        p = build_params(PatternParams, {"phrases": ["x"], "fix": "replace-match", "fix_replacement": template}, "t")
        for text in ["x", "**bold**"]:
            m = rx.search(text)
            assert p.replacement(m) == m.expand(template), (template, text)


def test_fixes_naming_a_group_are_those_of_the_alternation_whichever_phrase_matched(monkeypatch):
    """A phrase's own match stands for the alternation's when the replacement names its
    group (a phrase without the group gives nothing, as the alternation's branch that
    took no part does); numbered groups are numbered in the alternation."""
    from lint.checks import pattern as pattern_mod

    text = "A **bold** word, **closing\n**opening line\nx __under__ y 2**64 ** here **\n"
    phrases = [r"\*\*(?P<t>\w+)\*\*", r"__(?P<t>\w+)__", r"\A\*\*(?=\w)", r"\*\*[ \t]*\Z", r"(\d)\*\*"]
    for template in (r"\g<t>", r"[\g<t>]", r"\1", r"\g<1>", "plain", ""):
        params = {"phrases": phrases, "ignorecase": False, "fix": "replace-match", "fix_replacement": template}
        p = build_params(PatternParams, params, "t")
        got = list(Pattern().check(Document.from_text(text), p))
        monkeypatch.setattr(PatternParams, "replacement_numbers_groups", True)  # always match the alternation
        again = build_params(PatternParams, params, "t")
        expected = list(Pattern().check(Document.from_text(text), again))
        monkeypatch.undo()
        assert [h.fix for h in got] == [h.fix for h in expected], template
        assert len(got) == 5
    named = build_params(PatternParams, {"phrases": phrases, "fix": "replace-match", "fix_replacement": r"\g<t>"}, "t")
    assert not named.replacement_numbers_groups
    assert [h.fix["edits"][0]["replacement"] for h in Pattern().check(Document.from_text(text), named)] == \
        ["bold", "", "under", "", ""]


def test_a_match_on_one_line_is_placed_as_in_a_paragraph():
    """A one-line unit's columns are its offsets; in a longer unit they are counted from
    the line's start: the same place either way."""
    text = "First line here.\nThe **word** sits on line two.\n"
    def places(scope):
        p = build_params(PatternParams, {"phrases": [r"\*\*\w+\*\*"], "scope": scope, "ignorecase": False}, "t")
        return [(h.start_line, h.end_line, h.start_col, h.end_col) for h in Pattern().check(Document.from_text(text), p)]
    assert places("line") == places("paragraph") == places("document") == [(2, 2, 5, 13)]
    # A document of one content line is a unit of line 1 whose text goes on past it.
    p = build_params(PatternParams, {"phrases": [r"\.\n\n"], "scope": "document"}, "t")
    found = Pattern().check(Document.from_text("One line.\n\n\n"), p)
    assert [(h.start_line, h.end_line, h.start_col, h.end_col) for h in found] == [(1, 2, 9, 2)]
