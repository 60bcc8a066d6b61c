"""Media: subtitles (cues, line breaking, SRT/ASS), music, and rendering a ShortDraft to MP4."""
