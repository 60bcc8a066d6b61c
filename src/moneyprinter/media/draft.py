"""The contract between the Shorts pipeline and the renderers."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

ASPECTS = {"9:16": (1080, 1920), "16:9": (1920, 1080), "1:1": (1080, 1080)}


@dataclass(frozen=True)
class SentenceTiming:
    """Where one sentence sits in the voice track, in seconds."""

    text: str
    start: float
    end: float


@dataclass(frozen=True)
class Word:
    start: float
    end: float
    text: str


@dataclass(frozen=True)
class Cue:
    """One subtitle: up to two lines shown from ``start`` to ``end`` seconds."""

    start: float
    end: float
    text: str
    words: tuple[Word, ...] = ()  # word timings, when known (AssemblyAI): allow word highlighting


@dataclass(frozen=True)
class Shot:
    """One visual of the timeline: a still picture or a video clip.

    ``duration`` is how long it is shown (``None``: the voice is shared evenly among the shots);
    ``offset`` is where a clip starts playing; ``headline`` is a few keywords the renderer may set
    as large animated type over the shot (offline scenes); ``credit`` is the attribution a stock
    provider asks for ("Video by NAME on Pexels: URL"), empty for our own pictures.
    """

    path: Path
    kind: str = "image"  # "image" or "video"
    duration: float | None = None
    offset: float = 0.0
    headline: str = ""
    credit: str = ""


@dataclass
class ShortDraft:
    """Everything a renderer needs.

    ``shots`` are shown in order; without them, ``images`` become one still shot each, sharing
    the voice evenly. ``captions`` names a caption preset ("" = the configured one).
    """

    images: list[Path]
    voice: Path  # WAV
    voice_duration: float  # seconds
    cues: list[Cue] = field(default_factory=list)
    music: Path | None = None
    aspect: str = "9:16"
    title: str = ""
    shots: list[Shot] = field(default_factory=list)  # when set, the timeline; ``images`` are their stills
    captions: str = ""

    def __post_init__(self) -> None:
        if not self.shots:
            self.shots = [Shot(Path(p)) for p in self.images]

    @property
    def size(self) -> tuple[int, int]:
        return ASPECTS[self.aspect]
