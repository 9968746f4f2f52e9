"""Base64 of a Ruby Marshal stream that names a deserialization gadget.

Marshal's stream starts 04 08, `BAh` in base64, and Rails kept sessions and cookies in it for years:
a hash of strings and symbols (`BAh7...`) is data. What `Marshal.load` cannot read without running
code is an object of one of the classes gadget chains are built from (RubyGems' requirement and
package readers, Net::WriteAdapter, ERB, ActiveSupport's deprecation proxy) or a symbol naming a
method that runs a command, so only a stream naming one of those is refused.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import re

from bastion.guards.waf.inspected import as_sent

_RUN = re.compile(r"BAh[A-Za-z0-9+/]{30,}={0,2}")  # case-sensitive: read on the value as sent
_RUNS = 4  # streams decoded per value, at most
_DECODED = 8192  # bytes of a stream looked at: the gadget's class names come first
_MARSHAL = b"\x04\x08"
_GADGETS = re.compile(
    rb"Gem::(?:Requirement|RequestSet|SpecFetcher|Package::TarReader|Installer|Source::|Resolver|StubSpecification)"
    rb"|Net::(?:WriteAdapter|BufferedIO)|\bERB\b|DeprecatedInstanceVariableProxy|ActiveSupport::Deprecation"
    rb"|\b(?:Kernel|Open3|IO)\b|\b(?:system|exec|spawn|popen\w*|instance_eval|class_eval|eval)\b"
)


def ruby_marshal_gadget(text: str, target: object, pattern: object = None) -> tuple[int, str]:
    """code-ruby-marshal-gadget: a base64 run that decodes to a Marshal stream naming a gadget."""
    sent = as_sent(target, text)
    for run in itertools.islice(_RUN.finditer(sent), _RUNS):
        data = run.group(0)[: _DECODED * 4 // 3]
        try:
            decoded = base64.b64decode(data + "=" * (-len(data) % 4))
        except (binascii.Error, ValueError):
            continue
        if decoded.startswith(_MARSHAL) and (gadget := _GADGETS.search(decoded)):
            return 5, f"base64 of a Ruby Marshal stream naming {gadget.group(0).decode('latin-1')[:40]}"
    return 0, ""
