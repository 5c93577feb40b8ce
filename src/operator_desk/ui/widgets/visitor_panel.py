"""The selected visitor: who (as far as consent allows), the consent timeline, details asked for and
received, and, only with ``visitor_insights`` consent, location, company, IP, visit history and the
earlier chats of a returning visitor."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QLabel,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from operator_desk.domain.model import ConsentEvent, Notice, Visitor, VisitorState
from operator_desk.protocol.messages import DetailRecord
from operator_desk.ui.models.privacy_models import (
    ConsentColumn,
    ConsentTimelineModel,
    DetailColumn,
    DetailsModel,
)
from operator_desk.ui.naming import display_name
from operator_desk.ui.plain import plain_tooltip
from operator_desk.ui.timefmt import date_time, seconds_since, short_duration
from operator_desk.ui.widgets.earlier_chats import EarlierChatsBox
from operator_desk.ui.widgets.fitted_columns import FittedColumns


def _value_label() -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    return label


def _table(model, name: str, stretch: int, hidden: int) -> QTableView:
    """A small table that grows with its rows (the panel scrolls, not each table) and fits its
    columns to the panel's width, every header readable (``FittedColumns``); ``hidden`` is a column
    the panel has no room for (its text is in the row's tooltip, or the same in every row)."""
    view = QTableView()
    view.setModel(model)
    view.setColumnHidden(hidden, True)
    view.setAccessibleName(name)
    view.verticalHeader().hide()
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSizeAdjustPolicy(QAbstractItemView.SizeAdjustPolicy.AdjustToContents)
    view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setMinimumHeight(3 * view.verticalHeader().defaultSectionSize())
    view.fitted_columns = FittedColumns(view, stretch)   # kept by the view
    return view


class VisitorPanel(QScrollArea):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setAccessibleName(self.tr("Visitor details"))
        body = QWidget()
        self.setWidget(body)

        self._placeholder = QLabel(self.tr("Select a visitor or a chat to see their details."))
        self._placeholder.setObjectName("placeholder")
        self._placeholder.setWordWrap(True)

        self._name = _value_label()
        self._name.setObjectName("panelName")
        self._state = _value_label()
        self._page = _value_label()
        self._on_site = _value_label()
        self._language = _value_label()
        who = QGroupBox(self.tr("Visitor"))
        form = QFormLayout(who)
        form.addRow(self.tr("Name:"), self._name)
        form.addRow(self.tr("State:"), self._state)
        form.addRow(self.tr("Page:"), self._page)
        form.addRow(self.tr("On site:"), self._on_site)
        form.addRow(self.tr("Language:"), self._language)

        self._insights_box = QGroupBox(self.tr("Visitor insights"))
        self._insights_note = QLabel()
        self._insights_note.setObjectName("noConsentNote")
        self._insights_note.setWordWrap(True)
        self._location = _value_label()
        self._company = _value_label()
        self._ip = _value_label()
        self._visits = _value_label()
        insights_form = QFormLayout(self._insights_box)
        insights_form.addRow(self._insights_note)
        insights_form.addRow(self.tr("Location:"), self._location)
        insights_form.addRow(self.tr("Company:"), self._company)
        insights_form.addRow(self.tr("IP address:"), self._ip)
        insights_form.addRow(self.tr("Visits:"), self._visits)

        self.consent_model = ConsentTimelineModel(self)
        self.details_model = DetailsModel(self)
        consent_box = QGroupBox(self.tr("Consent timeline"))
        QVBoxLayout(consent_box).addWidget(_table(self.consent_model, self.tr("Consent timeline"),
                                                  ConsentColumn.WHEN, ConsentColumn.METHOD))
        details_box = QGroupBox(self.tr("Details asked for"))
        # Details are always asked for "contact details": the purpose column would say it in every row.
        QVBoxLayout(details_box).addWidget(_table(self.details_model, self.tr("Details asked for"),
                                                  DetailColumn.VALUE, DetailColumn.PURPOSE))

        self.earlier_chats = EarlierChatsBox()

        # Details first: during a chat they are what the operator acts on.
        self._sections = [who, details_box, self._insights_box, self.earlier_chats, consent_box]
        layout = QVBoxLayout(body)
        layout.addWidget(self._placeholder)
        for section in self._sections:
            layout.addWidget(section)
        layout.addStretch(1)
        self.visitor_id = ""
        self.show_visitor(None, "", (), ())

    def state_text(self, state: VisitorState) -> str:
        return {
            VisitorState.BROWSING: self.tr("Browsing"),
            VisitorState.WAITING: self.tr("Waiting for an operator"),
            VisitorState.CHATTING: self.tr("Chatting"),
            VisitorState.LEFT: self.tr("Left the site"),
        }[state]

    def show_visitor(self, visitor: Visitor | None, visitor_id: str, consents: Iterable[ConsentEvent],
                     details: Iterable[DetailRecord], notices: Iterable[Notice] = ()) -> None:
        """``notices``: the server's latest notices (the timeline marks grants that no longer count)."""
        self.visitor_id = visitor.id if visitor else visitor_id
        known = bool(self.visitor_id)
        self._placeholder.setVisible(not known)
        for section in self._sections:
            section.setVisible(known)
        self.earlier_chats.show_for(visitor if known else None, self.visitor_id)
        self.consent_model.set_events(consents if known else (), notices)
        self.details_model.set_records(details if known else ())
        if not known:
            # Hidden is not enough: a person who left the panel (or was erased) leaves no text behind.
            for label in (self._name, self._state, self._page, self._on_site, self._language,
                          self._location, self._company, self._ip, self._visits):
                label.clear()
                label.setToolTip("")
            return
        self._name.setText(display_name(visitor, self.visitor_id))
        if visitor is None:
            self._state.setText(self.state_text(VisitorState.LEFT))
            for label in (self._page, self._on_site, self._language):
                label.setText("—")
        else:
            self._state.setText(self.state_text(visitor.state))
            self._page.setText(visitor.page.title or visitor.page.url)
            self._page.setToolTip(plain_tooltip(visitor.page.url))
            self._on_site.setText(self.tr("%1, %n page(s)", "", visitor.pages_viewed).replace(
                "%1", short_duration(seconds_since(visitor.on_site_since))))
            self._language.setText(visitor.language or self.tr("not given"))
        self._show_insights(visitor)

    def _show_insights(self, visitor: Visitor | None) -> None:
        insights = visitor.insights if visitor and visitor.consent.visitor_insights else None
        value_labels = (self._location, self._company, self._ip, self._visits)
        if insights is None:
            # Say so plainly, in every field: an empty field could be mistaken for "unknown".
            self._insights_note.setText(self.tr(
                "No consent: this visitor has not agreed to share location, company, IP address and "
                "visit history."))
            self._insights_note.show()
            for label in value_labels:
                label.setText(self.tr("No consent"))
                label.setToolTip(self.tr("Shown only with the visitor's consent to visitor insights"))
                label.setProperty("noConsent", True)
                label.style().unpolish(label)
                label.style().polish(label)
            return
        self._insights_note.hide()
        location = insights.location
        place = ", ".join(p for p in ((location.city, location.country) if location else ()) if p)
        self._location.setText(place or self.tr("unknown"))
        self._company.setText(insights.company or self.tr("unknown"))
        self._ip.setText(insights.ip)
        first = date_time(insights.first_seen)
        visits = self.tr("%n visit(s)", "", insights.visits)
        self._visits.setText(
            self.tr("%1, first seen %2").replace("%1", visits).replace("%2", first) if first else visits)
        for label in value_labels:
            label.setToolTip("")
            label.setProperty("noConsent", False)
            label.style().unpolish(label)
            label.style().polish(label)
