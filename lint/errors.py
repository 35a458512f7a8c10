"""The one exception type that reaches the user as a single line and exit code 2."""


class DoclintError(Exception):
    """A problem with the user's input: paths, config, rule files, rule codes."""
