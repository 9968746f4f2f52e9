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
from dataclasses import dataclass, replace
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
            return self._document(document)
        except GraphQLError as exc:
            if "tokens" in exc.message and "more than" in exc.message:
                raise ShapeError(400, "graphql.tokens", f"more than {limits.max_tokens} tokens") from None
            raise ShapeError(400, "graphql.syntax", exc.message[:200]) from None
        except RecursionError:  # nesting (fragments within fragments) beyond what a parser or walk can follow
            raise ShapeError(400, "graphql.depth", "the document nests too deeply") from None

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


@dataclass(frozen=True, slots=True)
class _Scope:
    """Where the walk stands: the type selected on and what the enclosing fields contribute."""

    parent: GraphQLNamedType | None
    parent_name: str
    depth: int = 1
    constant: int = 1  # literal list sizes multiplied so far
    sizes: tuple[tuple[str, int], ...] = ()  # list sizes that come from variables
    sized_parent: bool = False  # the enclosing field had a size argument (a connection)
    arguments: tuple[tuple[str, ValueNode], ...] = ()  # the enclosing field's, for field rules
    location: str = ""  # response path, aliases included
    route: str = ""  # path by field names
    roots: list[str] | None = None  # set on the root selection: root fields are collected


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
        self._selections(node.selection_set, _Scope(parent=root_type, parent_name=type_name, roots=roots))
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

    def _selections(self, selection_set: SelectionSetNode | None, scope: _Scope) -> None:
        if selection_set is None:
            return
        for selection in selection_set.selections:
            self.directives += len(selection.directives or ())
            if isinstance(selection, FieldNode):
                self._field(selection, scope)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition.name.value if selection.type_condition else None
                self._selections(selection.selection_set, self._condition(condition, scope))
            else:
                assert isinstance(selection, FragmentSpreadNode)
                fragment = self.fragments.get(selection.name.value)
                if fragment is None:
                    raise ShapeError(400, "graphql.fragment", f"unknown fragment {selection.name.value[:64]!r}")
                self.directives += len(fragment.directives or ())
                self._selections(fragment.selection_set, self._condition(fragment.type_condition.name.value, scope))

    def _condition(self, name: str | None, scope: _Scope) -> _Scope:
        """The scope inside `... on Type`: selections there are on that type."""
        if name is None:
            return scope
        found = self.a.schema.get_type(name) if self.a.schema is not None else None
        return replace(scope, parent=found, parent_name=name)

    def _field(self, node: FieldNode, scope: _Scope) -> None:  # noqa: PLR0912  per field: every limit and fact about it counted in one visit
        self.fields += 1
        limits = self.a.limits
        if self.fields > limits.max_fields:
            raise ShapeError(400, "graphql.fields", f"more than {limits.max_fields} fields selected")
        if scope.depth > limits.max_depth:  # stop here: a deeper walk only costs more
            raise ShapeError(400, "graphql.depth", f"depth over {limits.max_depth}")
        name = node.name.value
        if node.alias is not None:
            self.aliases += 1
        self.depth = max(self.depth, scope.depth)
        shown = node.alias.value if node.alias else name
        where = f"{scope.location}.{shown}" if scope.location else shown
        route = f"{scope.route}.{name}" if scope.route else name
        if name == "__typename":
            return
        qualified = f"{scope.parent_name}.{name}"
        root = scope.roots is not None
        if scope.roots is not None:
            scope.roots.append(qualified)
        if name in INTROSPECTION_FIELDS:
            self.introspection = True
        own = tuple((argument.name.value, argument.value) for argument in node.arguments or ())
        for argument_name, value in own:
            self._strings(value, f"{where}({argument_name})")
        watched = self.a.watched
        child_type = self._child_type(scope.parent, name)
        if qualified in watched or scope.parent_name in watched or (root and name in watched):
            use = FieldUse(qualified, name, scope.parent_name, root, where, route, scope.arguments + own)
            self.watched.append(use)

        weight = self.a.weights.get(qualified, 1)
        if scope.sizes:
            self.variable[scope.sizes] = self.variable.get(scope.sizes, 0) + weight * scope.constant
        else:
            self.constant += weight * scope.constant
        if node.selection_set is None:
            return
        # How many times the sub-selection is resolved: the size argument, a list's default, or once.
        size_argument = next((value for key, value in own if key in self.a.size_arguments), None)
        constant, sizes = scope.constant, scope.sizes
        if size_argument is not None:
            if isinstance(size_argument, VariableNode):
                variable = size_argument.name.value
                sizes = (*sizes, (variable, self.defaults.get(variable, self.a.default_list)))
            else:
                constant *= list_size(value_from_ast_untyped(size_argument), f"{qualified} size", self.a.max_list)
        elif child_type is not None and child_type[1] and not scope.sized_parent:
            constant *= self.a.default_list
        named = child_type[0] if child_type is not None else None
        inner = _Scope(
            parent=named,
            parent_name=named.name if named is not None else qualified,
            depth=scope.depth + 1,
            constant=constant,
            sizes=sizes,
            sized_parent=size_argument is not None,
            arguments=own,
            location=where,
            route=route,
        )
        self._selections(node.selection_set, inner)

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
