"""The frame every background job's progress shares: a bar with Cancel beside it and a status line under it.

Subclasses start their job (ui.admin.admin_jobs.start_job), keep its runner in ``runner`` and say what each
step means; this class lays the row out, hides it when idle, and stops the job when the app quits.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from iapt_desktop.ui.admin.admin_jobs import stop_jobs, stop_on_quit
from iapt_desktop.ui.workers import JobRunner


class ProgressRow(QWidget):
    def __init__(self, name: str, cancel_tip: str, parent: QWidget | None = None) -> None:
        """``name``: the object-name stem of the bar, status and Cancel button (e.g. "job": jobProgressBar)."""
        super().__init__(parent)
        self.runner: JobRunner | None = None
        self.bar = QProgressBar(self)
        self.bar.setObjectName(f"{name}ProgressBar")
        self.bar.setTextVisible(True)
        self.status = QLabel(self)
        self.status.setObjectName(f"{name}Status")
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #475569;")
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setObjectName(f"cancel{name.capitalize()}")
        self.cancel_button.setToolTip(cancel_tip)  # each subclass connects it to its own way of stopping
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.status)
        stop_on_quit(self.stop)
        self.hide()

    @property
    def running(self) -> bool:
        return self.runner is not None and self.runner.running

    def stop(self) -> None:
        """The window is closing: cancel the job's runner and wait for its thread."""
        stop_jobs(self.runner)
