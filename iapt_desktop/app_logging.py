"""Logging and crash reports that never carry identifiable data.

Every log message passes a filter that blanks NHS-number-like digit runs,
postcodes and dates (dates of birth look like any other date, so all are
blanked); exception text in logs gets the same treatment.  Crash reports name
the exception type and where it happened (file, line, function) but hold no
exception message, no local variables and no values.  Imported only by app.py.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import logging.handlers
import os
import platform
import re
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType

LOG_FILE_NAME = "iapt-desktop.log"
_MAX_BYTES = 1_000_000
_BACKUPS = 3

_REDACTIONS = (
    # NHS numbers and other long digit runs (3-3-4 with spaces or dashes, or 10+ digits together)
    (re.compile(r"(?<!\d)\d{3}[ -]\d{3}[ -]\d{4}(?!\d)|(?<!\d)\d{10,}(?!\d)"), "[number]"),
    # UK postcodes, with or without the space
    (re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]?\s*[0-9][A-Z]{2}\b", re.IGNORECASE), "[postcode]"),
    # dates: 2025-04-01, 01/04/1980, 1.4.80, 1 April 1980
    (re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b"), "[date]"),
    (re.compile(r"\b\d{1,2}\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{2,4}\b",
                re.IGNORECASE), "[date]"),
)


def redact(text: str) -> str:
    """``text`` with NHS-number-like digit runs, postcodes and dates blanked."""
    for pattern, replacement in _REDACTIONS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    """Merges a record's arguments into its message and redacts the result."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        return True


class RedactingFormatter(logging.Formatter):
    """Redacts exception and stack text too (the message itself is redacted by the filter)."""

    def formatException(self, ei: tuple[type[BaseException], BaseException, TracebackType | None]
                        | tuple[None, None, None]) -> str:
        return redact(super().formatException(ei))  # type: ignore[arg-type]

    def formatStack(self, stack_info: str) -> str:
        return redact(super().formatStack(stack_info))

    def format(self, record: logging.LogRecord) -> str:
        # Another handler may have cached the exception text unredacted: redact the cache too.
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return super().format(record)


def configure_logging(directory: Path | None = None, level: int = logging.INFO) -> Path:
    """Log to a rotating file in the user's log folder (private to the user); returns the file's path."""
    if directory is None:
        from iapt_desktop.paths import log_dir

        directory = log_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / LOG_FILE_NAME
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=_MAX_BYTES, backupCount=_BACKUPS,
                                                   encoding="utf-8")
    if os.name == "posix":
        path.chmod(0o600)
    handler.addFilter(RedactingFilter())
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_iapt_desktop", False)]:
        root.removeHandler(old)
        old.close()
    handler._iapt_desktop = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    return path


def crash_report(exc_type: type[BaseException], traceback_: TracebackType | None) -> str:
    """Where it failed, without the exception's message or any value."""
    from iapt_desktop import __version__

    lines = [
        f"IAPT Desktop {__version__} crash report",
        f"When: {dt.datetime.now(dt.UTC):%Y-%m-%dT%H:%M:%SZ}",
        f"Python {platform.python_version()} on {platform.system()} {platform.release()}",
        f"Exception: {exc_type.__module__}.{exc_type.__qualname__} (message withheld: it may quote patient data)",
        "Where (most recent call last):",
    ]
    for frame in traceback.extract_tb(traceback_):
        lines.append(f"  {_short_path(frame.filename)}:{frame.lineno} in {frame.name}")
    return "\n".join(lines) + "\n"


def _short_path(filename: str) -> str:
    parts = Path(filename).parts
    for anchor in ("iapt_desktop", "site-packages"):
        if anchor in parts:
            return "/".join(parts[parts.index(anchor):])
    return Path(filename).name


def write_crash_report(exc_type: type[BaseException], traceback_: TracebackType | None,
                       directory: Path | None = None) -> Path:
    if directory is None:
        from iapt_desktop.paths import log_dir

        directory = log_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"crash-{dt.datetime.now():%Y%m%d-%H%M%S-%f}.txt"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(crash_report(exc_type, traceback_))
    return path


def install_crash_handler(directory: Path | None = None) -> None:
    """Write a crash report for any uncaught exception, then hand over to the previous hook."""
    previous = sys.excepthook
    previous_thread = threading.excepthook

    def hook(exc_type: type[BaseException], value: BaseException, traceback_: TracebackType | None) -> None:
        if not issubclass(exc_type, KeyboardInterrupt):
            try:
                path = write_crash_report(exc_type, traceback_, directory)
                logging.getLogger("iapt_desktop").error("Unexpected error %s; crash report %s",
                                                        exc_type.__qualname__, path.name)
            except OSError:
                pass
        previous(exc_type, value, traceback_)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is not None and not issubclass(args.exc_type, SystemExit):
            with contextlib.suppress(OSError):
                write_crash_report(args.exc_type, args.exc_traceback, directory)
        previous_thread(args)

    sys.excepthook = hook
    threading.excepthook = thread_hook
