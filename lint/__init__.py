"""doclint: a document-quality and deduplication linter for text corpora."""

__version__ = "0.1.0"

from lint import compiled as _compiled  # noqa: E402  (the version stays first for the build to read)

_compiled.install()  # the hot modules compiled by the build, where they match their sources


def __getattr__(name):
    # The public API is imported lazily so that `import lint` stays cheap for
    # worker processes and for tools that only want the version.
    if name in {"check", "Report", "Finding"}:
        from lint import api

        return getattr(api, name)
    raise AttributeError(name)


__all__ = ["__version__", "check", "Report", "Finding"]
