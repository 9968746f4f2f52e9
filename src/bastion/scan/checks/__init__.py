"""Every scan check, one module each; this list is the registry and its order is the run order.

Order matters within a phase: the weak-secret check runs before the invalid-token check (which then
also tries an expired token signed with the cracked secret); mass assignment before the brute-force and
burst checks, which may leave the login throttled for a while.
"""

import importlib

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
    "input_tampering",
    "injection_sql",
    "injection_nosql",
    "injection_os_command",
    "injection_ldap",
    "injection_template",
    "methods_undeclared",
    "methods_trace",
    "methods_head_bypass",
    "graphql_introspection",
    "graphql_suggestions",
    "graphql_get_mutation",
    "graphql_field_authz",
    "graphql_injection",
    "graphql_depth_limit",
    "graphql_cost_limit",
    "graphql_verbose_error",
    "fuzz_server_error",
    "resource_redos",
    "exposure_debug_endpoint",
    "transport_plain_http",
    "transport_weak_tls",
    "transport_cors",
    "websocket_handshake",
    "authz_mass_assignment",
    "authn_no_lockout",
    "graphql_alias_amplification",
    "graphql_batch_amplification",
    "resource_no_rate_limit",
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
