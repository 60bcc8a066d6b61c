"""A look per niche for the offline scenes: a palette and a background motif.

The account's niche ("surprising science facts", "personal finance tips") picks the style by its
words, so every Short of one channel shares a recognisable look, as a creator's channel would.
"""

from __future__ import annotations

from dataclasses import dataclass

from moneyprinter.text.keywords import words

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class NicheStyle:
    name: str
    top: RGB  # background gradient, top
    bottom: RGB  # background gradient, bottom
    accent: RGB  # the badge ring, the highlighted headline word
    accent2: RGB  # the glow and the motif
    ink: RGB  # icons and type
    motif: str  # network | stars | hills | bars | pulse | circuit | rings | rays | dots | route


def _hex(value: str) -> RGB:
    return tuple(int(value[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def _style(name, top, bottom, accent, accent2, ink, motif) -> NicheStyle:
    return NicheStyle(name, _hex(top), _hex(bottom), _hex(accent), _hex(accent2), _hex(ink), motif)


STYLES: dict[str, NicheStyle] = {s.name: s for s in (
    _style("science", "#071a33", "#0c5c6b", "#3ee6c4", "#1fa2ff", "#f4fbff", "network"),
    _style("space", "#07051a", "#2b1760", "#ff5fd2", "#7b6cff", "#fff8e8", "stars"),
    _style("nature", "#0d2618", "#2f6b3a", "#c8f560", "#7ed957", "#fbfff2", "hills"),
    _style("money", "#061a12", "#0f4d33", "#ffcf3f", "#2ee59d", "#fffdf0", "bars"),
    _style("health", "#3a0d24", "#b23a58", "#7dffcf", "#ff9a8b", "#fff6f6", "pulse"),
    _style("tech", "#0b0f1f", "#1b2f6b", "#00e5ff", "#b04dff", "#eef6ff", "circuit"),
    _style("history", "#2a1a0c", "#7a5230", "#ffd27a", "#e0a458", "#fff4e0", "rings"),
    _style("motivation", "#2b0a0a", "#c2411c", "#ffe14d", "#ff8a3d", "#fffaf0", "rays"),
    _style("food", "#2e1408", "#a4511e", "#ffe0a3", "#ff9f43", "#fffaf2", "dots"),
    _style("travel", "#06223d", "#1f7ab8", "#ffb347", "#5fd3ff", "#f7fcff", "route"),
    _style("default", "#140c33", "#4b2a8a", "#ffc24b", "#9b7bff", "#fbf8ff", "rays"),
)}

# Words of a niche that choose its style; the first style with a matching word wins.
NICHE_WORDS: dict[str, tuple[str, ...]] = {
    "space": ("space", "astronomy", "planet", "planets", "galaxy", "universe", "nasa", "cosmos", "stars"),
    "science": ("science", "scientific", "physics", "chemistry", "biology", "facts", "fact", "experiment"),
    "nature": ("nature", "animal", "animals", "wildlife", "ocean", "plants", "garden", "gardening", "outdoors"),
    "money": ("money", "finance", "financial", "investing", "invest", "budget", "crypto", "stocks", "wealth",
              "business", "side", "hustle", "income", "saving", "savings"),
    "health": ("health", "fitness", "workout", "diet", "nutrition", "wellness", "sleep", "yoga", "gym"),
    "tech": ("tech", "technology", "ai", "software", "coding", "programming", "gadgets", "computer", "computers"),
    "history": ("history", "historical", "ancient", "war", "empire", "medieval", "mythology"),
    "motivation": ("motivation", "motivational", "productivity", "self", "habits", "success", "mindset", "quotes"),
    "food": ("food", "cooking", "recipes", "recipe", "baking", "kitchen", "coffee"),
    "travel": ("travel", "travelling", "traveling", "countries", "cities", "geography", "places"),
}


def niche_key(niche: str) -> str:
    """The style name for an account's niche text; 'default' when no word matches."""
    found = {w.lower() for w in words(niche or "")}
    for key, markers in NICHE_WORDS.items():
        if found & set(markers):
            return key
    return "default"


def style_for(niche: str) -> NicheStyle:
    return STYLES[niche_key(niche)]
