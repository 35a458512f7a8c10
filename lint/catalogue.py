"""Loading rules/**/*.toml into Rule values: the one place that knows the rule file schema.

A rule file is its own documentation and first test: header, `[check]` (a kind
from lint.checks.KINDS and its parameters), `[doc]`, and `[[example]]` blocks.
Problems are reported naming the file and the key, never as a traceback.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

from lint.checks import KINDS
from lint.errors import DoclintError
from lint.findings import CATEGORIES, SEVERITIES
from lint.params import build_params

STATUSES = ("stable", "preview", "deprecated", "removed")
CODE_PREFIX = {
    "duplicate": "DUP",
    "truncation": "TRN",
    "boilerplate": "BPL",
    "formatting": "FMT",
    "structure": "STR",
}
_CODE = regex.compile(r"^[A-Z]+[0-9]{3}$")
_SLUG = regex.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_HEADER_KEYS = {
    "code", "name", "category", "severity", "status", "since", "summary", "message",
    "aliases", "check", "doc", "example",
}
_DOC_KEYS = {"what", "why", "fix", "known_problems", "example"}
_EXAMPLE_KEYS = {"text", "path", "files", "expect", "lines", "note", "encoding"}


@dataclass(frozen=True)
class Example:
    """A documentation example that is also a test: these files give `expect` findings."""

    files: dict[str, str]
    expect: int
    lines: tuple[int, ...] | None = None
    note: str = ""
    encoding: str = "utf-8"  # how the example text is stored before doclint reads it

    def documents(self) -> list:
        from lint.document import Document
        from lint.load import decode

        return [Document(name, decode(text.encode(self.encoding), name)) for name, text in self.files.items()]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    category: str
    severity: str
    status: str
    since: str
    summary: str
    message: str
    kind: str
    params: Any
    doc: dict[str, str]
    examples: tuple[Example, ...] = ()
    aliases: tuple[str, ...] = ()
    source: str = ""

    @property
    def check(self):
        return KINDS[self.kind]

    @property
    def is_corpus(self) -> bool:
        return KINDS[self.kind].corpus

    def format_message(self, args: dict[str, Any]) -> str:
        return self.message.format_map(_Missing(args))

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "category": self.category,
            "severity": self.severity,
            "status": self.status,
            "since": self.since,
            "summary": self.summary,
            "message": self.message,
            "kind": self.kind,
            "aliases": list(self.aliases),
            "doc": dict(self.doc),
        }


class _Missing(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@dataclass
class Catalogue:
    """Every known rule, by code, with lookups by code, slug, alias and prefix."""

    rules: dict[str, Rule] = field(default_factory=dict)

    def __iter__(self):
        return iter(sorted(self.rules.values(), key=lambda r: r.code))

    def __len__(self) -> int:
        return len(self.rules)

    def add(self, rule: Rule) -> None:
        for other in self.rules.values():
            if other.code == rule.code:
                raise DoclintError(f"{rule.source}: code {rule.code} is already used by {other.source}")
            if other.name == rule.name:
                raise DoclintError(f"{rule.source}: name '{rule.name}' is already used by {other.source}")
        self.rules[rule.code] = rule

    def lookup(self, ident: str) -> Rule | None:
        """A rule by code, slug or alias (case-insensitive for codes)."""
        if ident.upper() in self.rules:
            return self.rules[ident.upper()]
        for rule in self.rules.values():
            if ident == rule.name or ident in rule.aliases:
                return rule
        return None

    def matching(self, selector: str) -> list[Rule]:
        """Rules a selector names: ALL, a category, a code prefix, a code, a slug or an alias."""
        if selector.upper() == "ALL":
            return list(self)
        if selector in CATEGORIES:
            return [r for r in self if r.category == selector]
        rule = self.lookup(selector)
        if rule is not None:
            return [rule]
        prefix = selector.upper()
        if regex.fullmatch(r"[A-Z]+[0-9]{0,2}", prefix):
            return [r for r in self if r.code.startswith(prefix)]
        return []


def builtin_rules_dir() -> Path:
    """The shipped catalogue: lint/rules inside a wheel, rules/ beside lint/ in a checkout."""
    package = Path(__file__).resolve().parent
    for candidate in (package / "rules", package.parent / "rules"):
        if candidate.is_dir():
            return candidate
    raise DoclintError(f"the rule catalogue is missing (looked in {package / 'rules'} and {package.parent / 'rules'})")


def load_catalogue(extra_dirs: list[Path] | tuple[Path, ...] = ()) -> Catalogue:
    catalogue = Catalogue()
    builtin = builtin_rules_dir()
    for directory in (builtin, *extra_dirs):
        if not directory.is_dir():
            raise DoclintError(f"rule directory {directory} does not exist")
        for path in sorted(directory.rglob("*.toml")):
            catalogue.add(load_rule(path, directory, shipped=directory == builtin))
    return catalogue


def load_rule(path: Path, root: Path | None = None, shipped: bool = False) -> Rule:
    """A rule file.  `shipped`: one of doclint's own, whose patterns the test suite has
    compiled already (tests/test_catalogue.py); compiling them again on every start
    was half of a run's set-up.  Its documentation and examples (two thirds of the
    file) are parsed when first asked for: a check needs only the header and [check],
    and parsing all of every file was 10-14 ms of every start.  Rules from rule-dirs,
    and parameters a config overrides, are always checked, whole."""
    where = _display(path)
    text = _read_rule(path, where)
    head = _before_docs(text) if shipped else None
    if head is not None:
        try:
            data = tomllib.loads(head)
        except tomllib.TOMLDecodeError:  # the cut fell inside a string: parse it all
            data = None
        if data is not None and "check" in data:
            return parse_rule(data, where, shipped, _RuleDocs(path, where))
    return parse_rule(_parse_toml(text, where), where, shipped)


def _read_rule(path: Path, where: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DoclintError(f"{where}: cannot read: {exc}") from None


def _parse_toml(text: str, where: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DoclintError(f"{where}: invalid TOML: {exc}") from None


# A table header line, and the ones that open a rule's documentation and examples.
_TABLE = regex.compile(r"^[ \t]*\[", regex.MULTILINE)
_DOCS = regex.compile(r"^[ \t]*\[(?:doc|\[example)\][ \t]*$", regex.MULTILINE)
_CHECK = regex.compile(r"^[ \t]*\[check\][ \t]*$", regex.MULTILINE)


def _before_docs(text: str) -> str | None:
    """The file up to its [doc] or first [[example]] header, when everything the header
    and [check] hold is above it and nothing but documentation below; else None."""
    docs = _DOCS.search(text)
    if docs is None or _CHECK.search(text, 0, docs.start()) is None:
        return None
    for header in _TABLE.finditer(text, docs.start()):
        if not text.startswith(("doc]", "[example]", "example.", "[example."), header.end()):
            return None  # another table below the documentation: parse it all
    return text[: docs.start()]


class _RuleDocs:
    """A shipped rule's [doc] table and examples, parsed from its file when first asked
    for, with the checks they would have had at load."""

    __slots__ = ("path", "where", "parsed")

    def __init__(self, path: Path, where: str):
        self.path, self.where = path, where
        self.parsed: tuple[dict[str, str], tuple[Example, ...]] | None = None

    def load(self) -> tuple[dict[str, str], tuple[Example, ...]]:
        if self.parsed is None:
            data = _parse_toml(_read_rule(self.path, self.where), self.where)
            self.parsed = (_parse_doc(data, self.where), _parse_examples(data, self.where))
        return self.parsed


class _DeferredDoc(Mapping):
    """Rule.doc of a shipped rule: a mapping that reads its file when first looked into."""

    def __init__(self, docs: _RuleDocs):
        self.docs = docs

    def __getitem__(self, key: str) -> str:
        return self.docs.load()[0][key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.docs.load()[0])

    def __len__(self) -> int:
        return len(self.docs.load()[0])

    def __repr__(self) -> str:
        return repr(self.docs.load()[0])


class _DeferredExamples(Sequence):
    """Rule.examples of a shipped rule, read from its file when first asked for."""

    def __init__(self, docs: _RuleDocs):
        self.docs = docs

    def __getitem__(self, index):
        return self.docs.load()[1][index]

    def __len__(self) -> int:
        return len(self.docs.load()[1])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and tuple(self) == tuple(other)

    __hash__ = None

    def __repr__(self) -> str:
        return repr(self.docs.load()[1])


def parse_rule(data: dict[str, Any], where: str, shipped: bool = False, docs: _RuleDocs | None = None) -> Rule:
    unknown = set(data) - _HEADER_KEYS
    if unknown:
        raise DoclintError(f"{where}: unknown key '{sorted(unknown)[0]}'")
    header = {}
    for key in ("code", "name", "category", "severity", "status", "since", "summary", "message"):
        value = data.get(key)
        if not isinstance(value, str) or not value:
            raise DoclintError(f"{where}: key '{key}' is required and must be a non-empty string")
        header[key] = value
    if not _CODE.match(header["code"]):
        raise DoclintError(f"{where}: key 'code' must look like ABC123, not {header['code']!r}")
    if not _SLUG.match(header["name"]):
        raise DoclintError(f"{where}: key 'name' must be a kebab-case slug, not {header['name']!r}")
    if header["category"] not in CATEGORIES:
        raise DoclintError(f"{where}: key 'category' must be one of {', '.join(CATEGORIES)}")
    if header["severity"] not in SEVERITIES:
        raise DoclintError(f"{where}: key 'severity' must be one of {', '.join(SEVERITIES)}")
    if header["status"] not in STATUSES:
        raise DoclintError(f"{where}: key 'status' must be one of {', '.join(STATUSES)}")
    aliases = data.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise DoclintError(f"{where}: key 'aliases' must be a list of strings")

    check = data.get("check")
    if not isinstance(check, dict) or "kind" not in check:
        raise DoclintError(f"{where}: a [check] table with a 'kind' is required")
    kind = check["kind"]
    if kind not in KINDS:
        raise DoclintError(f"{where}: [check] kind '{kind}' is not one of {', '.join(sorted(KINDS))}")
    raw_params = {k: v for k, v in check.items() if k != "kind"}
    params = build_params(KINDS[kind].Params, raw_params, f"{where}: [check]", validate=not shipped)

    if docs is None:
        doc, examples = _parse_doc(data, where), _parse_examples(data, where)
    else:
        doc, examples = _DeferredDoc(docs), _DeferredExamples(docs)
    return Rule(
        code=header["code"], name=header["name"], category=header["category"],
        severity=header["severity"], status=header["status"], since=header["since"],
        summary=header["summary"], message=header["message"], kind=kind, params=params,
        doc=doc, examples=examples, aliases=tuple(aliases), source=where,
    )


def _parse_doc(data: dict[str, Any], where: str) -> dict[str, str]:
    doc = data.get("doc")
    if not isinstance(doc, dict):
        raise DoclintError(f"{where}: a [doc] table is required")
    for key, value in doc.items():
        if key not in _DOC_KEYS:
            raise DoclintError(f"{where}: [doc] has unknown key '{key}'")
        if not isinstance(value, str):
            raise DoclintError(f"{where}: [doc] key '{key}' must be a string")
    for key in ("what", "why", "fix"):
        if not doc.get(key, "").strip():
            raise DoclintError(f"{where}: [doc] key '{key}' is required")
    return {k: v.strip() for k, v in doc.items()}


def _parse_examples(data: dict[str, Any], where: str) -> tuple[Example, ...]:
    return tuple(_parse_example(e, f"{where}: [[example]] {i + 1}") for i, e in enumerate(data.get("example", [])))


def _parse_example(data: Any, where: str) -> Example:
    if not isinstance(data, dict):
        raise DoclintError(f"{where} must be a table")
    unknown = set(data) - _EXAMPLE_KEYS
    if unknown:
        raise DoclintError(f"{where} has unknown key '{sorted(unknown)[0]}'")
    if "files" in data:
        files = data["files"]
        if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
            raise DoclintError(f"{where} key 'files' must map file names to text")
    elif isinstance(data.get("text"), str):
        files = {data.get("path", "example.txt"): data["text"]}
    else:
        raise DoclintError(f"{where} needs 'text' or 'files'")
    expect = data.get("expect")
    if not isinstance(expect, int) or isinstance(expect, bool) or expect < 0:
        raise DoclintError(f"{where} key 'expect' must be the number of findings")
    lines = data.get("lines")
    if lines is not None and (not isinstance(lines, list) or not all(isinstance(n, int) for n in lines)):
        raise DoclintError(f"{where} key 'lines' must be a list of line numbers")
    encoding = data.get("encoding", "utf-8")
    try:
        "".encode(encoding)
    except (LookupError, TypeError):
        raise DoclintError(f"{where} key 'encoding' names no known encoding: {encoding!r}") from None
    return Example(dict(files), expect, tuple(lines) if lines is not None else None, data.get("note", ""), encoding)


def _display(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()
