"""Role inheritance, resolved once per distinct role set (authz rules and GraphQL field rules)."""

from __future__ import annotations

from collections.abc import Mapping

from bastion.config.authz import RoleConfig


class RoleExpander:
    def __init__(self, roles: Mapping[str, RoleConfig]) -> None:
        self._closure: dict[frozenset[str], frozenset[str]] = {}
        for role in roles:
            seen: set[str] = set()
            stack = [role]
            while stack:
                current = stack.pop()
                if current in seen:
                    continue
                seen.add(current)
                stack.extend(roles[current].inherits if current in roles else ())
            self._closure[frozenset([role])] = frozenset(seen)

    def expand(self, roles: frozenset[str]) -> frozenset[str]:
        """The roles and every role they inherit; cached for up to 10,000 distinct role sets."""
        expanded = self._closure.get(roles)
        if expanded is None:
            result: set[str] = set()
            for role in roles:
                result |= self._closure.get(frozenset([role]), frozenset([role]))
            expanded = frozenset(result)
            if len(self._closure) < 10_000:
                self._closure[roles] = expanded
        return expanded
