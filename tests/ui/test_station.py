"""Station settings: names, printers to a folder, copies per destination, the store's scan rule."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog, QWidget

from fulfill.storage import Store
from fulfill.ui import printing
from fulfill.ui.printing import (
    DOCUMENT, LABEL, PrinterProfile, PrintersDialog, load_profile, missing_printer, save_profile,
)
from fulfill.ui.station import (
    COPY_KINDS, DEFAULT_COPIES, REQUIRE_SCAN_KEY, CopyRule, StationSettings, host_name,
    require_scan, save_require_scan_job,
)
from fulfill.ui.station_dialog import StationSettingsDialog, edit_station_settings
from fulfill.ui.store_worker import StoreWorker


def _reopened(settings: QSettings) -> StationSettings:
    """The same ini file read afresh, as the next start of the app would."""
    settings.sync()
    return StationSettings(QSettings(settings.fileName(), QSettings.Format.IniFormat))


# --- StationSettings --------------------------------------------------------------------
def test_defaults(ui_settings):
    station = StationSettings(ui_settings)
    assert station.name == host_name() and station.name
    assert station.sounds_on is True
    assert {kind: station.copies(kind, "US") for kind in COPY_KINDS} == {
        "label": 1, "cn22": 1, "cn23": 1, "invoice": 2, "packing-slip": 1}
    assert station.copy_rules() == [CopyRule(kind, "*", DEFAULT_COPIES[kind])
                                    for kind in COPY_KINDS]
    assert station.label_profile() == load_profile(ui_settings, LABEL)
    assert station.document_profile().role == DOCUMENT


def test_the_most_specific_copy_rule_wins(ui_settings):
    station = StationSettings(ui_settings)
    station.set_copies("invoice", "*", 3)
    station.set_copies("invoice", "EU", 1)
    station.set_copies("invoice", "de", 4)  # codes are upper-cased
    station.set_copies("cn23", "JP", 3)
    station.set_copies("packing-slip", "EU", 0)
    assert station.copies("invoice", "DE") == 4  # the country
    assert station.copies("invoice", "fr") == 1  # an EU member
    assert station.copies("invoice", "CH") == 3  # not in the EU: everywhere else
    assert station.copies("invoice", "GB") == 3
    assert station.copies("cn23", "JP") == 3
    assert station.copies("cn23", "KR") == 1  # a JP rule touches nothing else
    assert station.copies("label", "JP") == 1
    assert station.copies("packing-slip", "IT") == 0  # 0: not printed
    assert station.copies("packing-slip", "US") == 1
    station.remove_copies("invoice", "DE")
    assert station.copies("invoice", "DE") == 1


def test_settings_survive_a_restart(ui_settings):
    station = StationSettings(ui_settings)
    station.name = "  Bench 2 "
    station.sounds_on = False
    station.set_copies("cn23", "JP", 3)
    station.set_copies("invoice", "*", 1)
    again = _reopened(ui_settings)
    assert again.name == "Bench 2"
    assert again.sounds_on is False
    assert again.copies("cn23", "JP") == 3
    assert CopyRule("cn23", "JP", 3) in again.copy_rules()
    assert CopyRule("invoice", "*", 1) in again.copy_rules()
    again.name = ""
    assert again.name == host_name()


def test_bad_rules_are_refused_and_a_damaged_value_means_defaults(ui_settings):
    station = StationSettings(ui_settings)
    with pytest.raises(ValueError):
        station.set_copies("pick-list", "*", 1)
    with pytest.raises(ValueError):
        station.set_copies("label", "Germany", 1)
    with pytest.raises(ValueError):
        station.set_copies("label", "*", 10)
    with pytest.raises(ValueError):
        station.copies("customs", "DE")
    ui_settings.setValue("station/copies", "{not json")
    assert station.copies("invoice", "DE") == 2


# --- printer profiles that save to a folder ----------------------------------------------
def test_folder_profile_round_trip(ui_settings, tmp_path):
    profile = PrinterProfile(LABEL, "", 300, "4x6", str(tmp_path))
    save_profile(ui_settings, profile)
    loaded = load_profile(QSettings(ui_settings.fileName(), QSettings.Format.IniFormat), LABEL)
    assert loaded == profile and loaded.to_folder and loaded.chosen
    assert loaded.describe() == f"PDF files in {tmp_path} · 4x6 · 300 dpi"
    assert not PrinterProfile(DOCUMENT, "", 300, "A4").chosen
    assert PrinterProfile(DOCUMENT, "", 300, "A4").describe().startswith("no printer")


def test_a_printer_wins_over_a_folder_and_a_lost_printer_is_none(ui_settings, tmp_path,
                                                                 monkeypatch):
    monkeypatch.setattr(printing, "available_printers", lambda: ["Zebra ZD421"])
    save_profile(ui_settings, PrinterProfile(LABEL, "Zebra ZD421", 203, "4x6", str(tmp_path)))
    loaded = load_profile(ui_settings, LABEL)
    assert (loaded.printer, loaded.folder, loaded.to_folder) == ("Zebra ZD421", "", False)
    assert loaded.describe() == "Zebra ZD421 · 4x6 · 203 dpi"
    monkeypatch.setattr(printing, "available_printers", lambda: [])
    gone = load_profile(ui_settings, LABEL)
    assert not gone.chosen  # never quietly files instead of the printer
    assert missing_printer(ui_settings, LABEL) == "Zebra ZD421"
    assert missing_printer(ui_settings, DOCUMENT) == ""


def test_printers_dialog_saves_a_folder_and_refuses_an_empty_one(qtbot, ui_settings, tmp_path):
    dialog = PrintersDialog(ui_settings)
    qtbot.addWidget(dialog)
    box = dialog.label_box
    box.printer.setCurrentIndex(box.printer.findData(printing._FOLDER_CHOICE))
    assert box.folder.isEnabled() and box.browse.isEnabled()
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted and not dialog.error.isHidden()
    assert "Choose the folder" in dialog.error.text()
    box.folder.setText(str(tmp_path / "nowhere"))
    dialog.accept()
    assert "does not exist" in dialog.error.text()
    box.folder.setText(str(tmp_path))
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert load_profile(ui_settings, LABEL).folder == str(tmp_path)


# --- the dialog ---------------------------------------------------------------------------
def test_dialog_saves_what_was_chosen(qtbot, ui_settings, tmp_path):
    StationSettings(ui_settings).set_copies("invoice", "EU", 1)
    dialog = StationSettingsDialog(ui_settings, True)
    qtbot.addWidget(dialog)
    assert dialog.require_scan() is True
    assert dialog.sounds.isChecked()
    dialog.name.setText("Bench 3")
    dialog.sounds.setChecked(False)
    dialog.require_scan_box.setChecked(False)
    dialog.label_box.folder.setText(str(tmp_path))
    dialog.label_box.printer.setCurrentIndex(
        dialog.label_box.printer.findData(printing._FOLDER_CHOICE))
    dialog.label_box.dpi.setCurrentIndex(dialog.label_box.dpi.findData(300))
    dialog.document_box.paper.setCurrentText("Letter")

    copies = dialog.copies
    copies.kind.setCurrentIndex(copies.kind.findData("cn23"))
    copies.destination.setCurrentIndex(copies.destination.findData("JP"))
    copies.add_rule()
    assert copies.spin("cn23", "JP").value() == 1  # starts from what JP gets today
    copies.spin("cn23", "JP").setValue(3)
    copies.spin("packing-slip", "*").setValue(0)
    copies.add_rule()  # the same rule again only selects it
    assert [r.destination for r in copies.rules() if r.kind == "cn23"] == ["*", "JP"]
    # The everywhere-else rule cannot go; a specific one can.
    copies.table.selectRow(0)
    assert not copies.remove_button.isEnabled()
    copies.remove_rule()
    assert len(copies.rules()) == 7
    copies.table.selectRow(copies._keys.index(("invoice", "EU")))
    assert copies.remove_button.isEnabled()
    copies.remove_rule()
    assert ("invoice", "EU") not in copies._keys

    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.require_scan() is False
    again = _reopened(ui_settings)
    assert again.name == "Bench 3" and again.sounds_on is False
    assert again.label_profile() == PrinterProfile(LABEL, "", 300, "4x6", str(tmp_path))
    assert again.document_profile().paper == "Letter"
    assert again.copies("cn23", "JP") == 3
    assert again.copies("packing-slip", "US") == 0
    assert again.copies("invoice", "DE") == 2  # the EU rule was removed


def test_dialog_keeps_everything_when_a_folder_is_missing(qtbot, ui_settings):
    dialog = StationSettingsDialog(ui_settings, True)
    qtbot.addWidget(dialog)
    dialog.name.setText("Bench 9")
    dialog.document_box.printer.setCurrentIndex(
        dialog.document_box.printer.findData(printing._FOLDER_CHOICE))
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "documents" in dialog.error.text() and not dialog.error.isHidden()
    assert _reopened(ui_settings).name == host_name()


def test_require_scan_lives_in_the_store(store_path):
    with Store.open(store_path) as store:
        assert require_scan(store) is True  # the owner's default
        save_require_scan_job(False)(store, None, None)
        assert store.settings.get(REQUIRE_SCAN_KEY) is False
    with Store.open(store_path) as store:
        assert require_scan(store) is False


def test_edit_station_settings_round_trip(qtbot, store_path, ui_settings):
    Store.open(store_path).close()
    worker = StoreWorker(store_path)
    parent = QWidget()
    qtbot.addWidget(parent)
    saved = []
    try:
        edit_station_settings(parent, ui_settings, worker,
                              lambda station, scan: saved.append((station.name, scan)))
        qtbot.waitUntil(lambda: getattr(parent, "station_dialog", None) is not None,
                        timeout=5000)
        dialog = parent.station_dialog
        assert dialog.require_scan_box.isChecked()
        dialog.name.setText("Bench 4")
        dialog.require_scan_box.setChecked(False)
        dialog.accept()
        qtbot.waitUntil(lambda: saved == [("Bench 4", False)], timeout=5000)
    finally:
        worker.close()
    with Store.open(store_path) as store:
        assert require_scan(store) is False
