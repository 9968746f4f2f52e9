"""Every scan check, one module each; this list is the registry and its order is the run order.

Order matters within a phase: the weak-secret check runs before the invalid-token check (which then
also tries an expired token signed with the cracked secret); the growth (ReDoS) check before tampering
and fuzzing, which send long strings only to fields it cleared; the GraphQL depth and cost probes before
the injection checks, whose mutations add data that every nested list would then multiply; verbose
GraphQL errors after them, since it also reads their answers; mass assignment early, before the
injection checks and the fuzzer spend the registration's own rate limit, and before the brute-force and
burst checks, which may leave the login throttled for a while.
"""

from __future__ import annotations

import importlib
from fnmatch import fnmatchcase

from bastion.scan.registry import REGISTRY, RegisteredCheck

MODULES = (
    "spec_no_security",
    "spec_unbounded",
    "spec_open_objects",
    "spec_http_servers",
    "spec_error_responses",
    "spec_secret_examples",
    "authn_missing",
    "authn_jwt_weak_secret",
    "authn_invalid_token",
    "authn_jwt_none",
    "authn_jwt_unsigned",
    "authn_jwt_key_confusion",
    "authn_jwt_header_injection",
    "authn_user_enumeration",
    "authz_bola",
    "authz_bfla",
    "authz_mass_assignment",
    "graphql_introspection",
    "graphql_suggestions",
    "graphql_get_mutation",
    "graphql_field_authz",
    "graphql_depth_limit",
    "graphql_cost_limit",
    "graphql_field_duplication",
    "graphql_circular_fragments",
    "graphql_ide",
    "resource_redos",
    "input_tampering",
    "injection_sql",
    "injection_nosql",
    "injection_os_command",
    "injection_ldap",
    "injection_template",
    "injection_ssrf",
    "methods_undeclared",
    "methods_trace",
    "methods_head_bypass",
    "graphql_stored_xss",
    "graphql_verbose_error",
    "fuzz_server_error",
    "exposure_debug_endpoint",
    "transport_plain_http",
    "transport_weak_tls",
    "transport_cors",
    "websocket_handshake",
    "authn_no_lockout",
    "graphql_alias_amplification",
    "graphql_batch_amplification",
    "resource_no_rate_limit",
    "resource_denial_of_service",
    "exposure_stack_trace",
    "exposure_verbose_error",
    "exposure_banner",
    "exposure_sensitive_data",
    "exposure_undocumented_field",
    "transport_hsts",
    "transport_security_headers",
)

for _name in MODULES:
    importlib.import_module(f"{__name__}.{_name}")


def selected(only: list[str], skip: list[str]) -> list[RegisteredCheck]:
    """Checks in run order; `only`/`skip` take ids, id prefixes (`injection`) or globs (`authn.jwt-*`)."""

    def matches(check_id: str, patterns: list[str]) -> bool:
        return any(
            check_id == p or check_id.startswith(p.rstrip(".") + ".") or fnmatchcase(check_id, p) for p in patterns
        )

    unknown = [p for p in [*only, *skip] if not any(matches(c, [p]) for c in REGISTRY)]
    if unknown:
        raise ValueError(f"no check matches {', '.join(unknown)} (see `bastion scan --list-checks`)")
    chosen = [c for c in REGISTRY.values() if (not only or matches(c.info.id, only)) and not matches(c.info.id, skip)]
    return sorted(chosen, key=lambda c: (c.info.phase, MODULES.index(c.module)))
