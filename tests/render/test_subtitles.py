"""Subtitle files: line breaking, SRT, ASS styling and word highlighting, font lookup, settings."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from moneyprinter.errors import ConfigError
from moneyprinter.media import subtitles as subs
from moneyprinter.media.draft import Cue, Word
from moneyprinter.settings.render import SubtitleSettings


def test_long_text_breaks_into_two_balanced_lines_without_splitting_words():
    text = "The ocean covers more than seventy percent of our planet"
    lines = subs.break_lines(text, 32)
    assert len(lines) == 2
    assert " ".join(lines) == text
    assert abs(len(lines[0]) - len(lines[1])) <= 10


def test_short_text_and_explicit_newlines_are_kept():
    assert subs.break_lines("Hello there", 32) == ["Hello there"]
    assert subs.break_lines("first line\nsecond line", 32) == ["first line", "second line"]
    assert subs.break_lines("Supercalifragilisticexpialidociousness", 10) == ["Supercalifragilisticexpialidociousness"]
    assert subs.break_lines("   ", 32) == []


def test_srt_numbers_and_times_cues(tmp_path):
    path = subs.write_srt([Cue(0.0, 1.5, "One"), Cue(61.25, 3725.007, "Two words")], tmp_path / "a.srt")
    assert path.read_text() == "1\n00:00:00,000 --> 00:00:01,500\nOne\n\n2\n00:01:01,250 --> 01:02:05,007\nTwo words\n"


def test_ass_uses_frame_pixels_colours_and_safe_area(tmp_path):
    style = SubtitleSettings(colour="#112233", outline_colour="#000000", bottom_margin_pct=25, font_size=60)
    path = subs.write_ass([Cue(1, 2, "Hi {there}")], tmp_path / "a.ass", (1080, 1920), style, "DejaVu Sans")
    text = path.read_text()
    assert "PlayResX: 1080" in text and "PlayResY: 1920" in text
    style_line = next(line for line in text.splitlines() if line.startswith("Style: Default"))
    fields = style_line.split(",")
    assert fields[1] == "DejaVu Sans" and fields[2] == "60"
    assert fields[3] == "&H00332211"  # ASS colours are BGR
    assert fields[-2] == "480"  # 25 % of 1920 from the bottom, above the Shorts UI
    assert "Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,Hi (there)" in text  # braces cannot inject tags


def test_landscape_keeps_subtitles_near_the_bottom():
    lay = subs.Layout.for_size(SubtitleSettings(bottom_margin_pct=25, font_size=64), 1920, 1080)
    assert lay.margin_bottom == round(1080 * 0.08) and lay.font_size == 64


def test_word_timings_make_one_event_per_word_holding_through_pauses():
    cue = Cue(1.0, 3.0, "alpha beta", (Word(1.1, 1.5, "alpha"), Word(2.0, 2.6, "beta")))
    events = subs.subtitle_events([cue], SubtitleSettings())
    assert [(e.start, e.end, e.highlight) for e in events] == [(1.0, 2.0, 0), (2.0, 3.0, 1)]
    assert events[0].lines == (("alpha", "beta"),)
    plain = subs.subtitle_events([cue], SubtitleSettings(word_highlight=False))
    assert [(e.start, e.end, e.highlight) for e in plain] == [(1.0, 3.0, None)]


def test_font_family_resolves_to_a_file_and_unknown_fonts_are_config_errors(tmp_path):
    assert subs.resolve_font("DejaVu Sans").suffix == ".ttf"
    assert "Bold" in subs.resolve_font("DejaVu Sans", bold=True).name
    with pytest.raises(ConfigError, match="no font named"):
        subs.resolve_font("No Such Font Family 123")
    with pytest.raises(ConfigError, match="does not exist"):
        subs.resolve_font(str(tmp_path / "missing.ttf"))


def test_colours_must_be_hex():
    with pytest.raises(ValidationError):
        SubtitleSettings(colour="yellow")
    assert SubtitleSettings(colour="#ffd23f").colour == "#FFD23F"


def test_lines_too_wide_for_the_frame_get_a_smaller_font(tmp_path):
    style = SubtitleSettings()  # 64 px bold: a 32-character line is about 1200 px
    font = subs.resolve_font(style.font, bold=True)
    cues = [Cue(0, 1, "Octopuses have three hearts and blue blood running in their veins"), Cue(1, 2, "Short one")]
    text = subs.write_ass(cues, tmp_path / "a.ass", (1080, 1920), style, "DejaVu Sans", font).read_text()
    long_event, short_event = [line for line in text.splitlines() if line.startswith("Dialogue:")]
    factor = subs.FontFitter(font, subs.Layout.for_size(style, 1080, 1920)).ass_factor
    assert f"Default,DejaVu Sans,{round(64 * factor)}," in text  # em size 64 px in ASS units
    size = int(long_event.split("{\\fs")[1].split("}")[0]) / factor
    assert 36 <= size < 64
    assert "\\fs" not in short_event
    lay = subs.Layout.for_size(style, 1080, 1920)
    fitted = subs.FontFitter(font, lay).size_for((("Octopuses", "have", "three", "hearts", "and", "blue"),))
    from PIL import ImageFont

    width = ImageFont.truetype(str(font), fitted).getlength("Octopuses have three hearts and blue")
    assert width <= lay.text_width
