"""The two shapes a check kind takes.

A DocumentCheck sees one Document and yields Hits; it runs in worker processes.
A CorpusCheck splits in two: `signature` runs per document in the workers (and is
cached by content hash), `check_corpus` sees every signature at once and pairs them.
Checks receive validated, frozen Params and never see config, severity or output.

A CorpusCheck may also support focused runs (pre-commit, --changed-since): `index`
turns a full run's signatures into arrays kept in the snapshot (lint.snapshot), and
`check_changed` finds, through them, the few files a focus file's units can pair
with, then runs `check_corpus` on just those.  Its hits must be exactly the full
run's hits that touch a focus file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from lint.document import Document
from lint.findings import Hit
from lint.spill import Spill


class Unavailable(Exception):
    """A focused run cannot answer exactly (a signature is gone, a hash collided): run in full."""


@dataclass
class CorpusView:
    """The corpus in a focused run: the snapshot's arrays for one rule, and what changed since."""

    paths: list[str]  # the snapshot's files in path order; the arrays' file ids index this
    stale: np.ndarray  # bool per snapshot file: its rows no longer describe the corpus (changed or gone)
    arrays: dict[str, np.ndarray]
    changed: dict[str, Any]  # path -> current signature of the focus files and of every file changed since
    load: Callable[[int], Any]  # file id -> that file's signature as the snapshot saw it
    focus: frozenset[str] = frozenset()  # the files whose hits are wanted (all in `changed`)
    signed: int = 0  # files with a signature in the current corpus
    budget: int = 0  # unchanged files a check may load before a full run is cheaper
    loaded: set[int] = field(default_factory=set)

    def signature(self, file_id: int) -> Any:
        if file_id not in self.loaded:
            self.loaded.add(file_id)
            if len(self.loaded) > self.budget:
                raise Unavailable(f"more than {self.budget} files to compare")
        return self.load(file_id)


class DocumentCheck:
    Params: ClassVar[type]
    corpus: ClassVar[bool] = False

    def check(self, doc: Document, params: Any) -> Iterator[Hit]:
        raise NotImplementedError

    def literals(self, params: Any) -> frozenset[str]:
        """The literals this check looks up in a document's one literal scan
        (lint.checks.literals.find).  Told before the first document, so that the scan's
        automaton is built once, not again for each check that first asks."""
        return frozenset()


class CorpusCheck:
    Params: ClassVar[type]
    corpus: ClassVar[bool] = True

    def signature(self, doc: Document, params: Any) -> Any:
        """Per-document summary (picklable, small): what the corpus pass needs of this file."""
        raise NotImplementedError

    def check_corpus(self, signatures: Iterable[tuple[str, Any]], params: Any) -> Iterator[Hit]:
        """Yield Hits, each with `path` set, from (path, signature) pairs in path order."""
        raise NotImplementedError

    def park(self, signature: Any, spill: Spill) -> None:
        """Move what the corpus pass reads only now and then to a spill (see lint.spill):
        in a worker, before the signature is sent; otherwise from `settle`."""

    def settle(self, signature: Any, spill: Spill) -> None:
        """Called in the main process as each file's signature arrives: park it if its
        worker has not, and arrange what stays in memory."""
        self.park(signature, spill)

    def index(self, signatures: list[Any], params: Any) -> dict[str, np.ndarray] | None:
        """Arrays for focused runs, from every file's signature in path order; None: not supported."""
        return None

    def check_changed(self, view: CorpusView, params: Any) -> Iterator[Hit]:
        """Every hit of a full run that touches a focus file (others may be yielded too)."""
        raise Unavailable("no focused run for this kind")
