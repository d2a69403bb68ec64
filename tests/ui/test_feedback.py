"""Station sounds: asked for only when on, never an error on a computer that cannot play them."""

from __future__ import annotations

import subprocess
import sys
import wave
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from fulfill.ui import feedback as feedback_module
from fulfill.ui.feedback import SOUNDS, Feedback, sounds_dir

ROOT = Path(__file__).resolve().parents[2]


def test_played_lists_what_was_asked_for(qapp):
    sounds = Feedback()
    sounds.ok()
    sounds.error()
    sounds.alarm()
    sounds.done()
    sounds.stop()
    assert sounds.played == ["ok", "error", "alarm", "done"]


def test_sounds_off_plays_nothing(qapp):
    sounds = Feedback(enabled=False)
    sounds.ok()
    sounds.alarm()
    assert sounds.played == []
    sounds.enabled = True
    sounds.done()
    assert sounds.played == ["done"]


def test_without_qtmultimedia_errors_still_beep(qapp, monkeypatch):
    monkeypatch.setitem(sys.modules, "PySide6.QtMultimedia", None)  # import fails
    beeps = []
    monkeypatch.setattr(QApplication, "beep", staticmethod(lambda: beeps.append(1)))
    sounds = Feedback()
    assert not sounds.audible
    sounds.ok()
    sounds.done()
    assert beeps == []  # a missed blip is fine
    sounds.error()
    sounds.alarm()
    assert beeps == [1, 1]  # a missed error is not
    assert sounds.played == ["ok", "done", "error", "alarm"]


class _Effect:
    """Stands in for a QSoundEffect on a computer with a sound card."""

    class Status:
        Ready, Error = "ready", "error"

    def __init__(self, log: list[str], name: str) -> None:
        self.log, self.name = log, name

    def status(self) -> str:
        return self.Status.Ready

    def play(self) -> None:
        self.log.append(f"play {self.name}")

    def stop(self) -> None:
        self.log.append(f"stop {self.name}")


def test_with_a_sound_card_each_sound_plays_its_effect(qapp, monkeypatch):
    log: list[str] = []
    monkeypatch.setattr(feedback_module, "_sound_effects",
                        lambda _parent: {name: _Effect(log, name) for name in SOUNDS})
    sounds = Feedback()
    assert sounds.audible
    sounds.ok()
    assert log == ["play ok"]
    log.clear()
    sounds.alarm()  # an alarm silences the blip before it
    assert log[-1] == "play alarm" and "stop ok" in log


# --- the sound files ----------------------------------------------------------------------
@pytest.mark.parametrize("name", SOUNDS)
def test_sound_files_are_short_clean_16_bit_mono(name):
    with wave.open(str(sounds_dir() / f"{name}.wav")) as sound:
        assert (sound.getnchannels(), sound.getsampwidth(), sound.getframerate()) == (1, 2, 44100)
        seconds = sound.getnframes() / sound.getframerate()
        frames = sound.readframes(sound.getnframes())
    assert 0.1 <= seconds <= 1.5
    first = int.from_bytes(frames[:2], "little", signed=True)
    last = int.from_bytes(frames[-2:], "little", signed=True)
    assert abs(first) < 500 and abs(last) < 500  # faded in and out: no click


def test_alarm_is_the_longest_and_loudest():
    def measure(name: str) -> tuple[float, int]:
        with wave.open(str(sounds_dir() / f"{name}.wav")) as sound:
            frames = sound.readframes(sound.getnframes())
            peak = max(abs(int.from_bytes(frames[i:i + 2], "little", signed=True))
                       for i in range(0, len(frames), 2))
            return sound.getnframes() / sound.getframerate(), peak

    alarm = measure("alarm")
    for other in ("ok", "error", "done"):
        seconds, peak = measure(other)
        assert alarm[0] > seconds and alarm[1] > peak


def test_the_script_makes_the_files_as_committed(tmp_path):
    subprocess.run([sys.executable, str(ROOT / "tools" / "make_sounds.py"), str(tmp_path)],
                   check=True, capture_output=True)
    for name in SOUNDS:
        made, committed = tmp_path / f"{name}.wav", sounds_dir() / f"{name}.wav"
        assert made.read_bytes() == committed.read_bytes()
