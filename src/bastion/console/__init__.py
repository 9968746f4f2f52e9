"""The operator console: web pages on the admin listener at /console/.

Server-rendered (Jinja2) with one small vanilla script for the live tail and confirmations; no
build step. Checklist items: activity logging (search the trail, follow it live), incident
response (incidents, bans, revocations) and least privilege for the operators themselves (admin
token or client certificate, CSRF on every action, strict CSP, every action audited).
"""

from __future__ import annotations

from bastion.config.admin import AdminConfig
from bastion.console import live, overview, policy, response, scans, search
from bastion.console.app import Console
from bastion.hosts.admin import Route
from bastion.hosts.runtime import Runtime

__all__ = ["Console", "console_routes"]


def console_routes(runtime: Runtime, config: AdminConfig) -> list[Route]:
    c = Console(runtime, config)
    page, action = c.page, c.action
    return [
        Route("GET", "/console/static/{name}", c.static, public=True),
        Route("GET", "/console/login", c.login_page, own_auth=True),
        Route("POST", "/console/login", c.login, own_auth=True),
        Route("POST", "/console/logout", c.logout, own_auth=True),
        Route("GET", "/console/", page(overview.overview), own_auth=True),
        Route("GET", "/console/live", page(live.page), own_auth=True),
        Route("GET", "/console/live/stream", page(live.stream), own_auth=True),
        Route("GET", "/console/audit", page(search.search), own_auth=True),
        Route("GET", "/console/audit/{stream}/{seq}", page(search.event), own_auth=True),
        Route("GET", "/console/incidents", page(response.incidents), own_auth=True),
        Route("GET", "/console/incidents/{incident_id}", page(response.incident), own_auth=True),
        Route("POST", "/console/incidents/{incident_id}/resolve", action(response.resolve), own_auth=True),
        Route("GET", "/console/bans", page(response.bans), own_auth=True),
        Route("POST", "/console/bans/{ban_id}/lift", action(response.lift), own_auth=True),
        Route("GET", "/console/revocations", page(response.revocations), own_auth=True),
        Route("POST", "/console/revocations", action(response.revoke), own_auth=True),
        Route("GET", "/console/policy", page(policy.policy), own_auth=True),
        Route("POST", "/console/policy/reload", action(policy.reload), own_auth=True),
        Route("GET", "/console/scans", page(scans.scans), own_auth=True),
        Route("POST", "/console/scans", action(scans.upload), own_auth=True),
    ]
