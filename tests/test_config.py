"""Configuration: discovery, the documented precedence, overrides, and errors that name the key."""

from __future__ import annotations

import pytest

from lint.api import prepare
from lint.catalogue import load_catalogue
from lint.config import Config, FileIgnores, find_config, load_config, parse_config, resolve_rules
from lint.errors import DoclintError

CAT = load_catalogue()


def codes(cfg: Config, **cli) -> set[str]:
    return {r.code for r in resolve_rules(CAT, cfg, **cli)}


def stable() -> set[str]:
    return {r.code for r in CAT if r.status == "stable"}


def test_default_is_every_stable_rule():
    assert codes(Config()) == stable()


def test_select_replaces_and_extend_select_adds():
    assert codes(parse_config({"select": ["BPL001"]}, None)) == {"BPL001"}
    assert codes(parse_config({"select": ["donation-appeal"]}, None)) == {"BPL001"}
    assert codes(parse_config({"select": ["boilerplate"], "extend-select": ["FMT001"]}, None)) == {
        r.code for r in CAT if r.category == "boilerplate" and r.status == "stable"} | {"FMT001"}


def test_ignore_removes_and_the_more_specific_selector_wins():
    cfg = parse_config({"ignore": ["BPL"]}, None)
    assert "BPL001" not in codes(cfg)
    # A code beats a prefix: select the code, ignore its prefix -> the rule runs.
    cfg = parse_config({"select": ["BPL001"], "ignore": ["BPL"]}, None)
    assert codes(cfg) == {"BPL001"}
    # At equal specificity ignore wins.
    cfg = parse_config({"select": ["BPL001"], "ignore": ["donation-appeal"]}, None)
    assert codes(cfg) == set()


def test_command_line_select_replaces_config_select_and_ignore_adds():
    cfg = parse_config({"select": ["BPL001"], "ignore": []}, None)
    assert codes(cfg, select=["FMT001"]) == {"FMT001"}
    assert codes(cfg, ignore=["BPL001"]) == set()
    assert codes(cfg, extend_select=["FMT001"]) == {"BPL001", "FMT001"}


def test_unknown_selectors_are_errors_naming_where(tmp_path):
    with pytest.raises(DoclintError, match=r"doclint.toml \(select\).*'XYZ999'"):
        codes(parse_config({"select": ["XYZ999"]}, tmp_path / "doclint.toml"))
    with pytest.raises(DoclintError, match=r"command line \(--ignore\).*'nonsense'"):
        codes(Config(), ignore=["nonsense"])


def test_severity_override_most_specific_wins():
    cfg = parse_config({"severity": {"boilerplate": "info", "BPL001": "error"}}, None)
    rule = next(r for r in resolve_rules(CAT, cfg) if r.code == "BPL001")
    assert rule.severity == "error"
    cfg = parse_config({"severity": {"boilerplate": "info"}}, None)
    assert next(r for r in resolve_rules(CAT, cfg) if r.code == "BPL001").severity == "info"


def test_rule_parameter_overrides_are_validated(tmp_path):
    cfg = parse_config({"rules": {"donation-appeal": {"max_unit_words": 10}}}, tmp_path / "doclint.toml")
    rule = next(r for r in resolve_rules(CAT, cfg) if r.code == "BPL001")
    assert rule.params.max_unit_words == 10
    assert CAT.lookup("BPL001").params.max_unit_words == 90  # the catalogue is untouched
    bad = parse_config({"rules": {"BPL001": {"max_words": 10}}}, tmp_path / "doclint.toml")
    with pytest.raises(DoclintError, match=r"doclint.toml: \[rules.BPL001\].*unknown key 'max_words'"):
        resolve_rules(CAT, bad)
    bad = parse_config({"rules": {"BPL001": {"max_unit_words": "ten"}}}, tmp_path / "doclint.toml")
    with pytest.raises(DoclintError, match="must be an integer"):
        resolve_rules(CAT, bad)
    for option, value, message in (("seed", -1, "'seed' must be between 0 and 2\\*\\*32 - 1"),
                                   ("seed", 2**32, "'seed' must be between"),
                                   ("max_bucket", 1, "'max_bucket' at least 2"),
                                   ("min_hits", 0, "'min_hits' must be at least 1")):
        bad = parse_config({"rules": {"DUP005": {option: value}}}, tmp_path / "doclint.toml")
        with pytest.raises(DoclintError, match=rf"doclint.toml: \[rules.DUP005\].*{message}"):
            resolve_rules(CAT, bad)
    with pytest.raises(DoclintError, match=r"\[rules.NOPE001\] names no known rule"):
        resolve_rules(CAT, parse_config({"rules": {"NOPE001": {}}}, None))


def test_per_file_ignores_match_globs():
    cfg = parse_config({"per-file-ignores": {"books/**": ["boilerplate"], "*.md": ["FMT001"]}}, None)
    ignores = FileIgnores(cfg, CAT)
    assert "BPL001" in ignores.ignored("books/a/b.txt")
    assert ignores.ignored("notes/x.md") == {"FMT001"}
    assert ignores.ignored("notes/x.txt") == set()


@pytest.mark.parametrize("table,message", [
    ({"selct": ["A"]}, "unknown key 'selct'"),
    ({"select": "BPL001"}, "'select' must be a list of strings"),
    ({"fail-on": "fatal"}, "'fail-on' must be one of"),
    ({"jobs": 0}, "'jobs' must be a positive integer"),
    ({"severity": {"BPL001": "loud"}}, "'severity' must map"),
    ({"per-file-ignores": ["x"]}, "'per-file-ignores' must be a table"),
])
def test_bad_values_name_the_key_and_file(tmp_path, table, message):
    with pytest.raises(DoclintError) as err:
        parse_config(table, tmp_path / "doclint.toml")
    assert message in str(err.value)
    assert "doclint.toml" in str(err.value)


def test_config_is_found_walking_up_and_doclint_toml_wins(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text('[tool.doclint]\nfail-on = "info"\n')
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    assert find_config() == tmp_path / "pyproject.toml"
    assert load_config().fail_on == "info"
    (tmp_path / "a" / "doclint.toml").write_text('fail-on = "error"\n')
    assert load_config().fail_on == "error"


def test_pyproject_without_a_doclint_table_is_skipped(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    monkeypatch.chdir(tmp_path)
    assert find_config() is None or find_config().parent != tmp_path


def test_explicit_config_file_errors(tmp_path):
    with pytest.raises(DoclintError, match="does not exist"):
        load_config(tmp_path / "missing.toml")
    bad = tmp_path / "doclint.toml"
    bad.write_text("select = [")
    with pytest.raises(DoclintError, match="invalid TOML"):
        load_config(bad)
    py = tmp_path / "pyproject.toml"
    py.write_text("[project]\n")
    with pytest.raises(DoclintError, match=r"no \[tool.doclint\] table"):
        load_config(py)


def test_prepare_accepts_a_dict_like_the_table():
    prepared = prepare({"select": ["BPL001"], "fail-on": "error"})
    assert [r.code for r in prepared.rules] == ["BPL001"]
    assert prepared.config.fail_on == "error"
