"""Every character gets a font that has it; text wraps or shrinks and never leaves its box."""

import pytest

from fulfill.documents import fonts
from fulfill.documents.errors import DocumentError, check_printable
from fulfill.documents.text import fit, fit_line, wrap
from fulfill.documents.fonts import text_width

SAMPLES = {
    "zh-Hans": "广东省广州市天河区体育西路747号阳光花园18栋801室",
    "zh-Hant": "臺中市西區公益路128號4樓",
    "ja": "東京都豊島区南池袋1-12-9 メゾン南池袋 1205号室",
    "ko": "서울특별시 강남구 테헤란로 181, 12층",
    "ru": "ул. Пушкина, д. 76, кв. 42, Казань",
    "accents": "Zoë Müller, Schloßstraße 132, Düsseldorf; Nguyễn Văn Anh, Hà Nội",
    "symbols": "₩ 12,000 · € 9.90 · № 5",
}


def test_each_script_goes_to_a_font_that_has_it():
    fonts.register()
    assert {f for f, _ in fonts.runs(SAMPLES["ko"])} == {fonts.HANGUL.name}
    assert {f for f, _ in fonts.runs(SAMPLES["zh-Hans"])} >= {fonts.HAN.name}
    assert fonts.runs(SAMPLES["ru"])[0][0] == fonts.LATIN.name
    for text in SAMPLES.values():
        assert fonts.unprintable(text) == []
        drawn = "".join(piece for _, piece in fonts.runs(text))
        assert drawn == text  # nothing dropped


def test_characters_no_font_has_are_named_before_printing():
    assert fonts.unprintable("สมชาย Bangkok") == ["ส", "ม", "ช", "า", "ย"]
    with pytest.raises(DocumentError) as caught:
        check_printable([("Recipient name", "สมชาย"), ("City", "Bangkok")], where="Order #7")
    message = str(caught.value)
    assert "Recipient name" in message and "U+0E2A THAI CHARACTER SO SUA" in message
    assert "City" not in message


@pytest.mark.parametrize("text", SAMPLES.values())
@pytest.mark.parametrize("width", [40.0, 90.0, 200.0])
def test_wrapped_lines_fit_the_width(text, width):
    lines = wrap(text, width, 10)
    assert all(text_width(line, 10) <= width + 0.01 for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_chinese_breaks_between_characters_and_latin_at_spaces():
    assert wrap("Baker Street London", text_width("Baker Street", 10) + 1, 10) == [
        "Baker Street", "London"]
    lines = wrap("北京市朝阳区建国路88号", text_width("北京市朝阳", 10) + 1, 10)
    assert lines[0] == "北京市朝阳"


def test_text_shrinks_to_fit_its_box_and_says_when_it_had_to_cut():
    long_address = ", ".join(SAMPLES.values())
    fitted = fit(long_address, 150, 60, size=12, min_size=6)
    assert fitted.size < 12 and not fitted.truncated
    assert fitted.height <= 60
    assert all(text_width(line, fitted.size) <= 150 + 0.01 for line in fitted.lines)
    cut = fit(long_address * 5, 150, 30, size=12, min_size=6)
    assert cut.truncated and cut.lines[-1].endswith("…") and cut.height <= 30


def test_one_line_shrinks_rather_than_wraps():
    fitted = fit_line("REPUBLIC OF KOREA AND A VERY LONG COUNTRY NAME", 120, size=20, bold=True)
    assert len(fitted.lines) == 1
    assert text_width(fitted.lines[0], fitted.size, True) <= 120
