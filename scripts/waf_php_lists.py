"""Regenerate the WAF's PHP word lists from a PHP installation (language facts, not attack samples).

    apt-get install php-cli php-{curl,gd,intl,ldap,mbstring,odbc,pgsql,tidy,xml,zip,...}
    python scripts/waf_php_lists.py

writes src/bastion/guards/waf/data/php-functions.txt (built-in function names a PHP payload calls),
php-functions-common.txt (those as common in other languages, for paranoia level 2) and php-ini.txt
(php.ini directive names, which `ini_set`, `.user.ini` and `-d` injections set).

Function names that are as common outside PHP (C's `printf`, Python's pathlib `is_file()`, MySQL's
`DATE_ADD`, maths and English words such as `round` or `link`) are left out: a call to one of them
says nothing about PHP. They are listed in COMMON below, so the choice is reviewable.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "src/bastion/guards/waf/data"

COMMON = set(
    [
        "abs",
        "acos",
        "acosh",
        "asin",
        "asinh",
        "atan",
        "atan2",
        "atanh",
        "cos",
        "cosh",
        "sin",
        "sinh",
        "tan",
        "tanh",
        "exp",
        "expm1",
        "log",
        "log10",
        "log1p",
        "pow",
        "sqrt",
        "hypot",
        "pi",
        "ceil",
        "floor",
        "round",
        "fmod",
        "intdiv",
        "fdiv",
        "max",
        "min",
        "rand",
        "srand",
        "range",
        "count",
        "sizeof",
        "sort",
        "rsort",
        "usort",
        "shuffle",
        "key",
        "current",
        "next",
        "prev",
        "end",
        "reset",
        "pos",
        "compact",
        "extract",
        "join",
        "chr",
        "ord",
        "pack",
        "unpack",
        "crc32",
        "md5",
        "sha1",
        "hash",
        "crypt",
        "date",
        "time",
        "mktime",
        "gmdate",
        "localtime",
        "microtime",
        "hrtime",
        "getdate",
        "strftime",
        "strptime",
        "gmstrftime",
        "sleep",
        "usleep",
        "mail",
        "link",
        "symlink",
        "readlink",
        "unlink",
        "rename",
        "copy",
        "touch",
        "stat",
        "lstat",
        "chmod",
        "chown",
        "chgrp",
        "chdir",
        "chroot",
        "mkdir",
        "rmdir",
        "umask",
        "dir",
        "glob",
        "file",
        "flock",
        "fnmatch",
        "fopen",
        "fclose",
        "fread",
        "fwrite",
        "fputs",
        "fgets",
        "fgetc",
        "feof",
        "fflush",
        "fseek",
        "ftell",
        "fstat",
        "fsync",
        "fdatasync",
        "ftruncate",
        "rewind",
        "tmpfile",
        "tempnam",
        "opendir",
        "readdir",
        "closedir",
        "rewinddir",
        "scandir",
        "basename",
        "dirname",
        "realpath",
        "getcwd",
        "getenv",
        "putenv",
        "getopt",
        "gethostname",
        "gethostbyaddr",
        "getprotobyname",
        "getprotobynumber",
        "getservbyname",
        "getservbyport",
        "gettimeofday",
        "getrusage",
        "printf",
        "sprintf",
        "fprintf",
        "vprintf",
        "vsprintf",
        "vfprintf",
        "sscanf",
        "fscanf",
        "strlen",
        "strcmp",
        "strncmp",
        "strcasecmp",
        "strncasecmp",
        "strchr",
        "strrchr",
        "strstr",
        "strtok",
        "strspn",
        "strcspn",
        "strpbrk",
        "strcoll",
        "strtolower",
        "strtoupper",
        "trim",
        "ltrim",
        "rtrim",
        "chop",
        "header",
        "define",
        "defined",
        "constant",
        "system",
        "exec",
        "popen",
        "pclose",
        "readline",
        "syslog",
        "openlog",
        "closelog",
        "gettext",
        "ngettext",
        "dgettext",
        "dcgettext",
        "dngettext",
        "dcngettext",
        "textdomain",
        "bindtextdomain",
        "setlocale",
        "localeconv",
        "iconv",
        "serialize",
        "wordwrap",
        "levenshtein",
        "urlencode",
        "urldecode",
        "substr",
        "flush",
        "dl",
        "ftok",
        "is_file",
        "is_dir",
        "is_link",
        "date_add",
        "date_sub",
        "date_format",
    ]
)


def php(code: str) -> list[str]:
    out = subprocess.run(["php", "-r", code], capture_output=True, text=True, check=True).stdout  # noqa: S603, S607
    return sorted({line.strip().lower() for line in out.splitlines() if line.strip()})


def main() -> None:
    every = [
        name for name in php('foreach (get_defined_functions()["internal"] as $f) echo $f, "\\n";') if "\\" not in name
    ]
    functions = [name for name in every if name not in COMMON]
    common = [name for name in every if name in COMMON]
    # `engine` belongs to the Apache module, which the CLI does not load
    directives = sorted({*php('foreach (array_keys(ini_get_all()) as $d) echo $d, "\\n";'), "engine"})

    version = php("echo PHP_VERSION;")[0]
    header = f"# Generated by scripts/waf_php_lists.py from PHP {version}; do not edit by hand.\n"
    (DATA / "php-functions.txt").write_text(header + "\n".join(functions) + "\n", encoding="utf-8")
    (DATA / "php-ini.txt").write_text(header + "\n".join(directives) + "\n", encoding="utf-8")
    (DATA / "php-functions-common.txt").write_text(header + "\n".join(common) + "\n", encoding="utf-8")
    print(f"{len(functions)} functions, {len(directives)} directives")


if __name__ == "__main__":
    main()
