"""What a GraphQL document asks for, worked out once per distinct document and cached.

A document is parsed (graphql-core, with a token limit) and each operation walked with its fragments
expanded: depth, aliases, directives, fields, introspection, the fields that rules watch, the literal
argument strings the WAF reads, and a cost plan. The cost is the estimated number of fields resolved:
each field's weight times the sizes of the lists around it, where a list is sized by its `first`/
`limit` argument (a literal, or a variable resolved per request) or, without one, by a default size.
The lists directly under a sized field (a connection's `edges`/`nodes`) take its size, not another.
Fragment cycles are refused before the walk, and the walk stops at `max_fields`, so a document that
expands exponentially costs the walk no more than the limit.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from bastion.config.graphql import GraphQLConfig
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
    ValueNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_list_type,
    parse,
)
from graphql.type.definition import GraphQLNamedType
from graphql.utilities import value_from_ast_untyped

INTROSPECTION_FIELDS = frozenset({"__schema", "__type"})
Multiplier = int | tuple[str, int]  # a literal size, or (variable name, its default)


class ShapeError(Exception):
    def __init__(self, status: int, rule: str, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.rule = rule
        self.reason = reason


@dataclass(frozen=True, slots=True)
class FieldUse:
    """A selected field that a rule names, with the arguments in scope for its `where` conditions."""

    name: str  # Type.field
    bare: str  # field name (root fields are granted by it too)
    type_name: str
    root: bool
    location: str  # selection path as the response has it (aliases)
    route: str  # selection path by field names: me.email, user.posts.title
    arguments: tuple[tuple[str, ValueNode], ...]  # the enclosing field's (it returned the object), then its own


@dataclass(frozen=True, slots=True)
class OperationShape:
    name: str | None
    kind: str  # query, mutation, subscription
    depth: int
    aliases: int
    directives: int
    fields: int
    introspection: bool
    root_fields: tuple[str, ...]  # Type.field
    watched: tuple[FieldUse, ...]
    strings: tuple[tuple[str, str], ...]  # (location, literal argument string) for the WAF
    constant_cost: int  # the cost part with literal sizes only
    variable_cost: tuple[tuple[int, tuple[tuple[str, int], ...]], ...]  # weight x sizes from variables

    def cost(self, variables: dict[str, Any], max_list: int) -> int:
        total = self.constant_cost
        for weight, sizes in self.variable_cost:
            resolved = weight
            for name, default in sizes:
                resolved *= list_size(variables.get(name, default), name, max_list)
            total += resolved
        return total


@dataclass(frozen=True, slots=True)
class DocumentShape:
    operations: dict[str | None, OperationShape]
    anonymous: bool  # one operation without a name

    def select(self, name: str | None) -> OperationShape:
        if name is None:
            if len(self.operations) != 1:
                raise ShapeError(400, "graphql.operation", "several operations and no operationName")
            return next(iter(self.operations.values()))
        shape = self.operations.get(name)
        if shape is None:
            raise ShapeError(400, "graphql.operation", f"no operation named {name[:64]!r}")
        return shape


def list_size(value: Any, where: str, max_list: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        return 1 if value is None else max_list  # absent: one; not a number: the upstream refuses it
    if value < 0:
        return 0
    if value > max_list:
        raise ShapeError(400, "graphql.list_size", f"{where} asks for {value} items, more than {max_list}")
    return value


class Analyzer:
    """Built once per guard from its config and schema; `analyze` is the per-document work."""

    def __init__(self, config: GraphQLConfig, schema: GraphQLSchema | None, watched: frozenset[str]) -> None:
        self.limits = config.limits
        self.schema = schema
        self.weights = dict(config.weights)
        self.size_arguments = frozenset(config.list_arguments)
        self.default_list = config.default_list_size
        self.max_list = config.max_list_size
        self.watched = watched

    def analyze(self, text: str) -> DocumentShape:
        limits = self.limits
        if len(text) > limits.max_document:
            raise ShapeError(
                413, "graphql.document_size", f"document of {len(text)} characters, over {limits.max_document}"
            )
        try:
            document = parse(text, no_location=True, max_tokens=limits.max_tokens)
        except GraphQLError as exc:
            if "tokens" in exc.message and "more than" in exc.message:
                raise ShapeError(400, "graphql.tokens", f"more than {limits.max_tokens} tokens") from None
            raise ShapeError(400, "graphql.syntax", exc.message[:200]) from None
        return self._document(document)

    def _document(self, document: DocumentNode) -> DocumentShape:
        fragments: dict[str, FragmentDefinitionNode] = {}
        operations: list[OperationDefinitionNode] = []
        for definition in document.definitions:
            if isinstance(definition, FragmentDefinitionNode):
                if definition.name.value in fragments:
                    raise ShapeError(400, "graphql.fragment", f"fragment {definition.name.value!r} defined twice")
                fragments[definition.name.value] = definition
            elif isinstance(definition, OperationDefinitionNode):
                operations.append(definition)
            else:
                raise ShapeError(400, "graphql.definition", "type definitions in an executable document")
        if not operations:
            raise ShapeError(400, "graphql.operation", "no operation in the document")
        if len(fragments) > self.limits.max_fragments:
            raise ShapeError(
                400, "graphql.fragments", f"{len(fragments)} fragments, more than {self.limits.max_fragments}"
            )
        _refuse_cycles(fragments)
        shapes: dict[str | None, OperationShape] = {}
        for operation in operations:
            name = operation.name.value if operation.name else None
            if name in shapes or (name is None and len(operations) > 1):
                raise ShapeError(400, "graphql.operation", "operations need distinct names")
            shapes[name] = _Walk(self, fragments).operation(operation)
        return DocumentShape(shapes, len(operations) == 1 and operations[0].name is None)


def _refuse_cycles(fragments: dict[str, FragmentDefinitionNode]) -> None:
    """A fragment that spreads itself (directly or not) never ends: refused, as the spec says."""
    state: dict[str, int] = {}  # 1 visiting, 2 done

    def spreads(selection_set: SelectionSetNode | None) -> Iterator[str]:
        stack = [selection_set]
        while stack:
            current = stack.pop()
            if current is None:
                continue
            for selection in current.selections:
                if isinstance(selection, FragmentSpreadNode):
                    yield selection.name.value
                else:
                    stack.append(getattr(selection, "selection_set", None))

    for start, definition in fragments.items():
        if state.get(start):
            continue
        path: list[tuple[str, Iterator[str]]] = [(start, spreads(definition.selection_set))]
        state[start] = 1
        while path:
            name, children = path[-1]
            child = next(children, None)
            if child is None:
                state[name] = 2
                path.pop()
                continue
            if child not in fragments:
                raise ShapeError(400, "graphql.fragment", f"unknown fragment {child[:64]!r}")
            if state.get(child) == 1:
                raise ShapeError(400, "graphql.fragment_cycle", f"fragment {child[:64]!r} spreads itself")
            if not state.get(child):
                state[child] = 1
                path.append((child, spreads(fragments[child].selection_set)))


class _Walk:
    """One operation's walk; fragments are expanded where they are spread."""

    def __init__(self, analyzer: Analyzer, fragments: dict[str, FragmentDefinitionNode]) -> None:
        self.a = analyzer
        self.fragments = fragments
        self.depth = 0
        self.aliases = 0
        self.directives = 0
        self.fields = 0
        self.introspection = False
        self.watched: list[FieldUse] = []
        self.strings: list[tuple[str, str]] = []
        self.constant = 0
        self.variable: dict[tuple[tuple[str, int], ...], int] = {}
        self.defaults: dict[str, Any] = {}

    def operation(self, node: OperationDefinitionNode) -> OperationShape:
        kind = node.operation.value
        self.directives += len(node.directives or ())
        for definition in node.variable_definitions or ():
            if definition.default_value is not None:
                self.defaults[definition.variable.name.value] = value_from_ast_untyped(definition.default_value)
        root_type = self._root_type(kind)
        type_name = root_type.name if root_type is not None else kind.capitalize()
        roots: list[str] = []
        self._selections(node.selection_set, root_type, type_name, 1, 1, (), False, (), "", "", roots)
        limits = self.a.limits
        for value, limit, rule, what in (
            (self.depth, limits.max_depth, "graphql.depth", "depth"),
            (self.aliases, limits.max_aliases, "graphql.aliases", "aliases"),
            (self.directives, limits.max_directives, "graphql.directives", "directives"),
        ):
            if value > limit:
                raise ShapeError(400, rule, f"{what} {value}, more than {limit}")
        return OperationShape(
            name=node.name.value if node.name else None,
            kind=kind,
            depth=self.depth,
            aliases=self.aliases,
            directives=self.directives,
            fields=self.fields,
            introspection=self.introspection,
            root_fields=tuple(dict.fromkeys(roots)),
            watched=tuple(self.watched),
            strings=tuple(self.strings),
            constant_cost=self.constant,
            variable_cost=tuple((weight, sizes) for sizes, weight in self.variable.items()),
        )

    def _root_type(self, kind: str) -> GraphQLNamedType | None:
        schema = self.a.schema
        if schema is None:
            return None
        root = {"query": schema.query_type, "mutation": schema.mutation_type, "subscription": schema.subscription_type}[
            kind
        ]
        if root is None:
            raise ShapeError(400, "graphql.operation", f"the schema has no {kind} type")
        return root

    def _selections(
        self,
        selection_set: SelectionSetNode | None,
        parent: GraphQLNamedType | None,
        parent_name: str,
        depth: int,
        constant: int,
        sizes: tuple[tuple[str, int], ...],
        sized_parent: bool,
        arguments: tuple[tuple[str, ValueNode], ...],
        location: str,
        route: str,
        roots: list[str] | None,
    ) -> None:
        if selection_set is None:
            return
        for selection in selection_set.selections:
            self.directives += len(selection.directives or ())
            if isinstance(selection, FieldNode):
                self._field(
                    selection,
                    parent,
                    parent_name,
                    depth,
                    constant,
                    sizes,
                    sized_parent,
                    arguments,
                    location,
                    route,
                    roots,
                )
            elif isinstance(selection, InlineFragmentNode):
                target, target_name = self._condition(
                    selection.type_condition.name.value if selection.type_condition else None, parent, parent_name
                )
                self._selections(
                    selection.selection_set,
                    target,
                    target_name,
                    depth,
                    constant,
                    sizes,
                    sized_parent,
                    arguments,
                    location,
                    route,
                    roots,
                )
            else:
                assert isinstance(selection, FragmentSpreadNode)
                fragment = self.fragments.get(selection.name.value)
                if fragment is None:
                    raise ShapeError(400, "graphql.fragment", f"unknown fragment {selection.name.value[:64]!r}")
                self.directives += len(fragment.directives or ())
                target, target_name = self._condition(fragment.type_condition.name.value, parent, parent_name)
                self._selections(
                    fragment.selection_set,
                    target,
                    target_name,
                    depth,
                    constant,
                    sizes,
                    sized_parent,
                    arguments,
                    location,
                    route,
                    roots,
                )

    def _condition(
        self, name: str | None, parent: GraphQLNamedType | None, parent_name: str
    ) -> tuple[GraphQLNamedType | None, str]:
        if name is None:
            return parent, parent_name
        if self.a.schema is None:
            return None, name
        return self.a.schema.get_type(name), name

    def _field(
        self,
        node: FieldNode,
        parent: GraphQLNamedType | None,
        parent_name: str,
        depth: int,
        constant: int,
        sizes: tuple[tuple[str, int], ...],
        sized_parent: bool,
        arguments: tuple[tuple[str, ValueNode], ...],
        location: str,
        route: str,
        roots: list[str] | None,
    ) -> None:
        self.fields += 1
        if self.fields > self.a.limits.max_fields:
            raise ShapeError(400, "graphql.fields", f"more than {self.a.limits.max_fields} fields selected")
        name = node.name.value
        if node.alias is not None:
            self.aliases += 1
        self.depth = max(self.depth, depth)
        where = (
            f"{location}.{node.alias.value if node.alias else name}"
            if location
            else (node.alias.value if node.alias else name)
        )
        route = f"{route}.{name}" if route else name
        if name == "__typename":
            return
        qualified = f"{parent_name}.{name}"
        if roots is not None:
            roots.append(qualified)
        if name in INTROSPECTION_FIELDS:
            self.introspection = True
        own = tuple((argument.name.value, argument.value) for argument in node.arguments or ())
        in_scope = arguments + own if own else arguments
        for argument_name, value in own:
            self._strings(value, f"{where}({argument_name})")
        watched = self.a.watched
        child_type = self._child_type(parent, name)
        if qualified in watched or parent_name in watched or (roots is not None and name in watched):
            self.watched.append(FieldUse(qualified, name, parent_name, roots is not None, where, route, in_scope))

        weight = self.a.weights.get(qualified, 1)
        if sizes:
            self.variable[sizes] = self.variable.get(sizes, 0) + weight * constant
        else:
            self.constant += weight * constant
        if node.selection_set is None:
            return
        # How many times the sub-selection is resolved: the size argument, a list's default, or once.
        size_argument = next((value for key, value in own if key in self.a.size_arguments), None)
        child_constant, child_sizes, sized = constant, sizes, False
        if size_argument is not None:
            sized = True
            if isinstance(size_argument, VariableNode):
                variable = size_argument.name.value
                child_sizes = (*sizes, (variable, self.defaults.get(variable, self.a.default_list)))
            else:
                child_constant *= list_size(value_from_ast_untyped(size_argument), f"{qualified} size", self.a.max_list)
        elif child_type is not None and child_type[1] and not sized_parent:
            child_constant *= self.a.default_list
        named = child_type[0] if child_type is not None else None
        self._selections(
            node.selection_set,
            named,
            named.name if named is not None else f"{qualified}",
            depth + 1,
            child_constant,
            child_sizes,
            sized,
            own,
            where,
            route,
            None,
        )

    def _child_type(self, parent: GraphQLNamedType | None, name: str) -> tuple[GraphQLNamedType, bool] | None:
        fields = getattr(parent, "fields", None)
        if not fields:
            return None
        definition = fields.get(name)
        if definition is None:
            return None
        return get_named_type(definition.type), is_list_type(get_nullable_type(definition.type))

    def _strings(self, value: ValueNode, where: str) -> None:
        stack: list[tuple[ValueNode, str]] = [(value, where)]
        while stack:
            current, at = stack.pop()
            if isinstance(current, StringValueNode):
                self.strings.append((at, current.value))
            elif isinstance(current, ListValueNode):
                stack.extend((item, f"{at}.{index}") for index, item in enumerate(current.values))
            elif isinstance(current, ObjectValueNode):
                stack.extend((item.value, f"{at}.{item.name.value}") for item in current.fields)
