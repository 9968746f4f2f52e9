"""The GraphQL demo and Bastion's policy for it, shared by the guard's tests and the scanner's."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from bastion.config import BastionConfig, load_config
from tests.servers import ROOT

SECRET = "graphql-demo-secret-please-change-it-now"
os.environ.setdefault("GRAPHQL_DEMO_JWT_SECRET", SECRET)
os.environ.setdefault("BASTION_SECRET", "graphql-tests-bastion-secret-0123456789abcdef")
POLICY = ROOT / "examples/graphql.yaml"
ORDINARY = yaml.safe_load((ROOT / "tests/data/graphql_ordinary.yaml").read_text())
USERS = {"alice": (1, "user"), "bob": (2, "user"), "admin": (3, "admin")}


def token(name: str) -> str:
    from examples.graphql_api.app import issue_token  # noqa: PLC0415  the demo app reads its JWT secret from the environment when imported

    uid, role = USERS[name]
    return issue_token({"id": uid, "role": role})


def policy(upstream: str, tmp: Path, **overrides: Any) -> BastionConfig:
    values = {"upstream.url": upstream, "listen.port": 0, "store.path": str(tmp / "bastion.db"), **overrides}
    return load_config(POLICY, values)
