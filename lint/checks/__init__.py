"""The closed set of check kinds.  A new rule is a TOML file; a new kind is a module here."""

from lint.checks.cut_paragraph import CutParagraph
from lint.checks.duplicate_heading import DuplicateHeading
from lint.checks.encoding import Encoding
from lint.checks.encoding_artifact import InvisibleCharacter, ReplacementCharacter
from lint.checks.exact_duplicate import ExactDuplicate
from lint.checks.file_ending import FileEnding
from lint.checks.heading_body import HeadingBody
from lint.checks.list_intro import ListIntro
from lint.checks.lists import BulletGlyph, IndentedList, ListIndent, SpuriousBullet
from lint.checks.near_duplicate import NearDuplicate
from lint.checks.numbering import Numbering
from lint.checks.paragraph_break import BrokenParagraph, HyphenatedBreak
from lint.checks.pattern import Pattern
from lint.checks.quotes import MixedQuotes
from lint.checks.repeated_line import RepeatedLine
from lint.checks.restatement import Restatement
from lint.checks.toc import Toc
from lint.checks.toc_residue import TocDotLeader, TocPageNumber
from lint.checks.whitespace import BlankLineRun, FinalNewline, LeadingBlankLines, LineEndings, TrailingWhitespace

KINDS = {
    "blank_line_run": BlankLineRun,
    "broken_paragraph": BrokenParagraph,
    "bullet_glyph": BulletGlyph,
    "cut_paragraph": CutParagraph,
    "duplicate_heading": DuplicateHeading,
    "encoding": Encoding,
    "exact_duplicate": ExactDuplicate,
    "file_ending": FileEnding,
    "final_newline": FinalNewline,
    "heading_body": HeadingBody,
    "hyphenated_break": HyphenatedBreak,
    "indented_list": IndentedList,
    "invisible_character": InvisibleCharacter,
    "leading_blank_lines": LeadingBlankLines,
    "line_endings": LineEndings,
    "list_indent": ListIndent,
    "list_intro": ListIntro,
    "mixed_quotes": MixedQuotes,
    "near_duplicate": NearDuplicate,
    "pattern": Pattern,
    "repeated_line": RepeatedLine,
    "replacement_character": ReplacementCharacter,
    "restatement": Restatement,
    "section_numbering": Numbering,
    "spurious_bullet": SpuriousBullet,
    "toc": Toc,
    "toc_dot_leader": TocDotLeader,
    "toc_page_number": TocPageNumber,
    "trailing_whitespace": TrailingWhitespace,
}
