"""Writing an export bundle from a window: where to (a folder that does not exist yet, in a parent that
does; a zip beside it if wanted), then a progress dialog that can be cancelled, then the result.

The bundle itself is the services' (``SubjectBundles.write``); this module only asks and shows. A cancel
cancels the task: the services remove whatever was written.
"""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path
from typing import Literal

import platformdirs
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from operator_desk.domain.cases import SubjectCase
from operator_desk.services.bundle.export import BundleRequest, BundleStage, BundleWritten, SubjectBundles
from operator_desk.ui import icons
from operator_desk.ui.dialogs.async_dialog import run_dialog
from operator_desk.ui.naming import pseudonym_tag
from operator_desk.ui.report_pdf import render_pdf
from operator_desk.ui.report_words import QtReportWords
from operator_desk.ui.use_case import Failed, ShowFailure, run_use_case

ACTION = "bundle.write"


def desk_language() -> str:
    """The language the desk was started in (``i18n.install_translations`` made it Qt's default)."""
    return QLocale().name().split("_")[0] or "en"


def bundle_folder_name(visitor_id: str, case: SubjectCase | None) -> str:
    """A bundle's folder name that says when it was made and for which request, not whose it is."""
    tag = case.id if case is not None else pseudonym_tag(visitor_id).lower()
    return f"data-export-{date.today().isoformat()}-{tag}"


def default_folder(visitor_id: str, case: SubjectCase | None) -> Path:
    return platformdirs.user_documents_path() / bundle_folder_name(visitor_id, case)


class BundleDialog(QDialog):
    """Where the bundle goes: the folder to create, and whether to zip it."""

    def __init__(self, suggested: Path, who: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export bundle"))
        self.setWindowIcon(icons.icon("export"))
        self.setMinimumWidth(560)
        heading = QLabel(self.tr("Export everything held about %1").replace("%1", who))
        heading.setObjectName("dialogHeading")
        heading.setTextFormat(Qt.TextFormat.PlainText)
        explain = QLabel(self.tr("A new folder with records.json, a readable report (HTML and PDF) in the "
                                 "desk's language and a manifest of checksums. Only you can read the files."))
        explain.setWordWrap(True)
        self.folder_edit = QLineEdit(str(suggested))
        self.folder_edit.setAccessibleName(self.tr("Folder to create"))
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._on_browse_clicked)
        row = QHBoxLayout()
        row.addWidget(self.folder_edit, 1)
        row.addWidget(browse)
        self.zip_box = QCheckBox(self.tr("Also make one zip file of it, for sending"))
        self.zip_box.setChecked(True)
        ok = QDialogButtonBox.StandardButton.Ok
        self.buttons = QDialogButtonBox(ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(ok).setText(self.tr("Export"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("New folder:"), row)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(explain)
        layout.addLayout(form)
        layout.addWidget(self.zip_box)
        layout.addWidget(self.buttons)

    def folder(self) -> Path:
        return Path(self.folder_edit.text().strip()).expanduser()

    @asyncSlot()
    async def _on_browse_clicked(self) -> None:
        dialog = QFileDialog(self, self.tr("Where to put the bundle"), str(self.folder().parent))
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        accepted = await run_dialog(dialog) == QFileDialog.DialogCode.Accepted
        chosen = dialog.selectedFiles()
        dialog.deleteLater()
        if accepted and chosen:
            self.folder_edit.setText(str(Path(chosen[0]) / self.folder().name))


class BundleProgress(QProgressDialog):
    """What the bundle is doing; its Cancel cancels the task."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Exporting"))
        self.setLabelText(self.tr("Reading what the server holds…"))
        self.setCancelButtonText(self.tr("Cancel"))
        self.setRange(0, 100)
        self.setMinimumDuration(0)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(420)

    def show_stage(self, stage: BundleStage, fraction: float) -> None:
        self.setLabelText({
            BundleStage.READING: self.tr("Reading what the server and this desk hold…"),
            BundleStage.RECORDS: self.tr("Writing records.json…"),
            BundleStage.REPORT: self.tr("Writing the report…"),
            BundleStage.PDF: self.tr("Rendering the PDF…"),
            BundleStage.MANIFEST: self.tr("Writing the manifest…"),
            BundleStage.ZIP: self.tr("Making the zip…"),
            BundleStage.RECORDING: self.tr("Recording the export…"),
            BundleStage.DONE: self.tr("Done."),
        }[stage])
        self.setValue(int(fraction * 100))


async def export_bundle(parent: QWidget, bundles: SubjectBundles, visitor_id: str, who: str,
                        case: SubjectCase | None, show_failure: ShowFailure, *,
                        approval_id: str | None = None, folder: Path | None = None,
                        make_zip: bool | None = None,
                        progress: BundleProgress | None = None,
                        ) -> BundleWritten | Literal[Failed.FAILED] | None:
    """Ask where (unless ``folder`` is given), write with a progress dialog, and return what was written;
    None when the user cancelled (nothing is left behind), FAILED after a failure was shown."""
    if folder is None:
        dialog = BundleDialog(default_folder(visitor_id, case), who, parent)
        try:
            if await run_dialog(dialog) != QDialog.DialogCode.Accepted:
                return None
            folder, make_zip = dialog.folder(), dialog.zip_box.isChecked()
        finally:
            dialog.deleteLater()
    shown = progress or BundleProgress(parent)
    request = BundleRequest(visitor_id=visitor_id, folder=folder, case=case, approval_id=approval_id,
                            make_zip=bool(make_zip))
    task = asyncio.ensure_future(
        bundles.write(request, QtReportWords(desk_language()), render_pdf, shown.show_stage))
    shown.canceled.connect(task.cancel)
    shown.show()
    try:
        return await run_use_case(ACTION, task, show_failure)
    except asyncio.CancelledError:
        if not task.cancelled():
            raise
        return None
    finally:
        shown.canceled.disconnect(task.cancel)
        shown.hide()
        shown.deleteLater()
