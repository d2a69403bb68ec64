"""Sounds at the packing bench, so the packer can keep their eyes on the parcel.

Four short, distinct sounds from resources/sounds (made by tools/make_sounds.py): `ok` for a
good scan, `error` for a refused one, `alarm` for a stop that needs a look, `done` for a
finished parcel. QtMultimedia plays them. Where it cannot (not installed, its audio libraries
missing, no audio device, or a headless test run) the station stays silent apart from the
system beep for errors and alarms; it never raises.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QUrl
from PySide6.QtWidgets import QApplication

from fulfill.paths import resources_dir

log = logging.getLogger(__name__)

OK, ERROR, ALARM, DONE = "ok", "error", "alarm", "done"
SOUNDS = (OK, ERROR, ALARM, DONE)
# The alarm must cut through a noisy room; the blip is heard a hundred times an hour.
_VOLUME = {OK: 0.6, ERROR: 0.9, ALARM: 1.0, DONE: 0.7}
# Without a sound device these still need to be noticed: the system beep stands in.
_BEEP_INSTEAD = {ERROR, ALARM}


def sounds_dir() -> Path:
    return resources_dir() / "sounds"


def _sound_effects(parent: QObject) -> dict[str, Any]:
    """A loaded QSoundEffect per sound, or {} when this computer cannot play them."""
    try:
        from PySide6.QtMultimedia import QMediaDevices, QSoundEffect
    except (ImportError, OSError) as error:  # e.g. libpulse missing on a Linux box
        log.info("No sounds: QtMultimedia is not available (%s)", error)
        return {}
    if not QMediaDevices.audioOutputs():
        log.info("No sounds: this computer has no audio output")
        return {}
    effects = {}
    for name in SOUNDS:
        path = sounds_dir() / f"{name}.wav"
        if not path.is_file():
            log.warning("The sound %s is missing; reinstall fulfill", path)
            continue
        effect = QSoundEffect(parent)
        effect.setSource(QUrl.fromLocalFile(str(path)))
        effect.setVolume(_VOLUME[name])
        effects[name] = effect
    return effects


class Feedback(QObject):
    """ok(), error(), alarm(), done(): one sound each, when `enabled`.

    `played` lists every sound asked for while enabled, in order, whether or not this
    computer could make it heard (tests and the pack window's own checks read it).
    """

    def __init__(self, parent: QObject | None = None, *, enabled: bool = True) -> None:
        super().__init__(parent)
        self.enabled = enabled
        self.played: list[str] = []
        self._effects = _sound_effects(self)

    @property
    def audible(self) -> bool:
        """True when sounds can really be heard here (QtMultimedia and a device)."""
        return bool(self._effects)

    def ok(self) -> None:
        self._play(OK)

    def error(self) -> None:
        self._play(ERROR)

    def alarm(self) -> None:
        self._play(ALARM)

    def done(self) -> None:
        self._play(DONE)

    def stop(self) -> None:
        """Silence whatever is playing (the packer has seen the alarm)."""
        for effect in self._effects.values():
            effect.stop()

    def _play(self, name: str) -> None:
        if not self.enabled:
            return
        self.played.append(name)
        effect = self._effects.get(name)
        if effect is None or effect.status() == effect.Status.Error:
            if name in _BEEP_INSTEAD:
                QApplication.beep()
            return
        if name != OK:
            self.stop()  # an error or alarm must not be drowned by the blip before it
        effect.play()
