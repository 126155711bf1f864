"""Write docs/rules.md from resources/rules/rules.csv (run after editing the rule table)."""

from __future__ import annotations

from pathlib import Path

from iapt_desktop.validation.rules_doc import render_rules_doc

ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    target = ROOT / "docs" / "rules.md"
    target.parent.mkdir(exist_ok=True)
    target.write_text(render_rules_doc(), encoding="utf-8")
    print(f"wrote {target.relative_to(ROOT)}")
