"""Which outcome records to read: the filters of `deskroute outcomes list` and
`GET /v1/outcomes`, checked here once for both."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from deskroute.models.times import UtcDatetime

MAX_PAGE = 1000
MAX_OFFSET = 1_000_000_000


class OutcomeQuery(BaseModel):
    """Filters and a page of outcome records, newest first."""

    model_config = ConfigDict(frozen=True)

    category: str | None = Field(default=None, max_length=100, description="Only this category.")
    queue: str | None = Field(default=None, max_length=100, description="Only this queue.")
    escalated: bool | None = Field(
        default=None, description="Only escalated (true) or only routed (false) tickets."
    )
    since: UtcDatetime | None = Field(
        default=None, description="Created at or after this time (UTC unless it has a zone)."
    )
    until: UtcDatetime | None = Field(
        default=None, description="Created before this time (UTC unless it has a zone)."
    )
    limit: int = Field(default=50, ge=1, le=MAX_PAGE, description="Records per page.")
    offset: int = Field(default=0, ge=0, le=MAX_OFFSET, description="Records to skip.")

    @field_validator("until")
    @classmethod
    def _not_before_since(cls, until: datetime | None, info: ValidationInfo) -> datetime | None:
        since = info.data.get("since")  # absent when `since` itself was invalid
        if until is not None and since is not None and until < since:
            raise PydanticCustomError(
                "before_since",
                "must not be before since ({since})",
                {"since": since.isoformat()},
            )
        return until
