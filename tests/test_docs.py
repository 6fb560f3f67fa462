"""The reference documentation is written from the model and the import contract; a change to
either without regenerating the docs fails here."""

from __future__ import annotations

from orgnet.graph.settings import REPO
from orgnet.loaders import describe as describe_model
from orgnet.queries import describe as describe_questions


def test_the_reference_docs_match_the_declarations() -> None:
    for module in (describe_model, describe_questions):
        for name, render in module.DOCUMENTS.items():
            committed = (REPO / "docs" / name).read_text(encoding="utf-8")
            assert committed == render(), f"docs/{name} is stale: python -m {module.__name__} docs"


def test_every_enumeration_value_is_documented() -> None:
    from orgnet.graph.model import VOCABULARIES

    model = (REPO / "docs" / "model.md").read_text(encoding="utf-8")
    for vocabulary in VOCABULARIES.values():
        for choice in vocabulary.choices:
            assert f"| `{choice.code}` | {' / '.join(choice.names)} |" in model
