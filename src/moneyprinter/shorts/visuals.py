"""The visuals of a Short: one shot per sentence (or per group of sentences, up to ``[shorts] images``).

Each shot tries, in order: a stock clip (when a clip provider is configured), the image
provider (a photo, an AI picture, or a file of the user's own folder, which may be a clip),
and always ends at an offline scene. The plan is written to ``images/shots.json`` with each
shot's source and attribution, so ``--resume`` reuses it and the description can credit it.

``images/NN.png`` exists for every shot (a clip's first frame, cropped to the frame), so a
renderer that only knows stills works too.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path

from moneyprinter import errors, paths
from moneyprinter.media.draft import Shot
from moneyprinter.media.ffmpeg_run import run_ffmpeg
from moneyprinter.providers.clip_cache import ClipCache, link_into
from moneyprinter.providers.images import VIDEO_SUFFIXES, LocalFolderImages, generate_images
from moneyprinter.providers.procedural import PAN, render_scene, save_jpeg, save_png, with_type
from moneyprinter.providers.stock_video import VideoProvider, rank
from moneyprinter.text.keywords import headline, keywords

log = logging.getLogger(__name__)
PLAN = "shots.json"
WORDS_PER_SECOND = 2.6  # a calm narrator; only used to prefer clips long enough for their sentence
STOPPING = (errors.RateLimited, errors.Unauthorized, errors.NeedsKey, errors.QuotaExceeded)


@dataclass
class PlannedShot:
    index: int
    text: str  # the sentence(s) the shot is shown under
    first_sentence: int
    sentences: int
    kind: str = "image"
    file: str = ""  # name inside images/
    headline: str = ""
    credit: str = ""
    source: dict = field(default_factory=dict)  # provider, id, page_url, creator, query


def group_sentences(sentences: list[str], count: int) -> list[tuple[int, int]]:
    """(first, how many) for ``count`` shots over the sentences, as evenly as possible."""
    count = max(1, min(count, len(sentences))) if sentences else 1
    bounds = [round(i * len(sentences) / count) for i in range(count + 1)]
    return [(bounds[i], max(1, bounds[i + 1] - bounds[i])) for i in range(count)]


def orientation_of(size: tuple[int, int]) -> str:
    w, h = size
    return "portrait" if h > w else "landscape" if w > h else "square"


def poster(clip: Path, out: Path, size: tuple[int, int]) -> Path:
    """A still of the clip, cropped to fill the frame: what a stills-only renderer shows."""
    w, h = size
    tmp = out.with_suffix(".part.png")
    run_ffmpeg(["-ss", "0.2", "-i", str(clip), "-frames:v", "1",
                "-vf", f"scale={w}:{h}:force_original_aspect_ratio=increase,crop={w}:{h}", str(tmp)],
               what=f"first frame of {clip.name}", timeout=60)
    tmp.replace(out)
    return out


class ShotPlanner:
    def __init__(self, folder: Path, size: tuple[int, int], niche: str, topic: str, *,
                 video: VideoProvider | None = None, cache: ClipCache | None = None, max_clip_bytes: int = 80 << 20,
                 warnings: list[str] | None = None, travel: float = PAN) -> None:
        self.folder, self.size, self.niche, self.topic = folder, size, niche, topic
        self.travel = travel  # the Ken Burns pan the scenes leave room for
        self.video, self.cache, self.max_clip_bytes = video, cache, max_clip_bytes
        self.warnings = warnings if warnings is not None else []
        self.used: set[str] = set()
        self.script: list[str] = []  # every sentence: what they all say is the topic, not one scene's headline
        self._searches: dict[str, list] = {}
        self._video_stopped = False

    # --- stock clips -------------------------------------------------------------------------

    def queries(self, text: str) -> list[str]:
        strong = keywords(text, 2)
        out = [" ".join(strong), strong[0] if strong else "", " ".join(keywords(self.topic, 2))]
        return [q.lower() for i, q in enumerate(out) if q and q not in out[:i]]

    def try_clip(self, shot: PlannedShot) -> bool:
        if self.video is None or self._video_stopped or self.cache is None:
            return False
        seconds = len(shot.text.split()) / WORDS_PER_SECOND
        try:
            for query in self.queries(shot.text):
                if query not in self._searches:
                    self._searches[query] = self.video.search(query, orientation_of(self.size))
                for clip in rank(self._searches[query], orientation_of(self.size), seconds, self.used):
                    if clip.size and clip.size > self.max_clip_bytes:
                        continue
                    self._take_clip(shot, clip, query)
                    return True
        except STOPPING as exc:
            self._video_stopped = True  # a rejected key or a rate limit holds for the rest of this Short
            self.warnings.append(f"clips: {self.video.id} {exc.message}; used pictures instead")
        except (errors.MoneyPrinterError, OSError) as exc:
            self.warnings.append(f"shot {shot.index + 1}: {self.video.id} clip failed ({getattr(exc, 'message', exc)})")
        return False

    def _take_clip(self, shot: PlannedShot, clip, query: str) -> None:
        cached = self.cache.get(clip.provider, clip.id, lambda: self.video.download(clip, self.max_clip_bytes))
        name = f"{shot.index:02d}.mp4"
        link_into(cached, self.folder / name)
        poster(self.folder / name, self.folder / f"{shot.index:02d}.png", self.size)
        self.used.add(f"{clip.provider}:{clip.id}")
        shot.kind, shot.file = "video", name
        shot.credit = self.video.credit(clip) if self.video.asks_attribution else ""
        shot.source = {"provider": clip.provider, "id": clip.id, "page_url": clip.page_url, "creator": clip.creator,
                       "creator_url": clip.creator_url, "query": query, "attribution_required": self.video.asks_attribution}

    # --- the user's own clips ---------------------------------------------------------------------

    def try_own_clip(self, shot: PlannedShot, provider) -> bool:
        if not isinstance(provider, LocalFolderImages):
            return False
        try:
            pick = provider.pick(shot.text)
        except errors.ProviderError:
            return False
        if pick.suffix.lower() not in VIDEO_SUFFIXES:
            provider.used.discard(pick)  # a picture: the image pass takes it
            return False
        name = f"{shot.index:02d}{pick.suffix.lower()}"
        link_into(pick, self.folder / name)
        poster(self.folder / name, self.folder / f"{shot.index:02d}.png", self.size)
        shot.kind, shot.file = "video", name
        shot.source = {"provider": "local", "file": str(pick)}
        return True

    # --- offline scenes ---------------------------------------------------------------------------

    def scene(self, shot: PlannedShot) -> None:
        """The scene without type (the renderer animates the headline) and, for stills-only renderers, with it."""
        bare = self.folder / f"{shot.index:02d}.scene.jpg"
        title = headline(shot.text, self.script)
        scene = render_scene(shot.text, self.size, self.niche, index=shot.index, with_headline=False, travel=self.travel)
        save_jpeg(scene, bare)
        save_png(with_type(scene, shot.text, self.niche, title, travel=self.travel), self.folder / f"{shot.index:02d}.png")
        shot.kind, shot.file, shot.headline, shot.credit = "image", bare.name, title, ""
        shot.source = {"provider": "procedural"}


def plan(sentences: list[str], count: int, planner: ShotPlanner, image_provider, prompts: list[str], *,
         ledger=None, max_paid: int = 6) -> list[PlannedShot]:
    """Fill ``planner.folder`` with one visual per shot and return the plan."""
    planner.folder.mkdir(parents=True, exist_ok=True)
    planner.script = list(sentences)
    shots = []
    for i, (first, n) in enumerate(group_sentences(sentences, count)):
        shots.append(PlannedShot(i, " ".join(sentences[first:first + n]), first, n))
    pending = [s for s in shots if not planner.try_clip(s) and not planner.try_own_clip(s, image_provider)]
    if image_provider.id != "procedural" and pending:
        batch = generate_images(image_provider, [prompts[s.index % len(prompts)] if prompts else s.text for s in pending],
                                planner.folder, planner.size, ledger=ledger, max_paid=max_paid,
                                fallback_style=planner.niche, indices=[s.index for s in pending])
        planner.warnings.extend(batch.warnings)
        for shot in pending:
            shot.kind, shot.file = "image", f"{shot.index:02d}.png"
            source = image_provider.source_of(planner.folder / shot.file)
            shot.credit = source.pop("credit", "")  # a photographer to credit in the description
            shot.source = {"provider": image_provider.id, **source}
        # a substituted picture is a scene too: give it its keywords as well
        pending = [s for s in pending if s.index in batch.substituted_indices]
    for shot in pending:
        planner.scene(shot)
    return shots


def save_plan(shots: list[PlannedShot], folder: Path) -> None:
    tmp = folder / (PLAN + ".part")
    tmp.write_text(json.dumps([asdict(s) for s in shots], indent=2, ensure_ascii=False), encoding="utf-8")
    tmp.replace(folder / PLAN)


def load_plan(folder: Path) -> list[PlannedShot]:
    path = folder / PLAN
    if not path.exists():  # a Short made before shots were planned: its pictures, in order
        return [PlannedShot(i, "", i, 1, file=p.name) for i, p in enumerate(sorted(folder.glob("[0-9][0-9].png")))]
    return [PlannedShot(**s) for s in json.loads(path.read_text(encoding="utf-8"))]


def shots_for(plan_: list[PlannedShot], folder: Path, sentence_times: list[tuple[float, float]], total: float) -> list[Shot]:
    """The renderer's shots: each lasts from its first sentence's start to the next shot's (the first from 0)."""
    starts = []
    for shot in plan_:
        k = min(shot.first_sentence, len(sentence_times) - 1) if sentence_times else -1
        starts.append(0.0 if not starts or k < 0 else sentence_times[k][0])
    if not sentence_times:  # no timings: share the voice evenly
        starts = [total * i / max(1, len(plan_)) for i in range(len(plan_))]
    ends = starts[1:] + [total]
    return [Shot(folder / s.file, s.kind, round(max(0.1, e - b), 3), 0.0, s.headline, s.credit)
            for s, b, e in zip(plan_, starts, ends)]


def credits(plan_: list[PlannedShot]) -> list[str]:
    """The attribution lines the providers ask for, once each."""
    seen: list[str] = []
    for shot in plan_:
        if shot.credit and shot.credit not in seen:
            seen.append(shot.credit)
    return seen


def clip_cache(settings) -> ClipCache:
    return ClipCache(paths.data_dir() / "cache" / "clips", settings.shorts.clip_cache_mb * 2**20)
