"""Application settings, declared once: name, default, label and help."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    key: str
    default: str
    label: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("provider_ods", "", "Provider organisation code",
            "Your ODS code as the provider (OrgIDProv), 3 to 6 letters and digits."),
    Setting("submitter_ods", "", "Submitting organisation code",
            "The ODS code of the organisation that sends the file (OrgIDSubmit); usually the provider."),
    Setting("default_commissioner", "", "Default commissioner code",
            "The commissioner (OrgIDComm, 3 to 5 characters) filled in on new referrals."),
    Setting("idb_template_path", "", "Blank IDB template",
            "Where the official blank IAPT v2.1 Intermediate Database (.accdb) is kept."),
    Setting("auto_lock_minutes", "10", "Lock after inactivity (minutes)",
            "Patient data is hidden after this many idle minutes (at most 15)."),
)


def setting(key: str) -> Setting:
    for item in SETTINGS:
        if item.key == key:
            return item
    raise KeyError(f"Unknown setting {key!r}")
