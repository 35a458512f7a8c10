"""The closed set of check kinds.  A new rule is a TOML file; a new kind is a module here."""

from lint.checks.encoding import Encoding
from lint.checks.exact_duplicate import ExactDuplicate
from lint.checks.near_duplicate import NearDuplicate
from lint.checks.pattern import Pattern
from lint.checks.restatement import Restatement
from lint.checks.repeated_line import RepeatedLine
from lint.checks.file_ending import FileEnding
from lint.checks.heading_body import HeadingBody
from lint.checks.cut_paragraph import CutParagraph
from lint.checks.list_intro import ListIntro
from lint.checks.toc import Toc
from lint.checks.numbering import Numbering
from lint.checks.duplicate_heading import DuplicateHeading
from lint.checks.encoding_artifact import InvisibleCharacter, ReplacementCharacter
from lint.checks.lists import BulletGlyph, IndentedList, ListIndent, SpuriousBullet
from lint.checks.paragraph_break import BrokenParagraph, HyphenatedBreak
from lint.checks.quotes import MixedQuotes
from lint.checks.toc_residue import TocDotLeader, TocPageNumber
from lint.checks.whitespace import BlankLineRun, FinalNewline, LeadingBlankLines, LineEndings, TrailingWhitespace

KINDS = {
    "encoding": Encoding,
    "pattern": Pattern,
    "exact_duplicate": ExactDuplicate,
    "near_duplicate": NearDuplicate,
    "restatement": Restatement,
    "repeated_line": RepeatedLine,
    "file_ending": FileEnding,
    "heading_body": HeadingBody,
    "cut_paragraph": CutParagraph,
    "list_intro": ListIntro,
    "toc": Toc,
    "section_numbering": Numbering,
    "duplicate_heading": DuplicateHeading,
    "replacement_character": ReplacementCharacter,
    "invisible_character": InvisibleCharacter,
    "list_indent": ListIndent,
    "bullet_glyph": BulletGlyph,
    "indented_list": IndentedList,
    "spurious_bullet": SpuriousBullet,
    "broken_paragraph": BrokenParagraph,
    "hyphenated_break": HyphenatedBreak,
    "mixed_quotes": MixedQuotes,
    "toc_dot_leader": TocDotLeader,
    "toc_page_number": TocPageNumber,
    "trailing_whitespace": TrailingWhitespace,
    "blank_line_run": BlankLineRun,
    "leading_blank_lines": LeadingBlankLines,
    "final_newline": FinalNewline,
    "line_endings": LineEndings,
}
