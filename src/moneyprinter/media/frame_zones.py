"""Where each layer of a Short may draw, so that none covers another or the platform's buttons.

From the top of the safe area down: the headline band (one line of display type), the subject
band (an offline scene's badge and its satellite icons) and the caption band. The bands are the
same for every caption preset, so a Short re-rendered with another preset still fits the
pictures it already has. The subject is part of a still that the Ken Burns pan moves and
enlarges, so the scene places it inside ``subject.before_pan(...)``: wherever the pan is, it
stays inside the subject band of the frame.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def centre(self) -> tuple[float, float]:
        return (self.left + self.right) / 2, (self.top + self.bottom) / 2

    def overlaps(self, other: Box) -> bool:
        return self.left < other.right and other.left < self.right and self.top < other.bottom and other.top < self.bottom

    def within(self, other: Box, slack: float = 1e-6) -> bool:
        return (self.left >= other.left - slack and self.top >= other.top - slack
                and self.right <= other.right + slack and self.bottom <= other.bottom + slack)

    def before_pan(self, size: tuple[int, int], travel: float) -> Box:
        """The part of a still whose content stays inside this frame box under any Ken Burns pan.

        The pan shows the still enlarged by ``1 + travel`` through a frame-sized window that moves
        over the whole slack (``travel`` of the frame): a still point ``p`` lands anywhere in
        ``[p * (1 + travel) - travel * side, p * (1 + travel)]``.
        """
        w, h = size
        grow = 1 + travel
        return Box((self.left + travel * w) / grow, (self.top + travel * h) / grow, self.right / grow, self.bottom / grow)

    def after_pan(self, size: tuple[int, int], travel: float) -> Box:
        """Every frame position a still's box can reach under a Ken Burns pan (the inverse of ``before_pan``)."""
        w, h = size
        grow = 1 + travel
        return Box(self.left * grow - travel * w, self.top * grow - travel * h, self.right * grow, self.bottom * grow)


def safe_box(size: tuple[int, int]) -> Box:
    """The area text and subjects may cover.

    9:16: x 8%-84% (the like, comment and share buttons sit on the right), y 15%-78% (the title,
    channel and description sit at the bottom); other aspects: 8% margins on every side.
    """
    w, h = size
    if h > w:
        return Box(round(w * 0.08), round(h * 0.15), round(w * 0.84), round(h * 0.78))
    return Box(round(w * 0.08), round(h * 0.08), round(w * 0.92), round(h * 0.92))


@dataclass(frozen=True)
class Zones:
    safe: Box
    headline: Box  # one line of display type, growing slowly
    subject: Box  # the badge and its satellites, in the frame, wherever the pan is
    captions: Box  # every caption page, whatever its preset


# Fractions of the safe area's height: headline, gap, subject, gap, captions.
_PORTRAIT = (0.16, 0.015, 0.395, 0.015, 0.415)
_WIDE = (0.21, 0.015, 0.36, 0.015, 0.40)


def zones(size: tuple[int, int]) -> Zones:
    safe = safe_box(size)
    w, h = size
    parts = _PORTRAIT if h > w else _WIDE
    edges = [safe.top]
    for share in parts:
        edges.append(edges[-1] + share * safe.height)
    band = [Box(safe.left, round(a), safe.right, round(b)) for a, b in zip(edges, edges[1:])]
    return Zones(safe, band[0], band[2], Box(safe.left, band[4].top, safe.right, safe.bottom))
