"""The stages of a Short, each a function of the work folder that writes one artifact.

A stage whose artifact exists is skipped, so a rerun (``--resume ID``) continues where the last
run stopped. Artifacts are written to a ``.part`` name and renamed, so a crash never leaves
half a file that a rerun would trust.
"""

from __future__ import annotations

import json
import logging
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from moneyprinter.errors import MoneyPrinterError, ProviderError
from moneyprinter.media import cues as cue_io
from moneyprinter.media import music
from moneyprinter.media.draft import ASPECTS, ShortDraft
from moneyprinter.shorts import writer
from moneyprinter.providers.images import ImageLedger, create_image_provider, generate_images
from moneyprinter.providers.llm import TextProvider, create_text_provider
from moneyprinter.providers.llm_output import split_sentences
from moneyprinter.providers.stt import create_stt_provider
from moneyprinter.providers.tts import Speech, create_voice_provider
from moneyprinter.store import paid_requests

log = logging.getLogger(__name__)

STAGES = ("topic", "script", "metadata", "image prompts", "images", "voice", "subtitles", "music", "render")


@dataclass
class ShortJob:
    """What the stages share: the app, the account, the content item and its work folder."""

    app: object
    account: object
    item_id: int
    work: Path
    aspect: str
    topic_given: str | None = None
    warnings: list[str] = field(default_factory=list)
    previous_status: str = "draft"
    _text: TextProvider | None = None

    @property
    def settings(self):
        return self.app.settings

    @property
    def tmp(self) -> Path:
        path = self.work / "tmp"
        path.mkdir(parents=True, exist_ok=True)
        return path

    def text(self) -> TextProvider:
        if self._text is None:
            self._text = create_text_provider(self.settings, self.app.config.secrets)
        return self._text

    def read(self, name: str) -> str:
        return (self.work / name).read_text(encoding="utf-8")

    def write(self, name: str, content: str) -> None:
        target = self.work / name
        tmp = target.with_name(target.name + ".part")
        tmp.write_text(content, encoding="utf-8")
        tmp.replace(target)

    def write_json(self, name: str, data) -> None:
        self.write(name, json.dumps(data, indent=2, ensure_ascii=False))

    def read_json(self, name: str):
        return json.loads(self.read(name))


# Each stage: (artifact that marks it done, function). The function returns a short note.


def stage_topic(job: ShortJob) -> str:
    if job.topic_given:
        job.write("topic.txt", job.topic_given.strip())
        return "given"
    niche = job.account.topic or "interesting facts"
    from moneyprinter.store.content import list_items

    earlier = [i.metadata.get("topic", "") for i in list_items(job.app.db, account_id=job.account.id, kind="short", limit=30)]
    topic = writer.write_topic(job.text(), niche, language=job.account.language, avoid=[t for t in earlier if t])
    job.write("topic.txt", topic)
    return topic[:60]


def stage_script(job: ShortJob) -> str:
    s = job.settings.shorts
    script = writer.write_script(
        job.text(), job.read("topic.txt"), sentences=s.sentences, max_words=s.max_sentence_words,
        language=job.account.language,
    )
    job.write("script.txt", script)
    return f"{len(split_sentences(script))} sentences"


def stage_metadata(job: ShortJob) -> str:
    topic, script = job.read("topic.txt"), job.read("script.txt")
    title = writer.write_title(job.text(), topic, language=job.account.language)[:100]
    description, tags = writer.description_and_tags(topic, script, job.account.topic)
    job.write_json("metadata.json", {"title": title, "description": description, "tags": tags, "topic": topic})
    return title[:60]


def stage_image_prompts(job: ShortJob) -> str:
    topic, script = job.read("topic.txt"), job.read("script.txt")
    count = job.settings.shorts.images
    if job.settings.shorts.image_provider == "procedural":
        # Procedural pictures only use the prompt as a seed: the script's sentences serve, no model call.
        sentences = split_sentences(script) or [topic]
        prompts = [f"{topic}: {sentences[i % len(sentences)]}" for i in range(count)]
        note = "from the script"
    else:
        prompts = writer.write_image_prompts(job.text(), topic, script, count=count)
        note = f"{len(prompts)} prompts"
    job.write_json("prompts.json", prompts)
    return note


def stage_images(job: ShortJob) -> str:
    s = job.settings.shorts
    provider = create_image_provider(job.settings, job.app.config.secrets)
    db, item = job.app.db, job.item_id
    ledger = ImageLedger(
        claim=lambda purpose: paid_requests.claim(db, item, provider.id, purpose),
        finish=lambda purpose, status: paid_requests.finish(db, item, provider.id, purpose, status),
        charged=lambda: paid_requests.count_charged(db, item, provider.id),
    )
    folder = job.work / "images"
    batch = generate_images(
        provider, job.read_json("prompts.json"), job.tmp / "images", ASPECTS[job.aspect],
        ledger=ledger, max_paid=s.max_paid_images, fallback_style=s.images_procedural.style,
    )
    job.warnings.extend(batch.warnings)
    (job.tmp / "images").replace(folder)  # the stage's artifact appears only when every picture exists
    return f"{len(batch.paths)} pictures" + (f", {batch.substituted} substituted" if batch.substituted else "")


def stage_voice(job: ShortJob) -> str:
    provider = create_voice_provider(job.settings, job.app.config.secrets)
    if job.account.language.split("-")[0] != "en" and not job.settings.shorts.voice_piper.voice_path:
        job.warnings.append(f"voice: the bundled voice speaks English; for '{job.account.language}' set "
                            "[shorts.voice_piper] voice_path to a Piper voice in that language")
    sentences = split_sentences(job.read("script.txt"))
    speech = provider.synthesize(sentences, job.work / "voice.wav")
    speech.save(job.tmp / "voice.json")
    (job.tmp / "voice.json").replace(job.work / "voice.json")
    return f"{speech.duration:.1f} s"


def stage_subtitles(job: ShortJob) -> str:
    speech = Speech.load(job.work / "voice.json")
    cues, note = None, "from voice timings"
    if job.settings.shorts.subtitle_provider != "tts":
        cues, note = _stt_cues(job, speech)
    if cues is None:
        cues = cue_io.cues_from_sentences(speech.sentences)
    cue_io.save_cues(cues, job.work / "cues.json")
    return f"{len(cues)} cues {note}"


def _stt_cues(job: ShortJob, speech: Speech):
    """Word-timed cues from speech-to-text; on any failure, the exact TTS cues with a warning."""
    provider = create_stt_provider(job.settings, job.app.config.secrets)
    words_file = job.work / "words.json"
    try:
        if not words_file.exists():
            if not paid_requests.claim(job.app.db, job.item_id, provider.id, "transcript"):
                raise ProviderError("transcription was requested before and its outcome is unknown; not repeated")
            try:
                words = provider.transcribe(speech.wav)
            except MoneyPrinterError:
                paid_requests.finish(job.app.db, job.item_id, provider.id, "transcript", "failed")
                raise
            paid_requests.finish(job.app.db, job.item_id, provider.id, "transcript", "done")
            job.write_json("words.json", [w.__dict__ for w in words])
        from moneyprinter.media.draft import Word

        words = [Word(**w) for w in job.read_json("words.json")]
        return cue_io.cues_from_words(words), f"word-timed by {provider.id}"
    except MoneyPrinterError as exc:
        job.warnings.append(f"subtitles: {provider.id} failed ({exc.message}); used the voice timings")
        return None, "from voice timings"


def stage_music(job: ShortJob) -> str:
    s = job.settings.shorts
    speech = Speech.load(job.work / "voice.json")
    seed = job.read("topic.txt")
    if s.music == "none":
        job.write_json("music.json", {"path": None})
        return "none"
    if s.music == "songs":
        folder = Path(s.songs_folder).expanduser()
        from moneyprinter import paths

        song = music.pick_song(folder if folder.is_absolute() else paths.data_dir() / folder, seed)
        job.write_json("music.json", {"path": str(song)})
        return song.name
    music.generate_track(job.work / "music.wav", speech.duration, seed)
    job.write_json("music.json", {"path": "music.wav"})
    return "generated loop"


def load_renderer() -> Callable:
    """``moneyprinter.media.render.render_short``, imported on first use (it loads the video libraries)."""
    from moneyprinter.media.render import render_short

    return render_short


def build_draft(job: ShortJob) -> ShortDraft:
    speech = Speech.load(job.work / "voice.json")
    song = job.read_json("music.json")["path"]
    song_path = None if not song else (Path(song) if Path(song).is_absolute() else job.work / song)
    images = sorted((job.work / "images").glob("[0-9][0-9].png"))
    return ShortDraft(
        images=images, voice=speech.wav, voice_duration=speech.duration,
        cues=cue_io.load_cues(job.work / "cues.json"), music=song_path, aspect=job.aspect,
        title=job.read_json("metadata.json")["title"],
    )


def stage_render(job: ShortJob) -> str:
    render_short = load_renderer()
    out = job.tmp / "short.mp4"
    result = Path(render_short(build_draft(job), out, job.settings))
    for suffix in (".srt", ".ass"):  # the renderer writes the subtitle files beside the MP4
        if result.with_suffix(suffix).exists():
            result.with_suffix(suffix).replace(job.work / f"short{suffix}")
    result.replace(job.work / "short.mp4")
    return f"{media_duration(job.work / 'short.mp4'):.1f} s video"


def media_duration(path: Path) -> float:
    """The container duration, read from ffmpeg's header report (no decoding)."""
    import imageio_ffmpeg

    proc = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-i", str(path)],
                          capture_output=True, text=True, timeout=30)
    match = re.search(r"Duration: (\d+):(\d+):(\d+(?:\.\d+)?)", proc.stderr)
    if not match:
        return 0.0
    h, m, s = match.groups()
    return int(h) * 3600 + int(m) * 60 + float(s)


STAGE_TABLE: dict[str, tuple[str, Callable[[ShortJob], str]]] = {
    "topic": ("topic.txt", stage_topic),
    "script": ("script.txt", stage_script),
    "metadata": ("metadata.json", stage_metadata),
    "image prompts": ("prompts.json", stage_image_prompts),
    "images": ("images", stage_images),
    "voice": ("voice.json", stage_voice),
    "subtitles": ("cues.json", stage_subtitles),
    "music": ("music.json", stage_music),
    "render": ("short.mp4", stage_render),
}
