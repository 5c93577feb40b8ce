"""The team at work (team leads and supervisors): who is online with their open chats, the queue with
the longest wait first, any live chat to watch read-only, and the daily report with its chart.

The figures come from the server (``team.status``, ``reports.daily``), counted without personal data;
the days are this desk's own (local midnight to midnight). The status refreshes while the window shows.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, QLocale, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from operator_desk.domain.model import MAX_CHAT_LIMIT, Role
from operator_desk.protocol.messages import DailyReportResponse, Figures, OpenChatInfo, TeamStatusResponse
from operator_desk.ui import icons
from operator_desk.ui.desk_port import DeskPort
from operator_desk.ui.models.record_table_model import Column
from operator_desk.ui.naming import pseudonym
from operator_desk.ui.timefmt import date_time, parse_timestamp, seconds_since, short_duration, waiting_clock
from operator_desk.ui.use_case import FAILED
from operator_desk.ui.widgets.action_button import push_button
from operator_desk.ui.widgets.day_chart import DayBar, DayChart
from operator_desk.ui.widgets.presence import status_text
from operator_desk.ui.windows.review_window import ReviewWindow
from operator_desk.ui.windows.transcripts_window import day_start

REFRESH_MS = 5000


def seconds_text(value: float | None) -> str:
    return short_duration(value) if value is not None else "—"


class TeamWindow(ReviewWindow):
    watch_requested = Signal(str)   # a chat id: the main window opens it read-only

    def __init__(self, desk: DeskPort, parent: QWidget | None = None) -> None:
        super().__init__(desk, self.tr("The team — Operator Desk"), icons.icon("visitors"), parent)
        self.resize(1180, 760)
        self._names: dict[str, str] = {}
        self.status: TeamStatusResponse | None = None
        self.report: DailyReportResponse | None = None

        self.operators_model, self.operators_view = self._results_table([
            Column(self.tr("Operator"), lambda m: m.name),
            Column(self.tr("Role"), lambda m: self._role_text(m.role)),
            Column(self.tr("Status"), self._presence_text),
            Column(self.tr("Open chats"), lambda m: str(len(m.open_chats)), align_right=True),
            Column(self.tr("Chat limit"), self._limit_text, align_right=True),
        ], self.tr("Operators"), QHeaderView.ResizeMode.ResizeToContents)
        self.operators_view.horizontalHeader().setStretchLastSection(True)
        self.live_model, self.live_view = self._results_table([
            Column(self.tr("Started"), lambda c: date_time(c.started_at)),
            Column(self.tr("State"), self._state_text),
            Column(self.tr("Operator"), lambda c: self._names.get(c.operator_id or "", "—")),
            Column(self.tr("Visitor"), lambda c: pseudonym(c.visitor_id)),
            Column(self.tr("Waiting for"), lambda c: waiting_clock(seconds_since(c.started_at))
                   if c.state == "waiting" else ""),
        ], self.tr("Live chats"), QHeaderView.ResizeMode.ResizeToContents)
        self.live_view.horizontalHeader().setStretchLastSection(True)
        self.live_view.doubleClicked.connect(self._on_watch_clicked)
        self.queue_label = QLabel()
        self.queue_label.setObjectName("queueSummary")
        self.watch_button = push_button(
            self.tr("&Watch chat"), self.tr("Watch the selected chat read-only"), self._on_watch_clicked,
            icon="chat", tooltip=self.tr("Opens the chat read-only; watching is recorded in the audit log."))
        self.refresh_button = push_button(self.tr("&Refresh"), self.tr("Refresh the team's status"),
                                          self._on_refresh_clicked)

        now = QWidget()
        now_layout = QVBoxLayout(now)
        operators_box = QGroupBox(self.tr("Operators online"))
        operators_layout = QVBoxLayout(operators_box)
        operators_layout.addWidget(self.operators_view)
        operators_layout.addWidget(self._limit_editor())
        live_box = QGroupBox(self.tr("Queue and live chats"))
        live_layout = QVBoxLayout(live_box)
        live_layout.addWidget(self.queue_label)
        live_layout.addWidget(self.live_view, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.watch_button)
        live_layout.addLayout(buttons)
        split = QSplitter()
        split.addWidget(operators_box)
        split.addWidget(live_box)
        split.setSizes([600, 560])   # the operators with their status and chat limit, German too
        now_layout.addWidget(split)

        self.tabs = QTabWidget()
        self.tabs.addTab(now, self.tr("Now"))
        self.tabs.addTab(self._report_page(), self.tr("Daily report"))
        self._set_body(QHBoxLayout(), self.tabs)

        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self._on_refresh_clicked)

    def _limit_editor(self) -> QWidget:
        """Supervisors: the selected operator's own chat limit, or the site's again."""
        editor = QWidget()
        self.limit_box = QSpinBox()
        self.limit_box.setRange(1, MAX_CHAT_LIMIT)
        self.limit_box.setAccessibleName(self.tr("Chat limit of the selected operator"))
        label = QLabel(self.tr("Chat &limit:"))
        label.setBuddy(self.limit_box)
        self.set_limit_button = push_button(self.tr("&Set limit"),
                                            self.tr("Set the selected operator's chat limit"),
                                            self._on_set_limit_clicked)
        self.site_limit_button = push_button(self.tr("Use the site's limit"),
                                             self.tr("Give the selected operator the site's chat limit"),
                                             self._on_site_limit_clicked)
        layout = QHBoxLayout(editor)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label)
        layout.addWidget(self.limit_box)
        layout.addWidget(self.set_limit_button)
        layout.addWidget(self.site_limit_button)
        layout.addStretch(1)
        operator = self.desk.operator
        editor.setVisible(operator is not None and operator.role == Role.SUPERVISOR)
        self.operators_view.selectionModel().selectionChanged.connect(self._on_operator_selected)
        self._on_operator_selected()
        return editor

    def _report_page(self) -> QWidget:
        page = QWidget()
        self.period_box = QComboBox()
        self.period_box.setAccessibleName(self.tr("Report period"))
        for days in (7, 14, 30):
            self.period_box.addItem(self.tr("Last %n day(s)", "", days), days)
        self.period_box.currentIndexChanged.connect(self._on_period_changed)
        self.totals_label = QLabel()
        self.totals_label.setWordWrap(True)
        self.chart = DayChart()
        self.chart.setAccessibleName(self.tr("Chats per day"))
        figure_columns = [
            Column(self.tr("Chats"), lambda f: str(f.chats), align_right=True),
            Column(self.tr("Missed"), lambda f: str(f.missed), align_right=True),
            Column(self.tr("Accept p50"), lambda f: seconds_text(f.accept_p50), align_right=True),
            Column(self.tr("Accept p95"), lambda f: seconds_text(f.accept_p95), align_right=True),
            Column(self.tr("Length p50"), lambda f: seconds_text(f.length_p50), align_right=True),
            Column(self.tr("Length p95"), lambda f: seconds_text(f.length_p95), align_right=True),
        ]
        self.days_model, self.days_view = self._results_table(
            [Column(self.tr("Day"), lambda d: self._day_text(d.start)), *figure_columns],
            self.tr("Figures per day"), QHeaderView.ResizeMode.ResizeToContents)
        self.people_model, self.people_view = self._results_table(
            [Column(self.tr("Operator"), lambda o: o.name), *figure_columns[:1], *figure_columns[2:]],
            self.tr("Figures per operator"), QHeaderView.ResizeMode.ResizeToContents)
        top = QHBoxLayout()
        top.addWidget(self.period_box)
        top.addWidget(self.totals_label, 1)
        tables = QSplitter()
        tables.addWidget(self.days_view)
        tables.addWidget(self.people_view)
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(self.chart, 2)
        layout.addWidget(tables, 1)
        return page

    # -- words ------------------------------------------------------------------------------------

    def _role_text(self, role: Role | str) -> str:
        return {Role.OPERATOR: self.tr("Operator"), Role.TEAM_LEAD: self.tr("Team lead"),
                Role.SUPERVISOR: self.tr("Supervisor")}.get(role, str(role))

    def _state_text(self, chat: OpenChatInfo) -> str:
        return self.tr("Waiting") if chat.state == "waiting" else self.tr("Active")

    def _presence_text(self, member) -> str:
        if member.status:
            # The status the operator set (presence.set), in the words the status bar uses.
            return status_text(member.status)
        if member.sessions:
            return self.tr("Online (%n desk(s))", "", member.sessions)
        return self.tr("Offline")

    def _limit_text(self, member) -> str:
        if member.chat_limit is None:
            return "—"   # a supervisor (no limit), or a server without routing
        if member.own_chat_limit is None:
            return self.tr("%1 (site)").replace("%1", str(member.chat_limit))
        return str(member.chat_limit)

    @staticmethod
    def _day_text(start: str) -> str:
        """The day a report's day starts on, on this desk's clock ("Mo. 30.11.")."""
        moment = parse_timestamp(start)
        if moment is None:
            return start
        local = moment.astimezone()
        return QLocale().toString(QDate(local.year, local.month, local.day), "ddd dd.MM.")

    def _totals_text(self, total: Figures) -> str:
        return self.tr("%1 chats, %2 accepted, %3 missed. Time to accept: half within %4, 95 in 100 within "
                       "%5. Chat length: half within %6.").replace("%1", str(total.chats)).replace(
            "%2", str(total.accepted)).replace("%3", str(total.missed)).replace(
            "%4", seconds_text(total.accept_p50)).replace("%5", seconds_text(total.accept_p95)).replace(
            "%6", seconds_text(total.length_p50))

    # -- loading ----------------------------------------------------------------------------------

    async def open_listing(self) -> None:
        await self.refresh()
        await self.load_report()
        self._timer.start()

    def closeEvent(self, event) -> None:
        self._timer.stop()
        super().closeEvent(event)

    @asyncSlot()
    async def _on_refresh_clicked(self, *_args) -> None:
        await self.refresh()

    async def refresh(self) -> None:
        status = await self._run("team.status", self.desk.review.team_status())
        if status is FAILED:
            return
        self.status = status
        self._names = {member.id: member.name for member in status.operators}
        chosen = self.selected_member()
        members = sorted(status.operators, key=lambda m: (m.sessions == 0, m.name))
        self.operators_model.set_records(members)
        # The refresh every few seconds keeps the operator chosen for the limit editor chosen.
        row = next((i for i, m in enumerate(members) if chosen is not None and m.id == chosen.id), None)
        if row is not None:
            self.operators_view.selectRow(row)
        live: list[OpenChatInfo] = list(status.queue.chats)
        live.extend(chat for member in status.operators for chat in member.open_chats)
        self.live_model.set_records(live)
        if status.queue.chats:
            longest = waiting_clock(seconds_since(status.queue.chats[0].started_at))
            waiting = self.tr("%n waiting, the longest for %1", "", status.queue.waiting)
            self.queue_label.setText(waiting.replace("%1", longest))
        else:
            self.queue_label.setText(self.tr("Nobody is waiting."))
        online = sum(1 for m in status.operators if m.sessions)
        self.statusBar().showMessage(self.tr("%n operator(s) online", "", online))

    def selected_member(self):
        rows = self.operators_view.selectionModel().selectedRows()
        return self.operators_model.record_at(rows[0].row()) if rows else None

    def _on_operator_selected(self, *_args) -> None:
        member = self.selected_member()
        limited = member is not None and member.chat_limit is not None
        for widget in (self.limit_box, self.set_limit_button, self.site_limit_button):
            widget.setEnabled(limited)
        if limited:
            self.limit_box.setValue(member.chat_limit)

    @asyncSlot()
    async def _on_set_limit_clicked(self, *_args) -> None:
        await self.set_limit(self.limit_box.value())

    @asyncSlot()
    async def _on_site_limit_clicked(self, *_args) -> None:
        await self.set_limit(None)

    async def set_limit(self, chat_limit: int | None) -> bool:
        """The selected operator's own chat limit (None: the site's); then the list again."""
        member = self.selected_member()
        if member is None:
            return False
        changed = await self._run("team.set_limit", self.desk.review.set_chat_limit(member.id, chat_limit))
        if changed is FAILED:
            return False
        await self.refresh()
        return True

    @asyncSlot()
    async def _on_period_changed(self, *_args) -> None:
        await self.load_report()

    def day_bounds(self) -> tuple[str, ...]:
        days = int(self.period_box.currentData())
        first = QDate.currentDate().addDays(1 - days)
        return tuple(day_start(first.addDays(i)) for i in range(days + 1))

    async def load_report(self) -> None:
        report = await self._run("reports.daily", self.desk.review.daily_report(self.day_bounds()))
        if report is FAILED:
            return
        self.report = report
        self.chart.set_bars([DayBar(label=self._day_text(day.start), accepted=day.accepted, missed=day.missed,
                                    other=max(0, day.chats - day.accepted - day.missed))
                             for day in report.days])
        self.days_model.set_records(report.days)
        self.people_model.set_records(report.operators)
        self.totals_label.setText(self._totals_text(report.total))

    # -- watching ---------------------------------------------------------------------------------

    def _on_watch_clicked(self, *_args) -> None:
        rows = self.live_view.selectionModel().selectedRows()
        if rows:
            self.watch_requested.emit(self.live_model.record_at(rows[0].row()).chat_id)
