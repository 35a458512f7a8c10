"""The exact_duplicate kind: normalisation, headings and short lines, groups, runs, scope."""

from __future__ import annotations

from lint.checks.exact_duplicate import ExactDuplicate, ExactDuplicateParams
from lint.document import Document
from lint.params import build_params


def run(files: dict[str, str], **params):
    p = build_params(ExactDuplicateParams, params, "test")
    check = ExactDuplicate()
    sigs = [(path, check.signature(Document.from_text(text, path), p)) for path, text in files.items()]
    return [(h.path, h.start_line, h.end_line, [(r.path, r.start_line, r.end_line) for r in h.related])
            for h in check.check_corpus(sigs, p)]


def test_normalisation_folds_case_space_punctuation_emphasis_and_quotes():
    found = run({"a.txt": "**Don’t** panic,\n  said   _THE_ guide!\n",
                 "b.txt": 'don\'t PANIC -- said "the" guide\n'})
    assert found == [("b.txt", 1, 1, [("a.txt", 1, 2)])]
    assert run({"a.txt": "Don't panic, said the guide.\n", "b.txt": "Do panic, said the guide.\n"}) == []


def test_repeated_short_line_within_a_file():
    text = "msmthameez@yahoo.com.sg\n\nmsmthameez@yahoo.com.sg\n"
    assert run({"a.txt": text}) == [("a.txt", 3, 3, [("a.txt", 1, 1)])]


def test_headings_and_very_short_lines_are_not_reported():
    text = "Conclusion\n\nFirst body paragraph here.\n\nConclusion\n\nSecond body paragraph here.\n\nThe end.\n\nThe end.\n"
    assert run({"a.txt": text}) == []


def test_k_copies_point_at_the_first():
    line = "Visit the harbour museum every summer."
    files = {f"{c}.txt": f"Intro {c} is unique text here.\n\n{line}\n" for c in "abcd"}
    assert run(files) == [(f"{c}.txt", 3, 3, [("a.txt", 3, 3)]) for c in "bcd"]


def test_run_of_copied_paragraphs_is_one_finding():
    paras = ["Alpha paragraph with enough words.", "Beta paragraph with enough words.",
             "Gamma paragraph with enough words."]
    files = {"a.txt": "\n\n".join(paras), "b.txt": "Different opening line here.\n\n" + "\n\n".join(paras)}
    assert run(files) == [("b.txt", 3, 7, [("a.txt", 1, 5)])]


def test_max_copies_and_scope():
    line = "Visit the harbour museum every summer."
    files = {f"{c}.txt": f"{line}\n" for c in "abc"}
    assert run(files, max_copies=2) == []
    assert run({"a.txt": f"{line}\n\n{line}\n", "b.txt": line}, scope="across") == [("b.txt", 1, 1, [("a.txt", 1, 1)])]


def test_min_chars_counts_the_normalised_characters_exactly():
    """A paragraph counts from `min_chars` characters of its words joined by single
    spaces, whether its words are counted or (one character at least each) they are
    enough without counting."""
    def copies(text: str, min_chars: int) -> int:
        return len(run({"a.txt": f"{text}\n\nOther words between them.\n\n{text}\n"}, min_chars=min_chars))

    assert copies("Red, blue; green ok!", 17) == 1  # 3 + 4 + 5 + 2 letters and three spaces
    assert copies("Red, blue; green o!", 17) == 0  # 16
    assert copies("a b c", 5) == 1 and copies("a b c", 6) == 0


def test_paragraphs_pickle_as_one_buffer_and_come_back_equal():
    """A file's paragraph digests cross from a worker (and into the cache and the
    snapshot) as one buffer, not as two pickled arrays; both come back equal, for no
    paragraph, one and several."""
    import pickle

    import numpy as np

    p = build_params(ExactDuplicateParams, {}, "test")
    first = "The harbour was built in 1821 by the merchants of the town, who paid for the stone pier."
    second = "In 1874 the railway reached the bay to the north, and the boats moved away one by one."
    texts = ["", first, "\n\n".join([first, second, first + " Again."])]
    for text, count in zip(texts, (0, 1, 3)):
        sig = ExactDuplicate().signature(Document.from_text(text), p)
        data = pickle.dumps(sig, protocol=pickle.HIGHEST_PROTOCOL)
        assert b"_reconstruct" not in data and b"numpy" not in data
        back = pickle.loads(data)
        assert len(back) == len(sig) == count
        for name in ("digests", "places"):
            mine, theirs = getattr(sig, name), getattr(back, name)
            assert mine.dtype == theirs.dtype and mine.shape == theirs.shape and np.array_equal(mine, theirs), name
        assert list(back) == list(sig)


def test_repeated_paragraphs_are_found_across_files_with_none_between():
    """The corpus pass takes every paragraph whose digest occurs twice or more, in (path,
    position) order, with its own file's path, however many files without a paragraph
    lie before, between and after: the same as going file by file."""
    import random

    from lint.checks.exact_duplicate import Paragraphs, _repeated

    rng = random.Random(7)
    pool = [f"{i:020x}" for i in range(40)]  # few digests: most repeat, some do not
    signatures = []
    for f in range(60):
        n = rng.choice([0, 0, 1, 2, 5])
        rows = [(rng.choice(pool), 3 * k + 1, 3 * k + 2, k) for k in range(n)]
        signatures.append((f"f{f:02d}.txt", Paragraphs.pack(rows)))
    signatures.append(("zz-last.txt", Paragraphs.pack([])))
    rng.shuffle(signatures)  # the pass orders them by path itself
    every = [(path, *row) for path, sig in sorted(signatures) for row in sig]
    counts = {}
    for _, digest, *_ in every:
        counts[digest] = counts.get(digest, 0) + 1
    expected = [t for t in every if counts[t[1]] > 1]
    assert 0 < len(expected) < len(every)
    assert list(_repeated(signatures)) == expected
    unique = [("a.txt", Paragraphs.pack([(pool[0], 1, 1, 0)])), ("b.txt", Paragraphs.pack([(pool[1], 1, 1, 0)]))]
    assert list(_repeated(unique)) == [] and list(_repeated([("e.txt", Paragraphs.pack([]))])) == []


def test_kernel_digests_are_hashlib_blake2b_of_the_spans_bytes():
    """The compiled digests (four messages at a time) are exactly hashlib's BLAKE2b of
    each span's bytes, for every digest size, for empty spans, for spans ending on and
    either side of a 128-byte block, and for counts that fill four lanes unevenly."""
    import hashlib

    import numpy as np

    from lint import kernels

    rng = np.random.default_rng(11)
    words = rng.integers(0, 2**64 - 1, 4000, dtype=np.uint64, endpoint=True)
    view = memoryview(words)
    lows = rng.integers(0, 2000, 600)
    highs = lows + np.concatenate([np.arange(0, 70), rng.integers(0, 2000, 530)])  # 0..69 words: 0..552 bytes
    for count in (1, 2, 3, 5, 8, 600):
        spans = np.stack([lows[:count], highs[:count]], axis=1).ravel().astype(np.int64)
        for size in (1, 10, 33, 64):
            got = kernels.blake2b_hex(words, spans, size).tolist()
            want = [hashlib.blake2b(view[lo:hi], digest_size=size).hexdigest().encode()
                    for lo, hi in zip(lows[:count], highs[:count])]
            assert got == want, (count, size)


def test_signature_digests_are_the_fingerprint_hash_in_both_forms(monkeypatch):
    """A paragraph's digest is each of its findings' fingerprint key, so it must stay
    hashlib's 10-byte BLAKE2b of its tokens' hashes, whether the kernels compute it or
    hashlib does; checked on the e-book seed's paragraphs (dozens of every length)."""
    import hashlib
    from pathlib import Path

    from lint import minhash

    text = next((Path(__file__).parents[2] / "fixtures" / "seeds").glob("004_*.txt")).read_text(encoding="utf-8")
    p = build_params(ExactDuplicateParams, {}, "test")
    digests = {}
    for form in ("compiled", "hashlib"):
        if form == "hashlib":
            monkeypatch.setattr(minhash, "_compiled", lambda: None)
        doc = Document.from_text(text, "004.txt")
        sig = ExactDuplicate().signature(doc, p)
        toks, paragraphs = minhash.tokens(doc), minhash.paragraph_tokens(doc)
        hashes = memoryview(toks.hashes)
        ordinals = sig.places[:, 2].tolist()
        want = [hashlib.blake2b(hashes[paragraphs.lo[i]:paragraphs.hi[i]], digest_size=10).hexdigest().encode()
                for i in ordinals]
        assert len(want) > 100 and sig.digests.tolist() == want, form
        digests[form] = sig.digests.tolist()
    assert digests["compiled"] == digests["hashlib"]


def test_compiled_signature_chooses_the_same_paragraphs_as_the_python_loop(monkeypatch):
    """kernels.paragraph_digests keeps exactly the paragraphs the Python loop keeps, with
    the same places: headings skipped or not, the contents left out, and the word and
    character limits at and around their boundaries; on every seed."""
    from pathlib import Path

    import numpy as np

    from lint import minhash

    seeds = sorted((Path(__file__).parents[2] / "fixtures" / "seeds").glob("*.txt"))
    compiled = minhash._compiled
    settings = [{}, {"skip_headings": False}, {"min_words": 12}, {"min_chars": 60}, {"min_chars": 1, "min_words": 1}]
    kept = set()
    for seed in seeds:
        text = seed.read_text(encoding="utf-8")
        for params in settings:
            p = build_params(ExactDuplicateParams, params, "test")
            sigs = []
            for form in (compiled, lambda: None):
                monkeypatch.setattr(minhash, "_compiled", form)
                sigs.append(ExactDuplicate().signature(Document.from_text(text, seed.name), p))
            mine, reference = sigs
            assert mine.digests.dtype == reference.digests.dtype and mine.places.dtype == reference.places.dtype
            assert mine.digests.tolist() == reference.digests.tolist(), (seed.name, params)
            assert np.array_equal(mine.places, reference.places), (seed.name, params)
            kept.add(len(mine))
    assert len(kept) > 5 and 0 not in kept  # the settings keep different numbers of paragraphs
