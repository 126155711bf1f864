"""The inactivity lock as a policy: after so many idle minutes (at most 15) patient data is hidden.

Pure: the caller reports activity and asks whether the lock is due, passing
the time (monotonic seconds).  ui/security/auto_lock.py drives it from Qt.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_MINUTES = 15
MIN_MINUTES = 1
DEFAULT_MINUTES = 10


def lock_minutes(setting: str | int | None) -> int:
    """The auto_lock_minutes setting as minutes, within 1..15 (the default when unset or not a number)."""
    try:
        minutes = int(str(setting).strip()) if setting not in (None, "") else DEFAULT_MINUTES
    except ValueError:
        minutes = DEFAULT_MINUTES
    return max(MIN_MINUTES, min(MAX_MINUTES, minutes))


@dataclass
class InactivityLock:
    minutes: int = DEFAULT_MINUTES
    last_activity: float = 0.0
    locked: bool = field(default=False)

    def __post_init__(self) -> None:
        self.minutes = lock_minutes(self.minutes)

    @property
    def idle_limit_seconds(self) -> int:
        return self.minutes * 60

    def touch(self, now: float) -> None:
        """Input from the user: the idle time starts again (ignored while locked)."""
        if not self.locked:
            self.last_activity = now

    def seconds_left(self, now: float) -> float:
        return max(0.0, self.last_activity + self.idle_limit_seconds - now)

    def is_due(self, now: float) -> bool:
        return not self.locked and self.seconds_left(now) <= 0

    def lock(self) -> None:
        self.locked = True

    def unlock(self, now: float) -> None:
        self.locked = False
        self.last_activity = now
