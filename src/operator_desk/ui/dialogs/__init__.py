"""Dialogs. Opened with ``open()`` and awaited (``run_dialog``), never with a nested ``exec()``, so the
asyncio loop keeps running under them."""
