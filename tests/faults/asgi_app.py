"""A Starlette application behind Bastion's ASGI middleware, for `uvicorn tests.faults.asgi_app:app`
(the policy file comes from BASTION_FAULT_POLICY)."""

from __future__ import annotations

import os

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bastion.hosts.asgi import BastionMiddleware


async def upload(request: Request) -> Response:
    return JSONResponse({"length": len(await request.body())})


async def crash(request: Request) -> Response:
    raise RuntimeError("the application failed")


app = Starlette(routes=[Route("/upload", upload, methods=["POST"]), Route("/crash", crash)])
app.add_middleware(BastionMiddleware, config=os.environ["BASTION_FAULT_POLICY"])
