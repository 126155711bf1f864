"""The inactivity policy: idle minutes clamped to 1..15, activity restarts the count, locked ignores input."""

from __future__ import annotations

import pytest

from iapt_desktop.domain.inactivity import DEFAULT_MINUTES, MAX_MINUTES, InactivityLock, lock_minutes


@pytest.mark.parametrize(("setting", "minutes"), [("10", 10), ("15", 15), ("60", MAX_MINUTES), ("0", 1),
                                                  ("", DEFAULT_MINUTES), (None, DEFAULT_MINUTES),
                                                  ("soon", DEFAULT_MINUTES), (5, 5)])
def test_the_setting_is_read_as_minutes_at_most_fifteen(setting: str | int | None, minutes: int) -> None:
    assert lock_minutes(setting) == minutes


def test_the_lock_is_due_after_the_idle_minutes_and_activity_restarts_the_count() -> None:
    policy = InactivityLock(minutes=2, last_activity=0)
    assert not policy.is_due(119)
    policy.touch(100)
    assert not policy.is_due(219) and policy.seconds_left(219) == 1
    assert policy.is_due(220)
    policy.lock()
    policy.touch(300)  # input while locked does not count
    assert policy.locked and policy.last_activity == 100
    assert not policy.is_due(1000)  # already locked
    policy.unlock(400)
    assert not policy.locked and policy.seconds_left(400) == 120


def test_a_policy_made_with_too_many_minutes_is_clamped() -> None:
    assert InactivityLock(minutes=90).idle_limit_seconds == MAX_MINUTES * 60
