"""Every rule file: valid header, documentation, examples that behave as stated, a fixture."""

from __future__ import annotations

from pathlib import Path

import pytest

from lint.catalogue import CODE_PREFIX, builtin_rules_dir, load_catalogue, load_rule
from lint.engine import lint_documents
from lint.errors import DoclintError

from conftest import FIXTURES, REPO

RULE_FILES = sorted(builtin_rules_dir().rglob("*.toml"))
CATALOGUE = load_catalogue()


def test_catalogue_is_found_in_the_checkout():
    assert builtin_rules_dir() == REPO / "rules"
    assert len(CATALOGUE) == len(RULE_FILES) >= 2


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_rule_file_is_consistent(path: Path):
    rule = load_rule(path)  # not `shipped`: its parameters are checked here, so start-up need not
    assert path.stem == rule.name, "the file name is the rule's slug"
    assert path.parent.name == rule.category, "the folder is the rule's category"
    assert rule.code.startswith(CODE_PREFIX[rule.category])
    assert rule.doc["what"] and rule.doc["why"] and rule.doc["fix"]
    assert any(ex.expect > 0 for ex in rule.examples), "at least one example that finds something"
    assert any(ex.expect == 0 for ex in rule.examples), "at least one clean example"
    if rule.status == "stable":
        assert (FIXTURES / rule.category / rule.name).is_dir(), "a stable rule has a fixture folder"


EXAMPLES = [(rule, i, ex) for rule in CATALOGUE for i, ex in enumerate(rule.examples)]


@pytest.mark.parametrize("rule,index,example", EXAMPLES, ids=lambda v: v.code if hasattr(v, "code") else None)
def test_rule_example_behaves_as_documented(rule, index, example):
    docs = example.documents()
    findings = [f for f in lint_documents(docs, [rule]) if f.rule == rule.code]
    assert len(findings) == example.expect, [f.message for f in findings]
    if example.lines is not None:
        assert [f.start_line for f in findings] == list(example.lines)
    for f in findings:
        assert "{" not in f.message, f"message placeholder left unfilled: {f.message}"


def _write_rule(folder: Path, body: str, name: str = "my-rule") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.toml"
    path.write_text(body, encoding="utf-8")
    return path


GOOD = '''
code = "BPL900"
name = "my-rule"
category = "boilerplate"
severity = "info"
status = "stable"
since = "0.1.0"
summary = "s"
message = "m {match}"
[check]
kind = "pattern"
phrases = ["hello"]
[doc]
what = "w"
why = "y"
fix = "f"
[[example]]
text = "hello"
expect = 1
'''


def test_loader_names_file_and_unknown_key_with_suggestion(tmp_path):
    path = _write_rule(tmp_path, GOOD.replace('phrases = ["hello"]', 'phrase = ["hello"]'))
    with pytest.raises(DoclintError) as err:
        load_rule(path)
    assert "my-rule.toml" in str(err.value)
    assert "unknown key 'phrase'" in str(err.value)
    assert "did you mean 'phrases'" in str(err.value)


@pytest.mark.parametrize("mutation,message", [
    (('kind = "pattern"', 'kind = "nope"'), "kind 'nope'"),
    (('severity = "info"', 'severity = "fatal"'), "'severity'"),
    (('code = "BPL900"', 'code = "bpl9"'), "'code'"),
    (('phrases = ["hello"]', 'phrases = ["hello"]\nscope = "chapter"'), "scope"),
    (('phrases = ["hello"]', 'phrases = ["(unclosed"]'), "does not compile"),
    (('phrases = ["hello"]', 'phrases = ["hello"]\nfuzzy = "2"'), "'fuzzy' must be an integer"),
    (('why = "y"\n', ''), "'why' is required"),
    (('expect = 1', 'expect = "one"'), "'expect'"),
])
def test_loader_rejects_bad_rule_files(tmp_path, mutation, message):
    path = _write_rule(tmp_path, GOOD.replace(*mutation))
    with pytest.raises(DoclintError) as err:
        load_rule(path)
    assert message in str(err.value)
    assert "my-rule.toml" in str(err.value)


def test_user_rule_dirs_load_like_builtin_rules(tmp_path):
    _write_rule(tmp_path / "boilerplate", GOOD)
    cat = load_catalogue([tmp_path])
    assert cat.lookup("BPL900").name == "my-rule"
    assert cat.lookup("my-rule").code == "BPL900"
    assert len(cat) == len(CATALOGUE) + 1


def test_a_bad_pattern_in_a_user_rule_dir_is_rejected_at_load(tmp_path):
    _write_rule(tmp_path / "boilerplate", GOOD.replace('phrases = ["hello"]', 'phrases = ["(unclosed"]'))
    with pytest.raises(DoclintError) as err:
        load_catalogue([tmp_path])
    assert "does not compile" in str(err.value) and "my-rule.toml" in str(err.value)


def test_duplicate_codes_are_rejected(tmp_path):
    _write_rule(tmp_path / "boilerplate", GOOD.replace("BPL900", "BPL001"))
    with pytest.raises(DoclintError, match="already used"):
        load_catalogue([tmp_path])


def test_shipped_rules_read_their_documentation_when_asked_and_it_is_the_whole_files():
    """Loaded as shipped, a rule parses only its header and [check] at start-up; its
    [doc] table and examples, read when first asked for, are those of the whole file."""
    from lint.catalogue import _DeferredDoc

    fresh = load_catalogue()
    for path in RULE_FILES:
        whole = load_rule(path)
        shipped = fresh.lookup(whole.code)
        assert isinstance(shipped.doc, _DeferredDoc) and shipped.doc.docs.parsed is None
        assert (shipped.name, shipped.params, shipped.message) == (whole.name, whole.params, whole.message)
        assert dict(shipped.doc) == whole.doc and tuple(shipped.examples) == whole.examples
        assert shipped.doc.docs.parsed is not None
        assert shipped == whole


@pytest.mark.parametrize("text,cut", [
    ('code = "X"\n[check]\nkind = "pattern"\n[doc]\nwhat = "w"\n[[example]]\ntext = "t"\n[example.files]\n', True),
    ('code = "X"\n[doc]\nwhat = "w"\n[check]\nkind = "pattern"\n', False),  # [check] below the docs
    ('code = "X"\n[check]\nkind = "pattern"\n[doc]\nwhat = "w"\n[check.more]\nx = 1\n', False),  # a table below
    ('code = "X"\n[check]\nkind = "pattern"\n', False),  # no documentation at all
])
def test_only_a_file_whose_documentation_comes_last_is_cut(text, cut):
    from lint.catalogue import _before_docs

    head = _before_docs(text)
    assert (head is not None) == cut
    if cut:
        assert head.endswith('kind = "pattern"\n') and "[doc]" not in head


RULE_TEXT = """code = "BPL999"
name = "quoted-header"
category = "boilerplate"
severity = "warning"
status = "preview"
since = "0.1.0"
summary = "A rule whose phrase holds a line that reads as a header."
message = "Found: {match}"

[check]
kind = "pattern"
phrases = [\"\"\"quoted
[doc]
text\"\"\"]

[doc]
what = "w"
why = "y"
fix = "f"

[[example]]
text = "quoted\\n[doc]\\ntext\\n"
expect = 1

[[example]]
text = "clean\\n"
expect = 0
"""


def test_a_cut_inside_a_string_or_bad_documentation_is_still_caught(tmp_path):
    """A "[doc]" line inside a multi-line string is no header: the file is parsed whole.
    Documentation that would have failed at load fails, naming the file, when read."""
    quoted = tmp_path / "quoted-header.toml"
    quoted.write_text(RULE_TEXT, encoding="utf-8")
    loaded = load_rule(quoted, tmp_path, shipped=True)
    assert loaded.params.phrases == ("quoted\n[doc]\ntext",)
    assert loaded.doc == {"what": "w", "why": "y", "fix": "f"} and type(loaded.doc) is dict  # parsed whole
    assert [ex.expect for ex in loaded.examples] == [1, 0]
    broken = tmp_path / "broken.toml"
    broken.write_text(RULE_TEXT.replace('phrases = [\"\"\"quoted\n[doc]\ntext\"\"\"]', "phrases = ['quoted']")
                      .replace('[doc]\nwhat = "w"', '[doc]\nwho = "w"\nwhat = "w"'), encoding="utf-8")
    lazy = load_rule(broken, tmp_path, shipped=True)
    assert lazy.doc.docs.parsed is None
    with pytest.raises(DoclintError, match=r"broken.toml: \[doc\] has unknown key 'who'"):
        dict(lazy.doc)
    with pytest.raises(DoclintError, match="unknown key 'who'"):
        load_rule(broken, tmp_path)
