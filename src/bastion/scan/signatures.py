"""Recognising what an API should never say: database errors, stack traces, debug pages, internals.

These patterns run on response bodies the scanner reads (bounded to 512 KiB), never on the gateway's
hot path. Each is anchored on a literal so that none can backtrack badly on hostile bytes.
"""

from __future__ import annotations

import re

SQL_ERRORS: dict[str, re.Pattern[str]] = {
    "SQLite": re.compile(
        r"sqlite3?\.\w*Error|SQLITE_ERROR|SQLiteException|unrecognized token: |near \"[^\"\n]{0,40}\": syntax error"
        r"|unterminated (?:string|quoted)|incomplete input"
    ),
    "MySQL": re.compile(
        r"You have an error in your SQL syntax|MySQLSyntaxErrorException|mysql_fetch_|check the manual that "
        r"(?:corresponds|fits) to your (?:MySQL|MariaDB)|com\.mysql\.jdbc|SQLSTATE\[\w+\]"
    ),
    "PostgreSQL": re.compile(
        r"PG::SyntaxError|psycopg2?\.errors|syntax error at or near|unterminated quoted string at or near"
        r"|PSQLException|pg_query\(\)|org\.postgresql"
    ),
    "Microsoft SQL Server": re.compile(
        r"Unclosed quotation mark after the character string|Microsoft OLE DB Provider for SQL Server"
        r"|System\.Data\.SqlClient|SqlException|Incorrect syntax near"
    ),
    "Oracle": re.compile(r"\bORA-\d{5}\b|quoted string not properly terminated|oracle\.jdbc"),
    "SQL": re.compile(r"(?i)\bSQL syntax\b|syntax error in (?:the )?SQL|JDBCException|SQLException|sqlalchemy\.exc"),
}

STACK_TRACES: dict[str, re.Pattern[str]] = {
    "Python traceback": re.compile(r"Traceback \(most recent call last\)|File \"[^\"\n]{1,200}\.py\", line \d+"),
    "Java stack trace": re.compile(
        r"\bat (?:[a-zA-Z_$][\w$]*\.){2,}[\w$<>]+\([\w$]+\.java:\d+\)|Exception in thread \""
    ),
    ".NET stack trace": re.compile(r"\bat System\.[\w.]+\(|--- End of (?:inner exception )?stack trace ---"),
    "PHP error": re.compile(
        r"(?:Fatal error|Warning|Parse error|Notice)</b>?:? .{0,300}? on line <b>?\d+|Stack trace:\s*#0 "
    ),
    "Node.js stack trace": re.compile(r"\bat (?:[\w$.<>]+ )?\(?/[^\s():]{1,200}\.[cm]?js:\d+:\d+\)?"),
    "Ruby backtrace": re.compile(r"\.rb:\d+:in `"),
    "Go panic": re.compile(r"goroutine \d+ \[running\]|panic: runtime error"),
}

DEBUG_PAGES: dict[str, re.Pattern[str]] = {
    "Werkzeug debugger": re.compile(r"Werkzeug Debugger|__debugger__"),
    "Django debug page": re.compile(r"You're seeing this error because you have <code>DEBUG = True</code>"),
    "Spring Whitelabel page": re.compile(r"Whitelabel Error Page"),
    "Laravel/Ignition page": re.compile(r"Ignition|Whoops! There was an error"),
    "ASP.NET yellow screen": re.compile(r"Server Error in '/' Application|ASP\.NET is configured to show verbose"),
    "Rails debug page": re.compile(r"Action Controller: Exception caught"),
    "Starlette debug page": re.compile(r"<title>Starlette Debugger</title>"),
}

INTERNALS: dict[str, re.Pattern[str]] = {
    "server file path": re.compile(
        r"(?:/home/\w+|/usr/(?:local/)?lib/python\d|/var/www/|/srv/\w+|/opt/\w+/"
        r"|[A-Z]:\\\\(?:Users|inetpub|Program Files))"
    ),
    "exception class": re.compile(
        r"\b(?:Key|Type|Value|Attribute|Index|Name|Runtime|Assertion|ZeroDivision|NullPointer|IllegalArgument"
        r"|IllegalState|ClassCast|ArrayIndexOutOfBounds|InvalidOperation|NullReference|Argument)(?:Error|Exception)\b"
    ),
    "SQL text": re.compile(r"(?i)\b(?:SELECT\s+[\w*,\s]{1,80}\s+FROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET)\s+\w+"),
}


def first_match(patterns: dict[str, re.Pattern[str]], text: str) -> tuple[str, str] | None:
    """(name, matched text) of the first pattern found in `text`."""
    for name, pattern in patterns.items():
        match = pattern.search(text)
        if match:
            return name, match.group(0)[:160]
    return None


def sql_error(text: str) -> tuple[str, str] | None:
    return first_match(SQL_ERRORS, text)


def stack_trace(text: str) -> tuple[str, str] | None:
    return first_match(STACK_TRACES, text) or first_match(DEBUG_PAGES, text)
