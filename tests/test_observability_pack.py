"""deploy/observability: the Grafana dashboard and the Prometheus alerts name only metrics (and
labels) that Bastion exports, and the scrape-time gauges they rely on are served by /metrics."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest
import yaml

from bastion.engine import Engine
from bastion.hosts.admin_metrics import refresh_gauges
from bastion.metrics import Metrics
from tests.admin_harness import admin_listener
from tests.proxy_harness import make_config
from tests.servers import ROOT, free_port

PACK = ROOT / "deploy" / "observability"
_METRIC = re.compile(r"\b(bastion_[a-z_]+)\b")
_LABELS_IN_SELECTOR = re.compile(r"\{([^}]*)\}")
_BY = re.compile(r"\bby \(([^)]*)\)")
_ALWAYS = {"instance", "job", "le"}  # added by Prometheus, or the histogram's own


def _exported() -> tuple[set[str], set[str]]:
    """Every series name and label name Bastion's registry can produce."""
    names, labels = set(), set(_ALWAYS)
    for family in Metrics().registry.collect():
        suffixes = {"counter": ["_total", "_created"], "histogram": ["_bucket", "_sum", "_count", "_created"]}
        names.update(family.name + s for s in suffixes.get(family.type, [""]))
    metrics = Metrics()
    for attribute in vars(metrics).values():
        labels.update(getattr(attribute, "_labelnames", ()))
    return names, labels


def _expressions() -> list[tuple[str, str]]:
    dashboard = json.loads((PACK / "grafana-dashboard.json").read_text())
    found = [(f"panel {p['title']!r}", t["expr"]) for p in dashboard["panels"] for t in p["targets"]]
    found.append(("dashboard variable", dashboard["templating"]["list"][1]["definition"]))
    rules = yaml.safe_load((PACK / "alerts.yaml").read_text())
    found += [(f"alert {r['alert']}", r["expr"]) for g in rules["groups"] for r in g["rules"]]
    return found


@pytest.mark.parametrize(("where", "expr"), _expressions(), ids=lambda v: v if " " in str(v)[:12] else "")
def test_every_metric_and_label_named_is_exported(where: str, expr: str) -> None:
    names, labels = _exported()
    used = set(_METRIC.findall(expr))
    assert used, f"{where} names no Bastion metric"
    assert used <= names, f"{where}: {sorted(used - names)} are not exported by Bastion"
    for selector in _LABELS_IN_SELECTOR.findall(expr):
        for matcher in filter(None, (m.strip() for m in selector.split(","))):
            label = re.split(r"[=!~]", matcher, maxsplit=1)[0].strip()
            assert label in labels, f"{where}: label {label!r} is not one Bastion exports"
    for group in _BY.findall(expr):
        assert {g.strip() for g in group.split(",")} <= labels, f"{where}: by ({group})"


def test_the_pack_covers_what_the_issue_asks_for() -> None:
    dashboard = json.loads((PACK / "grafana-dashboard.json").read_text())
    titles = " ".join(p["title"].lower() for p in dashboard["panels"])
    for topic in ("traffic", "refusals by guard", "latency", "audit queue", "redis", "bans", "incidents"):
        assert topic in titles, topic
    rules = yaml.safe_load((PACK / "alerts.yaml").read_text())
    alerts = {r["alert"]: r for g in rules["groups"] for r in g["rules"]}
    for name in (
        "BastionAuditDropping",
        "BastionRedisDown",
        "BastionBanStorm",
        "BastionUpstream5xx",
        "BastionWAFBurst",
    ):
        assert name in alerts
        assert alerts[name]["labels"]["severity"] in ("warning", "critical")
        assert alerts[name]["annotations"]["summary"]
    assert len({p["id"] for p in dashboard["panels"]}) == len(dashboard["panels"])


async def test_metrics_serve_the_scrape_time_gauges(tmp_path: Path) -> None:
    config = make_config(
        "http://127.0.0.1:9",
        store={"path": str(tmp_path / "bastion.db")},
        admin={"host": "127.0.0.1", "port": 0},
        detect={},
    )
    async with admin_listener(config) as (base, _), httpx.AsyncClient(base_url=base) as client:
        text = (await client.get("/metrics")).text
    for line in ('bastion_state_backend_up{backend="memory"} 1.0', "bastion_bans_active 0.0",
                 "bastion_incidents_open 0.0", "bastion_audit_queue_events 0.0"):  # fmt: skip
        assert line in text


async def test_redis_health_reads_zero_when_redis_does_not_answer(tmp_path: Path) -> None:
    config = make_config(
        "http://127.0.0.1:9",
        store={"path": str(tmp_path / "bastion.db")},
        state={"backend": "redis", "redis": {"url": f"redis://127.0.0.1:{free_port()}/0"}},
        admin={"host": "127.0.0.1", "port": 0},
    )
    engine = Engine(config)
    assert engine.metrics is not None
    await refresh_gauges(engine)
    assert engine.metrics.state_up.labels("redis")._value.get() == 0
    await engine.state.close()


def test_metrics_are_counted_only_for_an_admin_listener(tmp_path: Path) -> None:
    """Only the admin listener serves /metrics: without one nobody could read them, so nothing counts them."""
    sections = {"store": {"path": str(tmp_path / "bastion.db")}, "audit": {}}
    unseen = Engine(make_config("http://127.0.0.1:9", **sections))
    assert unseen.metrics is None
    assert unseen.render_metrics() is None
    assert unseen.audit is not None
    assert unseen.audit.observers == []
    shown = Engine(make_config("http://127.0.0.1:9", admin={"host": "127.0.0.1", "port": 0}, **sections))
    assert shown.metrics is not None
    assert shown.audit is not None
    assert shown.metrics.observe in shown.audit.observers
    assert b"bastion_requests_total" in (shown.render_metrics() or b"")
