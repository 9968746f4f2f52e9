"""The string arguments of a GraphQL document that reaches the WAF as a plain value.

When a route is not configured as GraphQL, `{"query": "{ users(filter: \\"name = 'a' OR 1=1 --\\")
{ id } }"}` is one string to the WAF: its quotes are GraphQL's, so the SQL reading sees `'a' OR 1=1`
inside a double-quoted literal and reads no break-out, and an escaped `\\r\\n` in an argument is two
characters, not a line break. The server decodes each string argument and passes it on, so each is
read as a value of its own, decoded as GraphQL decodes it (its escapes are JSON's). Without
graphql-core: the document is not parsed, only its string literals are found, in one pass.
"""

from __future__ import annotations

import re

import orjson

# A document that opens like GraphQL: an operation keyword, or a selection set whose first field
# is a name (`{ users(` or an alias `{ a: users`); a JSON object's first key is a quoted string.
_DOCUMENT = re.compile(r"\s*(?:(?:query|mutation|subscription)\b[^{\"]{0,200})?\{\s*[_A-Za-z]\w{0,100}\s*[({:]")
# Block strings first (`"""..."""`, no escapes but `\"""`), then ordinary strings with their escapes.
_STRING = re.compile(r'"""((?:[^"\\]|\\"""|\\|"(?!""))*?)"""|"((?:[^"\\\r\n]|\\.){0,65536})"')
MOST_STRINGS = 256  # a value's string arguments read at most; a document rarely has dozens


def graphql_document(text: str) -> bool:
    return '"' in text and _DOCUMENT.match(text) is not None


def string_arguments(text: str) -> list[str]:
    """The decoded string literals of a GraphQL document, in order, at most MOST_STRINGS."""
    found: list[str] = []
    for literal in _STRING.finditer(text):
        block, quoted = literal.groups()
        if block is not None:
            found.append(block.replace('\\"""', '"""'))
        elif "\\" in quoted:
            try:
                found.append(orjson.loads(f'"{quoted}"'))
            except orjson.JSONDecodeError:
                found.append(quoted)  # an escape JSON has not (`\u{1F600}`): read as written
        else:
            found.append(quoted)
        if len(found) >= MOST_STRINGS:
            break
    return found
