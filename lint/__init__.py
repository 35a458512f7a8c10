"""doclint: a document-quality and deduplication linter for text corpora."""

__version__ = "0.1.0"


def __getattr__(name):
    # The public API is imported lazily so that `import lint` stays cheap for
    # worker processes and for tools that only want the version.
    if name in {"check", "Report", "Finding"}:
        from lint import api

        return getattr(api, name)
    raise AttributeError(name)


__all__ = ["__version__", "check", "Report", "Finding"]
