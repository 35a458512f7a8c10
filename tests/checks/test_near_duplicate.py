"""The near_duplicate kind: bulk MinHash equals datasketch's, confirmation, grouping, containment, merging."""

from __future__ import annotations

import pickle
import subprocess
import sys

import numpy as np
import pytest
from datasketch import MinHash

from lint import kernels, minhash
from lint.checks import near_duplicate
from lint.checks.near_duplicate import NearDuplicate, NearDuplicateParams
from lint.document import Document
from lint.params import build_params

PROSE = [
    "The old harbour was built in 1821 by the merchants of the town, who paid for the stone pier out of a levy "
    "on every barrel of herring landed there, and for fifty years it was the busiest port on the coast.",
    "In 1874 the railway reached Kettle Bay, ten miles to the north, and buyers from the cities met the boats "
    "there, so one by one the skippers moved their boats away and the curing yards of the old town closed.",
    "The empty fish market stood unused until a group of retired fishermen opened a museum in it, collecting "
    "nets, barrels and photographs from the families of the town, and it still opens every summer.",
    "Storms in the winter of 1953 broke the end of the pier, and the council repaired it with concrete, "
    "which is why the last thirty yards are grey while the rest of the pier is the old brown sandstone.",
]


def run(files: dict[str, str], **params):
    p = build_params(NearDuplicateParams, params, "test")
    check = NearDuplicate()
    sigs = [(path, check.signature(Document.from_text(text, path), p)) for path, text in files.items()]
    return list(check.check_corpus(sigs, p))


def spans(hits):
    return [(h.path, h.start_line, h.end_line, [(r.path, r.start_line, r.end_line) for r in h.related]) for h in hits]


@pytest.fixture(params=["numpy", "compiled"])
def implementation(request, monkeypatch):
    """Run a test over both implementations of tokens() and signatures(): the numpy
    reference and the compiled kernels lint.minhash switches to on enough text."""
    monkeypatch.setattr(minhash, "_kernels", kernels if request.param == "compiled" else False)
    return request.param


def test_bulk_signature_is_bit_for_bit_datasketch(implementation):
    shingles = np.array([3, 17, 99999, 2**31 + 5, 2**32 - 1], dtype=np.uint32)
    reference = MinHash(num_perm=64, seed=42, hashfunc=lambda x: x)
    reference.update_batch([int(x) for x in shingles])
    assert np.array_equal(minhash.signature(shingles, 64, 42), reference.hashvalues)
    assert minhash.lean(minhash.signature(shingles, 64, 42), 42).jaccard(reference) == 1.0
    bulk = minhash.signatures(shingles, np.array([0, len(shingles)]), 64, 42)
    assert np.array_equal(bulk[0], reference.hashvalues)


def test_shingles_ignore_case_punctuation_emphasis_and_quotes():
    a = Document.from_text("The **Harbour**, said she, was “built” in 1821 by the merchants.")
    b = Document.from_text("the harbour said she was \"built\" in 1821 by the merchants")
    ha = minhash.shingle_hashes(minhash.tokens(a).hashes, 3)
    hb = minhash.shingle_hashes(minhash.tokens(b).hashes, 3)
    assert np.array_equal(ha, hb) and len(ha) > 5


def test_edited_copy_across_files_points_at_the_first():
    a = "\n\n".join(PROSE[:2])
    b = "\n\n".join([PROSE[0].replace("fifty", "sixty"), PROSE[2]])
    hits = run({"a.txt": a, "b.txt": b}, unit="paragraph", min_words=10, threshold=0.6)
    assert spans(hits) == [("b.txt", 1, 1, [("a.txt", 1, 1)])]
    assert 0.6 <= hits[0].related[0].similarity < 1.0


def test_k_copies_are_one_group_not_k_squared_pairs():
    files = {f"{i}.txt": PROSE[0] + "\n\n" + PROSE[i % 3 + 1] for i in range(4)}
    hits = run(files, unit="paragraph", min_words=10)
    para1 = [h for h in hits if h.start_line == 1]
    assert [(h.path, h.related[0].path) for h in para1] == [("1.txt", "0.txt"), ("2.txt", "0.txt"), ("3.txt", "0.txt")]


def test_a_corpus_pass_does_not_import_numpy_ma():
    """np.unique, asked for values alone, imports numpy.ma on its first call (10-20 ms
    of every run's corpus stage); the pass keeps to its own unique.  In a process of its
    own: datasketch, imported here, brings numpy.ma in itself."""
    script = f"""
import sys
from lint.checks.near_duplicate import NearDuplicate, NearDuplicateParams
from lint.document import Document
from lint.params import build_params
prose = {PROSE!r}
files = {{f"{{i}}.txt": prose[0] + "\\n\\n" + prose[i % 3 + 1] for i in range(4)}}
for params in ({{"unit": "paragraph", "min_words": 10}},
               {{"unit": "file", "min_words": 10, "threshold": 0.3, "containment": 0.5}}):
    p = build_params(NearDuplicateParams, params, "test")
    check = NearDuplicate()
    sigs = [(path, check.signature(Document.from_text(text, path), p)) for path, text in files.items()]
    assert len(list(check.check_corpus(sigs, p))) == 3
print("numpy.ma" in sys.modules)
"""
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "False"


def test_same_topic_different_words_is_not_a_copy():
    files = {"a.txt": PROSE[0], "b.txt": "Merchants raised money for the pier with a tax on herring, and the "
             "stone harbour opened in 1821; for half a century no port on the coast was busier."}
    assert run(files, unit="paragraph", min_words=10, containment=0.8) == []


def test_short_section_inside_a_longer_one_is_found_by_containment():
    long = "## Long\n\n" + "\n\n".join(PROSE)
    short = "## Short\n\n" + PROSE[1]
    assert run({"a.md": long, "b.md": short}, unit="section", min_words=10) == []  # Jaccard alone: too low
    hits = run({"a.md": long, "b.md": short}, unit="section", min_words=10, containment=0.8)
    assert spans(hits) == [("b.md", 1, 3, [("a.md", 1, 9)])]
    assert "containment" in hits[0].args


def test_copied_passage_of_adjacent_paragraphs_is_one_finding():
    a = "\n\n".join(PROSE)
    b = "Intro line that is short.\n\n" + "\n\n".join(PROSE[1:3])
    hits = run({"a.txt": a, "b.txt": b}, unit="paragraph", min_words=10, merge_gap=1)
    assert spans(hits) == [("b.txt", 3, 5, [("a.txt", 3, 5)])]


def test_paragraph_stitched_from_a_run_is_reported_once_on_the_stitched_side():
    blurb = " ".join(PROSE[1:4])
    text = blurb + "\n\nChapter 9: End\n\n" + "\n\n".join(PROSE[1:4])
    hits = run({"a.txt": text}, unit="paragraph", min_words=10, containment=0.8, merge_gap=1)
    assert spans(hits) == [("a.txt", 1, 1, [("a.txt", 5, 9)])]


def test_signatures_are_deterministic_and_picklable():
    doc = Document.from_text("\n\n".join(PROSE))
    p = NearDuplicateParams(unit="paragraph", min_words=10)
    one = pickle.dumps(NearDuplicate().signature(doc, p))
    two = pickle.dumps(NearDuplicate().signature(Document.from_text("\n\n".join(PROSE)), p))
    assert one == two
    assert len(one) < 8000


def test_scope_within_and_across():
    files = {"a.txt": PROSE[0] + "\n\n" + PROSE[0], "b.txt": PROSE[0]}
    within = run(files, unit="paragraph", min_words=10, scope="within")
    across = run(files, unit="paragraph", min_words=10, scope="across")
    assert {h.path for h in within} == {"a.txt"} and {h.path for h in across} == {"b.txt"}


def test_many_sets_at_once_equal_one_set_at_a_time(implementation):
    rng = np.random.default_rng(3)
    sets = [np.unique(rng.integers(0, 2**32, size=n, dtype=np.uint64).astype(np.uint32))
            for n in (0, 1, 5, 300, 0, 40000, 7, 2)]
    offsets = np.concatenate(([0], np.cumsum([len(x) for x in sets])))
    bulk = minhash.signatures(np.concatenate(sets), offsets, 128, 1)
    assert bulk.shape == (len(sets), 128)
    for row, shingles in zip(bulk, sets):
        assert np.array_equal(row, minhash.signature(shingles, 128, 1))


def test_permutations_are_datasketchs_own():
    for num_perm, seed in ((16, 0), (128, 1), (256, 12345)):
        a, b = MinHash(num_perm=num_perm, seed=seed, scheme=minhash.SCHEME).permutations
        mine = minhash.permutations(num_perm, seed)
        assert np.array_equal(mine[0], a) and np.array_equal(mine[1], b)


def test_permutations_are_numpys_seeded_draws_for_any_seed():
    """The standard library's twister, given RandomState's seeding, draws what it draws:
    across several twists of the state (2,048 draws) and at both ends of the seeds."""
    for num_perm, seed in ((16, 0), (100, 7), (311, 4357), (1024, 2**32 - 1)):
        gen = np.random.RandomState(seed)
        a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
        b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
        mine = minhash.permutations(num_perm, seed)
        assert mine[0].dtype == mine[1].dtype == np.uint32
        assert np.array_equal(mine[0], a) and np.array_equal(mine[1], b), (num_perm, seed)
    for seed in (-1, 2**32):
        with pytest.raises(ValueError, match="Seed must be between"):
            minhash.permutations(16, seed)


def test_gauss_legendre_integrates_polynomials_of_its_degree_exactly():
    from lint.checks.near_duplicate import _gauss_legendre

    nodes, weights = _gauss_legendre(65)
    assert len(nodes) == 65 and np.all(np.diff(nodes) > 0) and np.all(weights > 0)
    for degree in (0, 1, 2, 63, 64, 128, 129):  # up to 2 * 65 - 1
        exact = 0.0 if degree % 2 else 2 / (degree + 1)
        assert abs(nodes**degree @ weights - exact) < 1e-13, degree


def test_gauss_legendre_nodes_are_the_jacobi_matrix_eigenvalues_without_lapack(monkeypatch):
    """The nodes are found by Newton's method, not by LAPACK (whose OpenBLAS thread spins
    on a core for 0.1 s after the call), and are what the eigenproblem gives: the
    eigenvalues of the Jacobi matrix, and twice the squared first component of each
    eigenvector as the weights."""
    from lint.checks import near_duplicate

    for points in (2, 3, 9, 65, 129, 200):
        k = np.arange(1, points)
        off = k / np.sqrt(4.0 * k * k - 1)
        values, vectors = np.linalg.eigh(np.diag(off, 1) + np.diag(off, -1))
        near_duplicate._gauss_legendre.cache_clear()

        def no_lapack(*args, **kwargs):
            raise AssertionError("LAPACK was called")

        with monkeypatch.context() as m:
            m.setattr(np.linalg, "eigh", no_lapack)
            m.setattr(np.linalg, "eigvalsh", no_lapack)
            nodes, weights = near_duplicate._gauss_legendre(points)
        assert np.abs(nodes - values).max() < 1e-14 and np.abs(weights - 2 * vectors[0] ** 2).max() < 1e-14, points
    near_duplicate._gauss_legendre.cache_clear()


def test_lsh_shape_is_the_one_minhashlsh_chooses():
    """MinHashLSH's choice, by the function its constructor calls (the constructor itself
    refuses a shape of one band, which 16 permutations at 0.9 come to)."""
    from datasketch import MinHashLSH
    from datasketch.lsh import _optimal_param

    from lint.checks.near_duplicate import _lsh_shape

    lsh = MinHashLSH(threshold=0.7, num_perm=128)
    assert _lsh_shape(0.7, 128) == (lsh.b, lsh.r)
    cases = [(num_perm, threshold) for num_perm in (16, 64, 256) for threshold in (0.3, 0.5, 0.525, 0.7, 0.9)]
    cases += [(128, step / 40) for step in range(4, 39)]  # the default's every 0.025 from 0.1 to 0.95
    for num_perm, threshold in cases:
        assert _lsh_shape(threshold, num_perm) == _optimal_param(threshold, num_perm, 0.5, 0.5), (threshold, num_perm)


def test_numpy_banding_proposes_exactly_the_pairs_minhashlsh_does():
    from datasketch import MinHashLSH

    from lint.checks.near_duplicate import _band_pair_codes, _lsh_shape

    rng = np.random.default_rng(5)
    base = rng.integers(0, 2**32, size=(40, 128), dtype=np.uint64).astype(np.uint32)
    rows = [base, base[:5]]  # exact copies too
    for share in (0.9, 0.7, 0.5, 0.3):  # copies agreeing on a share of their values
        copy = base.copy()
        mask = rng.random(copy.shape) > share
        copy[mask] = rng.integers(0, 2**32, size=int(mask.sum()), dtype=np.uint64).astype(np.uint32)
        rows.append(copy)
    values = np.concatenate(rows)
    lsh = MinHashLSH(threshold=0.6, num_perm=128)
    lean = [minhash.lean(v, 1) for v in values]
    for i, m in enumerate(lean):
        lsh.insert(i, m)
    reference = {(min(i, j), max(i, j)) for i, m in enumerate(lean) for j in lsh.query(m) if j != i}
    assert len(reference) > 40
    n = len(values)
    mine = {(int(c // n), int(c % n)) for c in _band_pair_codes(values, _lsh_shape(0.6, 128))}
    assert mine == reference


def _regex_tokens(text: str):
    """The tokenising rule as a regular expression, word by word: the oracle for minhash.tokens."""
    folded = text.lower() if text.isascii() else text.casefold().replace("\u2019", "'")
    words, lines = [], []
    for n, line in enumerate(folded.split("\n"), 1):
        found = minhash._TOKEN.findall(line)
        words += found
        lines += [n] * len(found)
    encoded = [w.encode("utf-8", "surrogatepass") for w in words]
    ends = np.cumsum([len(e) for e in encoded], dtype=np.int64)
    starts = ends - np.array([len(e) for e in encoded], dtype=np.int64)
    hashes = minhash._hash_spans(np.frombuffer(b"".join(encoded), dtype=np.uint8), starts, ends)
    return hashes.tolist(), lines, [len(w) for w in words]


def _both(text: str):
    doc = Document.from_text(text)  # the Document's text: line endings already normalised
    toks = minhash.tokens(doc)
    return (toks.hashes.tolist(), toks.lines.tolist(), toks.lengths.tolist()), _regex_tokens(doc.text)


def test_tokens_equal_the_regex_rule_on_real_and_awkward_text(monkeypatch, implementation):
    from conftest import FIXTURES, SEEDS

    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(SEEDS.glob("*.txt"))]
    samples = [p for p in sorted((FIXTURES / "samples").glob("*")) if p.suffix != ".md"]
    assert len(samples) >= 3
    texts += [p.read_text(encoding="utf-8", errors="replace") for p in samples]
    texts += [
        "Ma's rock'n'roll 9'a a'9 ''x y'' don\u2019t 'quoted' end'",
        "Café naïve STRASSE Straße ÆSIR œuvre \u00bd ² x\u00b2 \u0663\u0664 ١٢٣",
        "e\u0301t\u00e9 \u65e5\u672c\u8a9e\u306e\u6587\u7ae0 \U0001F600 smile\U0001F600face",
        "\u2014dash\u2014 \u201cquotes\u201d \u2026 tab\tsep\rcr line\n\n\nlast",
        "<p class=\"x\">Caf\u00e9 &amp; <b>bold</b> &#8217;s</p>\n<li>r\u00e9sum\u00e9&nbsp;v2.0</li>",
        "",
        "\n",
    ]
    for text in texts:
        mine, oracle = _both(text)
        assert mine == oracle
    monkeypatch.setattr(minhash, "_PIECE", 64)  # pieces at newlines; a line longer than a piece whole
    long_line = " ".join(f"word{i}" for i in range(50))
    for text in (texts[0][:20_000], long_line + "\nshort line\n" + long_line):
        mine, oracle = _both(text)
        assert mine == oracle and len(mine[0]) > 50


@pytest.mark.parametrize("radix_from", [0, 1 << 62], ids=["radix", "comparison"])
def test_shingles_of_many_spans_at_once_equal_one_span_at_a_time(implementation, radix_from, monkeypatch):
    """Whichever way the keys are sorted (by radix, as a book's are, or by comparison)."""
    from conftest import EBOOK

    monkeypatch.setattr(minhash, "_RADIX_FROM", radix_from)
    toks = minhash.tokens(Document.from_text(EBOOK.read_text()))
    rng = np.random.default_rng(3)
    starts = np.sort(rng.integers(0, len(toks.hashes) - 200, size=60))
    spans = [(int(s), int(s + rng.integers(5, 200))) for s in starts]  # overlapping, uneven
    flat, offsets = minhash.span_shingles(toks.hashes, spans, 5)
    together = np.split(flat, offsets[1:-1])
    alone = [minhash.shingle_hashes(toks.hashes[lo:hi], 5) for lo, hi in spans]
    assert len(together) == len(alone) == 60
    assert all(np.array_equal(a, b) for a, b in zip(together, alone))
    for lo, hi in [(0, len(toks.hashes)), (7, 9), (30, 30), *spans[:5]]:  # one span: its own path
        one, bounds = minhash.span_shingles(toks.hashes, [(lo, hi)], 5)
        assert np.array_equal(one, minhash.shingle_hashes(toks.hashes[lo:hi], 5))
        assert bounds.tolist() == [0, len(one)] and (len(one) > 0) == (hi > lo)
    flat, offsets = minhash.span_shingles(toks.hashes, [(0, 3), (10, 40)], 5)  # shorter than a shingle
    assert np.array_equal(flat[: offsets[1]], minhash.shingle_hashes(toks.hashes[0:3], 5))
    assert np.array_equal(flat[offsets[1] :], minhash.shingle_hashes(toks.hashes[10:40], 5))
    for spans in ([(5, 5), (10, 40), (7, 7)], [(0, len(toks.hashes))], [(3, 3)]):  # empty spans, one span
        flat, offsets = minhash.span_shingles(toks.hashes, spans, 5)
        assert len(offsets) == len(spans) + 1
        for (lo, hi), a, b in zip(spans, offsets[:-1], offsets[1:]):
            assert np.array_equal(flat[a:b], minhash.shingle_hashes(toks.hashes[lo:hi], 5))


def _brute_force_hits(files: dict[str, str], p: NearDuplicateParams):
    """Every pair of units confirmed one by one: the oracle for the corpus pass's shortcuts."""
    from lint.checks import near_duplicate as nd

    check = NearDuplicate()
    sigs = [(path, check.signature(Document.from_text(files[path], path), p)) for path in sorted(files)]
    flat = [(path, u) for path, sig in sigs for u in sig]  # numbered as the corpus pass numbers them
    edges = {}
    for i in range(len(flat)):
        for j in range(i + 1, len(flat)):
            (pi, ui), (pj, uj) = flat[i], flat[j]
            same = pi == pj
            if (p.scope == "within" and not same) or (p.scope == "across" and same):
                continue
            if same and ui.start_line <= uj.end_line and uj.start_line <= ui.end_line:
                continue
            jac, cont = nd._similarity(ui, uj)
            if jac >= p.threshold or (p.containment > 0 and cont >= p.containment):
                edges[(i, j)] = (jac, cont)
    return sorted((h.path, h.start_line, h.end_line, h.key, str(h.args), tuple(h.related))
                  for h in nd._report(nd._Corpus(sigs, p.num_perm), edges, p))


def test_spans_given_as_an_array_give_what_the_list_gives(implementation):
    toks = minhash.tokens(Document.from_text(" ".join(PROSE)))
    for spans in ([(0, 40)], [(0, 12), (5, 30), (30, 30)], []):
        as_list = minhash.span_shingles(toks.hashes, spans, 5)
        as_array = minhash.span_shingles(toks.hashes, np.array(spans, dtype=np.int64).reshape(-1, 2), 5)
        assert all(np.array_equal(a, b) for a, b in zip(as_list, as_array)), spans


def test_a_file_is_sketched_as_its_one_span_up_to_its_last_content_line(implementation):
    """The file unit's short path gives the sketch the general one gives: the tokens of
    lines 1 to the last content line, and no unit at all below min_words."""
    p = build_params(NearDuplicateParams, {"unit": "file"}, "test")
    texts = ["", "\n\n", "too few words\n", PROSE[0] + "\n\n" + PROSE[1] + "\n \t\n\n",
             "\n\n" + PROSE[2] + "\n\u2003\n", PROSE[3]]
    for text in texts:
        doc = Document.from_text(text, "a.txt")
        got = NearDuplicate().signature(doc, p)
        toks = minhash.tokens(doc)
        spans = near_duplicate.units(doc, "file")
        lo, hi = toks.spans([s for s, _ in spans], [e for _, e in spans])
        kept = [k for k in range(len(spans)) if hi[k] - lo[k] >= p.min_words]
        shingles, offsets = minhash.span_shingles(toks.hashes, [(int(lo[k]), int(hi[k])) for k in kept], p.shingle)
        assert got.spans.tolist() == [[*spans[k], k] for k in kept] and got.spans.dtype == np.int32, repr(text)
        assert got.spans.shape == (len(kept), 3)
        assert np.array_equal(got.values, minhash.signatures(shingles, offsets, p.num_perm, p.seed))
        assert np.array_equal(got.shingles, shingles) and got.offsets.tolist() == offsets.tolist()
    assert len(NearDuplicate().signature(Document.from_text(PROSE[0]), p)) == 1


def test_paragraph_units_are_sketched_from_the_shared_paragraph_table(implementation):
    """Copied-passage takes its paragraphs from the table it shares with duplicate-
    paragraph: the spans, ordinals and token ranges units() and the tokens give, one-
    line headings left out, on the seeds (headings, lists, a contents page)."""
    from conftest import SEEDS

    p = build_params(NearDuplicateParams, {"unit": "paragraph"}, "test")
    checked = 0
    for path in sorted(SEEDS.glob("*.txt")):
        doc = Document.from_text(path.read_text(errors="replace"), path.name)
        spans = near_duplicate.units(doc, "paragraph")
        toks = minhash.tokens(doc)
        lo, hi = toks.spans([s for s, _ in spans], [e for _, e in spans])
        kept = [k for k in range(len(spans)) if hi[k] - lo[k] >= p.min_words]
        got = NearDuplicate().signature(doc, p)
        assert got.spans.tolist() == [[*spans[k], k] for k in kept], path.name
        assert any(first == last and first in doc.heading_at for first, last in doc.paragraph_spans)
        checked += len(kept)
    assert checked > 500


def test_the_compiled_paragraph_table_and_units_are_the_numpy_ones():
    """lint.kernels.paragraph_tokens and paragraph_units against the numpy forms, array
    for array (values and dtypes), on the seeds and on texts with no paragraph, no
    token, a heading of one line, and paragraphs of whitespace-only tokens."""
    from conftest import SEEDS

    texts = [path.read_text(errors="replace") for path in sorted(SEEDS.glob("*.txt"))]
    texts += ["", "\n\n", "# Title\n", "Title Line\n\n" + PROSE[0] + "\n\n1.2 Scope\n\n" + PROSE[1] + "\n",
              "--- ---\n\n***\n", PROSE[2] + "\n" + PROSE[3] + "\n\n\n" + "word " * 3 + "\n"]
    compared = 0
    for text in texts:
        doc = Document.from_text(text, "a.md" if text.startswith("#") else "a.txt")
        got = kernels.paragraph_tokens(doc.paragraph_spans, doc.heading_at, minhash.tokens(doc).lines)
        want = minhash._numpy_paragraph_tokens(doc)
        for a, b in zip(got, (want.first, want.last, want.lo, want.hi, want.heading)):
            assert a.dtype == b.dtype and a.tolist() == b.tolist(), repr(text[:60])
        table = minhash.ParagraphTokens(*got)
        for min_words in (0, 1, 8, 40):
            units = kernels.paragraph_units(table.first, table.last, table.lo, table.hi,
                                            table.heading.view(np.uint8), min_words)
            for a, b in zip(units, minhash._numpy_paragraph_units(want, min_words)):
                assert a.dtype == b.dtype and a.tolist() == b.tolist(), (repr(text[:60]), min_words)
            compared += len(units[0])
    assert compared > 1000


def test_plausible_pairs_counted_in_threads_are_those_counted_at_once():
    """Over 8k pairs the agreeing values are counted a block at a time in two threads;
    the verdicts are those of one count over every pair."""
    rng = np.random.default_rng(5)
    # Rows drawn from alphabets of 1 to 3 values: pairs agree in anything from 0 to 128 places.
    values = (rng.random((3000, 128)) * rng.integers(1, 4, size=(3000, 1))).astype(np.uint32)
    sizes = rng.integers(1, 400, size=3000)
    first, second = rng.integers(0, 3000, size=30000), rng.integers(0, 3000, size=30000)
    p = build_params(NearDuplicateParams, {"unit": "paragraph"}, "test")
    got = near_duplicate._plausible(sizes, values, first, second, p)
    agree = np.count_nonzero(values[first] == values[second], axis=1)
    small = np.minimum(sizes[first], sizes[second]).astype(float)
    large = np.maximum(sizes[first], sizes[second]).astype(float)
    c = p.containment * small
    least = np.minimum(p.threshold, c / np.maximum(small + large - c, 1.0)) if p.containment > 0 else p.threshold
    need = 128 * least - near_duplicate._SIGMAS * np.sqrt(128 * least * (1 - least))
    assert got.tolist() == (agree >= need).tolist()
    assert 0 < got.sum() < len(got)  # both verdicts occur


def test_bands_and_permutations_paired_in_threads_are_those_paired_in_one(monkeypatch):
    """Large inputs pair their bands and permutations in two threads, small ones in the
    calling thread (no pool is started); the pairs are the same either way."""
    rng = np.random.default_rng(9)
    values = rng.integers(0, 1 << 20, size=(3000, 128)).astype(np.uint32)
    for k in range(0, 600, 3):  # near copies: a row sharing 60 to 128 of another's values
        keep = rng.random(128) < rng.uniform(0.45, 1.0)
        values[k + 1] = np.where(keep, values[k], values[k + 1])
    p = build_params(NearDuplicateParams, {"unit": "paragraph", "containment": 0.5}, "test")
    shape = near_duplicate._lsh_shape(0.5, 128)

    class NoPool:
        def __init__(self, *args, **kwargs):
            raise AssertionError("a thread pool for a small input")

    monkeypatch.setattr(near_duplicate, "ThreadPoolExecutor", NoPool)
    bands = near_duplicate._band_pair_codes(values, shape)
    hits = near_duplicate._containment_pair_codes(values, p)
    monkeypatch.undo()
    monkeypatch.setattr(near_duplicate, "_THREADS", 2)
    monkeypatch.setattr(near_duplicate.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(near_duplicate, "_THREADS_FROM", 1000)
    started = []
    real_pool = near_duplicate.ThreadPoolExecutor
    monkeypatch.setattr(near_duplicate, "ThreadPoolExecutor", lambda n: started.append(n) or real_pool(n))
    assert near_duplicate._band_pair_codes(values, shape).tolist() == bands.tolist()
    assert near_duplicate._containment_pair_codes(values, p).tolist() == hits.tolist()
    assert started == [2, 2]
    assert 150 < len(bands) and 150 < len(hits)


def test_copies_paired_through_their_first_give_the_same_report_as_every_pair():
    from conftest import EBOOK

    paras = [p for p in EBOOK.read_text().split("\n\n") if 30 <= len(p.split()) <= 80][:40]
    footer = "Subscribe to our newsletter to get the latest stories and updates in your inbox every week."
    files = {}
    for n in range(14):
        body = [paras[(n * 3 + k) % len(paras)] for k in range(3)]
        if n % 2:
            body.append(footer)  # an identical paragraph in every other file
        if n % 3 == 0:
            body.insert(1, footer)  # and twice in some
        if n % 4 == 1:
            body.append(" ".join(paras[(n + 5) % len(paras)].split()[:-2]))  # a near copy
        if n % 5 == 2:
            body.append(" ".join(paras[7:9]))  # a passage stitched from two paragraphs
        files[f"f{n:02d}.txt"] = "\n\n".join(body) + "\n"
    for scope in ("all", "across", "within"):
        p = NearDuplicateParams(unit="paragraph", threshold=0.8, containment=0.8, min_words=12, merge_gap=4,
                                scope=scope)
        check = NearDuplicate()
        sigs = [(path, check.signature(Document.from_text(text, path), p)) for path, text in files.items()]
        got = sorted((h.path, h.start_line, h.end_line, h.key, str(h.args), tuple(h.related))
                     for h in check.check_corpus(sigs, p))
        assert got == _brute_force_hits(files, p), scope
        assert len(got) > (10 if scope != "within" else 2), scope


def test_span_hashes_equal_the_polynomial_they_stand_for():
    """The prefix-sum hash against its definition, short spans and spans past the first
    power table (so the table is grown as it would be on a large file)."""
    rng = np.random.default_rng(5)
    buf = rng.integers(0, 256, size=70_000, dtype=np.uint8)
    spans = [(0, 5), (17, 18), (1000, 1040), (69_990, 70_000), (65_530, 65_545)]
    starts = np.array([s for s, _ in spans], dtype=np.int64)
    ends = np.array([e for _, e in spans], dtype=np.int64)
    mask = (1 << 64) - 1
    expected = []
    for s, e in spans:
        h = sum(int(buf[k]) * pow(int(minhash._BASE), k - s, 1 << 64) for k in range(s, e)) & mask
        expected.append(int(minhash._fmix64(np.array([h ^ (e - s)], dtype=np.uint64))[0]))
    assert minhash._hash_spans(buf, starts, ends).tolist() == expected


def test_sorted_unique_is_numpys_unique():
    rng = np.random.default_rng(9)
    for values in (np.empty(0, dtype=np.uint64), np.array([7], dtype=np.uint64),
                   rng.integers(0, 50, 300).astype(np.uint64), rng.integers(0, 2**63, 2000).astype(np.uint64)):
        assert np.array_equal(minhash.sorted_unique(values), np.unique(values))


def test_the_compiled_kernels_are_built_and_used():
    """The package's build compiles lint/kernels.pyx; were it missing, every run would
    quietly take the slower numpy path, so a missing module fails here."""
    assert kernels.__file__.endswith((".so", ".pyd"))
    assert minhash._compiled() is kernels


def test_kernel_leaves_text_beyond_the_basic_plane_to_numpy():
    """The kernel's class table stops at U+FFFF: it declines such text, and tokens()
    takes the numpy path for it, with the same tokens as the rule."""
    def count(text):
        folded, size = kernels.casefold(np.frombuffer(text.encode("utf-8"), dtype=np.uint8), *minhash._folds())
        return size if size < 0 else kernels.tokenise(folded[:size], minhash._classes(), minhash._BASE)[3]

    assert count("smile\U0001F600face \U0001D400bold math caf\u00e9") == -1
    assert count("Caf\u00e9 NA\u00cfVE") == 2


def test_the_kernel_tables_are_those_of_the_character_database(monkeypatch):
    """The class and fold tables are built in bulk (by the kernels, or one casefold
    call and `re`'s word class); they are the tables asked of each character one at a
    time: its category, its own folding, and the widest growth of a folding in UTF-8."""
    import unicodedata

    monkeypatch.setattr(minhash, "_class_table", None)
    monkeypatch.setattr(minhash, "_fold_tables", None)
    classes = minhash._classes()
    for cp in range(0x80, 0x10000):
        category = unicodedata.category(chr(cp))[0]
        assert classes[cp] == (2 if category == "L" else 1 if category == "N" else 0), hex(cp)
    ascii_class = [2 if chr(c).islower() else 1 if chr(c).isdigit() else 0 for c in range(0x80)]
    assert classes[:0x80].tolist() == ascii_class
    # The kernels build it from the character macros; without them, from `re` and str.
    assert np.array_equal(minhash._class_table_by_str()[0x80:], classes[0x80:])
    starts, points, growth = minhash._folds()
    assert len(starts) == 0x10001 and starts[-1] == len(points)
    widest = 1
    for cp in range(0x10000):
        ch = chr(cp)
        folded = "'" if cp == 0x2019 else ch.casefold()
        assert points[starts[cp] : starts[cp + 1]].tolist() == [ord(c) for c in folded], hex(cp)
        own = len(ch.encode("utf-8", "surrogatepass"))
        widest = max(widest, -(-len(folded.encode("utf-8", "surrogatepass")) // own))
    assert growth == widest == 3


def test_the_kernel_lowers_ascii_eight_bytes_at_a_time_as_str_casefold_does():
    """Every ASCII byte, at every alignment of the eight-byte words, beside characters
    beyond ASCII that break a word off (and end the text short of a whole word)."""
    every = bytes(range(128))
    for shift in range(9):
        for other in ("\u00c9", "\u2019", "\u0130"):
            text = (every[shift:] + every[:shift]).decode() * 2 + other + every[: 8 + shift].decode()
            folded, size = kernels.casefold(np.frombuffer(text.encode(), dtype=np.uint8), *minhash._folds(),
                                            ascii_apostrophe=False)
            assert folded[:size].tobytes().decode() == text.casefold(), (shift, other)


def test_the_kernel_folds_case_as_str_casefold_does(monkeypatch):
    """The kernel folds each character through a table instead of tokenising the folded
    text: every character of the Basic Plane whose folding changes it, some into two or
    three characters (\u00df, \u0130, \ufb03), some of them next to an apostrophe,
    gives the tokens of its folded text, in random order and in order."""
    changed = [chr(cp) for cp in range(0x10000) if chr(cp).casefold() != chr(cp)]
    assert len(changed) > 1200 and any(len(ch.casefold()) == 3 for ch in changed)
    rng = np.random.default_rng(5)
    glue = ["", " ", "'", "\u2019", "a", "\n", "9", "\u0301"]
    texts = ["".join(changed), " ".join(changed), "'".join(changed), "\u0390 " * 3000]  # the last: 3x the bytes
    texts += ["".join(str(x) for x in rng.choice(changed + glue * 200, size=4000)) for _ in range(4)]
    tokens = 0
    for text in texts:
        folded = text.casefold().replace("\u2019", "'")
        monkeypatch.setattr(minhash, "_kernels", kernels)
        compiled = minhash.tokens(Document.from_text(text))
        monkeypatch.setattr(minhash, "_kernels", False)
        reference = minhash._numpy_tokens(folded.encode("utf-8", "surrogatepass"))
        for name in ("hashes", "lines", "lengths"):
            assert np.array_equal(getattr(compiled, name), getattr(reference, name)), name
        tokens += len(compiled.hashes)
    assert tokens > 3000


def test_both_implementations_sketch_the_seeds_alike(monkeypatch):
    from conftest import SEEDS

    p = build_params(NearDuplicateParams, {"unit": "paragraph"}, "test")
    sketches = {}
    for name, impl in (("numpy", False), ("compiled", kernels)):
        monkeypatch.setattr(minhash, "_kernels", impl)
        sketches[name] = [NearDuplicate().signature(Document.from_text(path.read_text(errors="replace")), p)
                          for path in sorted(SEEDS.glob("*.txt"))]
    assert sum(len(s) for s in sketches["numpy"]) > 100
    for a, b in zip(sketches["numpy"], sketches["compiled"]):
        assert np.array_equal(a.values, b.values) and np.array_equal(a.spans, b.spans)
        assert np.array_equal(a.shingles, b.shingles) and np.array_equal(a.sizes, b.sizes)


def test_sketches_pickle_as_one_buffer_and_come_back_equal():
    """A file's Sketches crosses from a worker (and into the cache and the snapshot) as
    one buffer; every array comes back equal, for no unit, one unit and an odd number."""
    import pickle

    p = build_params(NearDuplicateParams, {"unit": "paragraph", "min_words": 3}, "test")
    for text, units in (("", 0), (PROSE[0], 1), ("\n\n".join(PROSE[:3]), 3)):
        sketch = NearDuplicate().signature(Document.from_text(text), p)
        back = pickle.loads(pickle.dumps(sketch, protocol=pickle.HIGHEST_PROTOCOL))
        assert len(back) == len(sketch) == units
        for name in ("spans", "sizes", "values", "shingles", "offsets"):
            mine, theirs = getattr(sketch, name), getattr(back, name)
            assert mine.dtype == theirs.dtype and mine.shape == theirs.shape and np.array_equal(mine, theirs), name
        if len(sketch):
            assert back[len(back) - 1].hashvalues.tolist() == sketch[len(sketch) - 1].hashvalues.tolist()


def test_parked_sketches_let_their_buffer_go_and_travel_as_references(tmp_path, monkeypatch):
    """Parked, a file's MinHash values wait in the spill: nothing keeps the pickled buffer
    they arrived in (at 1 GB it held a second copy of every paragraph's values), and a
    worker sends where they lie, not the bytes, while the main process reads them back
    equal."""
    import pickle

    from lint.spill import Spill, Spilled

    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    p = build_params(NearDuplicateParams, {"unit": "paragraph", "min_words": 3}, "test")
    sketch = NearDuplicate().signature(Document.from_text("\n\n".join(PROSE[:3])), p)
    values = sketch.values.copy()
    back = pickle.loads(pickle.dumps(sketch))
    for name in ("spans", "sizes", "offsets"):
        assert getattr(back, name).base is None, name  # owns its data
    assert not back.values.flags.writeable  # a view of the pickled (read-only) buffer, until parked
    main = Spill()
    worker = Spill(main.shared())
    NearDuplicate().park(back, worker)
    worker.flush()
    assert isinstance(back._values, Spilled)
    sent = pickle.dumps(back)
    assert len(sent) < values.nbytes  # the values went as a reference
    received = pickle.loads(sent)
    assert isinstance(received._values, Spilled) and np.array_equal(received.values, values)
    worker.close()
    main.close()


def test_the_radix_sort_of_packed_rows_equals_numpys_sort():
    """sorted_by_high32 sorts by the key half only, keeping ties in order: the same words
    as a full sort exactly when the row halves increase, and it declines any other input
    (a repeated row, or one out of order, first, inside or last) and leaves it as it was."""
    rng = np.random.default_rng(12)
    for n, span in ((0, 1), (1, 1), (2, 1), (5000, 40), (300_000, 2**32), (70_000, 3), (2**16 + 3, 2**21)):
        keys = rng.integers(0, span, n, dtype=np.uint64)
        rows = np.sort(rng.choice(4 * n + 1, n, replace=False)).astype(np.uint64)
        words = (keys << np.uint64(32)) | rows
        assert np.array_equal(kernels.sorted_by_high32(words.copy()), np.sort(words))
    for at in (1, 2, 500, len(words) - 1):
        declined = words.copy()
        declined[at] = (declined[at] & ~np.uint64(0xFFFFFFFF)) | (declined[at - 1] & np.uint64(0xFFFFFFFF))
        kept = declined.copy()
        assert kernels.sorted_by_high32(declined) is None and np.array_equal(declined, kept), at
    shuffled = words[::-1].copy()
    assert kernels.sorted_by_high32(shuffled) is None and np.array_equal(shuffled, words[::-1])
    # As the corpus pass calls it: the same pairs, with the kernels and without.
    key, number = rng.integers(0, 1000, 20_000, dtype=np.uint64), np.arange(20_000, dtype=np.uint64)
    packed = near_duplicate._packed_sort(key, number)
    assert np.array_equal(packed, np.sort((key << np.uint64(32)) | number))


def test_row_keys_are_the_same_compiled_and_with_numpy(monkeypatch):
    rng = np.random.default_rng(13)
    values = rng.integers(0, 2**32, (3000, 128), dtype=np.uint32)
    values.flags.writeable = False  # a snapshot's memory-mapped index is read-only
    for rows in (values, values[:, 16:23], values[::7, 100:], values[[4, 2, 2]], values[:0]):
        monkeypatch.setattr(minhash, "_kernels", kernels)
        compiled = minhash.row_keys(rows)
        monkeypatch.setattr(minhash, "_kernels", False)
        assert np.array_equal(compiled, minhash.row_keys(rows))
    assert len(np.unique(minhash.row_keys(values))) == 3000


def test_radix_sorted_and_unique_equal_numpys(monkeypatch):
    rng = np.random.default_rng(14)
    cases = [np.empty(0, dtype=np.int64), np.array([3], dtype=np.uint32),
             rng.integers(0, 2**44, 200_000, dtype=np.int64), rng.integers(0, 50, 100_000).astype(np.uint32),
             rng.integers(0, 2**32, 150_000, dtype=np.uint64), rng.integers(-5, 5, 100_000, dtype=np.int64)]
    for values in cases:
        expected, counts = np.unique(values, return_counts=True)
        got, got_counts = near_duplicate._unique(values.copy(), counts=True)
        assert got.dtype == values.dtype
        assert np.array_equal(got, expected) and np.array_equal(got_counts, counts)
        assert np.array_equal(near_duplicate._unique(values.copy()), expected)
        assert np.array_equal(near_duplicate._sorted(values.copy()), np.sort(values))
    # The radix sort took the large ones: a run without the kernels sorts them the same.
    monkeypatch.setattr(minhash, "_kernels", False)
    assert np.array_equal(near_duplicate._sorted(cases[2].copy()), np.sort(cases[2]))
    words = cases[4].copy()
    assert kernels.radix_sort(words, 31) is False and np.array_equal(words, cases[4])  # one not below 2**31


def test_the_index_reads_the_corpus_matrix_whole_and_equals_one_gathered_file_by_file():
    """After the corpus pass each file's values are rows of one matrix, which the index
    views whole; gathered file by file from copies, the index is the same."""
    from conftest import SEEDS

    p = build_params(NearDuplicateParams, {"unit": "paragraph", "containment": 0.8}, "test")
    check = NearDuplicate()
    texts = [path.read_text(errors="replace") for path in sorted(SEEDS.glob("*.txt"))]
    sigs = [check.signature(Document.from_text(t), p) for t in texts]
    near_duplicate._Corpus([(f"f{i}", s) for i, s in enumerate(sigs)], p.num_perm)  # points them into one matrix
    assert near_duplicate._one_matrix([s.values for s in sigs if len(s)]) is not None
    copies = [pickle.loads(pickle.dumps(s)) for s in sigs]
    assert near_duplicate._one_matrix([s.values for s in copies if len(s)]) is None

    def built(signatures):
        out = check.index(signatures, p)
        return {name: [np.array(part) for part in zip(*arr.rows())] if hasattr(arr, "rows") else arr
                for name, arr in out.items()}

    viewed, gathered = built(sigs), built(copies)
    assert viewed.keys() == gathered.keys() and {"bands", "perms"} <= viewed.keys()
    for name in viewed:
        for a, b in zip(viewed[name], gathered[name]) if isinstance(viewed[name], list) else [(viewed[name], gathered[name])]:
            assert np.array_equal(a, b), name
    assert sum(len(s) for s in sigs) > 100


def test_a_units_place_is_what_its_brief_view_says():
    """The report reads most units' places through place(), which makes no UnitSig: the
    path, lines and ordinal of every unit of the seeds are those brief() gives."""
    from conftest import SEEDS

    p = build_params(NearDuplicateParams, {"unit": "paragraph"}, "test")
    sigs = [(path.name, NearDuplicate().signature(Document.from_text(path.read_text(errors="replace"), path.name), p))
            for path in sorted(SEEDS.glob("*.txt"))]
    flat = near_duplicate._Corpus(sigs, p.num_perm)
    assert len(flat) > 500 and len({flat.place(i)[0] for i in range(len(flat))}) == len(sigs)
    for i in range(len(flat)):
        path, unit = flat.brief(i)
        assert flat.place(i) == (path, unit.start_line, unit.end_line, unit.ordinal)


def test_shared_shingles_are_counted_by_a_merge_as_intersect1d_counts_them(monkeypatch):
    """Candidate pairs are confirmed from the count of shingles they share, by one merge
    of the two sorted sets in the kernels: the count np.intersect1d gives, on random
    sets and on the seeds' paragraphs, and so the same similarities either way."""
    from conftest import SEEDS

    rng = np.random.default_rng(5)
    for n, m, span in ((0, 0, 10), (0, 5, 10), (1, 1, 2), (50, 70, 100), (3000, 200, 2**32), (400, 400, 600)):
        a = np.unique(rng.integers(0, span, n, dtype=np.uint64).astype(np.uint32))
        b = np.unique(rng.integers(0, span, m, dtype=np.uint64).astype(np.uint32))
        assert kernels.common_count(a, b) == len(np.intersect1d(a, b, assume_unique=True))
    p = build_params(NearDuplicateParams, {"unit": "paragraph"}, "test")
    units = [u for path in sorted(SEEDS.glob("*.txt"))
             for u in NearDuplicate().signature(Document.from_text(path.read_text(errors="replace")), p)]
    pairs = [(units[i], units[j]) for i in range(0, len(units), 7) for j in range(i + 1, min(len(units), i + 40))
             if units[i].shingles is not None and units[j].shingles is not None]
    assert len(pairs) > 1000
    pairs += [(u, u) for u in units if u.shingles is not None]  # every shingle shared
    merged = [near_duplicate._similarity(a, b) for a, b in pairs]
    monkeypatch.setattr(minhash, "_kernels", None)
    assert merged == [near_duplicate._similarity(a, b) for a, b in pairs]
    assert sum(1 for jac, _ in merged if jac == 1.0) > 100
