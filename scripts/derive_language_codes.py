"""Add English names to resources/rules/language_codes.csv (the codes of LanguageCodePreferred / LanguageCodeTreat).

Run by a developer when the accepted codes or the names source change:

    python scripts/derive_language_codes.py [PATH/TO/iso_639-2.json]

The accepted set of codes is the file's own and is not changed here: the ISO 639-1 two-letter codes the
national pipeline accepts (``ISO639_1_LANG_CODES`` in DSP ``src/dsp/validations/common.py``, as the
reference's dataset.md section 11 and validation-rules.md section 4.3 cite it) plus the local codes q1-q5.
This script only adds each code's English name, taken from Debian's iso-codes package
(``/usr/share/iso-codes/json/iso_639-2.json``, entries with an ``alpha_2``), and records that source (with
the package version when dpkg knows it) in the file's ``source`` column. The meaning of q1-q5 is set by each
service, so they are named as local codes.

Rows are written in the order the pickers offer them: English first (most sessions are in English), then
the other languages by name, then q1-q5. The application reads only the generated CSV, never iso-codes.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "resources" / "rules" / "language_codes.csv"
DEFAULT_SOURCE = Path("/usr/share/iso-codes/json/iso_639-2.json")
FIRST = "en"
LOCAL_KIND = "local IAPT code"
ISO_KIND = "ISO 639-1"
LOCAL_SOURCE = "IAPT data set: local code, meaning set by the service"


def iso_codes_version() -> str:
    try:
        done = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "iso-codes"], capture_output=True,
                              text=True, check=False)
    except OSError:
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def english_names(source: Path) -> dict[str, str]:
    data = json.loads(source.read_text(encoding="utf-8"))
    return {entry["alpha_2"]: entry["name"] for entry in data["639-2"] if "alpha_2" in entry}


def accepted_codes(path: Path) -> list[tuple[str, str]]:
    """(code, kind) of every accepted code, as the file has them now."""
    with open(path, newline="", encoding="utf-8") as handle:
        return [(row["code"], row["kind"]) for row in csv.DictReader(handle)]


def labelled_rows(codes: list[tuple[str, str]], names: dict[str, str], source_text: str) -> list[list[str]]:
    rows = []
    for code, kind in codes:
        if kind == LOCAL_KIND:
            rows.append([code, kind, f"Local code {code} (meaning set by the service)", LOCAL_SOURCE])
        elif code in names:
            rows.append([code, kind, names[code], source_text])
        else:
            raise SystemExit(f"{code!r} is accepted but has no name in the iso-codes data: check the source.")

    def order(row: list[str]) -> tuple[int, str]:
        group = 0 if row[0] == FIRST else 2 if row[1] == LOCAL_KIND else 1
        return group, row[2].casefold() if group == 1 else row[0]

    return sorted(rows, key=order)


def main(source: Path) -> None:
    version = iso_codes_version()
    source_text = f"iso-codes{' ' + version if version else ''} ({source.name}, English name)"
    rows = labelled_rows(accepted_codes(OUT), english_names(source), source_text)
    with open(OUT, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["code", "kind", "label", "source"])
        writer.writerows(rows)
    print(f"{OUT}: {len(rows)} codes")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SOURCE)
