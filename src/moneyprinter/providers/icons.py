"""Pictograms for the offline scenes: Bootstrap Icons (MIT, ~2000 icons) from its packaged TTF font.

A sentence's words are matched to icon names directly ("rocket", "heart") or through a small
table of synonyms ("ocean" -> water, "money" -> cash-coin); a sentence with no match gets one
of its niche's icons, so every scene shows something about the Short's subject.
"""

from __future__ import annotations

import functools
from pathlib import Path

from moneyprinter.text.keywords import STOP_WORDS, words

# Words a Short says often, mapped to the icon that shows them. Names are Bootstrap Icons ids.
SYNONYMS: dict[str, str] = {
    "ocean": "water", "sea": "water", "river": "water", "lake": "water", "wave": "tsunami", "swim": "water",
    "rain": "cloud-rain-heavy", "storm": "cloud-lightning-rain", "weather": "cloud-sun", "sun": "brightness-high",
    "sunlight": "brightness-high", "light": "lightbulb", "idea": "lightbulb", "ideas": "lightbulb",
    "energy": "lightning-charge", "electric": "lightning-charge", "electricity": "lightning-charge",
    "power": "lightning-charge", "night": "moon-stars", "sky": "clouds", "space": "rocket-takeoff",
    "planet": "globe-americas", "earth": "globe-americas", "world": "globe2", "country": "flag", "mars": "globe2",
    "star": "stars", "galaxy": "stars", "universe": "stars", "astronaut": "rocket-takeoff", "moon": "moon-stars",
    "animal": "bug", "animals": "bug", "insect": "bug", "bee": "bug", "ant": "bug", "spider": "bug",
    "octopus": "water", "octopuses": "water", "fish": "water", "shark": "water", "whale": "water", "coral": "water",
    "crab": "water", "bird": "tree", "birds": "tree", "cat": "heart", "dog": "heart",
    "plant": "flower1", "plants": "flower1", "flower": "flower2", "garden": "flower3", "forest": "tree-fill",
    "tree": "tree-fill", "trees": "tree-fill", "leaf": "tree", "nature": "tree", "mountain": "triangle",
    "volcano": "fire", "heat": "thermometer-sun", "hot": "thermometer-sun", "cold": "snow", "ice": "snow2",
    "winter": "snow", "temperature": "thermometer-half", "climate": "thermometer-half", "wind": "wind",
    "skin": "person", "body": "person", "human": "person", "humans": "people", "brain": "lightbulb",
    "mind": "lightbulb", "think": "lightbulb", "memory": "lightbulb", "heart": "heart-pulse", "blood": "droplet",
    "health": "heart-pulse", "healthy": "heart-pulse", "doctor": "hospital", "medicine": "capsule",
    "pill": "capsule-pill", "sleep": "moon", "dream": "moon-stars", "eye": "eye", "eyes": "eye", "see": "eye",
    "colour": "palette", "color": "palette", "colours": "palette", "colors": "palette", "paint": "palette",
    "pigment": "palette", "art": "palette", "music": "music-note-beamed", "song": "music-note-beamed",
    "sound": "soundwave", "voice": "mic", "talk": "chat-dots", "speak": "chat-dots", "language": "translate",
    "cell": "virus", "cells": "virus", "virus": "virus", "bacteria": "virus2", "dna": "virus2", "gene": "virus2",
    "chemistry": "eyedropper", "experiment": "eyedropper", "scientist": "eyeglasses", "scientists": "eyeglasses",
    "science": "lightbulb", "research": "search", "study": "book", "learn": "book", "school": "mortarboard",
    "student": "mortarboard", "book": "book", "books": "bookshelf", "read": "book", "history": "hourglass-split",
    "ancient": "hourglass-split", "century": "hourglass-split", "war": "shield", "king": "gem", "queen": "gem",
    "second": "stopwatch", "seconds": "stopwatch", "minute": "stopwatch", "minutes": "stopwatch", "hour": "clock",
    "hours": "clock", "fast": "speedometer2", "speed": "speedometer2", "quick": "lightning", "slow": "hourglass",
    "money": "cash-coin", "cash": "cash-stack", "dollar": "currency-dollar", "dollars": "currency-dollar",
    "euro": "currency-euro", "price": "tag", "cost": "tag", "save": "piggy-bank", "saving": "piggy-bank",
    "savings": "piggy-bank", "invest": "graph-up-arrow", "investing": "graph-up-arrow", "stock": "graph-up-arrow",
    "stocks": "graph-up-arrow", "market": "graph-up-arrow", "grow": "graph-up-arrow", "growth": "graph-up-arrow",
    "income": "wallet2", "budget": "calculator", "debt": "credit-card", "bank": "bank", "rich": "gem",
    "business": "briefcase", "work": "briefcase", "job": "briefcase", "company": "building", "city": "buildings",
    "home": "house-heart", "house": "house", "food": "egg-fried", "eat": "egg-fried", "cook": "egg-fried",
    "coffee": "cup-hot", "tea": "cup-hot", "water": "droplet", "drink": "cup-straw", "sugar": "cup-straw",
    "apple": "basket", "apples": "basket", "fruit": "basket", "fruits": "basket", "grapes": "basket",
    "rice": "basket", "travel": "airplane", "fly": "airplane", "flight": "airplane", "car": "car-front", "drive": "car-front",
    "train": "train-front", "ship": "water", "road": "signpost-split", "map": "map", "phone": "phone",
    "computer": "laptop", "internet": "wifi", "ai": "robot", "robot": "robot", "robots": "robot",
    "technology": "cpu", "tech": "cpu", "code": "code-slash", "data": "database", "video": "camera-video",
    "photo": "camera", "camera": "camera", "game": "controller", "games": "controller", "goal": "bullseye",
    "goals": "bullseye", "win": "trophy", "success": "trophy", "habit": "calendar-check", "habits": "calendar-check",
    "love": "heart", "happy": "emoji-smile", "happiness": "emoji-smile", "fear": "emoji-dizzy", "sad": "emoji-frown",
    "friend": "people", "friends": "people", "family": "house-heart", "hide": "eye-slash", "hunt": "binoculars",
    "secret": "incognito", "danger": "exclamation-triangle", "poison": "radioactive", "fire": "fire",
    "protect": "shield-check", "safe": "shield-check", "key": "key", "lock": "lock", "gift": "gift",
    "record": "trophy", "first": "award", "best": "award", "pattern": "grid-3x3", "patterns": "grid-3x3",
    "change": "arrow-repeat", "reflect": "circle-half", "mirror": "circle-half", "shape": "hexagon",
}

# Icon names that would match a word but show something else: brands ("apple" is a logo) and
# interface symbols ("type" is an "Aa", "record" a red dot).
NOT_BY_NAME = frozenset("""
alexa alipay amazon amd android apple behance bing bootstrap discord dribbble dropbox facebook git github gitlab
google instagram line linkedin mastodon medium messenger meta microsoft nintendo nvidia opencollective paypal
pinterest playstation quora reddit signal skype slack snapchat sonos spotify steam strava stripe substack telegram
tencent threads tiktok trello twitch twitter ubuntu unity vimeo wechat whatsapp wikipedia windows wordpress xbox
yelp youtube type list table filter box stack layers option hash command shift escape back front repeat reply dash
slash square circle triangle dot pass record play pause stop forward share tag tags justify indent hr asterisk
x at power pin grid border columns bookmark crop union intersect exclude subtract cursor input window app view
fonts code clipboard files folder inbox archive upload download server collection journal kanban bezier magic
""".split())

NICHE_ICONS: dict[str, tuple[str, ...]] = {
    "science": ("lightbulb", "stars", "search", "eye", "virus2", "eyedropper"),
    "space": ("rocket-takeoff", "stars", "moon-stars", "globe-americas", "sun-fill"),
    "nature": ("tree-fill", "flower1", "tree", "water", "bug"),
    "money": ("cash-coin", "graph-up-arrow", "piggy-bank", "wallet2", "bank", "coin"),
    "health": ("heart-pulse", "activity", "droplet", "capsule", "bicycle"),
    "tech": ("cpu", "robot", "laptop", "wifi", "code-slash"),
    "history": ("hourglass-split", "book", "bank2", "map", "shield"),
    "motivation": ("trophy", "bullseye", "lightning-charge", "star", "rocket"),
    "food": ("egg-fried", "cup-hot", "basket", "cup-straw", "cup-straw"),
    "travel": ("airplane", "compass", "map", "globe2", "geo-alt"),
    "default": ("lightbulb", "stars", "question-circle", "eye", "bullseye"),
}


def font_path() -> Path:
    from bootstrap_icons import TTF_PATH

    return Path(TTF_PATH)


@functools.lru_cache(maxsize=1)
def codepoints() -> dict[str, int]:
    """Icon name -> code point, read once from the font's own glyph names."""
    import logging

    from fontTools.ttLib import TTFont

    logging.getLogger("fontTools").setLevel(logging.ERROR)  # the font's harmless 'extra bytes in post' note
    with TTFont(str(font_path()), lazy=True) as font:
        return {name: code for code, name in font.getBestCmap().items()}


def _forms(word: str) -> list[str]:
    low = word.lower()
    forms = [low]
    for suffix in ("ies", "es", "s"):
        if low.endswith(suffix) and len(low) > len(suffix) + 2:
            forms.append(low[: -len(suffix)] + ("y" if suffix == "ies" else ""))
    return forms


def icon_for_word(word: str) -> str | None:
    known = codepoints()
    for form in _forms(word):
        for name in (SYNONYMS.get(form), form if form not in NOT_BY_NAME else None):
            if name and name in known:
                return name
    return None


def icons_for(sentence: str, niche: str, index: int = 0) -> list[str]:
    """Icons that show ``sentence``: matched words first, then the niche's own; never empty."""
    found: list[str] = []
    for word in words(sentence):
        if len(word) < 3 or word.lower() in STOP_WORDS:  # "at", "power"-like icon names of filler words
            continue
        name = icon_for_word(word)
        if name and name not in found:
            found.append(name)
    own = NICHE_ICONS.get(niche, NICHE_ICONS["default"])
    rotated = own[index % len(own):] + own[: index % len(own)]
    return found + [n for n in rotated if n not in found and n in codepoints()]


def glyph(name: str) -> str:
    return chr(codepoints()[name])
