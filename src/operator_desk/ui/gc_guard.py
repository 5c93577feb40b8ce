"""Run Python's cyclic garbage collector on the Qt thread only.

Automatic collection runs in whichever thread happens to allocate when a threshold is crossed: the
store's worker thread, a keyring thread. If it then frees a Qt object that owns timers, Qt destroys it
in the wrong thread ("Timers cannot be stopped from another thread") and may crash. So automatic
collection is switched off and a timer on the Qt thread collects instead, by the same generational
thresholds (the approach PyQt's documentation and long-running Qt apps such as qutebrowser use).

Once the window is up, :meth:`MainThreadGarbageCollector.freeze` moves everything alive then (modules,
classes, Qt wrappers, the main window: some 40,000 objects that live for the whole run) out of future
collections. A full collection then walks only what came later, instead of stalling the event loop for
~45 ms each time on the development machine. Frozen objects are still freed by reference counting; only
a reference cycle among them would never be collected, and the start-up objects do not come and go.
"""

from __future__ import annotations

import gc
import logging

from PySide6.QtCore import QObject, QTimer

logger = logging.getLogger(__name__)

CHECK_INTERVAL_MS = 500


class MainThreadGarbageCollector(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_INTERVAL_MS)
        self._timer.timeout.connect(self._on_timer_timeout)

    def start(self) -> None:
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        gc.unfreeze()
        gc.enable()

    def freeze(self) -> None:
        """Collect the young generations, then exclude every surviving object from later collections."""
        gc.collect(1)
        gc.freeze()
        logger.debug("garbage collector: %d start-up objects frozen", gc.get_freeze_count())

    def _on_timer_timeout(self) -> None:
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self._thresholds[generation]:
                gc.collect(generation)
                return
