"""Make the packing station's sounds: `python tools/make_sounds.py [OUT_DIR]`.

Writes ok.wav, error.wav, alarm.wav and done.wav (16-bit mono, 44.1 kHz) into
resources/sounds/. Plain tones from the standard library, so they are our own work, free of
any licence, and the same bytes every time this runs. Every note fades in and out over a few
milliseconds: a tone that starts or stops mid-wave clicks.
"""

from __future__ import annotations

import math
import struct
import sys
import wave
from pathlib import Path

RATE = 44_100
FADE_S = 0.006
ROOT = Path(__file__).resolve().parent.parent

# (frequency Hz, seconds, loudness 0..1); frequency 0 is a pause.
Note = tuple[float, float, float]

SOUNDS: dict[str, list[Note]] = {
    # A good scan: one short bright blip, quiet enough to hear a hundred times an hour.
    "ok": [(1568.0, 0.09, 0.45), (2093.0, 0.07, 0.40)],
    # A refused scan: two low, rough buzzes; nothing like the blip.
    "error": [(196.0, 0.16, 0.70), (0, 0.06, 0), (196.0, 0.22, 0.70)],
    # Stop and look: a loud two-tone siren, three times, over a second.
    "alarm": [(988.0, 0.18, 0.95), (740.0, 0.18, 0.95)] * 3 + [(988.0, 0.30, 0.95)],
    # Parcel finished: a rising major chord, note by note.
    "done": [(1047.0, 0.11, 0.45), (1319.0, 0.11, 0.45), (1568.0, 0.24, 0.50)],
}
# Buzzes get odd harmonics (a square-ish wave) so they sound harsh even on small speakers.
ROUGH = {"error"}


def _note(frequency: float, seconds: float, loudness: float, rough: bool) -> list[float]:
    count = round(seconds * RATE)
    fade = min(round(FADE_S * RATE), count // 2)
    samples = []
    for i in range(count):
        if frequency <= 0:
            samples.append(0.0)
            continue
        phase = 2 * math.pi * frequency * i / RATE
        value = math.sin(phase)
        if rough:
            value = (value + math.sin(3 * phase) / 3 + math.sin(5 * phase) / 5) / 1.2
        edge = min(i, count - 1 - i)
        envelope = 1.0 if edge >= fade else 0.5 - 0.5 * math.cos(math.pi * edge / fade)
        samples.append(value * loudness * envelope)
    return samples


def render(notes: list[Note], rough: bool = False) -> bytes:
    samples = [s for note in notes for s in _note(*note, rough=rough)]
    return b"".join(struct.pack("<h", round(max(-1.0, min(1.0, s)) * 32767)) for s in samples)


def write(path: Path, frames: bytes) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(frames)


def main() -> int:
    out_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "resources" / "sounds"
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, notes in SOUNDS.items():
        path = out_dir / f"{name}.wav"
        write(path, render(notes, rough=name in ROUGH))
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
