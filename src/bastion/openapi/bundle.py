"""Bundle a spec split over several files into one document with local `$ref`s only.

`$ref: common.yaml#/components/schemas/Money` is loaded (relative to the file that refers to it),
copied under `components/x-bastion-bundled/<name>`, and the reference rewritten to point there, so
the rest of Bastion (and the compiled validators) only ever follows local references. References
inside a bundled node are rewritten relative to the file they came from. Only files beside the spec
are read: no URL is ever fetched.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

from bastion.openapi.document import SpecError, read_document
from bastion.openapi.refs import resolve_pointer

BUNDLED = "x-bastion-bundled"
_MAX_FILES = 200


class Bundler:
    def __init__(self, root_path: Path, root: dict[str, Any]) -> None:
        self._root_path = root_path.resolve()
        self._root = root
        self._files: dict[Path, Any] = {self._root_path: root}
        self._names: dict[tuple[Path, str], str] = {}
        self._bundled: dict[str, Any] = {}

    def bundle(self) -> dict[str, Any]:
        self._rewrite(self._root, self._root_path)
        if self._bundled:
            components = self._root.setdefault("components", {})
            components.setdefault(BUNDLED, {}).update(self._bundled)
        return self._root

    def _rewrite(self, node: Any, origin: Path) -> None:
        stack = [node]
        while stack:
            current = stack.pop()
            if isinstance(current, dict):
                ref = current.get("$ref")
                if isinstance(ref, str):
                    current["$ref"] = self._localize(ref, origin)
                stack.extend(v for k, v in current.items() if k != "$ref")
            elif isinstance(current, list):
                stack.extend(current)

    def _localize(self, ref: str, origin: Path) -> str:
        file_part, _, pointer = ref.partition("#")
        if not file_part:
            if origin == self._root_path:
                return ref
            return self._import(origin, "#" + pointer)
        if re.match(r"^[a-z][a-z0-9+.-]*://", file_part):
            raise SpecError(f"{origin}: remote reference {ref!r} is not followed (bundle it into a file)")
        target = (origin.parent / file_part).resolve()
        if target == self._root_path:
            return "#" + pointer
        return self._import(target, "#" + pointer)

    def _import(self, path: Path, pointer: str) -> str:
        key = (path, pointer)
        if key in self._names:
            return f"#/components/{BUNDLED}/{self._names[key]}"
        document = self._load(path)
        node = resolve_pointer(document, pointer)
        if node is None:
            raise SpecError(f"{path}: reference target {pointer!r} does not exist")
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{path.stem}{pointer}").strip("_") or "root"
        while name in self._bundled:
            name += "_"
        self._names[key] = name
        copied = copy.deepcopy(node)
        self._bundled[name] = copied
        self._rewrite(copied, path)
        return f"#/components/{BUNDLED}/{name}"

    def _load(self, path: Path) -> Any:
        if path not in self._files:
            if len(self._files) >= _MAX_FILES:
                raise SpecError(f"{self._root_path}: more than {_MAX_FILES} referenced files")
            if not path.is_file():
                raise SpecError(f"{self._root_path}: referenced file {path} does not exist")
            self._files[path] = read_document(path)
        return self._files[path]
