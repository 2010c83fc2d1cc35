"""Prompt files (`prompts/*.yaml`): strict templates with a version that outcomes record.

A prompt file holds `instructions` (the system prompt an LLM gets) and named `templates`
(the replies the embedded path fills in), written in English. `translations` holds the same
templates in other languages, one complete block per language, so that a customer who writes
in German is answered in German. Code declares, per template, which variables it supplies and
which must appear; loading refuses unknown keys, unknown or missing variables, incomplete
languages and anything but plain `{name}` placeholders, naming the file and the key.
"""

from __future__ import annotations

import hashlib
import re
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
    translations: dict[str, dict[str, str]] = Field(default_factory=dict)
    """Language code (`de`) -> every template of `templates`, in that language."""


BASE_LANGUAGE = "en"
"""The language of `templates`; tickets in a language without translations are answered in it."""

_LANGUAGE_CODE = re.compile(r"^[a-z]{2}$")


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

    @property
    def languages(self) -> frozenset[str]:
        """The languages this file's templates are written in."""
        return frozenset({BASE_LANGUAGE, *self.file.translations})

    def speaks(self, language: str) -> bool:
        return language in self.languages

    def render(self, template: str, *, language: str = BASE_LANGUAGE, **values: object) -> str:
        """The template in `language`; in English when the file has no such translation."""
        text = self.file.translations.get(language, self.file.templates)[template]
        return text.format_map({k: "" if v is None else v for k, v in values.items()})

    def render_instructions(self, **values: object) -> str:
        return self.file.instructions.format_map(values)


def _check_templates(templates: dict[str, str], spec: PromptSpec, *, file: str, key: str) -> None:
    """One language's templates: every template the code uses, each with valid variables."""
    for name in sorted(spec.templates.keys() - templates.keys()):
        why = "" if key == "templates" else ": a language must translate every template"
        raise ConfigError(f"template is missing{why}", file=file, key=f"{key}.{name}")
    for name, text in templates.items():
        if name not in spec.templates:
            expected = ", ".join(sorted(spec.templates)) or "none"
            raise ConfigError(
                f"unknown template (expected: {expected})", file=file, key=f"{key}.{name}"
            )
        _check(text, spec.templates[name], file=file, key=f"{key}.{name}")


def load_prompt(path: Path, spec: PromptSpec) -> Prompt:
    """Load and check one prompt file against what the code supplies."""
    data = validate_file(path, PromptFile, read_yaml(path))
    file = str(path)
    _check(data.instructions, spec.instructions, file=file, key="instructions")
    _check_templates(data.templates, spec, file=file, key="templates")
    for language, templates in data.translations.items():
        key = f"translations.{language}"
        if not _LANGUAGE_CODE.match(language):
            raise ConfigError(
                "not a language code: use a two-letter ISO 639-1 code such as de",
                file=file,
                key=key,
            )
        if language == BASE_LANGUAGE:
            raise ConfigError(
                "`templates` are the English wording: edit them there", file=file, key=key
            )
        _check_templates(templates, spec, file=file, key=key)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return Prompt(name=path.stem, path=path, file=data, digest=digest)
