"""What sends a request past the glance (glance.py): characters and substrings after which a value's
normalised text or one of its views could differ from its raw characters, scanned for in the same
Hyperscan pass as the rules. Each is a superset: a marker that fires where nothing would differ
only costs the full path.

`decode`: percent-encoding, a `+` next to a letter or a sign, backslash escapes, control
characters, HTML entities, SQL comments (`/*`), doubled slashes that are not a scheme's (`//` after
anything but `:`), dot segments (`/.`), hex literals (`0x`), wildcard pairs (`??`, `*?`), a number
with an empty exponent before `(`, `)` or `,` (`1.e(`, which MySQL reads as nothing: the SQL view
drops it), an RFC 2047 encoded word (`=?UTF-8?Q?`). `hash` with `dollar_or_paren`: the PHP view, with
comments removed, could differ. `glue`: a word glued from quoted or escaped pieces (the shell view).
"""

from __future__ import annotations

GLANCE_MARKERS: tuple[tuple[str, str], ...] = (
    ("decode", r"[%\\\x01-\x08\x0b\x0c\x0e-\x1f]"),
    # a `+` the SQL view reads as a space (views.sql_view: next to anything but a digit, a space
    # or another `+`), or UTF-7's `+A...`; a value's edge (NUL, a JSON quote) is neither
    ("decode", r"[^\d\s+\x00\"]\+|\+[^\d\s+\x00\"]"),
    ("decode", r"&[#a-z]"),
    ("decode", r"/\*"),
    ("decode", r"(?:^|[^:])//"),
    ("decode", r"/\."),
    ("decode", r"0x"),
    ("decode", r"[?*][?*]"),
    ("decode", r"\d\.[eE][(),]"),
    ("decode", r"=\?[A-Za-z0-9_.:*-]{1,60}\?[BbQq]\?"),  # an RFC 2047 encoded word
    ("hash", r"#"),
    ("dollar_or_paren", r"[$(]"),
    ("glue", r"""[a-z0-9/](?:\\|''|""|``|['"$`^])[a-z0-9/@*{(`]"""),
)
