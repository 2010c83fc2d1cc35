"""Load and cross-check the policy files; every error names the file and the key."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

from deskroute.errors import ConfigError, did_you_mean
from deskroute.policies.alerts import AlertsPolicy
from deskroute.policies.assignment import AssignmentPolicy
from deskroute.policies.models import ModelsPolicy
from deskroute.policies.notifications import Notifications
from deskroute.policies.schema import (
    Examples,
    Intake,
    Policies,
    Routing,
    Rules,
    SignalsPolicy,
    Specialists,
    Taxonomy,
)
from deskroute.policies.sla import SlaPolicy, sla_problem

M = TypeVar("M", bound=BaseModel)

FILES: dict[str, type[BaseModel]] = {
    "taxonomy.yaml": Taxonomy,
    "rules.yaml": Rules,
    "routing.yaml": Routing,
    "signals.yaml": SignalsPolicy,
    "specialists.yaml": Specialists,
    "intake.yaml": Intake,
    "notifications.yaml": Notifications,
    "sla.yaml": SlaPolicy,
    "assignment.yaml": AssignmentPolicy,
    "models.yaml": ModelsPolicy,
    "alerts.yaml": AlertsPolicy,
}


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when PyYAML was built with it: the policies and prompts parse ten
times faster, and every workspace reads them all."""


def read_yaml(path: Path) -> Any:
    """Parse a YAML file, turning syntax errors into a `ConfigError` with the line."""
    if not path.is_file():
        raise ConfigError("file is missing", file=str(path))
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"{where}invalid YAML: {problem}", file=str(path)) from exc
    except UnicodeDecodeError as exc:
        raise ConfigError("file is not UTF-8 text", file=str(path)) from exc


def error_key(loc: tuple[int | str, ...]) -> str:
    """Render a pydantic error location as `categories.billing.queue` or `rules[2].phrases`."""
    key = ""
    for part in loc:
        key += f"[{part}]" if isinstance(part, int) else (f".{part}" if key else str(part))
    return key or "(top level)"


def _unwrap(annotation: Any) -> Any:
    """`Annotated[X, ...]` and `X | None` -> X."""
    while True:
        if get_origin(annotation) is Annotated:
            annotation = get_args(annotation)[0]
        elif get_origin(annotation) in (Union, UnionType):
            annotation = next(a for a in get_args(annotation) if a is not type(None))
        else:
            return annotation


def known_keys(model: type[BaseModel], loc: tuple[int | str, ...]) -> list[str]:
    """The keys allowed where `loc` points: the fields of the model that holds its last part
    (none when the path leads elsewhere)."""
    current: Any = model
    for part in loc[:-1]:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            current = field.annotation if field else None
        elif get_origin(current) in (dict, list):
            current = get_args(current)[-1]  # a mapping's value, a list's item
        else:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def validate_file(path: Path, model: type[M], data: Any) -> M:
    """Validate parsed data against a model; the first error names the key. An unknown key
    comes first: a misspelt key also makes the real one look missing, and the spelling is
    what to fix."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        first = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
        message = first["msg"]
        if first["type"] == "extra_forbidden":
            key = str(first["loc"][-1])
            message = f"unknown key {key}{did_you_mean(key, known_keys(model, first['loc']))}"
        elif first["type"] == "literal_error":
            message = f"{first['input']!r} is not known here. {message}"
        extra = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise ConfigError(message + extra, file=str(path), key=error_key(first["loc"])) from exc


def _load_examples(directory: Path, taxonomy: Taxonomy) -> tuple[dict[str, list[str]], str]:
    digest = hashlib.sha256()
    examples: dict[str, list[str]] = {}
    for path in sorted(directory.glob("*.yaml")):
        data = validate_file(path, Examples, read_yaml(path))
        if data.category not in taxonomy.categories:
            raise ConfigError(
                f"category {data.category!r} is not in taxonomy.yaml",
                file=str(path),
                key="category",
            )
        if data.category in examples:
            raise ConfigError(
                f"category {data.category!r} already has an examples file",
                file=str(path),
                key="category",
            )
        examples[data.category] = data.examples
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for name in taxonomy.categories:
        count = len(examples.get(name, []))
        if count < taxonomy.min_examples:
            raise ConfigError(
                f"category {name!r} has {count} examples in examples/, "
                f"needs at least {taxonomy.min_examples}",
                file=str(directory.parent / "taxonomy.yaml"),
                key=f"categories.{name}",
            )
    return examples, digest.hexdigest()[:16]


def _cross_check(directory: Path, p: dict[str, Any]) -> None:
    taxonomy: Taxonomy = p["taxonomy"]
    specialists: Specialists = p["specialists"]
    cats = taxonomy.categories

    def fail(file: str, key: str, message: str) -> None:
        raise ConfigError(message, file=str(directory / file), key=key)

    for name, cat in cats.items():
        if cat.specialist not in specialists.specialists:
            fail(
                "taxonomy.yaml",
                f"categories.{name}.specialist",
                f"specialist {cat.specialist!r} is not defined in specialists.yaml",
            )
    for i, rule in enumerate(p["rules"].rules):
        for field in ("category", "when_category"):
            value = getattr(rule, field)
            if value and value not in cats:
                fail("rules.yaml", f"rules[{i}].{field}", f"unknown category {value!r}")
    for name, spec in specialists.specialists.items():
        for j, handoff in enumerate(spec.handoffs):
            if handoff.to not in cats:
                fail(
                    "specialists.yaml",
                    f"specialists.{name}.handoffs[{j}].to",
                    f"unknown category {handoff.to!r}",
                )
    signals: SignalsPolicy = p["signals"]
    for i, name in enumerate(signals.negative_signals):
        if name not in signals.signals:
            fail("signals.yaml", f"negative_signals[{i}]", f"unknown signal {name!r}")
    if problem := sla_problem(p["sla"]):
        fail("sla.yaml", *problem)
    intake: Intake = p["intake"]
    if intake.default_language not in intake.languages:
        fail("intake.yaml", "default_language", "must be one of `languages`")
    notifications: Notifications = p["notifications"]
    for key, message in notifications.problems(cats):
        fail("notifications.yaml", key, message)
    alerts: AlertsPolicy = p["alerts"]
    for key, message in alerts.problems(cats):
        fail("alerts.yaml", key, message)
    try:
        intake.customer_id_regex  # noqa: B018 - compiling is the check
    except re.error as exc:
        raise ConfigError(
            f"not a valid regular expression: {exc}",
            file=str(directory / "intake.yaml"),
            key="customer_id_pattern",
        ) from exc


def load_policies(directory: Path) -> Policies:
    """Read every policy file in `directory` and check that they agree with each other."""
    if not directory.is_dir():
        raise ConfigError("policies directory does not exist", file=str(directory))
    parsed: dict[str, Any] = {}
    digest = hashlib.sha256()
    for filename, model in FILES.items():
        path = directory / filename
        parsed[filename.removesuffix(".yaml")] = validate_file(path, model, read_yaml(path))
        digest.update(path.read_bytes())
    _cross_check(directory, parsed)
    examples, examples_digest = _load_examples(directory / "examples", parsed["taxonomy"])
    return Policies(
        **parsed,
        examples=examples,
        digest=digest.hexdigest()[:16],
        examples_digest=examples_digest,
    )
