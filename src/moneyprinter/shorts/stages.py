"""The stages of a Short, each a function of the work folder that writes one artifact.

A stage whose artifact exists is skipped, so a rerun (``--resume ID``) continues where the last
run stopped. Artifacts are written to a ``.part`` name and renamed, so a crash never leaves
half a file that a rerun would trust.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from moneyprinter.errors import MoneyPrinterError, ProviderError
from moneyprinter.media import cues as cue_io
from moneyprinter.media import music
from moneyprinter.media.draft import ASPECTS, ShortDraft
from moneyprinter.shorts import visuals, writer
from moneyprinter.shorts.fact_check import fact_check
from moneyprinter.shorts.formats import choose_format
from moneyprinter.shorts.script import compose_script
from moneyprinter.text import grounding, suggestions, titles
from moneyprinter.providers.images import ImageLedger, ProceduralImages, create_image_provider, image_providers
from moneyprinter.providers.stock_video import create_video_provider
from moneyprinter.providers.llm import TextProvider, create_text_provider
from moneyprinter.text.sentences import split_sentences
from moneyprinter.providers.stt import create_stt_provider
from moneyprinter.providers.tts import Speech, create_voice_provider
from moneyprinter.store import paid_requests
from moneyprinter.text.keywords import search_terms

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
    captions: str = ""  # caption preset of this Short ("" = the settings')
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

    earlier = [i.metadata.topic for i in list_items(job.app.db, account_id=job.account.id, kind="short", limit=30)]
    offline = job.text().bundled and job.account.language.startswith("en")
    fact_set = grounding.fact_set_for(niche) if offline else None
    if offline and fact_set is None and not grounding.specific_words(niche):
        # A general channel ('interesting facts'): any curated subject, not 'How to get started with facts'.
        fact_set = grounding.fact_sets()[len(earlier) % len(grounding.fact_sets())]
    if fact_set is not None:  # the small model's own ideas are often false ("Why the Blue Sky Is Actually Red")
        topic = grounding.next_subject(fact_set, [t for t in earlier if t]).title
        job.write("topic.txt", topic)
        return f"{topic[:60]} (curated: {fact_set.niche})"
    if offline:  # the small model's ideas for a niche it knows no facts of were odd
        topic = suggestions.next_topic(niche, [t for t in earlier if t])
        job.write("topic.txt", topic)
        return f"{topic[:60]} (from the niche's words)"
    topic = writer.write_topic(job.text(), niche, language=job.account.language, avoid=[t for t in earlier if t])
    job.write("topic.txt", topic)
    return topic[:60]


def stage_script(job: ShortJob) -> str:
    """The best of ``[text] candidates`` structured scripts; script.json keeps its parts and the gate's reasons."""
    s, t = job.settings.shorts, job.settings.text
    provider, topic = job.text(), job.read("topic.txt")
    niche = job.account.topic or "interesting facts"
    facts = grounding.ground(niche, topic, s.sentences) if job.account.language.startswith("en") else None
    draft = compose_script(
        provider, topic, fmt=choose_format(niche, t.format, t.formats), niche=niche, body_sentences=s.sentences,
        max_words=s.max_sentence_words, candidates=t.candidates, language=job.account.language,
        local_model=provider.bundled, grounding=facts,
    )
    if t.fact_check and not provider.bundled:
        draft = fact_check(provider, topic, draft)
    job.write_json("script.json", draft.to_json())
    job.write("script.txt", draft.text)
    verdict = "" if draft.passed else ", needs review"
    basis = f", {len(draft.sources)} sources" if draft.grounded else ", no curated facts" if provider.bundled else ""
    return f"{len(split_sentences(draft.text))} sentences, {draft.format}{basis}{verdict}"


def stage_metadata(job: ShortJob) -> str:
    topic, script = job.read("topic.txt"), job.read("script.txt")
    language = job.account.language
    try:
        if job.text().bundled:  # the small model's titles add nonsense to a topic that is already one
            title = titles.title_case(titles.fit_title(topic, language=language))
        else:
            title = writer.write_title(job.text(), topic, language=language)
    except ProviderError as exc:
        if exc.exit_code == 75:  # temporary: the scheduler may try again later
            raise
        title = titles.fit_title(topic, language=language)  # the topic is on topic by definition
        job.warnings.append(f"title: {exc.message}; the topic is the title")
    parts = job.read_json("script.json") if (job.work / "script.json").exists() else {}
    description, tags = writer.description_and_tags(topic, script, job.account.topic, hook=parts.get("hook", ""),
                                                    language=language)
    if parts.get("sources"):  # the curated facts' sources, for viewers (and the reviewer) to check
        description = f"{description}\n\nSources:\n" + "\n".join(parts["sources"])
    job.write_json("metadata.json", {"title": title, "description": description, "tags": tags, "topic": topic,
                                     "review": review_reasons(job, parts)})
    return title


LOCAL_GROUNDED = "written by the bundled local model from curated facts: check its wording (sources in the description)"
LOCAL_UNGROUNDED = ("written by the bundled local model, which can state falsehoods "
                    "(the topic matches no curated fact set)")


def review_reasons(job: ShortJob, script_parts: dict) -> list[str]:
    """Why a person should read this Short before it goes out; empty when it may go by the account's approval."""
    reasons = [] if script_parts.get("passed", True) else list(script_parts.get("reasons", []))
    flags = [r for r in script_parts.get("reasons", []) if r.startswith("unsupported claim")]
    reasons += [f for f in flags if f not in reasons]
    if job.text().bundled:
        if job.settings.text.local_model_review:
            reasons.append(LOCAL_GROUNDED if script_parts.get("grounded") else LOCAL_UNGROUNDED)
        else:
            job.warnings.append("text.local_model_review is off: text of the bundled local model goes out unread")
    return reasons


def stage_image_prompts(job: ShortJob) -> str:
    topic, script = job.read("topic.txt"), job.read("script.txt")
    sentences = split_sentences(script) or [topic]
    groups = visuals.group_sentences(sentences, job.settings.shorts.images)
    if job.settings.shorts.image_provider in ("procedural", "local"):
        # Offline scenes and the user's own files are matched on the sentences themselves: no model call.
        prompts = [" ".join(sentences[first:first + n]) for first, n in groups]
        note = "from the script"
    else:
        prompts = writer.write_image_prompts(job.text(), topic, script, count=len(groups))
        note = f"{len(prompts)} prompts"
    job.write_json("prompts.json", prompts)
    return note


def stage_images(job: ShortJob) -> str:
    """One shot per sentence: a stock clip, a picture, or an offline scene; the plan goes to images/shots.json."""
    s = job.settings.shorts
    secrets = job.app.config.secrets
    provider = create_image_provider(job.settings, secrets, niche=job.account.topic or "")
    db, item = job.app.db, job.item_id
    ledger = ImageLedger(
        claim=lambda purpose: paid_requests.claim(db, item, provider.id, purpose),
        finish=lambda purpose, status: paid_requests.finish(db, item, provider.id, purpose, status),
        charged=lambda: paid_requests.count_charged(db, item, provider.id),
    )
    video = create_video_provider(job.settings, secrets)
    prompts = job.read_json("prompts.json")
    if video is not None and video.id == "pexels" and isinstance(provider, ProceduralImages):
        # The same free key gives photos: between a clip that was not found and an offline scene.
        provider = image_providers.create("pexels", s.options_for("images", "pexels"), secrets)
        prompts = [search_terms(p) for p in prompts]
    folder = job.tmp / "images"
    planner = visuals.ShotPlanner(
        folder, ASPECTS[job.aspect], job.account.topic or "", job.read("topic.txt"), video=video,
        cache=visuals.clip_cache(job.settings) if video else None, max_clip_bytes=s.max_clip_mb * 2**20,
        warnings=job.warnings, travel=job.settings.render.ken_burns_travel if job.settings.render.ken_burns else 0.0,
    )
    sentences = split_sentences(job.read("script.txt")) or [job.read("topic.txt")]
    shots = visuals.plan(sentences, s.images, planner, provider, prompts, ledger=ledger, max_paid=s.max_paid_images)
    visuals.save_plan(shots, folder)
    final = job.work / "images"
    if final.exists():  # a stale folder from a run whose plan is being made again
        shutil.rmtree(final)
    folder.replace(final)  # the stage's artifact appears only when every visual exists
    kinds = [sh.source.get("provider", "?") + (" clip" if sh.kind == "video" else "") for sh in shots]
    summary = ", ".join(f"{kinds.count(k)} {k}" for k in dict.fromkeys(kinds))
    return f"{len(shots)} shots ({summary})"


def stage_voice(job: ShortJob) -> str:
    provider = create_voice_provider(job.settings, job.app.config.secrets)
    if job.account.language.split("-")[0] != "en" and not job.settings.shorts.voice_piper.voice_path:
        job.warnings.append(f"voice: the bundled voice speaks English; for '{job.account.language}' set "
                            "[shorts.voice_piper] voice_path to a Piper voice in that language")
    sentences = split_sentences(job.read("script.txt"))
    speech = provider.synthesize(sentences, job.work / "voice.wav", keep=job.tmp / "voice")
    speech.save(job.tmp / "voice.json")
    (job.tmp / "voice.json").replace(job.work / "voice.json")
    return f"{speech.duration:.1f} s"


def stage_subtitles(job: ShortJob) -> str:
    speech = Speech.load(job.work / "voice.json")
    cues, note = None, "from voice timings"
    if job.settings.shorts.subtitle_provider != "tts":
        cues, note = _stt_cues(job, speech)
    if cues is None and speech.words:  # word timings from the voice itself (Piper's alignment)
        cues, note = cue_io.cues_from_words(speech.words), "word-timed by the voice"
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
        music.prepare_track(song, job.work / "music.wav", speech.duration)
        _record_track(job, f"songs/{song.name}")
        job.write_json("music.json", {"path": "music.wav", "source": "songs", "track": song.name})
        return song.name
    if s.music == "library":
        if music.library_dir() is not None:
            return _library_music(job, speech.duration, seed)
        job.warnings.append("music: the bundled library (immich-memories-music) is not installed; used a generated loop")
    music.generate_track(job.work / "music.wav", speech.duration, seed)
    job.write_json("music.json", {"path": "music.wav", "source": "generated"})
    return "generated loop"


def _library_music(job: ShortJob, duration: float, seed: str) -> str:
    """A library track in the Short's mood that none of the account's last N Shorts used."""
    from moneyprinter.store.content import list_items

    s = job.settings.shorts
    mood = s.music_mood if s.music_mood != "auto" else music.mood_for(job.read("script.txt"), job.account.topic or "")
    earlier = list_items(job.app.db, account_id=job.account.id, kind="short", limit=s.music_no_repeat + 1)
    recent = [i.metadata.get("music_track") for i in earlier if i.id != job.item_id][: s.music_no_repeat]
    track = music.pick_library_track(mood, [t for t in recent if t], seed)
    music.prepare_track(track, job.work / "music.wav", duration)
    _record_track(job, music.track_id(track))
    job.write_json("music.json", {"path": "music.wav", "source": "library", "track": music.track_id(track), "mood": mood})
    return f"{music.track_id(track)} ({mood})"


def _record_track(job: ShortJob, track: str) -> None:
    """In the item's metadata now, so that the next Short (even one made in parallel) avoids it."""
    from moneyprinter.store import content

    item = content.get_item(job.app.db, job.item_id)
    content.update_item(job.app.db, job.item_id, metadata={**item.metadata, "music_track": track})


def load_renderer() -> Callable:
    """``moneyprinter.media.render.render_short``, imported on first use (it loads the video libraries)."""
    from moneyprinter.media.render import render_short

    return render_short


def build_draft(job: ShortJob) -> ShortDraft:
    speech = Speech.load(job.work / "voice.json")
    song = job.read_json("music.json")["path"]
    song_path = None if not song else (Path(song) if Path(song).is_absolute() else job.work / song)
    folder = job.work / "images"
    images = sorted(folder.glob("[0-9][0-9].png"))
    plan = visuals.load_plan(folder)
    shots = visuals.shots_for(plan, folder, [(t.start, t.end) for t in speech.sentences], speech.duration)
    return ShortDraft(
        images=images, voice=speech.wav, voice_duration=speech.duration,
        cues=cue_io.load_cues(job.work / "cues.json"), music=song_path, aspect=job.aspect,
        title=job.read_json("metadata.json")["title"], shots=shots, captions=job.captions,
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


def stage_preview(job: ShortJob) -> Path:
    """A quick low-resolution render of the same timeline, ``preview.mp4`` in the work folder."""
    render_short = load_renderer()
    out = Path(render_short(build_draft(job), job.tmp / "preview.mp4", job.settings, preview=True))
    out.replace(job.work / "preview.mp4")
    for suffix in (".srt", ".ass"):
        out.with_suffix(suffix).unlink(missing_ok=True)
    return job.work / "preview.mp4"


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
