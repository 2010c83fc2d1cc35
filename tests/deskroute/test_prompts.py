"""Prompt files are strict templates: unknown or missing variables fail on load."""

from __future__ import annotations

from pathlib import Path

import pytest

from deskroute.errors import ConfigError
from deskroute.prompts import PromptSpec, TemplateSpec, load_prompt
from deskroute.settings import PROJECT_ROOT
from specialists.registry import GUARDRAILS_SPEC, SPECIALISTS

SPEC = PromptSpec(
    instructions=TemplateSpec.of("company"),
    templates={"hello": TemplateSpec.of("name invoice", required="invoice")},
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sample.yaml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """version: 2
description: test
instructions: "You work for {company}."
templates:
  hello: "Hi {name}, invoice {invoice} is paid."
"""


def test_loads_and_renders(tmp_path: Path) -> None:
    prompt = load_prompt(write(tmp_path, GOOD), SPEC)
    assert prompt.render("hello", name="Ann", invoice="INV-1") == "Hi Ann, invoice INV-1 is paid."
    assert prompt.version.startswith("sample@v2+") and len(prompt.version) == len("sample@v2+") + 8


def test_version_changes_with_content(tmp_path: Path) -> None:
    first = load_prompt(write(tmp_path, GOOD), SPEC).version
    second = load_prompt(write(tmp_path, GOOD.replace("is paid", "was paid")), SPEC).version
    assert first != second


def test_unknown_variable(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_prompt(write(tmp_path, GOOD.replace("{name}", "{customer}")), SPEC)
    assert caught.value.key == "templates.hello"
    assert "customer" in caught.value.message


def test_missing_required_variable(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_prompt(write(tmp_path, GOOD.replace("invoice {invoice}", "the invoice")), SPEC)
    assert "missing" in caught.value.message and "invoice" in caught.value.message


def test_unknown_template_and_missing_template(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_prompt(write(tmp_path, GOOD.replace("  hello:", "  helo:")), SPEC)
    assert caught.value.key in ("templates.hello", "templates.helo")


def test_unknown_top_level_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_prompt(write(tmp_path, GOOD + "temperature: 0.2\n"), SPEC)
    assert caught.value.key == "temperature"


def test_format_tricks_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="plain"):
        load_prompt(write(tmp_path, GOOD.replace("{name}", "{name.__class__}")), SPEC)
    with pytest.raises(ConfigError, match="broken placeholder"):
        load_prompt(write(tmp_path, GOOD.replace("{name}", "{name")), SPEC)


def test_instructions_checked_too(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_prompt(write(tmp_path, GOOD.replace("{company}", "{secret}")), SPEC)
    assert caught.value.key == "instructions"


@pytest.mark.parametrize("name", sorted(SPECIALISTS))
def test_every_specialist_prompt_file_is_valid(name: str) -> None:
    prompt = load_prompt(PROJECT_ROOT / "prompts" / f"{name}.yaml", SPECIALISTS[name].prompt_spec)
    assert prompt.file.version >= 1


def test_guardrails_must_list_the_approval_tools(tmp_path: Path) -> None:
    shipped = (PROJECT_ROOT / "prompts" / "guardrails.yaml").read_text(encoding="utf-8")
    assert load_prompt(PROJECT_ROOT / "prompts" / "guardrails.yaml", GUARDRAILS_SPEC)
    with pytest.raises(ConfigError) as caught:
        load_prompt(write(tmp_path, shipped.replace(": {approval_tools}.", ".")), GUARDRAILS_SPEC)
    assert caught.value.key == "instructions" and "approval_tools" in caught.value.message
    assert caught.value.file.endswith("sample.yaml")
    renamed = shipped.replace("{approval_tools}", "{tools}")
    with pytest.raises(ConfigError, match="unknown template variable"):
        load_prompt(write(tmp_path, renamed), GUARDRAILS_SPEC)


TRANSLATED = (
    GOOD
    + """translations:
  de:
    hello: "Hallo {name}, Rechnung {invoice} ist bezahlt."
  fr:
    hello: "Bonjour {name}, la facture {invoice} est payée."
"""
)


def test_translations_render_in_the_ticket_language(tmp_path: Path) -> None:
    prompt = load_prompt(write(tmp_path, TRANSLATED), SPEC)
    assert prompt.languages == {"en", "de", "fr"} and prompt.speaks("de")
    hello = {"name": "Ann", "invoice": "INV-1"}
    german = prompt.render("hello", language="de", **hello)
    assert german == "Hallo Ann, Rechnung INV-1 ist bezahlt."
    assert prompt.render("hello", language="fr", **hello).startswith("Bonjour Ann")
    # a language without templates is answered in English
    assert not prompt.speaks("ja")
    assert prompt.render("hello", language="ja", **hello) == "Hi Ann, invoice INV-1 is paid."


def test_a_translation_changes_the_version(tmp_path: Path) -> None:
    first = load_prompt(write(tmp_path, TRANSLATED), SPEC).version
    second = load_prompt(write(tmp_path, TRANSLATED.replace("ist bezahlt", "wurde bezahlt")), SPEC)
    assert first != second.version


def test_a_translation_follows_the_same_variable_rules(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_prompt(write(tmp_path, TRANSLATED.replace("Rechnung {invoice}", "{betrag}")), SPEC)
    assert caught.value.key == "translations.de.hello"
    assert "betrag" in caught.value.message and caught.value.file.endswith("sample.yaml")
    with pytest.raises(ConfigError) as caught:
        load_prompt(write(tmp_path, TRANSLATED.replace("la facture {invoice}", "tout")), SPEC)
    assert caught.value.key == "translations.fr.hello" and "missing" in caught.value.message


def test_a_language_block_must_be_complete(tmp_path: Path) -> None:
    incomplete = TRANSLATED.replace('    hello: "Hallo', '    helo: "Hallo')
    with pytest.raises(ConfigError) as caught:
        load_prompt(write(tmp_path, incomplete), SPEC)
    assert caught.value.key == "translations.de.hello"
    assert "every template" in caught.value.message


def test_a_language_block_is_named_by_its_code(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_prompt(write(tmp_path, TRANSLATED.replace("  de:", "  German:")), SPEC)
    assert caught.value.key == "translations.German" and "language code" in caught.value.message
    with pytest.raises(ConfigError) as caught:
        load_prompt(write(tmp_path, TRANSLATED.replace("  fr:", "  en:")), SPEC)
    assert caught.value.key == "translations.en" and "English" in caught.value.message
