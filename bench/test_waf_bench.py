"""WAF inspection cost (pytest-benchmark, in process).

Targets (issue 6): <= 20 us for a GET with a few query parameters, <= 50 us for a typical 1 KB JSON
body, and no input above 5 ms: the adversarial cases below are the inputs decoders and matchers work
hardest on, each sized just under the default inspection limits (32 KiB), and 1 MB bodies (refused
by the oversize policy before any decoding).
"""

from __future__ import annotations

import json

import pytest

from bastion.config.waf import WAFConfig
from bastion.core.context import Context
from bastion.core.request import Headers, Request
from bastion.guards.waf import WAFGuard

HEADERS = [
    ("host", "api.example.com"),
    ("user-agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"),
    ("accept", "application/json"),
    ("accept-language", "en-US,en;q=0.9"),
    ("authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl"),
    ("cookie", "session=0123456789abcdef0123456789abcdef; theme=dark"),
]


def make(method: str, path: str, query: str = "", body: bytes | None = None, media: str | None = None) -> Request:
    headers = HEADERS + ([("content-type", media)] if media else [])
    return Request(method=method, path=path, query=query, headers=Headers(headers), client="127.0.0.1", body=body)


def order_body(note: str) -> bytes:
    body = json.dumps(
        {
            "customer": {"id": "c-1234", "name": "Marie Dubois", "email": "marie@example.com"},
            "items": [{"sku": f"SKU-{i:04d}", "qty": i + 1, "price": 12.5 * (i + 1), "note": note} for i in range(7)],
            "shipping": {"street": "12 Rue de la Paix", "city": "Paris", "zip": "75002", "country": "FR"},
            "comment": "Please deliver after 6pm, the door code is 1234. Leave the parcel with the neighbour "
            "at number 14 if nobody answers. Thanks!",
        }
    ).encode()
    assert 900 <= len(body) <= 1150
    return body


@pytest.fixture(scope="module")
def guard() -> WAFGuard:
    return WAFGuard(WAFConfig())


def check(guard: WAFGuard, request: Request) -> object:
    return guard.check(request, Context("bench-waf-000001"))


def test_get_with_a_few_parameters(benchmark, guard: WAFGuard) -> None:  # type: ignore[no-untyped-def]
    request = make("GET", "/api/v1/products", "q=red+shoes&page=2&limit=20&sort=price")
    assert benchmark(check, guard, request) is None


def test_json_1kb(benchmark, guard: WAFGuard) -> None:  # type: ignore[no-untyped-def]
    request = make("POST", "/api/v1/orders", body=order_body("gift wrap, please, thank you"), media="application/json")
    assert benchmark(check, guard, request) is None


def test_json_1kb_with_apostrophes(benchmark, guard: WAFGuard) -> None:  # type: ignore[no-untyped-def]
    """Prose with apostrophes and a semicolon: the quick path also reads the shell view."""
    body = order_body("gift wrap; it's for my mother's birthday")
    request = make("POST", "/api/v1/orders", body=body, media="application/json")
    assert benchmark(check, guard, request) is None


def test_json_1kb_attack(benchmark, guard: WAFGuard) -> None:  # type: ignore[no-untyped-def]
    request = make(
        "POST", "/api/v1/orders", body=order_body("x' UNION SELECT password FROM users--"), media="application/json"
    )
    assert benchmark(check, guard, request) is not None


NOTE = "समय पर, Dương"  # a short note: escaped, the order stays about 1 KB


def test_json_1kb_non_ascii(benchmark, guard: WAFGuard) -> None:  # type: ignore[no-untyped-def]
    """The order written by an international client: accented names and a note in Hindi, sent as
    raw UTF-8 (JSON.stringify) and as escapes (Python's json.dumps)."""
    text = json.dumps(json.loads(order_body(NOTE)), ensure_ascii=False).encode()
    request = make("POST", "/api/v1/orders", body=text, media="application/json")
    assert benchmark(check, guard, request) is None


def test_json_1kb_escapes(benchmark, guard: WAFGuard) -> None:  # type: ignore[no-untyped-def]
    """The same order as json.dumps writes it: every non-ASCII character a `\\u` escape."""
    request = make("POST", "/api/v1/orders", body=order_body(NOTE), media="application/json")
    assert benchmark(check, guard, request) is None


def test_json_1kb_with_urls(benchmark, guard: WAFGuard) -> None:  # type: ignore[no-untyped-def]
    """A webhook registration or a profile: the order with public URLs in it, which the SSRF rules
    find and settle on their hosts."""
    order = json.loads(order_body("see https://help.example.com/orders"))
    order["callback_url"] = "https://hooks.example.com/orders/1234?sig=abc"
    body = json.dumps(order).encode()
    request = make("POST", "/api/v1/orders", body=body, media="application/json")
    assert benchmark(check, guard, request) is None


def test_json_1kb_array(benchmark, guard: WAFGuard) -> None:  # type: ignore[no-untyped-def]
    """A bulk endpoint's body: an array of objects (the same leaves as test_json_1kb's order)."""
    body = json.dumps([{"sku": f"SKU-{i:05d}", "qty": i, "price": i * 1.25} for i in range(20)]).encode()
    request = make("POST", "/api/v1/orders/bulk", body=body, media="application/json")
    assert benchmark(check, guard, request) is None


N = 31_000
ADVERSARIAL = {
    "quotes": (b"'" * N, "text/plain"),
    "json_quotes": (json.dumps({"a": "'\"" * (N // 4)}).encode(), "application/json"),
    "deep_json": (b"[" * (N // 2) + b"]" * (N // 2), "application/json"),
    "backslashes": (json.dumps({"a": "\\" * (N // 2)}).encode(), "application/json"),
    "unclosed_iframes": (json.dumps({"a": "<iframe a " * (N // 10)}).encode(), "application/json"),
    "entities": (("&#60;" * (N // 5)).encode(), "application/xml"),
    "tags": (("<a " * (N // 3)).encode(), "text/html"),
    "comments": (("/*" * (N // 2)).encode(), "text/plain"),
    "sql_tautologies": (("' or 1=1 -- " * (N // 12)).encode(), "text/plain"),
    "dot_dot": (("x=" + "../" * (N // 3)).encode(), "application/x-www-form-urlencoded"),
    # a target name first leads the parent-step rule's confirmation through all the steps after it
    "target_then_dot_dot": (("x=etc/passwd+" + "../" * (N // 3)).encode(), "application/x-www-form-urlencoded"),
    "dot_dot_then_target": (("x=" + "../" * (N // 3) + "etc/passwd").encode(), "application/x-www-form-urlencoded"),
    "many_fields": (json.dumps({f"k{i}": "v'x;" for i in range(N // 16)}).encode(), "application/json"),
    "one_megabyte": (b"{" * (1 << 20), "application/json"),
    # issue 17: every technique reads the whole value, so the worst inputs are long ones full of
    # what each reading starts on, with nothing that settles the question early
    "prose_apostrophes": (json.dumps({"a": "it's or isn't; we'd " * (N // 21)}).encode(), "application/json"),
    "quote_breakouts": (json.dumps({"a": "x' or y " * (N // 9)}).encode(), "application/json"),
    "semicolon_keywords": (json.dumps({"a": "a; drop by " * (N // 12)}).encode(), "application/json"),
    "harmless_tags_windows": (
        json.dumps({"a": '<a href="https://x.example/">x</a> ' * (N // 37)}).encode(),
        "application/json",
    ),
    "shell_chains": (json.dumps({"a": "x ; ls " * (N // 8)}).encode(), "application/json"),
    # chains that never settle the question: after words, in a list, in Markdown code (each once
    # cost a 240-character read per chain: 230 ms)
    "chains_after_words": (json.dumps({"a": "hello world " + "b|ls " * (N // 5)}).encode(), "application/json"),
    "chains_in_a_list": (json.dumps({"a": "salt; pepper " + "& more " * (N // 7)}).encode(), "application/json"),
    # a run that two quantifiers of one rule could share, then what the rule looks for (each took
    # seconds to minutes in Python's engine before the rules were made unambiguous)
    "line_breaks_then_mail_command": (json.dumps({"a": "\n" * N + "x\nRCPT TO: a@b"}).encode(), "application/json"),
    "braces_then_template": (json.dumps({"a": "{" * N + "{{config}}"}).encode(), "application/json"),
    "spaces_then_injection": (json.dumps({"a": " " * N + "' or 1=1--"}).encode(), "application/json"),
    "markdown_commands": (json.dumps({"a": "try `ls` " + "and `pwd` or " * (N // 13)}).encode(), "application/json"),
    # stack-trace frames that almost end their line: each `at` chain's frame reading fails late
    "almost_stack_frames": (
        json.dumps({"a": ("\nat " + "a" * 190 + "(" + "x" * 190 + ")y") * (N // 386)}).encode(),
        "application/json",
    ),
    "js_calls": (json.dumps({"a": "(f)(1) 'a'+'b' " * (N // 16)}).encode(), "application/json"),
    "deep_json_500": (b'{"a":' * 500 + b'"x"' + b"}" * 500, "application/json"),
    "utf16_json": (json.dumps({"a": "it's fine " * (N // 24)}).encode("utf-16"), "application/json"),
    "crlf_lines": (("a: b\r\n" * (N // 6)).encode(), "text/plain"),
    "base64_values": (
        json.dumps({f"k{i}": "QUJDREVGR0hJSktMTU5PUA" for i in range(N // 40)}).encode(),
        "application/json",
    ),
}


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_adversarial(benchmark, guard: WAFGuard, name: str) -> None:  # type: ignore[no-untyped-def]
    body, media = ADVERSARIAL[name]
    request = make("POST", "/api/v1/x", body=body, media=media)
    benchmark.pedantic(check, args=(guard, request), rounds=20, iterations=1, warmup_rounds=1)


def test_adversarial_path_segments(benchmark, guard: WAFGuard) -> None:  # type: ignore[no-untyped-def]
    request = make("GET", "/" + "/".join(["a'b(c)"] * 2000))
    benchmark.pedantic(check, args=(guard, request), rounds=20, iterations=1, warmup_rounds=1)


def test_adversarial_percent_query(benchmark, guard: WAFGuard) -> None:  # type: ignore[no-untyped-def]
    request = make("GET", "/api/v1/x", "q=" + "%25" * (N // 3))
    benchmark.pedantic(check, args=(guard, request), rounds=20, iterations=1, warmup_rounds=1)
