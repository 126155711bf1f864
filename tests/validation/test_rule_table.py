"""The rule table accounts for every national id, names registered checks, and docs/rules.md is current."""

from __future__ import annotations

import re
from pathlib import Path

from iapt_desktop.domain.dataset import tables
from iapt_desktop.validation.check_registry import CHECKS, NOT_RUN
from iapt_desktop.validation.engine import compile_rules
from iapt_desktop.validation.rules import all_rules, explanation, rule, rules_by_id
from iapt_desktop.validation.rules_doc import render_rules_doc

ROOT = Path(__file__).resolve().parents[2]
NATIONAL_ID = re.compile(r"^IDS(REJ\d{3}|\d{5})$")


def test_all_382_national_ids_are_accounted_for_once() -> None:
    ids = [item.id for item in all_rules()]
    assert len(ids) == len(set(ids))
    national = [i for i in ids if not i.startswith("LOCAL-")]
    assert len(national) == 382
    assert all(NATIONAL_ID.match(i) for i in national)
    assert all(re.match(r"^LOCAL-IDS\d{3}-\d{2}$", i) for i in ids if i.startswith("LOCAL-"))


def test_every_rule_names_a_known_check_table_and_fields() -> None:
    for item in all_rules():
        assert item.check in CHECKS or item.check in NOT_RUN, item.id
        assert item.runnable == (item.check not in NOT_RUN), item.id
        if item.table:
            assert item.table in tables(), item.id
            if item.runnable:
                columns = set(tables()[item.table].column_names)
                assert set(item.fields) <= columns, item.id
        assert item.message and item.action, item.id


def test_the_v2_1_adaptations_are_applied() -> None:
    assert rule("IDS10117").fields == ("SourceOfReferralIAPT",)
    assert rule("IDS20120").fields == ("ConsMechanism",)
    assert rule("IDS00003").params == {"values": "2.1"}
    for removed in ("IDS00155", "IDS00156", "IDS00217", "IDS00218", "IDS00219", "IDS00421", "IDS00422",
                    "IDS00429", "IDS00430"):
        assert rule(removed).status == "not_applicable"
        assert "removed" in rule(removed).note
    assert {item.table for item in all_rules() if item.id.startswith("LOCAL-IDS003")} == {"IDS003AccommStatus"}
    assert {item.table for item in all_rules() if item.id.startswith("LOCAL-IDS601")} == {"IDS601MedHistPrevDiag"}


def test_reference_data_rules_say_how_they_could_be_checked_offline() -> None:
    reference = [item for item in all_rules() if item.status == "reference_data"]
    assert {item.id for item in reference} == {"IDS00034", "IDS00154", "IDS10110", "IDS20147", "IDS10519",
                                               "IDS00206", "IDS20149", "IDS00125"}
    assert all("Offline option" in item.note for item in reference)


def test_every_runnable_rule_compiles() -> None:
    compiled = compile_rules(all_rules())
    count = sum(len(checks) for checks in compiled.row_checks.values())
    count += sum(len(checks) for checks in compiled.set_checks.values())
    assert count == sum(1 for item in all_rules() if item.runnable)


def test_explanations_are_plain_words_per_rule() -> None:
    assert "Fill in" in explanation("IDS20106")
    assert explanation("IDSREJ006").endswith("NHS England refuses the whole file until this is fixed.")
    assert len(rules_by_id()) == len(all_rules())


def test_docs_rules_md_is_generated_from_the_rule_table() -> None:
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert text == render_rules_doc(), "docs/rules.md is stale: run scripts/write_rules_doc.py"
    for item in all_rules():
        assert f"| {item.id} |" in text
