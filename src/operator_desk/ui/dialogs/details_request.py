"""Request details: the operator picks fields and sees, word for word, the privacy notice the visitor
will be asked to accept, and the purpose. Nothing goes out until they confirm."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from operator_desk.domain.model import DetailField, Notice, Purpose
from operator_desk.ui import icons
from operator_desk.ui.models.privacy_models import field_text, purpose_text


def _plain(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class DetailsRequestDialog(QDialog):
    def __init__(self, *, visitor_name: str, notice: Notice | None, preselected: Iterable[DetailField] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.notice = notice
        self.setWindowTitle(self.tr("Request details from %1").replace("%1", visitor_name))
        self.setWindowIcon(icons.icon("details"))
        self.resize(560, 600)

        intro = _plain(self.tr(
            "%1 will see the privacy notice below and can share or decline. Nothing is asked until you "
            "confirm.").replace("%1", visitor_name))
        fields_box = QGroupBox(self.tr("Details to ask for"))
        fields_layout = QVBoxLayout(fields_box)
        preselected = frozenset(preselected)
        self.field_boxes: dict[DetailField, QCheckBox] = {}
        for field in DetailField:
            box = QCheckBox(field_text(field))
            box.setAccessibleName(field_text(field))
            box.setChecked(field in preselected)
            box.toggled.connect(self._update_ok)
            fields_layout.addWidget(box)
            self.field_boxes[field] = box

        notice_box = QGroupBox(self.tr("Privacy notice the visitor will be asked to accept"))
        notice_layout = QVBoxLayout(notice_box)
        self.purpose_label = _plain(purpose_text(Purpose.CONTACT_DETAILS))
        self.title_label = _plain()
        self.title_label.setObjectName("noticeTitle")
        self.version_label = _plain()
        self.language_label = _plain()
        self.body_view = QPlainTextEdit()
        self.body_view.setReadOnly(True)
        self.body_view.setAccessibleName(self.tr("Full text of the privacy notice"))
        self.body_view.setMinimumHeight(180)
        meta = QFormLayout()
        meta.addRow(self.tr("Purpose:"), self.purpose_label)
        meta.addRow(self.tr("Notice:"), self.title_label)
        meta.addRow(self.tr("Version:"), self.version_label)
        meta.addRow(self.tr("Language:"), self.language_label)
        notice_layout.addLayout(meta)
        notice_layout.addWidget(self.body_view, 1)
        self.missing_label = _plain(self.tr(
            "No privacy notice for contact details is published on the server, so details cannot be "
            "requested. Ask your administrator to publish one."))
        self.missing_label.setObjectName("errorBanner")

        if notice is not None:
            self.title_label.setText(notice.title)
            self.version_label.setText(str(notice.version))
            self.language_label.setText(notice.language)
            self.body_view.setPlainText(notice.body)   # plain text, exactly as the visitor sees it
            self.missing_label.hide()
        else:
            notice_box.setEnabled(False)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Send request"))
        self.ok_button.setAccessibleName(self.tr("Send the details request"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(fields_box)
        layout.addWidget(notice_box, 1)
        layout.addWidget(self.missing_label)
        layout.addWidget(self.buttons)
        self._update_ok()

    def selected_fields(self) -> frozenset[DetailField]:
        return frozenset(f for f, box in self.field_boxes.items() if box.isChecked())

    def _update_ok(self, *_args) -> None:
        self.ok_button.setEnabled(self.notice is not None and bool(self.selected_fields()))
