"""Stack traces and framework debug pages in upstream responses, whatever their status.

A 200 can carry a Django debug page or a Java stack trace as easily as a 500. These signatures are
what frameworks and databases print when they fail; they are searched in the first 64 KiB of text
responses in one multi-pattern scan.
"""

from __future__ import annotations

from bastion.patterns import Hit, Pattern, PatternSet

SIGNATURES = {
    "python": r"Traceback \(most recent call last\):",
    "java": r"Exception in thread \"|\n[ \t]{1,20}at [\w$.]{1,300}\([\w$]{1,100}\.java:\d+\)",
    "dotnet": (
        r"Server Error in '/' Application"
        r"|\n[ \t]{1,20}at [\w.<>`]{1,300}\([^\n]{0,300}\) in [^\n]{1,300}:line \d+"
    ),
    "php": r"(?:Fatal|Parse) error</b>:|PHP (?:Fatal|Parse) error:|Stack trace:\s*\n#0 ",
    "django": r"You're seeing this error because you have <code>DEBUG = True</code>",
    "flask": r"Werkzeug Debugger|werkzeug\.exceptions\.",
    "rails": r"Action Controller: Exception caught|ActionController::RoutingError",
    "node": r"\n[ \t]{1,20}at (?:[\w.<>]{1,200} )?\(?(?:/[\w.-]{1,100}){1,30}\.[cm]?js:\d+:\d+",
    "go": r"goroutine \d+ \[running\]:",
    "sql": (
        r"You have an error in your SQL syntax|SQLSTATE\[|\bORA-\d{5}\b|PG::\w+Error|psycopg2?\.errors\."
        r"|sqlite3\.OperationalError|\bnear \"[^\"\n]{0,100}\": syntax error|unrecognized token: \""
        r"|Unclosed quotation mark after the character string|java\.sql\.SQLException"
    ),
}
PATTERNS = tuple(Pattern(f"debug:{name}", regex) for name, regex in SIGNATURES.items())
_SCANNER = PatternSet(PATTERNS)
SCANNED = 64 * 1024


def debug_signature(body: bytes) -> str | None:
    """The framework or database whose failure output the body carries, if any."""
    return first_signature(_SCANNER.scan(body[:SCANNED]))


def first_signature(hits: list[Hit]) -> str | None:
    """Of a scan's hits, the debug signature seen first within the first SCANNED bytes."""
    found = [hit for hit in hits if hit.id.startswith("debug:") and hit.end <= SCANNED]
    return min(found, key=lambda hit: hit.end).id.removeprefix("debug:") if found else None
