"""What checks yield (Hit), what reports carry (Finding, Report), and fingerprints.

Checks know nothing of rule identity or severity: they yield Hits, and the engine
stamps each one into a Finding.  Every reporter renders the same Report object.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import regex

# VALUE_CLASSES: Hit, Finding and Related here, the document model's blocks, headings,
# sections and contents entries, and a near-duplicate unit's sketch are slotted and
# hashable like frozen dataclasses, and treated as immutable, but not frozen: a frozen
# dataclass sets each field through object.__setattr__, 1.8 us of a Finding's
# construction against 0.2 us, and a corpus makes (and unpickles) hundreds of thousands
# of each.  Nothing assigns to a field after construction.

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}
CATEGORIES = ("duplicate", "truncation", "boilerplate", "formatting", "structure")


@dataclass(slots=True, unsafe_hash=True)  # not frozen: see VALUE_CLASSES above
class Related:
    """Another place involved in a finding, such as the other copy of a duplicate."""

    path: str
    start_line: int
    end_line: int
    similarity: float | None = None

    def __reduce__(self):  # as Hit's, and for the same reason
        return (Related, (self.path, self.start_line, self.end_line, self.similarity))

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "path": self.path,
            "start_line": self.start_line,
            "end_line": self.end_line,
        }
        if self.similarity is not None:
            out["similarity"] = round(min(1.0, max(0.0, self.similarity)), 4)
        return out


@dataclass(slots=True, unsafe_hash=True)  # not frozen: see VALUE_CLASSES above
class Hit:
    """A match as a check sees it: where, what to fill the message with, what else.

    `key` is the text that identifies the match for fingerprinting (usually the
    matched text); it must not contain line numbers, so that a baseline keeps
    matching when lines are inserted above the finding.  `path` is set only by
    corpus checks, which report on many documents at once.
    """

    start_line: int
    end_line: int
    args: dict[str, Any] = field(default_factory=dict)
    start_col: int | None = None
    end_col: int | None = None
    related: tuple[Related, ...] = ()
    key: str = ""
    fix: dict[str, Any] | None = None
    path: str | None = None

    def __reduce__(self):
        """Pickled as its fields in order: a frozen dataclass with slots otherwise
        unpickles through a Python __setstate__ that looks its fields up each time
        (7 us a hit, seconds on a corpus with hundreds of thousands of findings)."""
        return (Hit, (self.start_line, self.end_line, self.args, self.start_col, self.end_col,
                      self.related, self.key, self.fix, self.path))


@dataclass(slots=True, unsafe_hash=True)  # not frozen: see VALUE_CLASSES above
class Finding:
    """One reported defect; mirrors a finding in findings.schema.json."""

    rule: str
    name: str
    category: str
    severity: str
    path: str
    start_line: int
    end_line: int
    message: str
    fingerprint: str
    start_col: int | None = None
    end_col: int | None = None
    related: tuple[Related, ...] = ()
    fix: dict[str, Any] | None = None

    def __reduce__(self):  # as Hit's: a repeat run unpickles every finding of the corpus
        return (Finding, (self.rule, self.name, self.category, self.severity, self.path, self.start_line,
                          self.end_line, self.message, self.fingerprint, self.start_col, self.end_col,
                          self.related, self.fix))

    def sort_key(self) -> tuple:
        return (self.path, self.start_line, self.start_col or 0, self.rule, self.end_line, self.message)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule": self.rule,
            "name": self.name,
            "category": self.category,
            "severity": self.severity,
            "path": self.path,
            "start_line": self.start_line,
            "end_line": self.end_line,
        }
        if self.start_col is not None:
            out["start_col"] = self.start_col
        if self.end_col is not None:
            out["end_col"] = self.end_col
        out["message"] = self.message
        if self.related:
            out["related"] = [r.to_dict() for r in self.related]
        out["fingerprint"] = self.fingerprint
        if self.fix is not None:
            out["fix"] = self.fix
        return out


@dataclass(frozen=True, slots=True)
class Notice:
    """Something the user should know that is not a finding: a skipped binary, an unreadable file."""

    path: str
    message: str
    is_error: bool = False


@dataclass
class Report:
    """Everything a reporter needs: the findings, what was scanned, and the rules that ran."""

    findings: list[Finding]
    files_scanned: int
    version: str
    rules: dict[str, Any] = field(default_factory=dict)  # code -> catalogue.Rule
    notices: list[Notice] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)  # every file scanned, report-relative

    @property
    def has_errors(self) -> bool:
        return any(n.is_error for n in self.notices)

    def summary(self) -> dict[str, dict[str, int]]:
        by_rule = Counter(f.rule for f in self.findings)
        by_severity = Counter(f.severity for f in self.findings)
        by_category = Counter(f.category for f in self.findings)
        return {
            "by_rule": dict(sorted(by_rule.items())),
            "by_severity": {s: by_severity[s] for s in SEVERITIES if by_severity[s]},
            "by_category": {c: by_category[c] for c in CATEGORIES if by_category[c]},
        }

    def count_at_or_above(self, severity: str) -> int:
        floor = SEVERITY_RANK[severity]
        return sum(1 for f in self.findings if SEVERITY_RANK[f.severity] >= floor)


_SPACE = regex.compile(r"\s+")
# The only characters str.split() takes for white space and the regex module's \s does not.
_SEPARATORS = regex.compile(r"[\x1c-\x1f]")


def normalise_key(text: str) -> str:
    """Whitespace-folded, case-folded text, so re-wrapping a line keeps its fingerprint.

    Runs of what the regex module calls white space become one space, as they always
    have (fingerprints must not change); str.split() finds the same runs several times
    faster, unless the text holds one of the four separators that only it counts.  A
    printable text's only white space is the ASCII space (every other kind is a
    separator or a control character), so one with no space doubled or at an end, as
    most keys are, is already folded but for its case."""
    if text.isprintable():
        if "  " in text or text[:1] == " " or text[-1:] == " ":
            return " ".join(text.split()).casefold()
        return text.casefold()
    if _SEPARATORS.search(text) is None:
        return " ".join(text.split()).casefold()
    return _SPACE.sub(" ", text).strip().casefold()


def fingerprint(rule: str, path: str, key: str, occurrence: int) -> str:
    """Stable identity of a finding: rule, path, matched text and which repeat of it this is.

    Line numbers are left out on purpose: inserting lines above a finding must not
    change its fingerprint, or every baseline would break on the first edit.
    """
    text = f"{rule}\0{path}\0{normalise_key(key)}\0{occurrence}\0"  # one update: the same bytes as one per part
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:20]
