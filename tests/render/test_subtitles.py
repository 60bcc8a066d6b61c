"""Subtitle files: line breaking, SRT, ASS styling and word highlighting, font lookup, settings."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from moneyprinter.errors import ConfigError
from moneyprinter.media import captions, subtitles as subs
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


def test_ass_uses_frame_pixels_preset_colours_and_escapes_braces(tmp_path):
    style = SubtitleSettings(preset="classic", colour="#112233", word_highlight=False).style()
    path = tmp_path / "a.ass"
    captions.write_ass(path, [Cue(1, 2, "Hi {there}")], (1080, 1920), style, hook=False)
    text = path.read_text()
    assert "PlayResX: 1080" in text and "PlayResY: 1920" in text
    fields = next(line for line in text.splitlines() if line.startswith("Style: Caption")).split(",")
    assert fields[1] == "DejaVu Sans" and fields[3] == "&H00332211"  # ASS colours are BGR
    assert "}Hi (there)" in text  # braces cannot inject tags


def test_caption_position_is_kept_above_the_shorts_ui():
    style = SubtitleSettings(position_pct=22).style()
    lay = captions.Layout(style, (1080, 1920), [Cue(0, 1, "Hello")])
    assert lay.baseline_y <= 0.78 * 1920
    assert abs(lay.centre_x - (0.08 + 0.84) / 2 * 1080) <= 1  # centred between the safe margins
    wide = captions.Layout(style, (1920, 1080), [Cue(0, 1, "Hello")])
    assert wide.baseline_y <= 0.92 * 1080 and wide.centre_x == 960


def test_word_timings_make_one_event_per_word_holding_through_pauses(tmp_path):
    cue = Cue(1.0, 3.0, "alpha beta", (Word(1.1, 1.5, "alpha"), Word(2.0, 2.6, "beta")))
    style = SubtitleSettings(preset="classic").style()
    captions.write_ass(tmp_path / "a.ass", [cue], (1080, 1920), style, hook=False)
    events = [line for line in (tmp_path / "a.ass").read_text().splitlines() if ",Caption," in line]
    assert [e.split(",")[1:3] for e in events] == [["0:00:01.00", "0:00:02.00"], ["0:00:02.00", "0:00:03.00"]]
    assert "&}alpha{" in events[0] and "&}beta{" in events[1]
    plain = SubtitleSettings(preset="classic", word_highlight=False).style()
    captions.write_ass(tmp_path / "b.ass", [cue], (1080, 1920), plain, hook=False)
    assert (tmp_path / "b.ass").read_text().count(",Caption,") == 1


def test_overrides_apply_over_the_preset():
    style = SubtitleSettings(preset="boxed", font_size=70, highlight_colour="#ff0000").style()
    assert (style.font, style.font_size, style.highlight_colour, style.transitions) == ("Bebas Neue", 70, "#FF0000",
                                                                                          "slide")
    assert SubtitleSettings(transitions="zoom").style("classic").transitions == "zoom"


def test_font_family_resolves_to_a_file_and_unknown_fonts_are_config_errors(tmp_path):
    assert subs.resolve_font("DejaVu Sans").suffix == ".ttf"
    assert subs.resolve_font("Anton").name == "Anton-Regular.ttf"  # a packaged OFL font
    assert (subs.resolve_font("Bebas Neue").parent.parent / "LICENSE").is_file()  # its licence ships with it
    assert "Bold" in subs.resolve_font("DejaVu Sans", bold=True).name
    with pytest.raises(ConfigError, match="no font named"):
        subs.resolve_font("No Such Font Family 123")
    with pytest.raises(ConfigError, match="does not exist"):
        subs.resolve_font(str(tmp_path / "missing.ttf"))


def test_colours_must_be_hex():
    with pytest.raises(ValidationError):
        SubtitleSettings(colour="yellow")
    assert SubtitleSettings(colour="#ffd23f").colour == "#FFD23F"
