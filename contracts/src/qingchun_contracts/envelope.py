"""The CloudEvents 1.0 envelope every Qingchun message travels in."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from qingchun_contracts.base import EventData


class Envelope(BaseModel):
    """CloudEvents 1.0 attributes plus correlation, causation and W3C trace context."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str = Field(description="Unique event id; consumers deduplicate on it.")
    source: str = Field(description="The producing service, e.g. /qingchun/registry.")
    type: str = Field(description="qingchun.<service>.<entity>.<verb>.v<N>")
    specversion: Literal["1.0"] = "1.0"
    time: datetime
    subject: str | None = Field(default=None, description="Id of the entity the event is about.")
    datacontenttype: Literal["application/json"] = "application/json"
    data: dict[str, Any]
    correlationid: str | None = None
    causationid: str | None = None
    traceparent: str | None = None

    @classmethod
    def wrap(
        cls,
        data: EventData,
        *,
        source: str,
        subject: str | None = None,
        correlation_id: str | None = None,
        causation_id: str | None = None,
        traceparent: str | None = None,
        event_id: str | None = None,
        time: datetime | None = None,
    ) -> Envelope:
        """Put one event payload into a new envelope."""
        return cls(
            id=event_id or str(uuid.uuid4()),
            source=source,
            type=data.event_type,
            time=time or datetime.now(UTC),
            subject=subject,
            data=data.model_dump(mode="json"),
            correlationid=correlation_id,
            causationid=causation_id,
            traceparent=traceparent,
        )

    @property
    def routing_key(self) -> str:
        """The AMQP routing key for this envelope's type."""
        return self.type.removeprefix("qingchun.")

    def payload(self) -> EventData:
        """Parse ``data`` with the registered model of this envelope's type."""
        from qingchun_contracts.catalog import contract_for

        return contract_for(self.type).model_validate(self.data)
