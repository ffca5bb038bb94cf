"""The schema object, with the limits of this deployment."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import strawberry
from graphql import NoSchemaIntrospectionCustomRule
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
)

from qingchun_gateway.limits import CostLimiter, PersistedQueriesOnly, load_allow_list
from qingchun_gateway.schema.mutation import Mutation
from qingchun_gateway.schema.query import Query
from qingchun_gateway.schema.subscription import Subscription
from qingchun_gateway.settings import GatewaySettings

PARSED_DOCUMENTS = 256
"""Distinct query texts kept parsed: the front end sends the same few documents again and again."""


def extensions(settings: GatewaySettings) -> list[Callable[[], SchemaExtension]]:
    """Factories, so every request gets fresh extension instances."""
    chosen: list[Callable[[], SchemaExtension]] = [
        partial(ParserCache, maxsize=PARSED_DOCUMENTS),
        partial(MaxTokensLimiter, max_token_count=settings.max_tokens),
        partial(QueryDepthLimiter, max_depth=settings.max_depth),
        partial(MaxAliasesLimiter, max_alias_count=settings.max_aliases),
        partial(CostLimiter, max_cost=settings.max_cost),
    ]
    if settings.production:
        chosen.append(partial(AddValidationRules, [NoSchemaIntrospectionCustomRule]))
    if settings.persisted_queries_only:
        allowed = load_allow_list()
        chosen.append(partial(PersistedQueriesOnly, allowed=allowed))
    return chosen


def build_schema(settings: GatewaySettings) -> strawberry.Schema:
    return strawberry.Schema(
        query=Query, mutation=Mutation, subscription=Subscription, extensions=extensions(settings)
    )


def sdl() -> str:
    """The schema as committed in gateway/schema.graphql (limits do not change it)."""
    return build_schema(GatewaySettings()).as_str() + "\n"
