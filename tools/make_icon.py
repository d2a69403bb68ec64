"""Draw the app icon (a parcel with a check mark) into resources/icons: fulfill.png for the
window and macOS, fulfill.ico for Windows. `python tools/make_icon.py`"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "icons"
SIZE = 1024


def draw() -> Image.Image:
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle((64, 64, SIZE - 64, SIZE - 64), radius=200, fill=(33, 86, 160, 255))
    box = (232, 300, SIZE - 232, SIZE - 220)  # the parcel
    pen.rectangle(box, fill=(233, 196, 140, 255))
    pen.polygon([(232, 300), (512, 190), (SIZE - 232, 300), (512, 410)], fill=(246, 219, 172, 255))
    pen.rectangle((484, 300, 540, SIZE - 220), fill=(196, 152, 96, 255))  # tape
    pen.line([(372, 600), (470, 700), (680, 480)], fill=(30, 140, 70, 255), width=70,
             joint="curve")
    return image


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    icon = draw()
    icon.resize((256, 256), Image.LANCZOS).save(OUT / "fulfill.png")
    icon.save(OUT / "fulfill.ico", sizes=[(16, 16), (32, 32), (48, 48), (64, 64), (128, 128),
                                         (256, 256)])
    print(OUT / "fulfill.png", OUT / "fulfill.ico")


if __name__ == "__main__":
    main()
