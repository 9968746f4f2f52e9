"""Technique checks that confirm a rule's pattern match with code: one file per technique.

A check takes the normalised value, its target and the rule's compiled pattern, and returns
(score, detail); 0 means the pattern matched text that is not, on closer reading, an attack.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from bastion.guards.waf.bodies import json_document
from bastion.guards.waf.checks.cmdi import cmdi, metacharacter_density
from bastion.guards.waf.checks.crlf import (
    log_forging_after_a_name,
    narrowed_line_break,
    sent_line_break,
    split_address,
)
from bastion.guards.waf.checks.forwarded import forwarded_host, forwarding_header_url
from bastion.guards.waf.checks.gzip import gzip_java_object
from bastion.guards.waf.checks.jndi import data_lookup, jndi
from bastion.guards.waf.checks.ldap import ldap_filter
from bastion.guards.waf.checks.marshal import ruby_marshal_gadget
from bastion.guards.waf.checks.nosql import filter_document, filter_operator, search_field
from bastion.guards.waf.checks.paths import encoded_path, hidden_segment, parent_steps
from bastion.guards.waf.checks.php import namespaced_route, php_builtin_call, php_dynamic_call, php_superglobal, php_tag
from bastion.guards.waf.checks.prototype import prototype_path
from bastion.guards.waf.checks.rfi import authority_confusion, rfi
from bastion.guards.waf.checks.sqli import sqli_score
from bastion.guards.waf.checks.ssrf import ssrf, ssrf_host
from bastion.guards.waf.checks.xss import (
    active_iframe,
    dangerous_element,
    html_injection,
    js_sink,
    namespaced_element,
    script_element,
    script_url,
)

Check = Callable[[str, Any, "re.Pattern[str]"], tuple[int, str]]


def sqli(text: str, target: Any, pattern: re.Pattern[str]) -> tuple[int, str]:
    kind = getattr(target, "kind", "")
    if text[:1] in ("{", "[") and kind != "raw" and json_document(text) is not None:
        return 0, ""  # a JSON document in a value: its quotes are JSON's; its keys and values are read one by one
    found = sqli_score(text)
    if found[0] < 5 and kind in _BRACKETED_NAMES and "[" in text:
        # `filter[price) or 1=1--]`: query-string parsers (qs, PHP, Rails) make each bracketed part
        # a key of its own, which a query builder then pastes as a column or an operator
        for part in _BRACKETED_PART.findall(text)[:_MOST_PARTS]:
            score = sqli_score(part)
            if score[0] > found[0]:
                found = score
    return found


_BRACKETED_NAMES = frozenset({"query_key", "form_key"})
_BRACKETED_PART = re.compile(r"\[([^\[\]]{1,256})\]")
_MOST_PARTS = 16


CHECKS: dict[str, Check] = {
    "sqli": sqli,
    "ssrf": ssrf,
    "ssrf_host": ssrf_host,
    "forwarded_host": forwarded_host,
    "forwarding_header_url": forwarding_header_url,
    "jndi": jndi,
    "gzip_java_object": gzip_java_object,
    "ruby_marshal_gadget": ruby_marshal_gadget,
    "data_lookup": data_lookup,
    "ldap_filter": ldap_filter,
    "filter_operator": filter_operator,
    "filter_document": filter_document,
    "search_field": search_field,
    "cmdi": cmdi,
    "metacharacter_density": metacharacter_density,
    "rfi": rfi,
    "authority_confusion": authority_confusion,
    "encoded_path": encoded_path,
    "hidden_segment": hidden_segment,
    "parent_steps": parent_steps,
    "php_dynamic_call": php_dynamic_call,
    "php_tag": php_tag,
    "php_superglobal": php_superglobal,
    "php_builtin_call": php_builtin_call,
    "namespaced_route": namespaced_route,
    "prototype_path": prototype_path,
    "html_injection": html_injection,
    "dangerous_element": dangerous_element,
    "script_element": script_element,
    "script_url": script_url,
    "js_sink": js_sink,
    "namespaced_element": namespaced_element,
    "active_iframe": active_iframe,
    "narrowed_line_break": narrowed_line_break,
    "log_forging_after_a_name": log_forging_after_a_name,
    "sent_line_break": sent_line_break,
    "split_address": split_address,
}
