"""The closed set of check kinds.  A new rule is a TOML file; a new kind is a module here."""

from lint.checks.encoding import Encoding
from lint.checks.pattern import Pattern

KINDS = {
    "encoding": Encoding,
    "pattern": Pattern,
}
