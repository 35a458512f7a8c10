"""The closed set of check kinds.  A new rule is a TOML file; a new kind is a module here."""

from lint.checks.encoding import Encoding
from lint.checks.exact_duplicate import ExactDuplicate
from lint.checks.near_duplicate import NearDuplicate
from lint.checks.pattern import Pattern
from lint.checks.restatement import Restatement
from lint.checks.file_ending import FileEnding
from lint.checks.heading_body import HeadingBody
from lint.checks.cut_paragraph import CutParagraph
from lint.checks.list_intro import ListIntro
from lint.checks.toc import Toc
from lint.checks.numbering import Numbering
from lint.checks.duplicate_heading import DuplicateHeading

KINDS = {
    "encoding": Encoding,
    "pattern": Pattern,
    "exact_duplicate": ExactDuplicate,
    "near_duplicate": NearDuplicate,
    "restatement": Restatement,
    "file_ending": FileEnding,
    "heading_body": HeadingBody,
    "cut_paragraph": CutParagraph,
    "list_intro": ListIntro,
    "toc": Toc,
    "section_numbering": Numbering,
    "duplicate_heading": DuplicateHeading,
}
