"""The overview page: traffic, refusals by guard and rule, latency, and who and what is busiest.

Rates, refusals and latency come from this process's counters (`stats.LiveStats`); the top clients,
operations and subjects come from the audit store, so they cover every process writing to it.
"""

from __future__ import annotations

from bastion.console.app import Console
from bastion.console.charts import bars, hbars
from bastion.console.sessions import Session
from bastion.console.stats import WINDOWS
from bastion.console.trail import TrailUnavailable
from bastion.hosts.admin import AdminRequest, AdminResponse

_SPAN = {"5m": "last 5 min", "1h": "last hour", "24h": "last 24 h"}


async def overview(console: Console, request: AdminRequest, session: Session) -> AdminResponse:
    window = request.query.get("window", "5m")
    if window not in WINDOWS:
        window = "5m"
    summary = console.stats.summary(window)
    since = console.clock.wall() - WINDOWS[window]
    tops: dict[str, list[tuple[str, int]]] = {}
    trail_note = console.trail.reason
    try:
        for column in ("client", "operation", "subject"):
            tops[column] = await console.trail.top(column, since, window)
    except TrailUnavailable as exc:
        trail_note = str(exc)
    per = f"{summary.bucket_seconds // 60} min" if summary.bucket_seconds >= 60 else f"{summary.bucket_seconds} s"
    return console.web.page(
        "overview.html.j2",
        session=session,
        nav="overview",
        window=window,
        windows=list(WINDOWS),
        span=_SPAN[window],
        summary=summary,
        traffic_chart=bars(
            summary.series, summary.refused_series, caption=f"requests per {per}, {_SPAN[window]}; red: refused"
        ),
        guard_chart=hbars(summary.by_guard, caption="refusals by guard"),
        rule_chart=hbars(summary.by_rule, caption="refusals by rule"),
        tops=tops,
        trail_note=trail_note,
        worker=console.engine.config.workers,
    )
