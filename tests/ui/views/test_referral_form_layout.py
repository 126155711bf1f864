"""The referral form's coded fields show their chosen words in full at the default size, list every item
unclipped when opened, and keep the full words in the tooltip."""

from __future__ import annotations

import pytest

from iapt_desktop.storage.referral_records import ReferralRecord
from iapt_desktop.ui.views.referral_form import ReferralForm

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")

FORM_WIDTH = 850  # what the form gets beside the caseload in the default 1440 x 900 window


def _form(qtbot) -> ReferralForm:
    form = ReferralForm([("C1", "Casey Counsellor")])
    qtbot.addWidget(form)
    form.resize(FORM_WIDTH, 620)
    form.load(ReferralRecord(
        referral={"ServiceRequestId": "R1", "LocalPatientId": "P1", "ReferralRequestReceivedDate": "2025-05-01",
                  "SourceOfReferralIAPT": "B1", "ServDischDate": "2025-08-28", "EndCode": "46"},
        counsellor_id="C1", children={}), [])
    form.show()
    qtbot.waitExposed(form)
    return form


def test_long_coded_labels_are_readable_in_the_field_at_the_default_size(qtbot) -> None:
    form = _form(qtbot)
    for field in (form.end_code, form.source):
        combo = field.combo
        text = combo.currentText()
        assert text.startswith(("Mutually agreed completion of treatment", "Self Referral"))
        shown = combo.lineEdit().width()
        assert shown >= combo.fontMetrics().horizontalAdvance(text), f"{text!r} cut in a {shown} px field"
        assert combo.toolTip() == text


def test_the_open_list_is_wide_enough_for_its_longest_item_and_tooltips_follow_the_choice(qtbot) -> None:
    form = _form(qtbot)
    combo = form.end_code.combo
    metrics = combo.fontMetrics()
    longest = max(metrics.horizontalAdvance(combo.itemText(i)) for i in range(combo.count()))
    assert combo.view().minimumWidth() >= longest
    index = max(range(combo.count()), key=lambda i: metrics.horizontalAdvance(combo.itemText(i)))
    combo.setCurrentIndex(index)
    assert combo.toolTip() == combo.itemText(index)  # the full words, whatever the field's width


def test_the_fields_are_tabbed_through_in_reading_order(qtbot) -> None:
    form = _form(qtbot)
    order = [form.counsellor, form.received, form.onset, form.source.combo, form.commissioner,
             form.previous.combo, form.discharged, form.end_code.combo]
    reached, widget = [], form.counsellor
    for _ in range(200):  # Tab follows the focus chain
        if widget in order and widget not in reached:
            reached.append(widget)
        widget = widget.nextInFocusChain()
    assert reached == order
