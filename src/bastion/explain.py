"""Why would this request be allowed or refused? One line per guard: `bastion explain` and the
console's explain form give the same answer because both call `explain()`."""

from __future__ import annotations

from dataclasses import dataclass, field

import orjson

from bastion.core.context import Context
from bastion.core.identity import Identity
from bastion.core.request import Headers, Request
from bastion.engine import Engine


def parse_identity(text: str) -> Identity:
    """`role=user,sub=42,scope=orders:read,tenant=t1,claim.department=sales` as an Identity."""
    fields: dict[str, list[str]] = {}
    for part in text.split(","):
        name, sep, value = part.partition("=")
        if not sep:
            raise ValueError(f"--as: {part!r} is not name=value")
        fields.setdefault(name.strip(), []).append(value.strip())
    claims = {k[6:]: v[0] for k, v in fields.items() if k.startswith("claim.")}
    subject = (fields.get("sub") or fields.get("subject") or ["anonymous"])[0]
    roles = [r for value in fields.get("role", []) + fields.get("roles", []) for r in value.split("|") if r]
    scopes = [s for value in fields.get("scope", []) + fields.get("scopes", []) for s in value.split() if s]
    return Identity(
        subject=subject,
        method="explain",
        roles=frozenset(roles),
        scopes=frozenset(scopes),
        tenant=fields["tenant"][0] if "tenant" in fields else None,
        claims={"sub": subject, **claims},
    )


def parse_headers(items: list[str]) -> list[tuple[str, str]]:
    headers = []
    for item in items:
        name, sep, value = item.partition(":")
        if not sep or not name.strip():
            raise ValueError(f"header {item!r}: expected 'Name: value'")
        headers.append((name.strip().lower(), value.strip()))
    return headers


@dataclass(slots=True)
class Explanation:
    title: str
    route: str
    steps: list[tuple[str, str]] = field(default_factory=list)  # (guard, its answer)
    refused_status: int | None = None
    refused_rule: str | None = None

    @property
    def decision(self) -> str:
        if self.refused_status is None:
            return "allowed"
        return f"{self.refused_status} (rule {self.refused_rule})"

    def lines(self) -> list[str]:
        out = [self.title, f"route:     {self.route}"]
        out += [f"{guard + ':':<10} {answer}" for guard, answer in self.steps]
        out.append(f"decision:  {self.decision}")
        return out


async def explain(  # noqa: PLR0913  keyword-only: the options of `bastion explain` and the console's form
    engine: Engine,
    method: str,
    target: str,
    *,
    identity_text: str | None = None,
    headers: list[tuple[str, str]] | None = None,
    body: str | None = None,
) -> Explanation:
    """Run the pipeline's checks on a made-up request; ValueError for input that is not a request."""
    method = method.strip().upper()
    if not method.isalpha() or len(method) > 20:
        raise ValueError(f"{method!r} is not an HTTP method")
    if not target.startswith("/"):
        raise ValueError("the target is a path starting with /, e.g. /api/products?q=lamp")
    identity = parse_identity(identity_text) if identity_text else None
    request = _made_up_request(method, target, headers or [], body)
    ctx = Context("explain-0000000001")
    skip: frozenset[str] = frozenset()
    if identity is not None:
        ctx.identity = identity
        skip = frozenset({"authn"})
    decision = await engine.pipeline.check(request, ctx, skip=skip)

    who = f"as {identity_text}" if identity_text else "without an identity"
    if ctx.route is None:
        route = "(no route matches)"
    else:
        op = ctx.route.operation
        params = ", ".join(f"{k}={v}" for k, v in ctx.route.params.items())
        route = f"{ctx.route.route.template} -> {op.id if op else '(method not declared)'}" + (
            f" ({params})" if params else ""
        )
    result = Explanation(f"{method} {target} {who}", route)
    findings = {f.guard: f for f in ctx.findings}
    reached = True
    for name in engine.pipeline.guard_names:
        if name in skip:
            result.steps.append((name, "skipped (identity given with --as)"))
        elif not reached:
            result.steps.append((name, "not reached"))
        elif (finding := findings.get(name)) is None:
            notes = [f"{rule}: {reason}" for guard, rule, reason in ctx.trace if guard == name]
            result.steps.append((name, "pass" + (f" ({'; '.join(notes)})" if notes else "")))
        else:
            verdict = finding.verdict
            label = "REFUSED" if finding.mode == "enforce" else "recorded (monitor)"
            result.steps.append((name, f"{label} {verdict.status} {verdict.rule}: {verdict.reason}"))
            reached = finding.mode != "enforce"
    if decision.refusal is not None:
        result.refused_status = decision.refusal.status
        result.refused_rule = decision.refusal.rule
    return result


def _made_up_request(method: str, target: str, headers: list[tuple[str, str]], body: str | None) -> Request:
    """The request `explain` runs through the pipeline; ValueError when the body is not JSON."""
    all_headers = [("host", "explain.local"), *headers]
    raw_body = body.encode() if body else None
    if raw_body is not None:
        try:
            orjson.loads(raw_body)
        except orjson.JSONDecodeError:
            raise ValueError("the body is not valid JSON") from None
        all_headers += [("content-type", "application/json"), ("content-length", str(len(raw_body)))]
    path, _, query = target.partition("?")
    return Request(
        method=method, path=path, query=query, headers=Headers(all_headers), client="127.0.0.1", body=raw_body
    )
