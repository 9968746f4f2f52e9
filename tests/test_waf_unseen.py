"""The WAF on its own unseen sets, with per-category floors.

tests/data/waf_unseen.jsonl was written by make_waf_unseen.py from attack techniques, not from any
corpus. tests/data/waf_unseen_second.jsonl (make_waf_unseen_second.py) was written by a helper who
saw neither the rules nor any corpus, its benign side weighted towards what WAFs wrongly block;
tests/data/waf_unseen_third.jsonl (make_waf_unseen_third.py) the same way, a day later, and
tests/data/waf_unseen_fourth.jsonl (make_waf_unseen_fourth.py) the same way, that evening, and
tests/data/waf_unseen_fifth.jsonl (make_waf_unseen_fifth.py) the same way on 2026-12-05, and
tests/data/waf_unseen_sixth.jsonl (make_waf_unseen_sixth.py) the same way on 2026-12-06, and
tests/data/waf_unseen_seventh.jsonl (make_waf_unseen_seventh.py) the same way on 2026-12-07, and
tests/data/waf_unseen_eighth.jsonl (make_waf_unseen_eighth.py) the same way that afternoon, and
tests/data/waf_unseen_ninth.jsonl (make_waf_unseen_ninth.py) the same way an hour later, and
tests/data/waf_unseen_tenth.jsonl (make_waf_unseen_tenth.py) the same way that evening.
Issue 17's target for such a set is >= 95 % of attacks blocked at <= 2 % false positives, every
category >= 90 %. The floors below are what the WAF reached when each set was last scored (see
docs/waf.md), so a change that loses detection or adds false positives fails here; the second set's
false positives are above the target, and its ceiling says by how much.
"""

from __future__ import annotations

import collections
import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bench.waf_eval import request_of

from bastion.config.waf import WAFConfig
from bastion.core.context import Context
from bastion.guards.waf import WAFGuard

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class UnseenSet:
    overall_floor: float
    false_positive_ceiling: float
    # categories still below the 90 % target, with the floor they hold (the target is not met there)
    below_target: dict[str, float] = field(default_factory=dict)


CATEGORY_FLOOR = 90.0
SETS = {
    # reached 99.85 % (667/668) at 0.00 % (0/1210), then 100 % (668/668) once a URL to a remote
    # script was refused in a path segment (rfi-script-url-as-name, 2026-12-04)
    "waf_unseen.jsonl": UnseenSet(overall_floor=100.0, false_positive_ceiling=0.25),
    # first scored at 98.09 % (513/523) at 6.54 % (34/520); after the fixes it prompted, 99.43 %
    # (520/523) at 4.23 % (22/520): the false positives left are code snippets that call what
    # attacks call, URLs to internal hosts, a YouTube iframe and an inline SVG (docs/waf.md);
    # 21/520 (4.04 %) once `import os` on a line of its own stopped counting (2026-12-05), 20/520
    # (3.85 %) once an iframe embedding an https page stopped counting; 18/520 (3.46 %) after a third
    # reading of false positives (2026-12-06); 15/520 (2.88 %) after the seventh set's fixes
    # (2026-12-07: escaped markup in rich text, `cat /etc/hosts`, an empty SVG data URL)
    # 14/520 (2.69 %) once a whole SQL script was weak evidence
    # 522/523 at 13/520 on 2026-12-07 (night), after the thirteenth set's session (documents, NULs, Markdown)
    # 522/523 at 12/520 on 2026-12-08, after NoSQL operands, PHP snippets and the fifteenth set's readings
    "waf_unseen_second.jsonl": UnseenSet(overall_floor=99.8, false_positive_ceiling=2.31),
    # written blind on 2026-12-04 (make_waf_unseen_third.py) and scored before any change: 96.43 %
    # (648/672) at 2.97 % (38/1280); after the fixes it prompted, 98.07 % (659/672) at 2.97 %, every
    # category >= 90 %, then 98.96 % (665/672); 16 of the false positives are YouTube iframes in
    # rich text (docs/waf.md); 36/1280 (2.81 %) once indented lines read as folding, not headers;
    # 20/1280 (1.56 %) once an iframe embedding an https page stopped counting (2026-12-05);
    # 99.11 % (666/672) at 1.48 % (19/1280) after the sixth set's fixes (2026-12-06)
    # 16/1280 (1.25 %) once a whole SQL script was weak evidence
    # 666/672 at 12/1280 on 2026-12-07 (night), after the thirteenth set's session (documents, NULs, Markdown)
    # 667/672 at 9/1280 on 2026-12-08, after NoSQL operands, PHP snippets and the fifteenth set's readings
    "waf_unseen_third.jsonl": UnseenSet(overall_floor=99.25, false_positive_ceiling=0.71),
    # written blind on 2026-12-04 (make_waf_unseen_fourth.py) and scored before any change: 97.21 %
    # (628/646) at 5.95 % (63/1058); after the fixes it prompted, 98.30 % (635/646), FP unchanged:
    # code snippets and markdown that call what attacks call, and base64 XML with a <body> element;
    # 2026-12-05, from its false positives: 3.59 % (38/1058) once elements inert without an attribute
    # (body, select, template) needed one, local URLs in prose weighed 2, and `import os` on a line
    # of its own stopped counting; no attack lost on any set (so this set is no longer blind). Then
    # from its RFI misses: 98.92 % (639/646), RFI 100 %, every category >= 94 %: include-like names
    # in camelCase and in headers, a scheme split by a tab, a UNC host that is an IP address; 99.38 %
    # (642/646) once container secrets and user keys as a whole path, `__import__` named alone and a
    # name followed by DN components were read; 34/1058 (3.21 %) once https iframe embeds did not count;
    # 30/1058 (2.84 %) once a WHERE after a break-out needed a condition and `update ... set c = ?`
    # read as a prepared statement (2026-12-05, later); 26/1058 (2.46 %) after a third reading of
    # its false positives (2026-12-06); 99.54 % (643/646) after the sixth set's fixes; 99.85 %
    # (645/646) at 2.27 % (24/1058) after the seventh set's (2026-12-07)
    # 21/1058 (1.98 %) once a whole SQL script was weak evidence
    # 645/646 at 18/1058 on 2026-12-08, after NoSQL operands, PHP snippets and the fifteenth set's readings
    # 645/646 at 14/1058 on 2026-12-08 (later), after the seventeenth set's session
    "waf_unseen_fourth.jsonl": UnseenSet(overall_floor=99.84, false_positive_ceiling=1.33),
    # written blind on 2026-12-05 (make_waf_unseen_fifth.py, seed 505050) and scored before any
    # change: 96.07 % (685/713) at 3.29 % (35/1064), every category >= 90 %; the session's base
    # (e127e35) scored 95.79 % at 3.57 % on it. Then 28/1064 (2.63 %) once https iframe embeds in
    # rich text did not count; 19/1064 (1.79 %) after reading its false positives again (2026-12-05,
    # later): a WHERE after a break-out needs a condition (quoted speech), backticks quote names not
    # literals (Markdown code), a stack-trace frame is not the `at` scheduler; no attack lost anywhere;
    # 96.35 % (687/713) after the sixth set's fixes (2026-12-06); 97.19 % (693/713) at 1.69 %
    # (18/1064) after the seventh set's (2026-12-07); 97.62 % (696/713) after the eighth set's
    # 15/1064 (1.41 %) once a whole SQL script was weak evidence
    # 697/713 (97.76 %) once a whole page address in a Referer, alone, was read like any header
    # 702/713 at 14/1064 on 2026-12-07 (night), after the thirteenth set's session (documents, NULs, Markdown)
    # 704/713 at 11/1064 on 2026-12-08, after NoSQL operands, PHP snippets and the fifteenth set's readings
    # 705/713 at 5/1064 on 2026-12-08 (later), after the seventeenth set's session
    "waf_unseen_fifth.jsonl": UnseenSet(overall_floor=98.87, false_positive_ceiling=0.47),
    # written blind on 2026-12-06 (make_waf_unseen_sixth.py, seed 606060) and scored before any
    # change: 97.81 % (626/640) at 5.43 % (61/1124), every category >= 90 % (SSRF 90 %); after the
    # fixes it prompted, 99.53 % (637/640) at 4.80 % (54/1124): what is left is code in code
    # fields, script-capable elements in rich text and local URLs in link fields (docs/waf.md);
    # 51/1124 (4.54 %) after the seventh set's fixes (2026-12-07); 52/1124 (4.63 %) once CDATA
    # sections were read like text nodes (rich text in one: `<noscript><img ...>`, as in a JSON field);
    # 47/1124 (4.18 %) once CSS rules, https embeds and forms posting to this site ran nothing
    # 639/640 (99.84 %) once a whole page address in a Referer, alone, was read like any header
    # 639/640 at 45/1124 on 2026-12-07 (night), after the thirteenth set's session (documents, NULs, Markdown)
    # 639/640 at 44/1124 on 2026-12-08, after NoSQL operands, PHP snippets and the fifteenth set's readings
    # 639/640 at 38/1124 on 2026-12-08 (later), after the seventeenth set's session
    "waf_unseen_sixth.jsonl": UnseenSet(overall_floor=99.84, false_positive_ceiling=3.39),
    # written blind on 2026-12-07 (make_waf_unseen_seventh.py, seed 707070) and scored before any
    # change: 97.30 % (685/704) at 7.05 % (79/1120), CRLF 86.4 % (log forging in JSON and form
    # fields); after the fixes it prompted, 99.29 % (699/704) at 5.98 % (67/1120): what is left is
    # code in code fields and Markdown, local URLs in link fields and Strapi-style `[$eq]` filters
    # 62/1120 (5.54 %) once a whole SQL script was weak evidence
    # 701/704 at 56/1120 on 2026-12-07 (night), after the thirteenth set's session (documents, NULs, Markdown)
    # 701/704 at 52/1120 on 2026-12-08, after NoSQL operands, PHP snippets and the fifteenth set's readings
    # 701/704 at 48/1120 on 2026-12-08 (later), after the seventeenth set's session
    # 701/704 at 47/1120 on 2026-12-08 (later), after the eighteenth set's session
    "waf_unseen_seventh.jsonl": UnseenSet(overall_floor=99.57, false_positive_ceiling=4.2),
    # written blind on 2026-12-07, afternoon (make_waf_unseen_eighth.py, seed 808080), weighted
    # towards the categories the held-out corpus misses most and benign traffic of new kinds (API
    # filter grammars, stored templates, logs and stack traces, commerce text); scored before any
    # change: 95.69 % (689/720) at 3.83 % (46/1200), mail-header injection 84.4 %; after the fixes
    # it prompted (sendmail options and Exim's ${run{, MIME fields before a body, recipient fields of
    # RFC 8098, JDBC URLs that run code, .htaccess handlers, a sort column's direction before a
    # stacked statement; exception names, ERB blocks that print a variable, `; select` without a
    # select list no longer count): 97.64 % (703/720) at 3.25 % (39/1200), every category >= 91 %;
    # 98.61 % (710/720) once a bracketed segment of a name, a line break in a JSON key, a path before
    # a body, `exec "/bin/sh"`, Consul's names and encoded-words in an address were read; 36/1200
    # (3.00 %) once a string literal after UNION and an empty field after a line break did not count;
    # 98.75 % (711/720) once CDATA sections were read; 98.47 % (709/720) once a line break in a JSON
    # key counted no more (keys of a map can be free text: tests/test_waf_variants.py); 35/1200
    # (2.92 %) once `{% set %}` counted only with an engine internal or a command in it
    # 33/1200 (2.75 %) once frames of java.base, Smarty's date and OAuth's loopback redirect_uri passed
    # 30/1200 (2.50 %) once a whole SQL script (a statement keyword first, `;` last) was weak evidence
    # 98.61 % (710/720) with the rules the eleventh set prompted
    # 711/720 (98.75 %) once a whole page address in a Referer, alone, was read like any header
    # 713/720 at 26/1200 on 2026-12-07 (night), after the thirteenth set's session (documents, NULs, Markdown)
    # 713/720 at 26/1200 on 2026-12-08, after NoSQL operands, PHP snippets and the fifteenth set's readings
    # 714/720 at 26/1200 on 2026-12-08 (later), after the seventeenth set's session
    "waf_unseen_eighth.jsonl": UnseenSet(overall_floor=99.16, false_positive_ceiling=2.17),
    # written blind on 2026-12-07, afternoon (make_waf_unseen_ninth.py, seed 909090), as an external
    # payload collection replayed in the query, a JSON body, a header and the path; scored before any
    # change: 97.81 % (626/640) at 3.71 % (39/1050), CRLF 87.5 %; after the fixes it prompted
    # (blanks before an injected line break, narrowing characters before mail fields and log lines,
    # MIME fields after other fields; `'Or'` as a quoted word): 98.59 % (631/640) at 3.52 % (37/1050);
    # 34/1050 (3.24 %) once whole LDAP filters without a constant item were a directory search's;
    # 32/1050 (3.05 %) once `{% set %}` counted only with an engine internal or a command in it
    # 28/1050 (2.67 %) once a whole SQL script was weak evidence
    # 635/640 at 27/1050 on 2026-12-07 (night), after the thirteenth set's session (documents, NULs, Markdown)
    # 635/640 at 26/1050 on 2026-12-08, after NoSQL operands, PHP snippets and the fifteenth set's readings
    # 635/640 at 25/1050 on 2026-12-08 (later), after the seventeenth set's session
    "waf_unseen_ninth.jsonl": UnseenSet(overall_floor=99.21, false_positive_ceiling=2.39),
    # written blind on 2026-12-07, evening (make_waf_unseen_tenth.py, seed 101010), with Java
    # injection as a category of its own and GraphQL among the benign kinds; scored before any change
    # (the whole-LDAP-filter and `{% set %}` changes were in): 97.36 % (701/720) at 2.38 % (25/1050),
    # RFI 86.7 %; after the fixes it prompted (classes named by a JSON document and BCEL names,
    # Groovy's String.execute(), a script URL at the end of a path, `&` after a script URL's query,
    # escaped LDAP parentheses, a URL inside another URL's query, an access-log line after a line
    # break, ANSI-C strings run from a variable, XAMPP's configuration, an application's credential
    # files opened by code, U+2215/U+2216 as slashes): 99.58 % (717/720) at 2.38 % (25/1050); 13/1050
    # (1.24 %) once stack frames of java.base, Smarty's `$smarty.now` and an OAuth redirect_uri to a
    # loopback sign-in page (RFC 8252) passed
    # 99.72 % (718/720) once PostgreSQL's containment operators compared like `=`
    # 719/720 (99.86 %) once a whole page address in a Referer, alone, was read like any header
    # 720/720 at 10/1050 on 2026-12-07 (night), after the thirteenth set's session (documents, NULs, Markdown)
    # 720/720 at 6/1050 on 2026-12-08, after NoSQL operands, PHP snippets and the fifteenth set's readings
    "waf_unseen_tenth.jsonl": UnseenSet(overall_floor=100, false_positive_ceiling=0.58),
    # written blind on 2026-12-07, night (make_waf_unseen_eleventh.py, seed 111111), 50 attacks in each
    # of 16 categories, deep JSON and key placements, 15 benign kinds (LDAP-like directory values,
    # logs, templates, email among them); scored before any change (the SQL-script and containment
    # changes were in): 98.62 % (789/800) at 6.00 % (66/1100), mail-header injection 92 %; after the
    # fixes it prompted (SMTP envelope commands, a Content-Transfer-Encoding field after a line, line
    # breaks in cookies, the filter characters in LDAP escapes, Groovy's Eval and Process.text, a
    # nested call in a PHP file name, a string-concatenation break-out with a call, a template by URL,
    # a database's account tables; standard public DTDs and Twig filters pass): 99.75 % (798/800) at
    # 5.73 % (63/1100). What is left is mostly whole values that look like what they are: a `server`
    # field holding an ldaps:// URL (12 rows), local and private URLs in link fields, code in code fields
    # 62/1100 (5.64 %) once a system file had to be named whole (`/etc/hosts-notes.txt` is not `/etc/hosts`);
    # 51/1100 (4.64 %) once an LDAP URL naming a server, as a whole value, was a setting
    # 799/800 (99.88 %) once a whole page address in a Referer, alone, was read like any header
    # 800/800 at 46/1100 on 2026-12-07 (night), after the thirteenth set's session (documents, NULs, Markdown)
    # 800/800 at 42/1100 on 2026-12-08, after NoSQL operands, PHP snippets and the fifteenth set's readings
    # 800/800 at 41/1100 on 2026-12-08 (later), after the seventeenth set's session
    # 800/800 at 39/1100 on 2026-12-08 (later), after the eighteenth set's session
    "waf_unseen_eleventh.jsonl": UnseenSet(overall_floor=100, false_positive_ceiling=3.55),
    # written blind on 2026-12-07, late night (make_waf_unseen_twelfth.py, seed 121212), 50 attacks in
    # each of 16 categories, 15 benign kinds (configuration snippets among them); scored before any
    # change: 96.38 % (771/800) at 5.91 % (65/1100), mail-header injection 86 %; after the fixes it
    # prompted (a JSON document in a JSON string read key by key at a glance too, line comments ending
    # at their line in the SQL view, protocol commands after a line break, SMTP's end of data, a
    # request line ended in a value, %COMSPEC%, YAML's spelled-out tags, exec of joined characters,
    # Elixir's System.cmd, PHP's XOR callees, Drupal's render-array callbacks, ThinkPHP's namespaced
    # routes, Cypher break-outs, system.ini, GraphQL string arguments; configuration files and
    # colon-less `javascript-...` paths pass): 98.75 % (790/800) at 4.91 % (54/1100)
    # 792/800 at 48/1100 on 2026-12-07 (night), after the thirteenth set's session (documents, NULs, Markdown)
    # 796/800 at 46/1100 on 2026-12-08, after NoSQL operands, PHP snippets and the fifteenth set's readings
    # 796/800 at 43/1100 on 2026-12-08 (later), after the seventeenth set's session
    "waf_unseen_twelfth.jsonl": UnseenSet(overall_floor=99.5, false_positive_ceiling=3.91),
    # written blind on 2026-12-07, night (make_waf_unseen_thirteenth.py, seed 131313), 50 attacks in
    # each of 16 categories, 15 benign kinds (i18n text, spreadsheets, chat among them); scored before
    # any change: 97.12 % (777/800) at 3.18 % (35/1100), CRLF and RFI 90 %; after the fixes it
    # prompted (terminal escapes, Django's admin log, Twig's file_excerpt, Smarty {if} calls, Commons
    # Text lookups, a shell and -c as template arguments, Perl's eval pack, Cypher RETURN..UNION, a
    # sub-select as a VALUES item, a sleep substitution, a metadata host in a path, include cookies,
    # forged log lines after two words, a domain as a URL's user name; Markdown tables, fences, links
    # and inline SQL pass): 99.50 % (796/800) at 2.45 % (27/1100)
    # 796/800 at 23/1100 on 2026-12-08, after NoSQL operands, PHP snippets and the fifteenth set's readings
    # 796/800 at 22/1100 on 2026-12-08 (later), after the seventeenth set's session
    "waf_unseen_thirteenth.jsonl": UnseenSet(overall_floor=99.5, false_positive_ceiling=2),
    # written blind on 2026-12-07, night (make_waf_unseen_fourteenth.py, seed 141414), 50 attacks in
    # each of 16 categories, 15 benign kinds (health, legal, science, devops, code review among them);
    # scored before any change: 96.38 % (771/800) at 2.73 % (30/1100), mail-header injection 82 %,
    # NoSQL 84 %; after the fixes it prompted (gzip'd Java objects, R's pipe(), search queries over
    # credential fields, Redis Lua, CouchDB's _admin, split addresses, Commons Text decoders, one step
    # to an app's configuration, nginx's alias traversal, a sub-select as a call's argument, U+02BC;
    # medium.com/@user is a path): 99.25 % (794/800) at 2.27 % (25/1100)
    # 795/800 at 9/1100 on 2026-12-08, after NoSQL operands, PHP snippets and the fifteenth set's readings
    "waf_unseen_fourteenth.jsonl": UnseenSet(overall_floor=99.37, false_positive_ceiling=0.82),
    # written blind on 2026-12-08 (make_waf_unseen_fifteenth.py, seed 151515), 50 attacks in each of 16
    # categories, 15 benign kinds (finance, education, travel, social posts, analytics events, code
    # snippets among them); scored before any change: 98.75 % (790/800) at 3.55 % (39/1100), every
    # category >= 96 %; after the fixes it prompted (a file name split by a line break, callees decoded
    # from a literal, by-name calls with a joined name, a loopback address and port as a path segment,
    # ImageMagick delegates, Cypher OR true RETURN, fastjson descriptors, gzip'd Java objects
    # percent-encoded; a 0 in a non-host header, `$comment`, HTML relative links pass): 99.88 % (799/800)
    # at 3.18 % (35/1100)
    # 799/800 at 33/1100 on 2026-12-08 (later), after the seventeenth set's session
    # 799/800 at 30/1100 on 2026-12-08 (later), after the eighteenth set's session
    "waf_unseen_fifteenth.jsonl": UnseenSet(overall_floor=99.87, false_positive_ceiling=2.73),
    # written blind on 2026-12-08 (make_waf_unseen_sixteenth.py, seed 161616), 50 attacks in each of 16
    # categories, 15 benign kinds (gaming, real estate, recipes, HR, IoT telemetry, code review among
    # them); scored before any change: 98.88 % (791/800) at 3.64 % (40/1100), every category >= 94 %;
    # after the fixes it prompted (broken gzip trailers, data: URIs encoded letter by letter, two
    # metadata names, .NET reflection, XAML, BinaryFormatter ViewStates; CIDR networks and an XML
    # document's own .xsl pass): 99.88 % (799/800) at 2.64 % (29/1100)
    # 800/800 at 25/1100 on 2026-12-08 (later), after the seventeenth set's session
    # 800/800 at 24/1100 on 2026-12-08 (later), after the eighteenth set's session
    "waf_unseen_sixteenth.jsonl": UnseenSet(overall_floor=100, false_positive_ceiling=2.19),
    # written blind on 2026-12-08 (make_waf_unseen_seventeenth.py, seed 171717), 50 attacks in each of 16
    # categories, 15 benign kinds (travel, education, finance, media, chat, code review among them);
    # scored before any change of its own (that day's readings of documents as data were in): 97.88 %
    # (783/800) at 4.64 % (51/1100), NoSQL 88 %; 5.09 % (56/1100) on the tree the day started from.
    # After the fixes it prompted (a scheme in a plumbing header, a command after prose, out-of-band
    # names, graph and document query languages, PATH_INFO includes, ${base64:}, DN wildcards, Perl's
    # pipe open, Ruby Marshal gadgets, response splitting at a value's end; repository files,
    # Runtime's own questions, form-posted SVG icons, Log4j paths pass): 99.75 % (798/800) at 3.45 % (38/1100)
    # 798/800 at 36/1100 on 2026-12-08 (later), after the eighteenth set's session
    "waf_unseen_seventeenth.jsonl": UnseenSet(overall_floor=99.75, false_positive_ceiling=3.28),
    # written blind on 2026-12-08 (make_waf_unseen_eighteenth.py, seed 181818), 50 attacks in each of 16
    # categories, 15 benign kinds (logistics, insurance, dating, news, developer tools among them);
    # scored before any change of its own (the seventeenth set's readings and the bare-script syntax
    # reading were in): 98.25 % (786/800) at 5.64 % (62/1100); 98.00 % at 6.09 % (67/1100) on the tree
    # the day started from. After the fixes it prompted (Ruby sends of built names, charAt in $where,
    # Lucene wildcards over credentials, CQL, splitlines() separators, List-* fields, split schemes,
    # backslash authorities, RMI addresses, Jolokia URLs; $all, $ne of a flag, `<script"`, ${jndi:...},
    # nginx blocks and prepared statements pass): 99.50 % (796/800) at 4.00 % (44/1100).
    # Two of the four misses left are no attacks: `h<TAB>tp://` (`htp:`) and `127.0.0.1<TAB>id`.
    # 796/800 at 31/1100 once globs, base64 connection strings and the last readings of the day passed
    "waf_unseen_eighteenth.jsonl": UnseenSet(overall_floor=99.5, false_positive_ceiling=2.82),
}
ROWS = {
    name: [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").split("\n") if line.strip()]
    for name in SETS
}
CATEGORIES = sorted(
    {(name, row["category"]) for name, rows in ROWS.items() for row in rows if row["label"] == "attack"}
)
Outcome = dict[str, dict[tuple[str, str], list[int]]]


@pytest.fixture(scope="module")
def outcome() -> Outcome:
    guard = WAFGuard(WAFConfig())
    result: Outcome = {}
    for name, rows in ROWS.items():
        counts: dict[tuple[str, str], list[int]] = collections.defaultdict(lambda: [0, 0])
        for row in rows:
            verdict = guard.check(request_of(row), Context("waf-unseen-0001"))
            counts[(row["label"], row["category"])][0] += int(verdict is not None and verdict.status == 403)
            counts[(row["label"], row["category"])][1] += 1
        result[name] = counts
    return result


def test_the_set_covers_what_the_issue_asks() -> None:
    rows = ROWS["waf_unseen.jsonl"]
    attacks = [row for row in rows if row["label"] == "attack"]
    benign = [row for row in rows if row["label"] == "benign"]
    assert len(attacks) >= 500
    assert len(benign) >= 1000
    categories = {row["category"] for row in attacks}
    assert {
        "code_injection",
        "php_injection",
        "sqli",
        "rfi",
        "ssrf",
        "cmdi",
        "crlf",
        "ssti",
        "mail_header",
        "ldapi",
        "rce",
        "xss",
        "path_traversal",
        "nosqli",
        "xxe",
        "log4shell",
    } <= categories
    placements = {row["placement"] for row in attacks}
    assert {"query", "path", "json", "json_key", "form", "multipart", "header", "cookie", "host"} <= placements


@pytest.mark.parametrize("name", sorted(SETS))
def test_attacks_blocked_overall(outcome: Outcome, name: str) -> None:
    counts = outcome[name]
    blocked = sum(b for (label, _), (b, _n) in counts.items() if label == "attack")
    total = sum(n for (label, _), (_b, n) in counts.items() if label == "attack")
    assert 100 * blocked / total >= SETS[name].overall_floor


@pytest.mark.parametrize("name", sorted(SETS))
def test_false_positives(outcome: Outcome, name: str) -> None:
    counts = outcome[name]
    blocked = sum(b for (label, _), (b, _n) in counts.items() if label == "benign")
    total = sum(n for (label, _), (_b, n) in counts.items() if label == "benign")
    assert 100 * blocked / total <= SETS[name].false_positive_ceiling


@pytest.mark.parametrize(("name", "category"), CATEGORIES)
def test_every_category(outcome: Outcome, name: str, category: str) -> None:
    blocked, total = outcome[name][("attack", category)]
    assert 100 * blocked / total >= SETS[name].below_target.get(category, CATEGORY_FLOOR)
