"""The closed set of check kinds.  A new rule is a TOML file; a new kind is a module here."""

from lint.checks.encoding import Encoding
from lint.checks.exact_duplicate import ExactDuplicate
from lint.checks.near_duplicate import NearDuplicate
from lint.checks.pattern import Pattern
from lint.checks.restatement import Restatement

KINDS = {
    "encoding": Encoding,
    "pattern": Pattern,
    "exact_duplicate": ExactDuplicate,
    "near_duplicate": NearDuplicate,
    "restatement": Restatement,
}
