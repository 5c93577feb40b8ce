"""What the packaging ships: the desktop entry and AppStream metainfo validate, the icon exists in the
standard sizes, the launcher a pip user installs works, and every data file of the package goes into
the wheel."""

from __future__ import annotations

import fnmatch
import os
import shutil
import struct
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from operator_desk import app
from operator_desk.platform import launcher
from tests.kit.tools import TOOLS_REQUIRED, tool

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src/operator_desk"
# The three distributions built from this repository, by project folder (docs/architecture.md).
DISTRIBUTIONS = ("packages/core", "packages/server", ".")
DESKTOP = PACKAGE / "platform/desktop"
METAINFO = ROOT / "packaging" / f"{launcher.APP_ID}.metainfo.xml"
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    return struct.unpack(">II", header[16:24])


def test_one_application_id_everywhere():
    assert app.APP_ID == launcher.APP_ID
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == launcher.APP_ID
    assert root.findtext("launchable") == launcher.DESKTOP_FILE
    assert (DESKTOP / launcher.DESKTOP_FILE).read_text("utf-8").count(f"Icon={launcher.APP_ID}\n") == 1


def test_the_desktop_entry_validates():
    validate = tool("desktop-file-validate", "desktop-file-utils")
    done = subprocess.run([validate, str(DESKTOP / launcher.DESKTOP_FILE)], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout == "", done.stdout + done.stderr


def test_the_metainfo_validates_and_its_screenshots_are_in_the_repository():
    appstreamcli = tool("appstreamcli", "appstream")
    done = subprocess.run([appstreamcli, "validate", "--no-net", str(METAINFO)], capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    images = ET.parse(METAINFO).getroot().findall("screenshots/screenshot/image")
    assert len(images) >= 2
    for image in images:
        shot = ROOT / "packaging/screenshots" / image.text.rsplit("/", 1)[-1]
        assert shot.is_file(), f"{shot.name} is not in packaging/screenshots"
        assert png_size(shot) == (int(image.get("width")), int(image.get("height")))


def test_the_icon_is_there_in_every_standard_size():
    theme = DESKTOP / "icons/hicolor"
    for size in ICON_SIZES:
        assert png_size(theme / f"{size}x{size}/apps/{launcher.APP_ID}.png") == (size, size)
    scalable = theme / f"scalable/apps/{launcher.APP_ID}.svg"
    assert scalable.read_bytes() == (PACKAGE / "ui/assets/icons/app.svg").read_bytes()


def test_a_pip_user_installs_and_removes_the_launcher(tmp_path):
    command = [str(tmp_path / "my venv/bin/operator-desk")]
    written = launcher.install_launcher(command, tmp_path / "share")
    entry = tmp_path / "share/applications" / launcher.DESKTOP_FILE
    assert entry in written
    text = entry.read_text("utf-8")
    assert f'Exec="{command[0]}"\n' in text and f"TryExec={command[0]}\n" in text
    for size in ICON_SIZES:
        assert (tmp_path / f"share/icons/hicolor/{size}x{size}/apps/{launcher.APP_ID}.png").is_file()
    if shutil.which("desktop-file-validate") or TOOLS_REQUIRED:
        validate = tool("desktop-file-validate", "desktop-file-utils")
        done = subprocess.run([validate, str(entry)], capture_output=True, text=True)
        assert done.returncode == 0 and done.stdout == "", done.stdout
    assert sorted(launcher.uninstall_launcher(tmp_path / "share")) == sorted(written)
    assert [p for p in (tmp_path / "share").rglob("*") if p.is_file()] == []


def test_a_path_the_desktop_entry_cannot_say_is_refused(tmp_path):
    with pytest.raises(ValueError, match="plainer path"):
        launcher.install_launcher([str(tmp_path / "100%/operator-desk")], tmp_path / "share")
    assert not (tmp_path / "share/applications" / launcher.DESKTOP_FILE).exists()


@pytest.mark.parametrize("project", DISTRIBUTIONS)
def test_every_data_file_of_each_distribution_goes_into_its_wheel(project):
    """A data file whose type no package-data pattern of its distribution names would be missing from
    that wheel."""
    config = tomllib.loads((ROOT / project / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]
    patterns = config.get("package-data", {}).get("*", [])
    excluded = {(package, pattern) for package, globs in config.get("exclude-package-data", {}).items()
                for pattern in globs}
    source = ROOT / project / "src"
    missing = []
    for path in (source / "operator_desk").rglob("*"):
        if not path.is_file() or path.suffix in (".py", ".pyc") or "__pycache__" in path.parts:
            continue
        package = ".".join(path.parent.relative_to(source).parts)
        if any(package == p and fnmatch.fnmatch(path.name, g) for p, g in excluded):
            continue
        if not any(fnmatch.fnmatch(path.name, pattern) for pattern in patterns):
            missing.append(str(path.relative_to(ROOT)))
    assert missing == []


def test_operator_desk_install_launcher_points_the_menu_at_this_installation(tmp_path):
    command = Path(sys.executable).with_name("operator-desk")
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "share")}
    done = subprocess.run([str(command), "--install-launcher"], capture_output=True, text=True, env=env,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    entry = tmp_path / "share/applications" / launcher.DESKTOP_FILE
    assert f"Exec={command.resolve()}\n" in entry.read_text("utf-8")
    removed = subprocess.run([str(command), "--uninstall-launcher"], capture_output=True, text=True,
                             env=env, timeout=60)
    assert removed.returncode == 0 and not entry.exists()
