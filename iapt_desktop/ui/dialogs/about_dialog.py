"""Help ▸ About: version, data set version, where the data lives."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from PySide6.QtWidgets import QMessageBox, QWidget

from iapt_desktop.domain.dataset import DATASET_VERSION


def app_version() -> str:
    try:
        return version("iapt-desktop")
    except PackageNotFoundError:
        return "development"


def show_about(parent: QWidget) -> None:
    QMessageBox.about(
        parent,
        "About IAPT Desktop",
        f"<h3>IAPT Desktop {app_version()}</h3>"
        f"<p>Records NHS Talking Therapies activity in the IAPT data set v{DATASET_VERSION}, checks it "
        "against the national rules and produces the monthly submission.</p>"
        "<p>Patient data stays in one encrypted database on this computer.</p>",
    )
