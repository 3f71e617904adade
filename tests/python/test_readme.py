"""The README tells the truth about what it documents from the code."""

from __future__ import annotations

import re

from scripts.contract import PROJECT_DIR, contract_markdown
from scripts.publish.glossary import definitions_markdown


def readme() -> str:
    return (PROJECT_DIR / "README.md").read_text(encoding="utf-8")


def test_contract_section_is_the_contract_of_the_sources_yaml() -> None:
    section = re.search(r"<!-- contract:start -->\n(.*)<!-- contract:end -->", readme(), re.S)
    assert section, "README has no contract section"
    assert section.group(1).strip() == contract_markdown().strip()


def test_readme_names_the_two_commands_and_every_make_target_it_mentions() -> None:
    text = readme()
    assert "make run" in text and "make test" in text
    makefile = (PROJECT_DIR / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][a-z-]*):", makefile, re.M))
    for target in re.findall(r"`make ([a-z][a-z-]*)", text):
        assert target in targets, f"README mentions make {target}, the Makefile has no such target"


def test_definitions_section_is_the_glossary_of_the_publication() -> None:
    section = re.search(r"<!-- definitions:start -->\n(.*)<!-- definitions:end -->", readme(), re.S)
    assert section, "README has no definitions section"
    assert section.group(1) == definitions_markdown()
