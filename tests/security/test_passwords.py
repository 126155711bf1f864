"""Password policy: length, not common, not the user's name; delays after ten failures."""

from __future__ import annotations

import pytest

from iapt_desktop.domain.passwords import (
    FAILURES_BEFORE_DELAY,
    MAX_DELAY_SECONDS,
    common_passwords,
    delay_after_failures,
    password_problem,
)


@pytest.mark.parametrize("password", ["", "short", "elevenchars"])
def test_fewer_than_twelve_characters_are_refused_with_the_count(password: str) -> None:
    problem = password_problem(password)
    assert problem is not None and "at least 12" in problem and f"it has {len(password)}" in problem


@pytest.mark.parametrize("password", ["password1234", "Qwerty123456", "ILOVEYOU2024", "123456789012",
                                      "talkingtherapies", "aaaaaaaaaaaaaaaa", "abababababab"])
def test_common_and_repetitive_passwords_are_refused(password: str) -> None:
    problem = password_problem(password)
    assert problem is not None and "commonly used" in problem


def test_no_composition_rules_a_long_lower_case_passphrase_is_fine() -> None:
    assert password_problem("purple tractor under lamplight") is None
    assert password_problem("Mörkö-ja-muumi-42") is None


def test_a_password_that_is_mostly_the_users_name_is_refused() -> None:
    assert "your name" in str(password_problem("asmith-asmith", username="asmith"))
    assert password_problem("asmith prefers long quiet walks", username="asmith") is None


def test_surrounding_spaces_are_refused_rather_than_silently_trimmed() -> None:
    assert "space" in str(password_problem(" purple tractor under lamplight"))


def test_the_deny_list_is_a_few_thousand_long_passwords_in_lower_case() -> None:
    listed = common_passwords()
    assert 2000 <= len(listed) <= 10000
    assert all(len(p) >= 12 and p == p.lower() for p in listed)


def test_delays_start_after_ten_failures_double_and_are_capped() -> None:
    assert [delay_after_failures(n) for n in range(FAILURES_BEFORE_DELAY)] == [0] * FAILURES_BEFORE_DELAY
    assert delay_after_failures(10) == 30 and delay_after_failures(11) == 60
    assert delay_after_failures(40) == MAX_DELAY_SECONDS
