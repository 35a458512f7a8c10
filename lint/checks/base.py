"""The two shapes a check kind takes.

A DocumentCheck sees one Document and yields Hits; it runs in worker processes.
A CorpusCheck splits in two: `signature` runs per document in the workers (and is
cached by content hash), `check_corpus` sees every signature at once and pairs them.
Checks receive validated, frozen Params and never see config, severity or output.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, ClassVar

from lint.document import Document
from lint.findings import Hit


class DocumentCheck:
    Params: ClassVar[type]
    corpus: ClassVar[bool] = False

    def check(self, doc: Document, params: Any) -> Iterator[Hit]:
        raise NotImplementedError


class CorpusCheck:
    Params: ClassVar[type]
    corpus: ClassVar[bool] = True

    def signature(self, doc: Document, params: Any) -> Any:
        """Per-document summary (picklable, small): what the corpus pass needs of this file."""
        raise NotImplementedError

    def check_corpus(self, signatures: Iterable[tuple[str, Any]], params: Any) -> Iterator[Hit]:
        """Yield Hits, each with `path` set, from (path, signature) pairs in path order."""
        raise NotImplementedError
