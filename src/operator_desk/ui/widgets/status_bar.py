"""The status bar: connection (with a live countdown while reconnecting), who is signed in, whether
the local cache is encrypted, and the Demo marker."""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from operator_desk.domain.model import OperatorInfo, Role
from operator_desk.services.events import CacheStatus, ConnectionChanged, ConnectionState
from operator_desk.ui import icons
from operator_desk.ui.failures import failure_text
from operator_desk.ui.widgets.presence import StatusActions, StatusButton


def _icon_label(parent: QWidget) -> tuple[QLabel, QLabel]:
    icon = QLabel(parent)
    text = QLabel(parent)
    text.setTextFormat(Qt.TextFormat.PlainText)
    return icon, text


def role_text(role: Role) -> str:
    return {
        Role.OPERATOR: QCoreApplication.translate("roles", "Operator"),
        Role.TEAM_LEAD: QCoreApplication.translate("roles", "Team lead"),
        Role.SUPERVISOR: QCoreApplication.translate("roles", "Supervisor"),
    }[role]


class DeskStatusBar(QStatusBar):
    def __init__(self, parent: QWidget | None = None, *, demo: bool = False,
                 status_actions: StatusActions | None = None) -> None:
        super().__init__(parent)
        self.connection_icon, self.connection_label = _icon_label(self)
        self.connection_label.setObjectName("connectionLabel")
        # Described, not named: a screen reader reads the name instead of the text.
        self.connection_label.setAccessibleDescription(self.tr("Connection state"))
        self.operator_label = QLabel(self)
        self.operator_label.setTextFormat(Qt.TextFormat.PlainText)
        self.operator_label.setAccessibleDescription(self.tr("Signed-in operator"))
        self.cache_icon, self.cache_label = _icon_label(self)
        self.cache_label.setAccessibleDescription(self.tr("Local cache"))
        self.demo_label = QLabel(self.tr("DEMO"), self)
        self.demo_label.setObjectName("demoMarker")
        self.demo_label.setToolTip(self.tr("Demo mode: a built-in server with simulated visitors; "
                                           "nothing is kept after you quit."))
        self.demo_label.setVisible(demo)
        self.addWidget(self.connection_icon)
        self.addWidget(self.connection_label)
        self.addPermanentWidget(self.demo_label)
        # The operator's status beside their name (the Status menu's actions: one status everywhere).
        self.status_button = StatusButton(status_actions, self) if status_actions is not None else None
        if self.status_button is not None:
            self.addPermanentWidget(self.status_button)
        self.addPermanentWidget(self.operator_label)
        self.addPermanentWidget(self.cache_icon)
        self.addPermanentWidget(self.cache_label)
        self._retry_at: float | None = None
        self._state = ConnectionState.OFFLINE
        self._failure_text = ""
        self._countdown = QTimer(self)
        self._countdown.setInterval(250)
        self._countdown.timeout.connect(self._on_countdown_timeout)
        self.show_connection(ConnectionChanged(ConnectionState.OFFLINE))
        self.show_operator(None)
        self.show_cache(None)

    def show_connection(self, event: ConnectionChanged) -> None:
        self._state = event.state
        self._failure_text = failure_text(event.failure) if event.failure else ""
        if event.state == ConnectionState.RECONNECTING and event.retry_in is not None:
            self._retry_at = time.monotonic() + event.retry_in
            self._countdown.start()
        else:
            self._retry_at = None
            self._countdown.stop()
        name = {ConnectionState.ONLINE: "online", ConnectionState.RECONNECTING: "reconnecting",
                ConnectionState.CONNECTING: "reconnecting", ConnectionState.CLOSED: "error"}.get(
            event.state, "offline")
        self.connection_icon.setPixmap(icons.icon(name).pixmap(14, 14))
        self._render_connection()

    def _render_connection(self) -> None:
        texts = {
            ConnectionState.OFFLINE: self.tr("Offline"),
            ConnectionState.CONNECTING: self.tr("Connecting…"),
            ConnectionState.ONLINE: self.tr("Online"),
            ConnectionState.CLOSED: self.tr("Disconnected by the server"),
        }
        if self._state == ConnectionState.RECONNECTING:
            if self._retry_at is not None:
                left = max(0, round(self._retry_at - time.monotonic()))
                text = self.tr("Connection lost, retrying in %n s", "", left)
            else:
                text = self.tr("Connection lost, reconnecting…")
        else:
            text = texts[self._state]
        if self._failure_text and self._state != ConnectionState.ONLINE:
            text = f"{text} — {self._failure_text}"
        self.connection_label.setText(text)

    def _on_countdown_timeout(self) -> None:
        self._render_connection()

    def show_operator(self, operator: OperatorInfo | None) -> None:
        if operator is None:
            self.operator_label.setText(self.tr("Not signed in"))
        else:
            self.operator_label.setText(self.tr("%1 (%2)").replace("%1", operator.name).replace(
                "%2", role_text(operator.role)))

    def show_cache(self, status: CacheStatus | None) -> None:
        if status is not None and status.available and status.encrypted:
            self.cache_icon.setPixmap(icons.icon("lock").pixmap(14, 14))
            self.cache_label.setText(self.tr("Cache encrypted"))
            self.cache_label.setToolTip(self.tr("Transcripts kept on this computer are encrypted."))
        else:
            self.cache_icon.setPixmap(icons.icon("no-cache").pixmap(14, 14))
            self.cache_label.setText(self.tr("No local cache"))
            self.cache_label.setToolTip(self.tr("Nothing is kept on this computer in this session."))
