"""One questionnaire on the session form: items answered by single keys, total and band live.

Typing an answer's key (0-3 for PHQ-9, y/n/a for the PEQ) sets the current item and moves
to the next; Backspace clears the current answer, or goes back one item and clears that.
The total is always computed, never typed. Mouse users double-click an answer to pick it.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QFocusEvent, QFont, QFontMetrics, QKeyEvent, QPainter, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from iapt_desktop.domain.questionnaires import Entry, Questionnaire
from iapt_desktop.ui.session.questionnaire_model import ANSWER_ROLE, Column, QuestionnaireTableModel

Index = QModelIndex | QPersistentModelIndex
SUMMARY_STYLE = "font-weight: 600;"
QUIET_STYLE = "color: #64748b;"
ROW_AIR = 6  # pixels added to each row's height
TEXT_MARGIN = 4  # pixels either side of the question's wording
WRAP = Qt.TextFlag.TextWordWrap


class RowDelegate(QStyledItemDelegate):
    """Cells with a little air; the question's wording wraps, measured and drawn the same way (never elided)."""

    def _wording_rect(self, rect: QRect) -> QRect:
        return rect.adjusted(TEXT_MARGIN, 0, -TEXT_MARGIN, 0)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        hint = super().sizeHint(option, index)
        view = self.parent()
        if index.column() != Column.QUESTION or not isinstance(view, QTableView):
            return QSize(hint.width(), hint.height() + ROW_AIR)
        width = max(view.columnWidth(Column.QUESTION) - 2 * TEXT_MARGIN, 20)
        text = str(index.data() or "")
        bounds = QFontMetrics(option.font).boundingRect(QRect(0, 0, width, 100_000), WRAP, text)
        return QSize(hint.width(), max(hint.height(), bounds.height()) + ROW_AIR)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        if index.column() != Column.QUESTION:
            super().paint(painter, option, index)
            return
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        text, item.text = item.text, ""
        style = item.widget.style() if item.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, item.widget)
        painter.save()
        painter.setFont(item.font)
        painter.setPen(item.palette.color(QPalette.ColorRole.Text))
        painter.drawText(self._wording_rect(option.rect), WRAP | Qt.AlignmentFlag.AlignVCenter, text)
        painter.restore()


class AnswerDelegate(RowDelegate):
    """A drop-down of the item's answers, for mouse users."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = QComboBox(parent)
        model = index.model()
        assert isinstance(model, QuestionnaireTableModel)
        editor.addItem("–", None)
        for answer in model.form.items[index.row()].options:
            editor.addItem(answer.caption, answer.value)
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(ANSWER_ROLE))))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem, index: Index) -> None:
        editor.setGeometry(option.rect)


class QuestionnaireView(QTableView):
    """Signals: finished() — the last item was answered by key; focus should move on."""

    finished = Signal()

    def __init__(self, model: QuestionnaireTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setObjectName(f"questionnaire_{model.form.key}")
        self.setAccessibleName(f"{model.form.name} answers")
        self.setItemDelegate(RowDelegate(self))
        self.setItemDelegateForColumn(Column.ANSWER, AnswerDelegate(self))
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setTabKeyNavigation(False)
        self.setWordWrap(True)
        self.setShowGrid(False)
        self.setAlternatingRowColors(True)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.hide()
        header.setSectionResizeMode(Column.NUMBER, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(Column.QUESTION, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(Column.ANSWER, QHeaderView.ResizeMode.Fixed)
        self.setColumnWidth(Column.NUMBER, 26)
        bold = QFont(self.font())
        bold.setBold(True)  # risk answers are shown in bold
        metrics = QFontMetrics(bold)
        widest = max((metrics.horizontalAdvance(o.caption) for i in model.form.items for o in i.options), default=40)
        self.setColumnWidth(Column.ANSWER, widest + 24)
        self.setStyleSheet(
            "QTableView { border: none; background: white; alternate-background-color: #f8fafc; }"
            "QTableView::item:selected { background: #dbeafe; color: #0f172a; }")
        model.modelReset.connect(self.fit_rows)
        header.sectionResized.connect(self._section_resized)

    def questionnaire_model(self) -> QuestionnaireTableModel:
        model = self.model()
        assert isinstance(model, QuestionnaireTableModel)
        return model

    def go_to(self, row: int) -> None:
        row = max(0, min(row, self.questionnaire_model().rowCount() - 1))
        self.setCurrentIndex(self.questionnaire_model().index(row, Column.ANSWER))

    def first_unanswered_row(self) -> int:
        answers = self.questionnaire_model().answers()
        for row, item in enumerate(self.questionnaire_model().form.items):
            if item.number not in answers:
                return row
        return 0

    def keyPressEvent(self, event: QKeyEvent) -> None:
        model = self.questionnaire_model()
        row = max(self.currentIndex().row(), 0)
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        text = event.text()
        if modifiers == Qt.KeyboardModifier.NoModifier and text and text.isprintable() and text.strip():
            if model.answer_by_key(row, text):
                if row + 1 < model.rowCount():
                    self.go_to(row + 1)
                else:
                    self.finished.emit()
            event.accept()  # a key that is no answer does nothing (out of range is impossible)
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and modifiers == Qt.KeyboardModifier.NoModifier:
            # Enter inside a questionnaire never saves half a form: it goes on to the next unanswered item,
            # or, when every item is answered, on to the next questionnaire (then Save).
            if model.form.is_complete(model.answers()):
                self.finished.emit()
            else:
                self.go_to(self.first_unanswered_row())
            event.accept()
            return
        if event.key() in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete) and modifiers == Qt.KeyboardModifier.NoModifier:
            index = model.index(row, Column.ANSWER)
            if index.data(ANSWER_ROLE) is None and event.key() == Qt.Key.Key_Backspace and row > 0:
                row -= 1
                self.go_to(row)
            model.setData(model.index(row, Column.ANSWER), None)
            event.accept()
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        if not self.currentIndex().isValid():
            self.go_to(self.first_unanswered_row())
        else:
            self.selectRow(self.currentIndex().row())
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        """Only the questionnaire being typed into shows a highlighted item."""
        self.clearSelection()
        super().focusOutEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_rows()

    def _section_resized(self, section: int, _old: int, _new: int) -> None:
        if section == Column.QUESTION:
            self.fit_rows()

    def fit_rows(self) -> None:
        """Rows as tall as their wrapped wording; the view as tall as its rows (no inner scrolling)."""
        self.resizeRowsToContents()
        height = sum(self.rowHeight(r) for r in range(self.questionnaire_model().rowCount()))
        self.setFixedHeight(height + 2 * self.frameWidth())


class QuestionnairePanel(QFrame):
    """A questionnaire's title, its items and the live total.

    Signals: finished() — the last item was answered; removed() — the remove button was pressed;
    changed() — an answer changed.
    """

    finished = Signal()
    removed = Signal()
    changed = Signal()

    def __init__(self, form: Questionnaire, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = form
        self.recorded_total: str | None = None
        self.setObjectName("questionnairePanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#questionnairePanel { background: white; border: 1px solid #e2e8f0; border-radius: 6px; }")
        self.model = QuestionnaireTableModel(form, self)
        self.view = QuestionnaireView(self.model, self)
        title = QLabel(f"<b>{form.name}</b> <span style='color:#64748b'>{form.title}</span>", self)
        self.remove_button = QToolButton(self)
        self.remove_button.setText("Remove")
        self.remove_button.setToolTip(
            f"Take {form.name} off this session: its answers are not saved (saved ones are removed)")
        self.remove_button.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.remove_button.setAutoRaise(True)
        self.remove_button.clicked.connect(self.removed)
        top = QHBoxLayout()
        top.addWidget(title, 1)
        top.addWidget(self.remove_button)
        stem = QLabel(form.stem + (" Wording unconfirmed." if form.wording_unconfirmed else ""), self)
        stem.setWordWrap(True)
        stem.setStyleSheet(QUIET_STYLE)
        stem.setToolTip(form.note)
        self.summary = QLabel(self)
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(stem)
        layout.addWidget(self.view)
        layout.addWidget(self.summary)
        self.model.answers_changed.connect(self._update_summary)
        self.model.answers_changed.connect(self.changed)
        self.view.finished.connect(self.finished)
        self.setFocusProxy(self.view)
        self._update_summary()

    def focus_first_unanswered(self) -> None:
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        self.view.go_to(self.view.first_unanswered_row())

    def answers(self) -> dict[int, str]:
        return self.model.answers()

    def set_answers(self, answers: dict[int, str]) -> None:
        self.model.set_answers(answers)

    def set_editable(self, editable: bool) -> None:
        self.model.set_editable(editable)
        self.remove_button.setVisible(editable)

    def set_recorded_total(self, total: str | None) -> None:
        """A total saved without item answers (imported): shown, and kept until every item is entered."""
        self.recorded_total = total
        self._update_summary()

    def summary_text(self) -> str:
        answers = self.model.answers()
        form = self.form
        missing = form.missing_items(answers)
        total = form.total(answers)
        if total is None and self.recorded_total is not None:
            return (f"Total {self.recorded_total} recorded without item answers (e.g. imported); "
                    "it is kept unless every item is entered.")
        if total is not None:
            parts = [f"Total {total} of {form.maximum_total()}"]
            band = form.band(total)
            if band:
                parts.append(band.label + (" (bands unconfirmed)" if band.unconfirmed else ""))
            case = form.is_case(total)
            if case is not None:
                mark = " (unconfirmed)" if form.caseness_unconfirmed else ""
                threshold = f"{form.caseness:g}"
                parts.append(f"{'at or above' if case else 'below'} caseness ({threshold}){mark}")
            if form.entry is Entry.ITEM_CODES:
                parts.append("items submitted, total shown only")
            return " · ".join(parts)
        if not answers:
            return "Not answered: nothing is saved for it."
        if form.entry is Entry.ITEM_CODES:
            if missing:
                return f"{len(answers)} of {len(form.items)} answered; each answer is saved on its own."
            return "All answered (no total: the work item is not applicable)." if form.shows_total else "All answered."
        shown = ", ".join(str(n) for n in missing[:6]) + ("…" if len(missing) > 6 else "")
        return f"Incomplete — item{'s' if len(missing) > 1 else ''} {shown} missing: saved without a total."

    def _update_summary(self) -> None:
        text = self.summary_text()
        self.summary.setText(text)
        incomplete = text.startswith("Incomplete")
        self.summary.setStyleSheet("color: #9a3412; font-weight: 600;" if incomplete else SUMMARY_STYLE)


class TypedTotalPanel(QFrame):
    """A questionnaire entered as a total from a scored form, checked against the tool's range.

    Signals: removed(), changed().
    """

    removed = Signal()
    changed = Signal()

    def __init__(self, form: Questionnaire, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = form
        self.setObjectName("questionnairePanel")
        self.setStyleSheet("#questionnairePanel { background: white; border: 1px solid #e2e8f0; border-radius: 6px; }")
        title = QLabel(f"<b>{form.name}</b> <span style='color:#64748b'>{form.title}</span>", self)
        self.edit = QLineEdit(self)
        self.edit.setObjectName(f"total_{form.key}")
        self.edit.setAccessibleName(f"{form.name} total")
        self.edit.setMaximumWidth(90)
        self.edit.setMaxLength(5)
        self.edit.setPlaceholderText("total")
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.remove_button = QToolButton(self)
        self.remove_button.setText("Remove")
        self.remove_button.setAutoRaise(True)
        self.remove_button.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.remove_button.clicked.connect(self.removed)
        row = QHBoxLayout()
        row.addWidget(title, 1)
        row.addWidget(self.edit)
        row.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addLayout(row)
        note = QLabel(form.stem + (f" {form.note}" if form.note else ""), self)
        note.setWordWrap(True)
        note.setStyleSheet(QUIET_STYLE)
        layout.addWidget(note)
        self.total_only = QLabel(f"<b>Total typed, not item by item:</b> {form.total_only_reason}", self)
        self.total_only.setObjectName("totalOnlyReason")
        self.total_only.setWordWrap(True)
        self.total_only.setVisible(bool(form.total_only_reason))
        self.edit.setToolTip(f"{form.stem} {form.total_only_reason}".strip())
        layout.addWidget(self.total_only)
        layout.addWidget(self.message)
        self.edit.textChanged.connect(self._check)
        self.edit.textChanged.connect(self.changed)
        self.setFocusProxy(self.edit)
        self._check("")

    def total(self) -> str:
        return self.edit.text().strip()

    def set_total(self, text: str) -> None:
        self.edit.setText(text)

    def set_editable(self, editable: bool) -> None:
        self.edit.setReadOnly(not editable)
        self.remove_button.setVisible(editable)

    def focus_first_unanswered(self) -> None:
        self.edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _check(self, text: str) -> None:
        problem = self.form.total_problem(text) if text.strip() else None
        if problem:
            self.message.setText(problem)
            self.message.setStyleSheet("color: #9a3412;")
        else:
            case = self.form.is_case(float(text)) if text.strip().replace(".", "", 1).isdigit() else None
            threshold = f"{self.form.caseness:g}" if self.form.caseness is not None else ""
            self.message.setText("" if case is None else (
                f"At or above caseness ({threshold})" if case else f"Below caseness ({threshold})")
                + (" (unconfirmed)" if case is not None and self.form.caseness_unconfirmed else ""))
            self.message.setStyleSheet(SUMMARY_STYLE)
