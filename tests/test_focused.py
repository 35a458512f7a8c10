"""Focused runs against the snapshot give exactly the full run's findings on the focus files.

Corpora are built from the seed e-book's real paragraphs, with exact copies, edited
copies, passages stitched from another file's paragraphs, shared footer lines and
copied sections, so every corpus rule has work to do; then files are edited, added
and deleted, and a focused run (pre-commit) is compared with a full run narrowed to
the same files.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import time

import pytest

from conftest import EBOOK
from lint.api import prepare
from lint.engine import Timings, run
from lint.reporters import render

CORPUS_RULES = ["DUP001", "DUP002", "DUP003", "DUP005", "BPL011"]
FOOTER = "Subscribe to our newsletter to get the latest stories in your inbox."
PARAGRAPHS = [p.replace("\n", " ") for p in EBOOK.read_text().split("\n\n") if 25 <= len(p.split()) <= 120]


def _prepared():
    return prepare({"extend-select": CORPUS_RULES}, isolated=True, preview=True)


def _edit(rng: random.Random, text: str, rate: float) -> str:
    words = text.split()
    for i in range(len(words)):
        if rng.random() < rate:
            words[i] = rng.choice(["river", "lantern", "copper", "meadow", "signal"])
    return " ".join(words)


def _document(rng: random.Random, docs: list[list[str]]) -> list[str]:
    out = []
    for n in range(rng.randint(3, 8)):
        roll = rng.random()
        if rng.random() < 0.3:
            out.append(f"## Part {rng.randint(1, 40)}")
        if docs and roll < 0.2:
            out.append(rng.choice(rng.choice(docs)))  # an exact copy
        elif docs and roll < 0.35:
            out.append(_edit(rng, rng.choice(rng.choice(docs)), 0.05))  # an edited copy
        elif docs and roll < 0.42:
            src = rng.choice(docs)
            body = [p for p in src if not p.startswith("#")]
            k = rng.randrange(len(body)) if body else 0
            out.append(" ".join(body[k : k + 3]))  # a passage stitched from another file's paragraphs
        elif roll < 0.5:
            out.append(FOOTER)
        else:
            out.append(rng.choice(PARAGRAPHS))
    return out


def _write(folder, name: str, paras: list[str]) -> None:
    (folder / name).write_text("\n\n".join(paras) + "\n")


def _corpus(folder, rng: random.Random, n: int) -> list[list[str]]:
    docs: list[list[str]] = []
    for i in range(n):
        docs.append(_document(rng, docs))
        _write(folder, f"doc{i:03d}.txt", docs[-1])
    return docs


def _age(folder) -> None:
    """Files written long ago, so that a snapshot may trust their mtimes."""
    past = time.time() - 3600
    for f in folder.iterdir():
        if f.is_file():
            os.utime(f, (past, past))


def _lint(folder, prepared, focus, cache_dir):
    timings = Timings()
    with contextlib.chdir(folder):
        if cache_dir is not None:
            prepared.config.cache_dir = cache_dir
        report = run(["."], prepared.config, prepared.rules, jobs=1, timings=timings,
                     use_cache=cache_dir is not None, focus=focus)
    return json.loads(render(report, "json")), timings


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_focused_run_equals_the_full_run_on_the_focus_files(tmp_path, seed):
    rng = random.Random(seed)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    cache = tmp_path / "cache"
    docs = _corpus(corpus, rng, 36)
    _age(corpus)
    prepared = _prepared()
    _lint(corpus, prepared, None, cache)  # the full run that leaves the snapshot
    checked = 0
    for step in range(4):
        # Change the corpus as commits do: edit a file, add one, delete one.
        edited = rng.randrange(len(docs))
        docs[edited] = _document(rng, docs)
        _write(corpus, f"doc{edited:03d}.txt", docs[edited])
        added = f"new{step}.txt"
        _write(corpus, added, _document(rng, docs))
        if step == 2:
            (corpus / f"doc{rng.randrange(len(docs)):03d}.txt").unlink(missing_ok=True)
        for focus in ({f"doc{edited:03d}.txt"}, {added}, {added, f"doc{rng.randrange(len(docs)):03d}.txt"},
                      {"doc000.txt"}):
            focus = {f for f in focus if (corpus / f).exists()}
            expected, _ = _lint(corpus, prepared, focus, None)
            got, timings = _lint(corpus, prepared, focus, cache)
            assert timings.focused, "the focused path answered"
            assert got == expected
            checked += len(expected["findings"])
    assert checked > 20, "the corpora gave the corpus rules something to find"


def test_focused_run_trusts_unchanged_mtimes_and_lints_only_what_changed(tmp_path):
    rng = random.Random(7)
    docs = _corpus(tmp_path, rng, 30)
    _age(tmp_path)
    prepared = _prepared()
    cache = tmp_path / ".cache"
    _lint(tmp_path, prepared, None, cache)
    docs[3] = _document(rng, docs)
    _write(tmp_path, "doc003.txt", docs[3])
    got, timings = _lint(tmp_path, prepared, {"doc003.txt"}, cache)
    assert timings.focused and timings.files == 1  # one file read; the other 29 judged by stat
    expected, _ = _lint(tmp_path, prepared, {"doc003.txt"}, None)
    assert got == expected


def test_a_file_changed_behind_the_snapshots_back_is_seen(tmp_path):
    """An unfocused file edited since the snapshot is re-linted, so its new copies count."""
    prepared = _prepared()
    cache = tmp_path / ".cache"
    shared = PARAGRAPHS[10]
    _write(tmp_path, "a.txt", [PARAGRAPHS[1], PARAGRAPHS[2]])
    _write(tmp_path, "b.txt", [PARAGRAPHS[3], shared])
    _age(tmp_path)
    _lint(tmp_path, prepared, None, cache)
    _write(tmp_path, "a.txt", [shared, PARAGRAPHS[2]])  # now a.txt holds the first copy
    got, timings = _lint(tmp_path, prepared, {"b.txt"}, cache)
    assert timings.focused
    dup = [f for f in got["findings"] if f["rule"] == "DUP002"]
    assert dup and dup[0]["path"] == "b.txt" and dup[0]["related"][0]["path"] == "a.txt"


def test_without_a_snapshot_or_with_too_many_changes_the_run_is_full(tmp_path):
    prepared = _prepared()
    cache = tmp_path / ".cache"
    for i in range(3):
        _write(tmp_path, f"d{i}.txt", [PARAGRAPHS[i], PARAGRAPHS[i + 1]])
    _, timings = _lint(tmp_path, prepared, {"d0.txt"}, cache)
    assert not timings.focused  # no snapshot yet: a full run, which leaves one
    _, timings = _lint(tmp_path, prepared, {"d0.txt"}, cache)
    assert timings.focused
    for i in range(3, 80):  # more new files than a focused run takes
        _write(tmp_path, f"d{i}.txt", [PARAGRAPHS[i % len(PARAGRAPHS)]])
    _, timings = _lint(tmp_path, prepared, {"d0.txt"}, cache)
    assert not timings.focused


def _aged(tmp_path, seed: int, n: int):
    """A corpus of n files written long ago, the rules, and where the cache goes."""
    _corpus(tmp_path, random.Random(seed), n)
    _age(tmp_path)
    return _prepared(), tmp_path / ".cache"


def test_a_repeat_run_over_an_unchanged_corpus_reuses_the_last_results(tmp_path):
    prepared, cache = _aged(tmp_path, 11, 20)
    first, timings = _lint(tmp_path, prepared, None, cache)
    assert not timings.repeated
    again, timings = _lint(tmp_path, prepared, None, cache)
    assert timings.repeated and again == first
    assert len(first["findings"]) > 10
    # Configuration applied after the results: a per-file ignore still takes effect.
    prepared.config.per_file_ignores = {"doc001.txt": ["ALL"]}
    ignored, timings = _lint(tmp_path, prepared, None, cache)
    assert timings.repeated
    assert {f["path"] for f in ignored["findings"]} == {f["path"] for f in first["findings"]} - {"doc001.txt"}


def test_a_repeat_run_answers_with_the_stored_report_only_for_the_configuration_it_was_stamped_for(tmp_path):
    from dataclasses import replace

    from lint import snapshot

    prepared, cache = _aged(tmp_path, 13, 16)
    first, timings = _lint(tmp_path, prepared, None, cache)
    assert "stamp" in timings.stages
    again, timings = _lint(tmp_path, prepared, None, cache)
    assert timings.repeated and "stamp" not in timings.stages  # the stored report, not the results stamped again
    assert again == first and timings.files == 16 and timings.bytes_read > 0
    # Another wording or severity of a rule: the results are stamped again, and that report is kept.
    code = first["findings"][0]["rule"]
    prepared.rules = [replace(r, severity="error", message="Changed: " + r.message) if r.code == code else r
                      for r in prepared.rules]
    changed, timings = _lint(tmp_path, prepared, None, cache)
    assert timings.repeated and "stamp" in timings.stages
    mine = [f for f in changed["findings"] if f["rule"] == code]
    assert mine and all(f["severity"] == "error" and f["message"].startswith("Changed: ") for f in mine)
    assert [f["fingerprint"] for f in changed["findings"]] == [f["fingerprint"] for f in first["findings"]]
    same, timings = _lint(tmp_path, prepared, None, cache)
    assert timings.repeated and "stamp" not in timings.stages and same == changed
    # A damaged report is passed over: the results answer, and write it anew.
    (stored,) = (cache / "snapshots").glob("*/findings.bin")
    stored.write_bytes(stored.read_bytes()[:200])
    mended, timings = _lint(tmp_path, prepared, None, cache)
    assert timings.repeated and "stamp" in timings.stages and mended == changed
    assert len(snapshot.read_findings(stored.parent)) > 200
    _, timings = _lint(tmp_path, prepared, None, cache)
    assert timings.repeated and "stamp" not in timings.stages


def test_a_touched_or_recent_file_is_not_taken_on_trust(tmp_path):
    rng = random.Random(12)
    docs = _corpus(tmp_path, rng, 12)
    prepared = _prepared()
    cache = tmp_path / ".cache"
    first, _ = _lint(tmp_path, prepared, None, cache)
    _, timings = _lint(tmp_path, prepared, None, cache)
    assert not timings.repeated  # written within the last second: mtimes cannot vouch for them
    _age(tmp_path)
    _lint(tmp_path, prepared, None, cache)
    _write(tmp_path, "doc004.txt", docs[4])  # same bytes, new mtime
    same, timings = _lint(tmp_path, prepared, None, cache)
    assert not timings.repeated and same == first


def test_streamed_index_arrays_are_written_row_by_row_and_read_back_whole(tmp_path):
    import numpy as np

    from lint import snapshot

    rng = np.random.default_rng(4)
    keys = rng.integers(0, 2**63, (5, 7), dtype=np.uint64)
    units = rng.integers(0, 100, (5, 7)).astype(np.int32)
    rows = lambda: zip(keys, units)  # noqa: E731
    files = [snapshot.FileState("a.txt", 1, 2, "k")]
    streamed = snapshot.Streamed(("keys", "units"), (np.uint64, np.int32), (5, 7), rows)
    assert snapshot.write(tmp_path / "snap", snapshot.Snapshot(files, {"R": {"small": np.arange(3), "big": streamed}}))
    back = snapshot.read(tmp_path / "snap")
    assert sorted(back.rules["R"]) == ["keys", "small", "units"]
    assert np.array_equal(back.rules["R"]["keys"], keys) and np.array_equal(back.rules["R"]["units"], units)
    short = snapshot.Streamed(("keys",), (np.uint64,), (6, 7), lambda: ((k,) for k in keys))
    with pytest.raises(ValueError):  # fewer rows than promised: a bug, and no half-written snapshot
        snapshot.write(tmp_path / "bad", snapshot.Snapshot(files, {"R": {"big": short}}))
    assert not any(p.name.startswith("bad") for p in tmp_path.iterdir())


def test_the_compressed_results_stream_takes_the_buffers_pickle_hands_over(tmp_path):
    """Protocol 5 writes a large array's data as a buffer, not bytes: the stream must take both."""
    import io
    import pickle
    import zlib

    import numpy as np

    from lint.focused import _Compressing

    items = [np.arange(300_000), {"small": b"x" * 10}, np.ones((2000, 128), dtype=np.uint32)]
    sink = io.BytesIO()
    out = _Compressing(sink)
    for item in items:
        pickle.dump(item, out, protocol=pickle.HIGHEST_PROTOCOL)
    out.finish()
    stream = io.BytesIO(zlib.decompress(sink.getvalue()))
    back = [pickle.load(stream) for _ in items]
    assert np.array_equal(back[0], items[0]) and back[1] == items[1] and np.array_equal(back[2], items[2])


def test_the_snapshot_is_written_and_the_signatures_let_go_before_findings_are_made(tmp_path, monkeypatch):
    """With the cache on, the snapshot (the signatures' last reader) is written once the
    corpus passes are done, and every signature is dropped before stamping; the stamped
    report is stored after, and a repeat run answers with it, as before."""
    import lint.engine as engine
    from lint import snapshot

    prepared, cache = _aged(tmp_path, 12, 20)
    seen = []
    stamp = engine.stamp

    def watching(raw, *args):
        folders = list((cache / "snapshots").glob("*")) if (cache / "snapshots").exists() else []
        written = [f for f in folders if snapshot.read(f) is not None]
        seen.append((len(written), sum(len(r.signatures) for r in results)))
        return stamp(raw, *args)

    results = []
    collect = engine.collect
    monkeypatch.setattr(engine, "collect", lambda res, *a, **k: results.extend(res) or collect(res, *a, **k))
    monkeypatch.setattr(engine, "stamp", watching)
    first, timings = _lint(tmp_path, prepared, None, cache)
    assert not timings.repeated and len(results) == 20 and seen
    assert all(written == 1 and signatures == 0 for written, signatures in seen)
    stamped = len(seen)
    again, timings = _lint(tmp_path, prepared, None, cache)
    assert timings.repeated and again == first and len(first["findings"]) > 10
    assert len(seen) == stamped  # answered by the stored report: nothing stamped again
