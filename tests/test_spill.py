"""Parking arrays on disk for a run: exact round trips, pickling, and the fallback when
the disk refuses; and the near-duplicate pass giving the same hits from parked shingles."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from lint.checks.near_duplicate import NearDuplicate, NearDuplicateParams, Sketches
from lint.document import Document
from lint.params import build_params
from lint.spill import Spill, Spilled

from checks.test_near_duplicate import PROSE


def test_parked_arrays_read_back_exactly():
    with Spill() as spill:
        a = spill.put(np.arange(10, dtype=np.uint32) * 7)
        b = spill.put(np.array([2**32 - 1, 5], dtype=np.uint32))
        assert isinstance(a, Spilled) and isinstance(b, Spilled)
        assert len(a) == 10
        assert a.slice(3, 6).tolist() == [21, 28, 35]
        assert b.load().tolist() == [2**32 - 1, 5]
        # Pickled (into the cache or a snapshot), a parked array is the array itself.
        restored = pickle.loads(pickle.dumps(a))
        assert isinstance(restored, np.ndarray) and restored.tolist() == list(range(0, 70, 7))


def test_a_refused_write_keeps_the_arrays_in_memory(monkeypatch):
    import lint.spill as spill_mod

    def full_disk(*args):
        raise OSError(28, "No space left on device")

    with Spill() as spill:
        written = spill.put(np.arange(3, dtype=np.uint32))
        spill.flush()
        monkeypatch.setattr(spill_mod.os, "pwritev", full_disk)
        refused = spill.put(np.arange(5, dtype=np.uint32) + 10)
        spill.flush()
        assert spill.failed
        assert refused.load().tolist() == [10, 11, 12, 13, 14]  # still held in memory
        assert written.load().tolist() == [0, 1, 2]  # on disk before the disk filled
        array = np.arange(5, dtype=np.uint32)
        assert spill.put(array) is array  # nothing more is parked


def test_arrays_are_written_a_few_megabytes_at_a_time(monkeypatch):
    import lint.spill as spill_mod

    calls = []
    real = spill_mod.os.pwritev
    monkeypatch.setattr(spill_mod.os, "pwritev", lambda fd, views, offset: calls.append(len(views)) or real(fd, views, offset))
    monkeypatch.setattr(Spill, "FLUSH_BYTES", 4000)
    with Spill() as spill:
        parked = [spill.put(np.full(100, i, dtype=np.uint32)) for i in range(25)]  # 400 bytes each
        assert calls == [10, 10]  # two flushes of ten arrays; five still pending
        assert parked[24].pending is not None and parked[0].pending is None
        spill.flush()
        assert calls == [10, 10, 5]
        assert all(p.pending is None and p.load().tolist() == [i] * 100 for i, p in enumerate(parked))


def test_near_duplicate_hits_are_the_same_from_parked_shingles():
    p = build_params(NearDuplicateParams, {"unit": "paragraph", "min_words": 10, "containment": 0.8}, "test")
    check = NearDuplicate()
    edited = PROSE[1].replace("ten miles", "eleven miles")
    files = {"a.txt": "\n\n".join(PROSE), "b.txt": "\n\n".join([PROSE[2], edited, "Unrelated closing words here."]),
             "c.txt": PROSE[0] + " " + PROSE[3]}

    def signatures():
        return [(path, check.signature(Document.from_text(text, path), p)) for path, text in files.items()]

    plain = [(h.path, h.start_line, h.end_line, h.args) for h in check.check_corpus(signatures(), p)]
    with Spill() as spill:
        sigs = signatures()
        values = [sig.values.copy() for _, sig in sigs]
        for _, sig in sigs:
            check.settle(sig, spill)
        assert all(isinstance(sig.shingles, Spilled) and isinstance(sig._values, Spilled) for _, sig in sigs)
        # Pickled while parked (into the cache), a file's values come back whole.
        cached = pickle.loads(pickle.dumps(sigs[1][1]))
        assert np.array_equal(cached.values, values[1]) and cached.values.shape == values[1].shape
        parked = [(h.path, h.start_line, h.end_line, h.args) for h in check.check_corpus(sigs, p)]
        assert all(np.array_equal(sig.values, v) for (_, sig), v in zip(sigs, values))  # read into the matrix
        unit = sigs[0][1][1]
        assert unit.shingles is not None and len(unit.shingles) == unit.size
        again = pickle.loads(pickle.dumps(sigs[0][1]))
        assert isinstance(again, Sketches) and isinstance(again.shingles, np.ndarray)
    assert parked == plain
    assert len(plain) >= 2  # the edited copy and the stitched paragraph


def test_parked_arrays_read_straight_into_rows_of_a_matrix():
    """The corpus pass reads every file's MinHash values into its one matrix: written or
    still pending, each lands exactly in its rows, and a spill cut short is an error,
    not rows of zeros."""
    rng = np.random.default_rng(1)
    blocks = [rng.integers(0, 2**32, size=(n, 4), dtype=np.uint64).astype(np.uint32) for n in (2, 3, 1, 4)]
    with Spill() as spill:
        parked = [spill.put(b.reshape(-1)) for b in blocks[:3]]
        spill.flush()
        parked.append(spill.put(blocks[3].reshape(-1)))  # not written yet
        assert parked[0].pending is None and parked[3].pending is not None
        matrix = np.zeros((10, 4), dtype=np.uint32)
        row = 0
        for block, p in zip(blocks, parked):
            p.read_into(matrix[row : row + len(block)].reshape(-1))
            row += len(block)
        assert np.array_equal(matrix, np.concatenate(blocks))
        spill._file.truncate(parked[2].offset + 4)  # the third array's file cut after one value
        try:
            parked[2].read_into(np.empty(4, dtype=np.uint32))
        except ValueError as exc:
            assert "short" in str(exc)
        else:
            raise AssertionError("a short read was taken for the array")


def test_a_workers_parked_arrays_reach_the_main_process_as_references(tmp_path, monkeypatch):
    """A worker's spill lives in a folder the main process made; its arrays pickle as
    where they lie, and unpickled there they read from the worker's file, which is
    unlinked once open.  Pickled again (into the cache), they are arrays."""
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    main = Spill()
    folder = main.shared()
    assert folder is not None and main.shared() == folder
    worker = Spill(folder)
    values = np.arange(1000, dtype=np.uint32) * 3
    parked = worker.put(values)
    assert isinstance(pickle.loads(pickle.dumps(parked)), np.ndarray)  # not written yet: sent whole
    worker.flush()
    sent = pickle.dumps(parked)
    assert len(sent) < 200  # a reference, not 4,000 bytes of values
    assert len(list((tmp_path / folder).iterdir())) == 1
    received = pickle.loads(sent)
    assert isinstance(received, Spilled) and received.slice(10, 13).tolist() == [30, 33, 36]
    assert list((tmp_path / folder).iterdir()) == []  # unlinked, still readable
    again = pickle.loads(pickle.dumps(received))
    assert isinstance(again, np.ndarray) and np.array_equal(again, values)
    worker.close()
    main.release_folder()
    assert not (tmp_path / folder).exists()
    assert received.load()[-1] == 2997  # the main process's handle outlives the folder
    assert isinstance(pickle.loads(sent), Spilled)  # and later references still reach it
    main.close()
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ValueError, match="no run reads the spill"):  # not a closed file's reader
        pickle.loads(sent)


def test_an_unadopted_worker_file_goes_with_its_folder(tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    with Spill() as main:
        worker = Spill(main.shared())
        worker.put(np.arange(5, dtype=np.uint32))
        worker.flush()
        worker.close()
    assert list(tmp_path.iterdir()) == []


def test_sketches_keep_their_values_when_the_disk_refuses_them(monkeypatch):
    """A spill that can no longer write hands arrays back as they are: a file's MinHash
    values then stay its matrix of rows, and the corpus pass finds what it finds without
    any spill."""
    import lint.spill as spill_mod

    p = build_params(NearDuplicateParams, {"unit": "paragraph", "min_words": 10, "containment": 0.8}, "test")
    check = NearDuplicate()
    files = {"a.txt": "\n\n".join(PROSE), "b.txt": "\n\n".join([PROSE[2], PROSE[1], "Closing words here."])}

    def signatures():
        return [(path, check.signature(Document.from_text(text, path), p)) for path, text in files.items()]

    plain = [(h.path, h.start_line, h.end_line, h.args) for h in check.check_corpus(signatures(), p)]

    def full_disk(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(spill_mod.os, "pwritev", full_disk)
    with Spill() as spill:
        spill.put(np.arange(3, dtype=np.uint32))
        spill.flush()
        assert spill.failed
        sigs = signatures()
        for _, sig in sigs:
            check.settle(sig, spill)
        assert all(isinstance(sig._values, np.ndarray) and sig._values.ndim == 2 for _, sig in sigs)
        refused = [(h.path, h.start_line, h.end_line, h.args) for h in check.check_corpus(sigs, p)]
    assert refused == plain and len(plain) >= 2


def test_a_corpus_matrix_gathered_in_groups_holds_every_files_rows(monkeypatch):
    """The corpus pass gathers its matrix a group of files at a time, the groups in
    threads: with groups of two files, parked and held values mixed, every file's
    values land in its own rows and its Sketches views exactly those."""
    from lint.checks import near_duplicate

    p = build_params(NearDuplicateParams, {"unit": "paragraph", "min_words": 5}, "test")
    check = NearDuplicate()
    texts = {f"f{i}.txt": "\n\n".join(PROSE[(i + k) % len(PROSE)] for k in range(1 + i % 3)) for i in range(9)}
    monkeypatch.setattr(near_duplicate, "_FILES_AT_ONCE", 2)
    with Spill() as spill:
        sigs = [(path, check.signature(Document.from_text(text, path), p)) for path, text in texts.items()]
        expected = {path: sig.values.copy() for path, sig in sigs}
        for _, sig in sigs[::2]:  # every other file's values parked, the rest held
            check.settle(sig, spill)
        assert sum(isinstance(sig._values, Spilled) for _, sig in sigs) == 5
        corpus = near_duplicate._Corpus(sigs, p.num_perm)
    assert np.array_equal(corpus.values, np.concatenate([expected[path] for path in sorted(texts)]))
    for path, sig in zip(corpus.paths, corpus.sketches):
        assert np.array_equal(sig.values, expected[path])
        assert np.shares_memory(sig.values, corpus.values)
