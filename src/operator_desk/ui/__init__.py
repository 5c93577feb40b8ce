"""Everything PySide6 and qasync: models, widgets, windows, dialogs, the event bridge, i18n."""
