"""The code blocks of README.md and docs/*.md, for the tests that run them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tests.servers import ROOT

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)


@dataclass(frozen=True)
class Snippet:
    path: Path
    line: int
    language: str
    text: str

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def snippets(*languages: str) -> list[Snippet]:
    found = []
    for path in DOCS:
        text = path.read_text()
        for match in _FENCE.finditer(text):
            if match.group(1) in languages:
                line = text.count("\n", 0, match.start()) + 2
                found.append(Snippet(path, line, match.group(1), match.group(2)))
    return found


def commands(snippet: Snippet) -> list[tuple[int, str]]:
    """Shell command lines of a block (continuations joined), without trailing comments."""
    lines: list[tuple[int, str]] = []
    pending = ""
    start = 0
    for offset, raw in enumerate(snippet.text.splitlines()):
        line = raw.rstrip()
        if not pending:
            start = snippet.line + offset
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        whole = (pending + line).strip()
        pending = ""
        if whole and not whole.startswith("#"):
            lines.append((start, _strip_comment(whole)))
    return lines


def _strip_comment(line: str) -> str:
    quote = ""
    for index, char in enumerate(line):
        if char in "'\"" and (not quote or quote == char):
            quote = "" if quote else char
        elif char == "#" and not quote and index > 0 and line[index - 1] == " ":
            return line[:index].rstrip()
    return line
