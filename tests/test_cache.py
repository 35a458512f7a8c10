"""The result cache: a second run reuses results; edits, parameters and versions invalidate them."""

from __future__ import annotations

import os

from lint.api import prepare
from lint.cache import Cache, entry_key, ruleset_key

from conftest import lint_folder, run_cli


def _run(root, **cfg):
    prepared = prepare({"select": ["BPL001", "FMT001"], "cache-dir": ".cache", **cfg})
    prepared.config.cache_dir = root / ".cache"
    seen = []
    report = lint_folder(root, prepared, use_cache=True, progress=seen.append)
    return report, seen


def test_second_run_comes_from_the_cache_with_identical_findings(tmp_path):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("Intro.\n\nPlease consider a small donation via PayPal.\n")
    first, seen1 = _run(tmp_path)
    second, seen2 = _run(tmp_path)
    assert [r.from_cache for r in seen1] == [False, False]
    assert [r.from_cache for r in seen2] == [True, True]
    assert [f.to_dict() for f in first.findings] == [f.to_dict() for f in second.findings]
    assert (tmp_path / ".cache" / ".gitignore").read_text().strip().endswith("*")


def test_an_edited_file_is_recomputed_and_others_are_not(tmp_path):
    (tmp_path / "a.txt").write_text("Clean text.\n")
    (tmp_path / "b.txt").write_text("Clean text too.\n")
    _run(tmp_path)
    (tmp_path / "b.txt").write_text("Please donate via PayPal.\n")
    report, seen = _run(tmp_path)
    assert {r.path: r.from_cache for r in seen} == {"a.txt": True, "b.txt": False}
    assert [f.path for f in report.findings] == ["b.txt"]


def test_keys_depend_on_bytes_path_and_rule_parameters():
    rules = prepare({"select": ["BPL001"]}).rules
    changed = prepare({"select": ["BPL001"], "rules": {"BPL001": {"max_unit_words": 5}}}).rules
    assert ruleset_key(rules) != ruleset_key(changed)
    k = entry_key(b"text", "a.txt", ruleset_key(rules))
    assert k != entry_key(b"text!", "a.txt", ruleset_key(rules))
    assert k != entry_key(b"text", "b.txt", ruleset_key(rules))


def test_unusable_cache_folder_is_not_an_error(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    cache = Cache(blocker / "cache")
    assert cache.put_many([("k", {"v": 1})]) == 0
    assert cache.get("k") is None


def test_damaged_entries_are_misses(tmp_path):
    cache = Cache(tmp_path)
    cache.put_many([("k", {"v": 1})])
    conn = cache._connect(create=False)
    with conn:
        conn.execute("UPDATE entries SET value = ?", (b"garbage",))
    assert cache.get("k") is None


def test_corpus_pass_is_reused_only_while_no_file_changes(tmp_path, monkeypatch):
    from lint.checks.exact_duplicate import ExactDuplicate

    para = "The same long paragraph, copied into two files, is a duplicate worth reporting here.\n"
    (tmp_path / "a.txt").write_text(para)
    (tmp_path / "b.txt").write_text(para)
    calls = []
    original = ExactDuplicate.check_corpus

    def counting(self, signatures, params):
        calls.append(len(signatures))
        return original(self, signatures, params)

    monkeypatch.setattr(ExactDuplicate, "check_corpus", counting)

    def go():
        prepared = prepare({"select": ["duplicate-paragraph"]})
        prepared.config.cache_dir = tmp_path / ".cache"
        return lint_folder(tmp_path, prepared, use_cache=True).findings

    first = go()
    second = go()
    assert len(first) == 1 and [f.to_dict() for f in first] == [f.to_dict() for f in second]
    assert calls == [2], "the second run reused the cached corpus pass"
    (tmp_path / "c.txt").write_text("Something else entirely.\n")
    third = go()
    assert calls == [2, 3] and len(third) == 1


def test_a_read_only_corpus_folder_gets_no_cache_even_as_root(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Please donate via PayPal.\n")
    os.chmod(corpus, 0o555)
    try:
        cache = Cache(corpus / ".doclint_cache")
        assert cache.put_many([("k", 1)]) == 0
        assert not (corpus / ".doclint_cache").exists()
        # A whole run with the cache on: no results, and no snapshot either.
        proc = run_cli("check", "--isolated", ".", cwd=corpus)
        assert proc.returncode == 1 and "BPL001" in proc.stdout
        assert not (corpus / ".doclint_cache").exists()
    finally:
        os.chmod(corpus, 0o755)


def test_a_cache_file_of_an_earlier_format_is_removed_when_the_cache_is_written(tmp_path):
    from lint.cache import FILE_NAME

    cache = tmp_path / ".cache"
    cache.mkdir()
    (cache / "results-v1.sqlite").write_bytes(b"old format")
    (cache / "results-v1.sqlite-wal").write_bytes(b"")
    (tmp_path / "a.txt").write_text("Please consider a small donation via PayPal.\n")
    first, _ = _run(tmp_path)
    second, seen = _run(tmp_path)
    assert sorted(p.name for p in cache.glob("results-*")) == sorted(
        p.name for p in cache.glob(FILE_NAME + "*")) and (cache / FILE_NAME).exists()
    assert [r.from_cache for r in seen] == [True]
