"""Typed metadata of content items: one dataclass per kind, turned into JSON here and nowhere else.

``ContentItem.metadata`` is a ``ShortMeta``, ``PostMeta`` (posts and threads), ``PitchMeta`` or, for
a kind this module does not know, the plain ``ContentMeta``. Read it by attribute
(``item.metadata.topic``); change it with ``dataclasses.replace`` and ``content.update_item``.

Adding a field is one line: declare it in the kind's dataclass with a default, e.g.::

    clip_credits: list[str] = field(default_factory=list)   # in ShortMeta

Nothing else changes: a field at its default is left out of the stored JSON, and items stored
before the field existed read back with the default.

Keys that no dataclass declares (written by a newer version, by hand, or by code that still
builds a dict) are kept in ``extra`` and written back unchanged, so nothing is ever lost. For the
same reason every metadata object also reads as a read-only mapping of its JSON form
(``meta["topic"]``, ``meta.get("clip_credits")``, ``{**meta, "key": value}``), and the store accepts
a plain dict wherever it accepts a metadata object (``parse`` sorts its keys into fields and extra).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

M = TypeVar("M", bound="ContentMeta")


@dataclass(eq=False)
class ContentMeta(Mapping):
    """What every kind may carry: what a publisher shows besides the text, and where the item went."""

    description: str = ""  # YouTube description; 'review edit --description' sets it on any item
    tags: list[str] = field(default_factory=list)
    location: str | None = None  # where the publisher put it: a folder, a file or a URL
    url: str | None = None  # the published address, for history imported from MoneyPrinterV2
    review_reasons: list[str] = field(default_factory=list)  # why the quality gate sent it to review
    extra: dict[str, Any] = field(default_factory=dict)  # keys no field declares, kept as they were

    @classmethod
    def from_dict(cls: type[M], data: Mapping[str, Any] | None) -> M:
        names = {f.name for f in dataclasses.fields(cls) if f.name != "extra"}
        data = dict(data or {})
        known = {k: v for k, v in data.items() if k in names}
        return cls(**known, extra={k: v for k, v in data.items() if k not in names})

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: fields that differ from their default, then the extra keys."""
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            if f.name == "extra":
                continue
            value = getattr(self, f.name)
            default = f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
            if value != default:
                out[f.name] = value
        return {**out, **{k: v for k, v in self.extra.items() if k not in out}}

    # --- a read-only mapping of the JSON form --------------------------------------------------

    def __getitem__(self, key: str) -> Any:
        return self.to_dict()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.to_dict())

    def __len__(self) -> int:
        return len(self.to_dict())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return self.to_dict() == dict(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


@dataclass(eq=False)
class ShortMeta(ContentMeta):
    """A YouTube Short: what was asked for, what the stages made, and how long each took."""

    aspect: str = "9:16"
    topic_given: str | None = None  # the topic the person gave (None: the model chose one)
    topic: str = ""
    duration: float = 0.0  # seconds of video
    stage_seconds: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    captions: str = ""  # the caption preset chosen for this Short ('' = the account's or the default)
    music_track: str | None = None  # the library track used, 'mood/file', so the next Shorts avoid it
    attribution: list[dict] = field(default_factory=list)  # stock clips' creator and page, as providers ask
    script: dict = field(default_factory=dict)  # a script-only draft's hook, body, call to action and gate verdict


@dataclass(eq=False)
class PostMeta(ContentMeta):
    """A post or a thread for X: the texts exactly as posted (a thread has several)."""

    posts: list[str] = field(default_factory=list)
    weighted_lengths: list[int] = field(default_factory=list)  # as X counts them
    source: str = ""  # 'generated' by the model, or 'given' by the person


@dataclass(eq=False)
class PitchMeta(PostMeta):
    """An affiliate pitch: a post about one stored product, with its disclosure."""

    product_id: int | None = None
    link: str = ""
    disclosure: str = ""
    template: bool = False  # built from the page's data only: no written pitch passed the quality gate


KINDS: dict[str, type[ContentMeta]] = {"short": ShortMeta, "post": PostMeta, "thread": PostMeta, "pitch": PitchMeta}


def parse(kind: str, data: ContentMeta | Mapping[str, Any] | None) -> ContentMeta:
    """The metadata object for an item of ``kind``, from a stored dict (or an object of another kind)."""
    cls = KINDS.get(kind, ContentMeta)
    if type(data) is cls:
        return data  # type: ignore[return-value]
    return cls.from_dict(data.to_dict() if isinstance(data, ContentMeta) else data)


def loads(kind: str, text: str | None) -> ContentMeta:
    return parse(kind, json.loads(text or "{}"))


def dumps(meta: ContentMeta) -> str:
    return json.dumps(meta.to_dict())
