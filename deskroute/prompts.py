"""Prompt files (`prompts/*.yaml`): strict templates with a version that outcomes record.

A prompt file holds `instructions` (the system prompt an LLM gets) and named `templates`
(the replies the embedded path fills in). Code declares, per template, which variables it
supplies and which must appear; loading refuses unknown keys, unknown or missing variables,
and anything but plain `{name}` placeholders, naming the file and the key.
"""

from __future__ import annotations

import hashlib
import string
from dataclasses import dataclass, field, replace
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from deskroute.errors import ConfigError
from deskroute.policies.loader import read_yaml, validate_file


class PromptFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1)
    description: str
    instructions: str = Field(min_length=1)
    templates: dict[str, str] = Field(default_factory=dict)


@dataclass(frozen=True)
class TemplateSpec:
    """Variables a template may use (`allowed`) and those it must use (`required`)."""

    allowed: frozenset[str]
    required: frozenset[str] = frozenset()

    @classmethod
    def of(cls, allowed: str, required: str = "") -> TemplateSpec:
        return cls(frozenset(allowed.split()), frozenset(required.split()))


@dataclass(frozen=True)
class PromptSpec:
    """What code expects of a prompt file."""

    instructions: TemplateSpec = field(default_factory=lambda: TemplateSpec(frozenset()))
    templates: dict[str, TemplateSpec] = field(default_factory=dict)


def placeholders(text: str, *, file: str, key: str) -> set[str]:
    """The `{name}` fields of a template; anything fancier is refused."""
    names: set[str] = set()
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise ConfigError(
            f"broken placeholder: {exc} (write {{{{ and }}}} for braces)", file=file, key=key
        ) from exc
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            raise ConfigError(
                f"placeholder {{{name}}} is not allowed: use plain {{name}} placeholders",
                file=file,
                key=key,
            )
        names.add(name)
    return names


def _check(text: str, spec: TemplateSpec, *, file: str, key: str) -> None:
    used = placeholders(text, file=file, key=key)
    if unknown := used - spec.allowed:
        allowed = ", ".join(sorted(spec.allowed)) or "none"
        raise ConfigError(
            f"unknown template variable(s) {sorted(unknown)}; allowed here: {allowed}",
            file=file,
            key=key,
        )
    if missing := spec.required - used:
        raise ConfigError(
            f"missing required template variable(s) {sorted(missing)}", file=file, key=key
        )


@dataclass(frozen=True)
class Prompt:
    name: str
    path: Path
    file: PromptFile
    digest: str

    @property
    def version(self) -> str:
        """`name@v3+1a2b3c4d`: the declared version and the content hash."""
        return f"{self.name}@v{self.file.version}+{self.digest[:8]}"

    def sent_with(self, part: Prompt) -> Prompt:
        """This prompt as sent together with a shared part (the specialists' guardrails): the
        content hash covers both files, so editing either one changes the version."""
        digest = hashlib.sha256(f"{self.digest} {part.digest}".encode()).hexdigest()
        return replace(self, digest=digest)

    def render(self, template: str, **values: object) -> str:
        text = self.file.templates[template]
        return text.format_map({k: "" if v is None else v for k, v in values.items()})

    def render_instructions(self, **values: object) -> str:
        return self.file.instructions.format_map(values)


def load_prompt(path: Path, spec: PromptSpec) -> Prompt:
    """Load and check one prompt file against what the code supplies."""
    data = validate_file(path, PromptFile, read_yaml(path))
    file = str(path)
    _check(data.instructions, spec.instructions, file=file, key="instructions")
    for name in spec.templates.keys() - data.templates.keys():
        raise ConfigError("template is missing", file=file, key=f"templates.{name}")
    for name, text in data.templates.items():
        if name not in spec.templates:
            expected = ", ".join(sorted(spec.templates)) or "none"
            raise ConfigError(
                f"unknown template (expected: {expected})", file=file, key=f"templates.{name}"
            )
        _check(text, spec.templates[name], file=file, key=f"templates.{name}")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return Prompt(name=path.stem, path=path, file=data, digest=digest)
