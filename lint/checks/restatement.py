"""Sections that restate other sections of the same document in other words.

Paraphrase defeats shingles, so this kind decides on structure first and uses
word evidence only to confirm and to point at the retold text.

1. Structure.  Inside a chapter, the N.M section numbers restart (N.1 ... N.k,
   then N.1 again).  The run before the restart is an overview block when its
   items are short: their median length is under `overview_ratio` times the
   median of the run after it.  Items titled like a wrap-up ("Conclusion",
   "Summary") are not restatements.
2. Evidence.  Each overview item O is scored against every detailed section D of
   the document with three signals, each standardised (z-score) over all D so
   that the book's shared single-topic vocabulary cancels out: rare-term overlap
   (IDF of O's terms that occur in at most `rare_df` detailed sections and in D),
   specific-fact overlap (years, numbers with units or currency, capitalised
   names, quoted phrases) and sentence alignment (for each sentence of O the best
   IDF-weighted containment in one sentence of D, averaged).  An item is reported
   when its best combined score reaches `min_score`; the retold section is the
   best one after a bonus for the same chapter and the same number.
3. Optionally (`cross_chapter_min_score`), a detailed section that retells a
   detailed section of another chapter: mutual best matches whose weaker score
   reaches the threshold.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

import numpy as np

from lint.checks.base import DocumentCheck
from lint.document import Document, Heading
from lint.findings import Hit, Related

_STOP = frozenset("""a about above after again against all also although am an and any are as at be because been
before being below between both but by can could did do does doing down during each even ever every few for
from further had has have having he her here hers herself him himself his how however i if in into is it its
itself just like made make makes many may me might more most much must my myself new no nor not now of off on
once one only or other our ours ourselves out over own same she should so some such than that the their theirs
them themselves then there these they this those through thus to too under until up upon us very via was we
well were what when where whether which while who whom whose why will with within without would yet you your
yours still became become becoming including include includes across among around toward towards""".split())
_MONTHS = frozenset("january february march april may june july august september october november december".split())

_WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019\-]*[A-Za-z]|[A-Za-z]|\d+(?:[.,]\d+)*")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)s?\b")
_NUMBER = re.compile(r"(?<![\w.])(\$?\d+(?:[.,]\d+)*)\s*(%|percent|billion|million|trillion|thousand)?", re.I)
_QUOTE = re.compile(r"[\"\u201c]([^\"\u201c\u201d]{8,200})[\"\u201d]")
_CAPSEQ = re.compile(r"(?:[A-Z][\w'\u2019&\-]*|of|and|the|de|for)(?:\s+(?:[A-Z][\w'\u2019&\-]*|of|and|the|for))*")
_MARKUP = re.compile(r"\*\*|__|[*_`#>]")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])[\"\u201d']?\s+(?=[\"\u201c]?[A-Z0-9])|\n+")
_SECTION_NUMBER = re.compile(r"^\d{1,3}\.\d{1,3}$")
_LINKERS = ("of", "and", "the", "for")


@dataclass(frozen=True)
class RestatementParams:
    overview_ratio: float = 0.5  # overview items are shorter than this share of the detailed sections (medians)
    min_score: float = 4.0  # best combined z-score (rare + fact + alignment) an overview item needs
    rare_df: int = 3  # a "rare" term occurs in at most this many detailed sections
    align_min: float = 0.5  # a sentence counts as aligned at this IDF-weighted containment
    same_chapter_bonus: float = 3.0  # choosing the retold section: prefer the item's own chapter
    same_number_bonus: float = 0.5  # ... and the section with the item's number
    skip_titles: tuple[str, ...] = ("conclusion", "summary", "final thoughts", "closing", "wrap")
    report: Literal["block", "item"] = "block"  # one finding per overview block, or per restating item
    cross_chapter_min_score: float = 0.0  # 0: off; else also report sections retelling another chapter's

    def validate(self) -> str | None:
        if not 0.0 < self.overview_ratio <= 1.0:
            return "'overview_ratio' must be in (0, 1]"
        if self.rare_df < 1:
            return "'rare_df' must be at least 1"
        if not 0.0 < self.align_min <= 1.0:
            return "'align_min' must be in (0, 1]"
        if self.cross_chapter_min_score < 0:
            return "'cross_chapter_min_score' must be 0 (off) or positive"
        return None

    @cached_property
    def skip_rx(self) -> re.Pattern:
        return re.compile(r"^\s*(?:" + "|".join(re.escape(t) for t in self.skip_titles) + r")", re.I)


# -- text features --------------------------------------------------------------------------

def _clean(text: str) -> str:
    return _MARKUP.sub("", text).replace("\u2019", "'")


def _norm(word: str) -> str:
    word = word.lower().replace("\u2019", "'")
    return word[:-2] if word.endswith("'s") else word


def _content(text: str) -> list[str]:
    return [w for w in (_norm(x) for x in _WORD.findall(text)) if len(w) > 2 and w not in _STOP and not w.isdigit()]


def _sentences(text: str) -> list[str]:
    out = []
    for s in _SENTENCE_SPLIT.split(_clean(text)):
        s = s.strip(" -\u2022\t")
        if len(s.split()) >= 5:
            out.append(s)
    return out


def _names(sentence: str) -> set[str]:
    """Capitalised words and runs of them, leaving out a sentence-initial ordinary word."""
    names: set[str] = set()
    sentence = sentence.strip(" -\u2022\t:")
    for m in _CAPSEQ.finditer(sentence):
        toks = m.group(0).split()
        while toks and toks[-1] in _LINKERS:
            toks.pop()
        while toks and toks[0] in _LINKERS:
            toks.pop(0)
        if not toks:
            continue
        initial = m.start() == 0 or sentence[: m.start()].rstrip().endswith((":", "(", '"', "\u201c"))
        if initial and (toks[0].lower() in _STOP or len(toks) == 1):
            toks = toks[1:]
        if not toks:
            continue
        words = [_norm(t) for t in toks]
        if len(words) >= 2:
            names.add(" ".join(words))
        names.update(w for w in words if w not in _STOP and len(w) > 1 and w not in _MONTHS)
    return names


def _facts(sentence: str) -> set[str]:
    """Specific facts of one (already cleaned) sentence: years, amounts, quotes, names."""
    out = {"Y:" + m.group(1) for m in _YEAR.finditer(sentence)}
    for m in _NUMBER.finditer(sentence):
        num = m.group(1).replace(",", "")
        if _YEAR.fullmatch(num.lstrip("$")):
            continue
        unit = (m.group(2) or "").lower()
        if unit or "$" in num or len(num.strip("$")) >= 2:
            out.add("N:" + num.lstrip("$") + unit)
    for m in _QUOTE.finditer(sentence):
        q = " ".join(_content(m.group(1)))
        if len(q.split()) >= 2:
            out.add("Q:" + q)
    out.update("C:" + n for n in _names(sentence))
    return out


def _z(v: np.ndarray) -> np.ndarray:
    sd = v.std()
    return (v - v.mean()) / (sd if sd > 1e-9 else 1.0)


# -- structure --------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Part:
    """A numbered N.M section: its heading, span, chapter and number."""

    heading: Heading
    start_line: int
    end_line: int
    chapter: int  # index of the chapter heading, -1 outside any chapter

    @property
    def last_number(self) -> int:
        return int(self.heading.number.rsplit(".", 1)[1])


def _structure(doc: Document, p: RestatementParams) -> tuple[list[list[_Part]], list[_Part]]:
    """Overview blocks (lists of items) and the detailed sections of the document."""
    heads = doc.headings
    total = doc.last_content_line() or 0
    section_end = {s.start_line: s.end_line for s in doc.sections}
    chapter_of: list[int] = []
    current = -1
    for k, h in enumerate(heads):
        if h.level == 1:
            current = k
        chapter_of.append(current)
    numbered = [k for k, h in enumerate(heads) if h.number and _SECTION_NUMBER.match(h.number) and h.level > 1]

    def detailed_end(k: int) -> int:
        for h2 in heads[k + 1:]:
            if h2.level == 1 or (h2.number and _SECTION_NUMBER.match(h2.number)):
                return _trim(doc, h2.line - 1)
        return total

    by_chapter: dict[int, list[int]] = defaultdict(list)
    for k in numbered:
        by_chapter[chapter_of[k]].append(k)
    blocks: list[list[_Part]] = []
    detailed: list[_Part] = []
    for chapter, kids in sorted(by_chapter.items()):
        parts = [_Part(heads[k], heads[k].line, detailed_end(k), chapter) for k in kids]
        restart = next((i for i in range(1, len(parts)) if parts[i].last_number <= parts[i - 1].last_number), None)
        if chapter >= 0 and restart is not None and restart >= 2:
            overview = [_Part(heads[k], heads[k].line, section_end.get(heads[k].line, heads[k].line), chapter)
                        for k in kids[:restart]]
            rest = parts[restart:]
            ma = float(np.median([_words(doc, o) for o in overview]))
            mb = float(np.median([_words(doc, d) for d in rest]))
            if ma < p.overview_ratio * mb:
                blocks.append(overview)
                detailed.extend(rest)
                continue
        detailed.extend(parts)
    detailed.sort(key=lambda d: d.start_line)
    return blocks, detailed


def _trim(doc: Document, end: int) -> int:
    while end > 1 and doc.blank[end - 1]:
        end -= 1
    return end


def _words(doc: Document, part: _Part) -> int:
    return sum(len(doc.lines[n - 1].split()) for n in range(part.start_line, part.end_line + 1))


# -- evidence -----------------------------------------------------------------------------------

class _Index:
    """Sentence-level terms of the whole document; sections and sub-blocks are unions of sentences."""

    def __init__(self, doc: Document, detailed: list[_Part], p: RestatementParams):
        self.p = p
        self.sents: list[tuple[int, set[str], set[str]]] = []  # (line, terms, facts)
        para_df: Counter[str] = Counter()
        n_paras = 0
        for block in doc.paragraphs:
            terms_of_para: set[str] = set()
            for s in _sentences(block.text):
                f = _facts(s)
                t = set(_content(s)) | f
                if t:
                    self.sents.append((block.start_line, t, f))
                    terms_of_para |= t
            para_df.update(terms_of_para)
            n_paras += 1
        self.para_idf = {t: math.log((n_paras + 1) / (c + 0.5)) for t, c in para_df.items()}
        self.sent_line = np.array([s[0] for s in self.sents], dtype=np.int64)
        self.ns = len(detailed)
        heading_lines = sorted(doc.heading_at)
        sent_sec, sent_blk, rows = [], [], []
        self.blocks: list[tuple[int, int, int]] = []  # (section index, start, end)
        self.secterms: list[set[str]] = []
        self.secfacts: list[set[str]] = []
        for j, d in enumerate(detailed):
            st: set[str] = set()
            sf: set[str] = set()
            cuts = [d.start_line] + [n for n in heading_lines if d.start_line < n <= d.end_line] + [d.end_line + 1]
            for a, b in zip(cuts, cuts[1:]):
                if b - 1 < a:
                    continue
                bi = len(self.blocks)
                self.blocks.append((j, a, b - 1))
                for i in self.sentences_in(a + 1, b - 1):  # headings are not evidence
                    sent_sec.append(j)
                    sent_blk.append(bi)
                    rows.append(i)
                    st |= self.sents[i][1]
                    sf |= self.sents[i][2]
            self.secterms.append(st)
            self.secfacts.append(sf)
        self.dfs: Counter[str] = Counter()
        for st in self.secterms:
            self.dfs.update(st)
        self.rows = rows
        self.sent_sec = np.array(sent_sec, dtype=np.int64)
        self.sent_blk = np.array(sent_blk, dtype=np.int64)
        inverted: dict[str, list[int]] = defaultdict(list)
        for k, i in enumerate(rows):
            for t in self.sents[i][1]:
                inverted[t].append(k)
        self.inverted = {t: np.array(v, dtype=np.int64) for t, v in inverted.items()}
        self.sec_starts = np.searchsorted(self.sent_sec, np.arange(self.ns))
        self.sec_has = np.isin(np.arange(self.ns), self.sent_sec)
        self.blk_starts = np.searchsorted(self.sent_blk, np.arange(len(self.blocks)))
        self.blk_has = np.isin(np.arange(len(self.blocks)), self.sent_blk)

    def sentences_in(self, a: int, b: int) -> range:
        lo = int(np.searchsorted(self.sent_line, a, "left"))
        hi = int(np.searchsorted(self.sent_line, b, "right"))
        return range(lo, hi)

    def sec_idf(self, term: str) -> float:
        return math.log((self.ns + 1) / (self.dfs.get(term, 0) + 0.5))

    def _align(self, sentence_terms: list[set[str]]):
        nsent = len(self.rows)
        if not sentence_terms or not nsent:
            return np.zeros(self.ns), np.zeros(self.ns), np.zeros(len(self.blocks))
        acc = np.zeros((len(sentence_terms), nsent))
        for a, st in enumerate(sentence_terms):
            weights = {t: self.para_idf.get(t, 0.0) for t in st}
            total = sum(weights.values()) or 1.0
            for t, w in weights.items():
                idx = self.inverted.get(t)
                if idx is not None:
                    acc[a, idx] += w / total
        per_sec = np.maximum.reduceat(acc, np.minimum(self.sec_starts, nsent - 1), axis=1) * self.sec_has
        per_blk = np.maximum.reduceat(acc, np.minimum(self.blk_starts, nsent - 1), axis=1) * self.blk_has
        return per_sec.mean(0), (per_sec >= self.p.align_min).sum(0), per_blk.mean(0)

    def scores(self, a: int, b: int, exclude: list[int] | None = None) -> dict[str, np.ndarray]:
        """Evidence that lines a..b retell each detailed section."""
        ids = list(self.sentences_in(a, b))
        so = [self.sents[i][1] for i in ids]
        terms = set().union(*so) if so else set()
        fo = set().union(*(self.sents[i][2] for i in ids)) if ids else set()
        rare = {t for t in terms if self.dfs.get(t, 0) <= self.p.rare_df}
        rare_sc = np.array([sum(self.sec_idf(t) for t in rare & st) for st in self.secterms])
        fact_sc = np.array([sum(self.sec_idf(t) for t in fo & sf) for sf in self.secfacts])
        align, aligned, block_align = self._align(so)
        mask = np.ones(self.ns, bool)
        if exclude:
            mask[exclude] = False
        comb = np.full(self.ns, -1e9)
        if mask.any():
            comb[mask] = _z(rare_sc[mask]) + _z(fact_sc[mask]) + _z(align[mask])
        return {"comb": comb, "align": align, "aligned": aligned, "block_align": block_align}


# -- the check ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Finding:
    source: _Part
    target: _Part
    target_block: tuple[int, int]
    score: float
    similarity: float


class Restatement(DocumentCheck):
    Params = RestatementParams

    def check(self, doc: Document, p: RestatementParams) -> Iterator[Hit]:
        blocks, detailed = _structure(doc, p)
        if not detailed or (not blocks and not p.cross_chapter_min_score):
            return
        index = _Index(doc, detailed, p)
        for block in blocks:
            found = [f for f in (self._overview_item(index, detailed, o, p) for o in block) if f is not None]
            if not found:
                continue
            if p.report == "item":
                for f in found:
                    yield _hit(doc, [f], f"item {f.source.heading.number}")
            else:
                yield _hit(doc, found, f"block {found[0].source.heading.number}")
        if p.cross_chapter_min_score:
            for f in _cross_chapter(index, detailed, p):
                yield _hit(doc, [f], f"section {f.source.heading.number}")

    def _overview_item(self, index: _Index, detailed: list[_Part], o: _Part, p: RestatementParams) -> _Finding | None:
        if p.skip_rx.match(o.heading.title):
            return None
        sc = index.scores(o.start_line + 1, o.end_line)
        comb = sc["comb"]
        if comb.max() < p.min_score:
            return None
        same = np.array([d.chapter == o.chapter for d in detailed], float)
        same_number = np.array([d.chapter == o.chapter and d.heading.number == o.heading.number
                                for d in detailed], float)
        j = int(np.argmax(comb + p.same_chapter_bonus * same + p.same_number_bonus * same_number))
        return _Finding(o, detailed[j], _best_block(index, sc, j), float(comb.max()), float(sc["align"][j]))


def _best_block(index: _Index, sc: dict[str, np.ndarray], j: int) -> tuple[int, int]:
    candidates = [(sc["block_align"][b], -b) for b, (sj, _, _) in enumerate(index.blocks) if sj == j]
    if not candidates:
        return (0, 0)
    _, neg = max(candidates)
    _, a, e = index.blocks[-neg]
    return a, e


def _cross_chapter(index: _Index, detailed: list[_Part], p: RestatementParams) -> list[_Finding]:
    best: dict[int, int] = {}
    scores: dict[int, dict[str, np.ndarray]] = {}
    for i, d in enumerate(detailed):
        others = [k for k, e in enumerate(detailed) if e.chapter == d.chapter]
        if len(others) == len(detailed):
            continue
        scores[i] = index.scores(d.start_line + 1, d.end_line, exclude=others)
        best[i] = int(np.argmax(scores[i]["comb"]))
    out = []
    for i, j in sorted(best.items()):
        if best.get(j) != i or detailed[i].start_line < detailed[j].start_line:
            continue
        s = min(scores[i]["comb"][j], scores[j]["comb"][i])
        if s < p.cross_chapter_min_score:
            continue
        d = detailed[j]
        out.append(_Finding(detailed[i], d, (d.start_line, d.end_line), float(s), float(scores[i]["align"][j])))
    return out


def _hit(doc: Document, found: list[_Finding], key: str) -> Hit:
    related: list[Related] = []
    seen = set()
    for f in found:
        spans = [(f.target.start_line, f.target.end_line)]
        if f.target_block != (0, 0) and f.target_block != spans[0]:
            spans.append(f.target_block)
        for a, b in spans:
            if (a, b) not in seen:
                seen.add((a, b))
                related.append(Related(doc.path, a, b, round(f.similarity, 4)))
    first, last = found[0].source, found[-1].source
    targets = ", ".join(dict.fromkeys(f"{f.target.heading.number} (line {f.target.start_line})" for f in found))
    items = ", ".join(f.source.heading.number for f in found)
    return Hit(
        first.start_line, last.end_line,
        args={"items": items, "count": len(found), "targets": targets,
              "similarity": f"{max(f.similarity for f in found):.2f}",
              "score": f"{max(f.score for f in found):.1f}"},
        related=tuple(related),
        key=f"{key}: {first.heading.title}",
    )
