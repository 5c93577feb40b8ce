"""Canary for the PySide6 release that aborts on CPython 3.11 (6.12.0: ``none_dealloc``).

Each Python override of a Qt virtual dropped a reference to ``None``; after some thousands of calls
the interpreter aborts. The code runs in a subprocess so that an abort fails this test with its
message instead of killing the whole test session.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

CALLS = 10_000

CANARY = textwrap.dedent(
    f"""
    import sys
    from PySide6.QtCore import QAbstractListModel, QCoreApplication, QModelIndex, QObject

    app = QCoreApplication(sys.argv)

    class Ticker(QObject):
        def __init__(self):
            super().__init__()
            self.ticks = 0
            self.timer = self.startTimer(0)

        def timerEvent(self, event):
            self.ticks += 1
            if self.ticks >= {CALLS}:
                self.killTimer(self.timer)
                app.quit()

    class Rows(QAbstractListModel):
        def __init__(self):
            super().__init__()
            self.rows = []

        def rowCount(self, parent=QModelIndex()):
            return 0 if parent.isValid() else len(self.rows)

        def data(self, index, role=0):
            return None

        def beginInsertRows(self, parent, first, last):
            super().beginInsertRows(parent, first, last)

        def endInsertRows(self):
            super().endInsertRows()

        def append(self, value):
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows))
            self.rows.append(value)
            self.endInsertRows()

    ticker = Ticker()
    app.exec()
    model = Rows()
    for i in range({CALLS}):
        model.append(i)
    print(ticker.ticks, model.rowCount())
    """
)


def test_qt_virtual_overrides_survive_ten_thousand_calls():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-c", CANARY], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, f"Qt canary crashed ({result.returncode}): {result.stderr[-2000:]}"
    assert result.stdout.split() == [str(CALLS), str(CALLS)]
