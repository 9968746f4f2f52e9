"""WebSocket upstreams as other people write them: a Starlette app with plain sockets, and an ariadne
GraphQL API whose subscriptions speak graphql-transport-ws, both served by uvicorn."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import orjson
from ariadne import QueryType, SubscriptionType, make_executable_schema
from ariadne.asgi import GraphQL
from ariadne.asgi.handlers import GraphQLTransportWSHandler, GraphQLWSHandler
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

SDL = """
type Query { hello: String! }
type Tick { n: Int!, label: String!, next: Tick }
type Subscription { ticks(count: Int!): Tick! }
"""

query = QueryType()
subscription = SubscriptionType()


@query.field("hello")
def _hello(*_: Any) -> str:
    return "world"


@subscription.source("ticks")
async def _ticks_source(_: Any, info: Any, count: int) -> AsyncIterator[int]:
    for n in range(count):
        yield n
        await asyncio.sleep(0)


@subscription.field("ticks")
def _tick(n: int, *_: Any, **__: Any) -> dict[str, Any]:
    return {"n": n, "label": f"tick {n}", "next": {"n": n + 1, "label": f"tick {n + 1}", "next": None}}


schema = make_executable_schema(SDL, query, subscription)
graphql_app = GraphQL(schema, websocket_handler=GraphQLTransportWSHandler())
legacy_graphql_app = GraphQL(schema, websocket_handler=GraphQLWSHandler())  # subscriptions-transport-ws


async def echo(websocket: WebSocket) -> None:
    """Echoes every message; a few text commands make it behave like a real peer would."""
    offered = websocket.scope.get("subprotocols") or []
    await websocket.accept(subprotocol=offered[0] if offered else None)
    try:
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                return
            text = message.get("text")
            if text is None:
                await websocket.send_bytes(message.get("bytes") or b"")
            elif text.startswith("close:"):
                await websocket.close(int(text.split(":", 1)[1]), "upstream closes")
                return
            elif text.startswith("burst:"):
                for index in range(int(text.split(":", 1)[1])):
                    await websocket.send_text(f"burst {index}")
            elif text == "headers":
                headers = {k.decode(): v.decode() for k, v in websocket.scope["headers"]}
                await websocket.send_text(orjson.dumps(headers).decode())
            else:
                await websocket.send_text(text)
    except WebSocketDisconnect:
        return


async def health(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


app = Starlette(
    routes=[
        Route("/health", health),
        WebSocketRoute("/ws/echo", echo),
        WebSocketRoute("/ws/other", echo),
        Mount("/graphql", graphql_app),
        Mount("/graphql-ws", legacy_graphql_app),
    ]
)
