"""The review page's decision forms: a proposed action's arguments as typed inputs, and a
posted form read back into a `Decision`.

Every decision form posts to one URL with the same field names as the API's decision
(`action`, `index`, `category`, `reason`, `reply`, and `args.NAME` for an edited argument),
plus `form`, which names the form so that an error is shown next to it, and `tool`, whose
argument schema says which empty inputs mean "not set". The service checks the decision
itself; a problem found here is a `BadInputError` naming the field, as it would be there.
"""

from __future__ import annotations

import re
import types
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, Union, get_args, get_origin

from annotated_types import MaxLen
from pydantic import ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails
from starlette.datastructures import FormData

from deskroute.errors import BadInputError
from deskroute.models.review import REVIEW_ACTIONS, Decision, Misroute
from deskroute.web.auth import CSRF_FIELD
from specialists.tools import TOOLS

ARGS = "args."
InputKind = Literal["number", "text", "long", "choice"]
LONG_TEXT = 200
"""Text arguments that may be at least this long get a text area."""
_NEEDS = re.compile(r"needs (\w+)$")


@dataclass(frozen=True)
class ArgInput:
    """One argument of a proposed action, as a form input."""

    name: str
    """The form field: `args.` and the argument's name."""
    label: str
    kind: InputKind
    value: str
    required: bool
    optional: bool
    """It may be left empty: "not set" (a person settles it, or the tool's default applies)."""
    choices: tuple[tuple[str, str], ...] = ()
    """For a choice: (value, label) pairs."""


@dataclass(frozen=True)
class FormError:
    """A decision the service refused: shown next to the form it came from, which keeps
    what the reviewer typed."""

    form: str
    field: str | None
    message: str
    values: dict[str, str]
    """What the reviewer typed, by field name."""

    @classmethod
    def of(cls, exc: BadInputError, values: dict[str, str]) -> FormError:
        tool, _, rest = exc.message.partition(": ")
        message = rest if tool in TOOLS and rest else exc.message  # the form names the tool
        return cls(values.get("form", ""), exc.field, message, values)

    @property
    def label(self) -> str | None:
        """The field as its form labels it: `args.amount` -> `Amount`."""
        if self.field is None:
            return None
        if self.field == "args":
            return "Arguments"
        return _label(self.field.removeprefix(ARGS).split(".")[0])


def _without_none(annotation: Any) -> tuple[Any, bool]:
    """The annotation with `None` taken out, and whether it allowed `None`."""
    if get_origin(annotation) not in (Union, types.UnionType):
        return annotation, False
    members = [a for a in get_args(annotation) if a is not type(None)]
    optional = len(members) < len(get_args(annotation))
    return (members[0] if len(members) == 1 else annotation), optional


def _shown(value: Any) -> str:
    """An argument's value as an input shows it (amounts with their cents)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and round(value, 2) == value:
        return f"{value:.2f}"
    return str(value)


def _max_length(info: FieldInfo) -> int:
    return max((m.max_length for m in info.metadata if isinstance(m, MaxLen)), default=0)


def _label(name: str) -> str:
    text = name.replace("_", " ")
    return text[:1].upper() + text[1:]


def arg_inputs(
    tool: str, args: Mapping[str, Any], typed: Mapping[str, str] | None = None
) -> list[ArgInput]:
    """Inputs for `tool`'s arguments, filled with `args`, or with what the reviewer `typed`
    when the form comes back with an error."""
    known = TOOLS.get(tool)
    if known is None:
        return []
    inputs = []
    for name, info in known.args.model_fields.items():
        plain, optional = _without_none(info.annotation)
        key = f"{ARGS}{name}"
        current = args.get(name, None if info.is_required() else info.default)
        value = typed[key] if typed is not None and key in typed else _shown(current)
        choices: tuple[tuple[str, str], ...] = ()
        kind: InputKind = "text"
        if plain is bool:
            kind, choices = "choice", (("true", "Yes"), ("false", "No"))
        elif get_origin(plain) is Literal:
            kind = "choice"
            choices = tuple((str(v), _label(str(v))) for v in get_args(plain))
            if optional:
                choices = (("", "Not set"), *choices)
        elif plain in (int, float):
            kind = "number"
        elif plain is str and _max_length(info) >= LONG_TEXT:
            kind = "long"
        inputs.append(
            ArgInput(
                name=key,
                label=_label(name),
                kind=kind,
                value=value,
                required=info.is_required(),
                optional=optional,
                choices=choices,
            )
        )
    return inputs


def typed_values(form: FormData) -> dict[str, str]:
    """What the reviewer typed into a form (never the CSRF token)."""
    return {
        key: value
        for key, value in form.multi_items()
        if isinstance(value, str) and key != CSRF_FIELD
    }


def _text(form: FormData, name: str) -> str | None:
    value = form.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadInputError("expected text, not a file", field=name)
    return value.replace("\r\n", "\n")


def _args(form: FormData) -> dict[str, Any] | None:
    """The edited arguments, strings as typed (the tool's schema parses them); an empty input
    of an argument that may be left out means "not set"."""
    names = [key for key in form.keys() if key.startswith(ARGS)]
    if not names:
        return None
    tool = _text(form, "tool") or ""
    known = TOOLS.get(tool)
    if known is None:
        raise BadInputError(f"unknown tool {tool!r}", field="tool")
    fields = known.args.model_fields
    args: dict[str, Any] = {}
    for key in names:
        name = key.removeprefix(ARGS)
        value = _text(form, key) or ""
        optional = name in fields and _without_none(fields[name].annotation)[1]
        args[name] = None if optional and not value.strip() else value
    return args


def _field_of(error: ErrorDetails) -> str | None:
    """The decision field an error is about; a whole-decision error ("reject needs reason")
    names it in its message."""
    if error["loc"]:
        return ".".join(str(part) for part in error["loc"])
    found = _NEEDS.search(str(error["msg"]))
    return found.group(1) if found and found.group(1) in Decision.model_fields else None


def decision_from_form(form: FormData, *, reviewer: str) -> Decision:
    """The decision a posted form asks for, by the signed-in `reviewer`."""
    action = _text(form, "action") or ""
    if action not in REVIEW_ACTIONS:
        raise BadInputError(
            f"unknown action {action!r}; use one of {', '.join(REVIEW_ACTIONS)}", field="action"
        )
    fields: dict[str, Any] = {"action": action, "reviewer": reviewer}
    for name in ("category", "reason", "reply"):
        if (value := _text(form, name)) is not None:
            fields[name] = value
    if index := (_text(form, "index") or "").strip():
        if not index.isdigit():
            raise BadInputError(f"not a number: {index!r}", field="index")
        fields["index"] = int(index)
    if action == "edit":
        fields["args"] = _args(form)
    try:
        return Decision.model_validate(fields)
    except ValidationError as exc:
        first = exc.errors()[0]
        message = str(first["msg"]).removeprefix("Value error, ")
        raise BadInputError(message, field=_field_of(first)) from exc


def misroute_from_form(form: FormData, *, reviewer: str) -> Misroute:
    """The misroute flag a posted form asks for, by the signed-in `reviewer`."""
    fields: dict[str, Any] = {"reviewer": reviewer}
    for name in ("category", "note"):
        if value := _text(form, name):
            fields[name] = value
    try:
        return Misroute.model_validate(fields)
    except ValidationError as exc:
        first = exc.errors()[0]
        message = str(first["msg"]).removeprefix("Value error, ")
        raise BadInputError(message, field=_field_of(first)) from exc
