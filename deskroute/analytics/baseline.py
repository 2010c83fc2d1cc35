"""The "before": the figures `deskroute audit --json` measured on the helpdesk's own history,
shown beside the current ones. Only these keys are read; the audit's others are ignored."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from deskroute.errors import BadInputError

Share = float


class Baseline(BaseModel):
    """What the audit measured before routing: incidents, the share reassigned at least once,
    the share that made its SLA, and time to assignment and resolution (seconds)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    incidents: int = Field(ge=0)
    reassigned_share: Share = Field(ge=0.0, le=1.0)
    sla_met_share: Share = Field(ge=0.0, le=1.0)
    time_to_assignment_p50_s: float | None = Field(default=None, ge=0.0)
    time_to_assignment_p90_s: float | None = Field(default=None, ge=0.0)
    time_to_resolution_p50_s: float | None = Field(default=None, ge=0.0)
    time_to_resolution_p90_s: float | None = Field(default=None, ge=0.0)


def load_baseline(path: Path) -> Baseline:
    """The audit's JSON in `path`; a clear error naming the file (and key) when it is not."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BadInputError(f"cannot read it: {exc.strerror or exc}", field=str(path)) from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BadInputError(f"not JSON: {exc}", field=str(path)) from exc
    try:
        return Baseline.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise BadInputError(
            f"{key}: {first['msg']} (the JSON `deskroute audit --json` prints)", field=str(path)
        ) from exc
