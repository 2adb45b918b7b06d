"""The text checks: what a cell may not hold although its type allows it.

- `control-character`: NUL and the other C0 and C1 control characters, CR included (a tab
  and a line end, LF, are text);
- `invisible-character`: bidirectional embeddings, overrides and isolates (which reorder
  what a reader sees), and invisible format characters (soft hyphen, word joiner, BOM, tag
  characters outside an emoji flag...); zero-width space, joiner and non-joiner and the
  direction marks are allowed right after a character of a script that uses them (Khmer,
  Thai, Lao, Myanmar, Tibetan, the Indic scripts, Arabic, Hebrew; emoji for the joiner);
- `whitespace`: space before or after a date, a number or any typed value (frictionless
  rejects it; spreadsheets read it as text);
- `formula`: a cell a spreadsheet would run (CSV injection): one starting with = + - @ (also
  after spaces or a line end, also in their full-width forms), a tab or a CR;
- `markup`: a cell a browser would act on: an HTML tag, a `javascript:` or `vbscript:` URL
  (also with tabs or line ends inside, which URL parsers drop), an HTML character reference
  (`&#106;`, `&colon;`: how a URL is disguised).

The patterns are Rust regular expressions, run by polars. `may_hold_markup` rules some of them
out from a file's bytes, so that they are not run over every cell of a large file.
"""

from __future__ import annotations

import mmap

CONTROL = r"[\x00-\x08\x0B-\x1F\x7F-\x9F]"
# After a character of these, a zero-width space, joiner or non-joiner, or a direction mark,
# is how the script is written (Hebrew to Sinhala, Thai to Myanmar, Khmer, emoji for ZWJ).
JOINING = (r"\x{0590}-\x{0DFF}\x{0E00}-\x{0FFF}\x{1000}-\x{109F}\x{1780}-\x{17FF}\x{19E0}-\x{19FF}"
           r"\x{A8E0}-\x{A8FF}\x{A9E0}-\x{A9FF}\x{AA60}-\x{AA7F}\x{FB1D}-\x{FDFF}\x{FE70}-\x{FEFC}"
           r"\x{2600}-\x{27BF}\x{FE0F}\x{1F000}-\x{1FAFF}")
INVISIBLE = (
    r"[\x{00AD}\x{180E}\x{202A}-\x{202E}\x{2060}-\x{2064}\x{2066}-\x{206F}\x{FEFF}\x{FFF9}-\x{FFFB}]"
    rf"|(?:^|[^{JOINING}])[\x{{061C}}\x{{200B}}-\x{{200F}}]"
    r"|(?:^|[^\x{1F3F4}\x{E0020}-\x{E007F}])[\x{E0000}-\x{E007F}]"
)
WHITESPACE = r"^\s|\s$"
FORMULA_PATTERN = r"^(?:[\t\r]|\s*[=+\-@\x{FF1D}\x{FF0B}\x{FF0D}\x{FF20}])"
# Three patterns, not one alternation: each keeps the regex engine's fast literal prefilter.
MARKUP_TAG = r"<\s*/?\s*[A-Za-z!]"
URL_GAP = r"[\t\n\r]*"  # URL parsers drop tabs and line ends anywhere in a URL
MARKUP_SCRIPT_URL = (f"(?i)(?:{URL_GAP.join('java')}|{URL_GAP.join('vb')}){URL_GAP}"
                     f"{URL_GAP.join('script')}{URL_GAP}:")
MARKUP_REFERENCE = r"&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|colon;|Tab;|NewLine;)"

MARKUP_LARGE_FILE_BYTES = 1 << 20  # smaller files: the regexes are cheap, no byte scan


def may_hold_markup(data: bytes | mmap.mmap) -> tuple[bool, bool]:
    """Return whether some cell of this file could contain an HTML tag, and a script URL.

    A cell is a stretch of the file's text (unquoting drops quotes only), so a tag, which starts
    with '<', needs a '<' in the file; and a script URL a colon after 'ipt' in ASCII letters of
    either case (the regex engine folds i, p and t to ASCII letters only), or after a tab or line
    end in those three bytes. One memchr and one pass over the colons instead of two regexes over
    every cell. (A character reference is looked for in every cell: its regex starts with '&',
    which the regex engine finds as fast as a scan of the bytes would.)"""
    tag = data.find(b"<") != -1
    if data.find(b":") == -1:
        return tag, False
    if len(data) < MARKUP_LARGE_FILE_BYTES:
        return tag, True
    import numpy as np

    from scamstats.validation.scan import byte_positions

    array = np.frombuffer(data, dtype=np.uint8)
    colons = byte_positions(array, b":")
    colons = colons[colons >= 3]
    lower = 0x20  # ASCII letters: this bit set is the lower case (and tab, LF and CR keep their bit clear)
    for back, letter in ((1, "t"), (2, "p"), (3, "i")):  # the colons left after each byte before them
        before = array[colons - back]
        colons = colons[((before | lower) == ord(letter)) | (before == 9) | (before == 10) | (before == 13)]
    return tag, bool(colons.size)
