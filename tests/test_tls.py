"""TLS termination with a throwaway CA: TLS 1.2 minimum, HSTS, HTTP->HTTPS redirect, mTLS."""

from __future__ import annotations

import asyncio
import ssl
from pathlib import Path

import httpx
import pytest
import trustme

from tests.proxy_harness import raw_request, running_proxy, status_of
from tests.servers import ThreadedUvicorn, free_port


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def server_files(ca: trustme.CA, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("tls")
    cert = ca.issue_cert("localhost", "127.0.0.1")
    paths = {"cert": base / "server.pem", "key": base / "server.key", "ca": base / "ca.pem"}
    cert.cert_chain_pems[0].write_to_path(paths["cert"])
    for pem in cert.cert_chain_pems[1:]:
        pem.write_to_path(paths["cert"], append=True)
    cert.private_key_pem.write_to_path(paths["key"])
    ca.cert_pem.write_to_path(paths["ca"])
    return paths


def _client_context(ca: trustme.CA, max_version: ssl.TLSVersion | None = None) -> ssl.SSLContext:
    context = ssl.create_default_context()
    ca.configure_trust(context)
    if max_version is not None:
        context.minimum_version = ssl.TLSVersion.TLSv1
        context.maximum_version = max_version
    return context


async def test_https_with_hsts(upstream: ThreadedUvicorn, ca: trustme.CA, server_files: dict[str, Path]) -> None:
    tls = {"cert": str(server_files["cert"]), "key": str(server_files["key"])}
    async with (
        running_proxy(upstream.url, listen={"tls": tls}) as proxy,
        httpx.AsyncClient(verify=_client_context(ca)) as client,
    ):
        response = await client.get(f"https://localhost:{proxy.port}/x")
    assert response.status_code == 200
    assert response.headers["strict-transport-security"].startswith("max-age=63072000")
    received = dict(response.json()["headers"])
    assert received["x-forwarded-proto"] == "https"


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
async def test_tls_1_1_is_refused(upstream: ThreadedUvicorn, ca: trustme.CA, server_files: dict[str, Path]) -> None:
    tls = {"cert": str(server_files["cert"]), "key": str(server_files["key"])}
    async with running_proxy(upstream.url, listen={"tls": tls}) as proxy:
        old = _client_context(ca, ssl.TLSVersion.TLSv1_1)
        old.set_ciphers("DEFAULT:@SECLEVEL=0")
        with pytest.raises((ssl.SSLError, ConnectionError, OSError)):
            await asyncio.open_connection("127.0.0.1", proxy.port, ssl=old, server_hostname="localhost")
        modern = _client_context(ca, ssl.TLSVersion.TLSv1_2)
        _, writer = await asyncio.open_connection("127.0.0.1", proxy.port, ssl=modern, server_hostname="localhost")
        assert writer.get_extra_info("ssl_object").version() == "TLSv1.2"
        writer.close()


async def test_http_redirects_to_https(upstream: ThreadedUvicorn, server_files: dict[str, Path]) -> None:
    redirect_port = free_port()
    tls = {"cert": str(server_files["cert"]), "key": str(server_files["key"]), "redirect_http_port": redirect_port}
    async with running_proxy(upstream.url, listen={"tls": tls}) as proxy:
        response = await raw_request(redirect_port, b"GET /a?b=1 HTTP/1.1\r\nHost: localhost\r\n\r\n")
    assert status_of(response) == 308
    assert f"location: https://localhost:{proxy.port}/a?b=1".encode() in response


async def test_mtls_requires_a_client_certificate(
    upstream: ThreadedUvicorn, ca: trustme.CA, server_files: dict[str, Path]
) -> None:
    tls = {
        "cert": str(server_files["cert"]),
        "key": str(server_files["key"]),
        "client_ca": str(server_files["ca"]),
        "client_cert": "required",
    }
    client_cert = ca.issue_cert("client.example")
    async with running_proxy(upstream.url, listen={"tls": tls}) as proxy:
        with_cert = _client_context(ca)
        client_cert.configure_cert(with_cert)
        async with httpx.AsyncClient(verify=with_cert) as client:
            assert (await client.get(f"https://localhost:{proxy.port}/x")).status_code == 200
        async with httpx.AsyncClient(verify=_client_context(ca)) as client:
            with pytest.raises((httpx.ConnectError, httpx.ReadError, httpx.RemoteProtocolError)):
                await client.get(f"https://localhost:{proxy.port}/x")
