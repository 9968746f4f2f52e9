"""Injection: LDAP search filters built from input.

Evidence: a wildcard widens the answer; a value that closes the filter and adds an always-true clause
(`*)(|(objectClass=*)(cn=N)`) answers like the wildcard, while the same with an always-false clause answers like a
value that matches nothing (the injected clause is evaluated); an unbalanced parenthesis produces an
LDAP filter error. Reported with two of these.
"""

from __future__ import annotations

import re

from bastion.scan.compare import differs, similar
from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Severity
from bastion.scan.points import all_points
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter
from bastion.scan.target import Exchange
from bastion.scan.values import unique_text

INFO = CheckInfo(
    id="injection.ldap",
    title="LDAP injection",
    severity=Severity.HIGH,
    cwe=90,
    owasp="API8",
    remediation="Escape input with RFC 4515 filter escaping (\\2a for *, \\28 and \\29 for parentheses) or use "
    "the directory library's filter builder; validate identifiers against a strict pattern.",
    bastion="waf:\n  mode: enforce      # ldap injection rules",
)
LDAP_ERROR = re.compile(
    r"(?i)bad search filter|invalid (?:search )?filter|LDAPException|LDAPInvalidFilterError|javax\.naming|"
    r"ldap_search|filter error|malformed filter|unbalanced parenthes"
)


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    for point in all_points(ctx, strings_only=True):
        report.tested(point.operation)
        nonce = unique_text()
        base = point.send(ctx, nonce)
        if base.status == 429:
            continue
        pieces: list[str] = []
        evidence: list[tuple[Exchange, str]] = []
        wildcard = point.send(ctx, "*")
        if differs(wildcard, base, echoes=(nonce, "*")) and not wildcard.server_error:
            # Unique clauses: no earlier probe (ours included) can have stored these exact strings.
            true_payload = f"*)(|(objectClass=*)(cn={nonce})"
            false_payload = f"*)(cn={nonce}"
            true = point.send(ctx, true_payload)
            false = point.send(ctx, false_payload)
            if similar(true, wildcard, echoes=(true_payload, "*")) and similar(
                false, base, echoes=(false_payload, nonce)
            ):
                pieces.append("an injected always-true clause answers like the wildcard")
                pieces.append("the same with an always-false clause answers like a value that matches nothing")
                evidence += [(true, "always-true clause"), (false, "always-false clause")]
        broken = point.send(ctx, f"{nonce})(")
        if LDAP_ERROR.search(broken.text) and not LDAP_ERROR.search(base.text):
            pieces.append(f"an unbalanced parenthesis produces an LDAP filter error ({broken.status})")
            evidence.append((broken, "unbalanced parenthesis"))
        if len(pieces) >= 2:
            report.finding(
                point.operation,
                f"LDAP injection in {point.label} of {point.where}: " + "; ".join(pieces) + ".",
                evidence,
                confidence=Confidence.CERTAIN if len(pieces) >= 3 else Confidence.FIRM,
            )
