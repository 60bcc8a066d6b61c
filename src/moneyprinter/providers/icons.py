"""Pictograms for the offline scenes: Material Design Icons (Pictogrammers, Apache 2.0, ~7000 icons).

The font and its name -> code point charmap ship in the ``qtawesome`` package (``qtawesome/fonts``);
they are read directly with Pillow and ``json``, never by importing qtawesome (which needs Qt).

A scene's central icon shows what the scene talks about: its headline phrase first ("SPECIAL
STOMACH" -> stomach), then its sentence's words, then the Short's topic ("How bees make honey" ->
bee), then its niche's own icons. A word matches through a curated table of synonyms
("beeswax" -> beehive, "microbes" -> bacteria) or by being an icon's own name ("shark"), singular
or plural. The same central icon is not shown three scenes in a row when another relevant one exists.
"""

from __future__ import annotations

import functools
import importlib.util
import itertools
import json
import re
from collections.abc import Sequence
from pathlib import Path

from moneyprinter import errors
from moneyprinter.text.keywords import STOP_WORDS, words

FONT_GLOB = "materialdesignicons6-webfont-*.ttf"
CHARMAP_GLOB = "materialdesignicons6-webfont-charmap-*.json"

# Words a Short says often whose icon has another name (or whose own-name icon shows something
# else). Values are Material Design Icons names; a test checks every one is in the font.
SYNONYMS: dict[str, str] = {
    # bees, honey, insects
    "honeybee": "bee", "bumblebee": "bee", "wasp": "bee", "hornet": "bee", "beekeeping": "beekeeper",
    "hive": "beehive-outline", "beehive": "beehive-outline", "colony": "beehive-outline",
    "beeswax": "beehive-outline", "wax": "beehive-outline", "honey": "beehive-outline",
    "honeycomb": "hexagon-multiple", "comb": "hexagon-multiple", "hexagon": "hexagon-multiple",
    "hexagonal": "hexagon-multiple", "cell": "hexagon-multiple",
    "nectar": "flower-pollen", "pollen": "flower-pollen", "pollinate": "bee-flower", "pollination": "bee-flower",
    "pollinator": "bee-flower", "blossom": "flower", "bloom": "flower-tulip", "petal": "flower-poppy",
    "insect": "ladybug", "beetle": "ladybug", "ant": "ladybug", "termite": "ladybug", "mosquito": "bug",
    "caterpillar": "butterfly", "moth": "butterfly", "worm": "snail",
    # sugar, food, digestion
    "sugar": "spoon-sugar", "sugary": "spoon-sugar", "sweet": "candy", "sweetness": "candy", "glucose": "spoon-sugar",
    "fructose": "spoon-sugar", "sucrose": "spoon-sugar", "syrup": "bottle-tonic", "candy": "candy",
    "enzyme": "test-tube", "chemical": "flask", "acid": "flask", "digestion": "stomach", "digest": "stomach",
    "gut": "stomach", "belly": "stomach", "food": "food-apple", "meal": "silverware-fork-knife",
    "eat": "silverware-fork-knife", "fruit": "food-apple", "apple": "food-apple", "grape": "fruit-grapes",
    "orange": "fruit-citrus", "lemon": "fruit-citrus", "banana": "fruit-pineapple", "vegetable": "carrot",
    "bread": "bread-slice", "milk": "cup-water", "coffee": "coffee", "drink": "cup-water",
    "juice": "cup-water", "glass": "cup-water", "salt": "shaker", "spice": "shaker", "meat": "food-steak", "chocolate": "candy",
    "preserve": "pot-steam", "spoil": "bacteria", "rot": "bacteria",
    # microbes, science
    "microbe": "bacteria", "germ": "bacteria", "bacterium": "bacteria", "bacterial": "bacteria",
    "yeast": "bacteria", "mold": "mushroom", "fungus": "mushroom", "fungi": "mushroom", "spore": "mushroom",
    "gene": "dna", "genetic": "dna", "genome": "dna", "protein": "molecule", "chemistry": "flask",
    "experiment": "test-tube", "lab": "flask", "laboratory": "flask", "scientist": "microscope",
    "science": "atom", "research": "microscope", "study": "book-open-variant", "physics": "atom",
    "electron": "atom", "particle": "atom", "quantum": "atom", "moisture": "water-percent", "water": "water",
    "evaporate": "weather-hazy", "evaporation": "weather-hazy", "humidity": "water-percent", "drop": "water",
    "droplet": "water", "oxygen": "molecule", "carbon": "molecule-co2", "co2": "molecule-co2", "gas": "molecule",
    "atom": "atom", "element": "atom", "radiation": "radioactive", "light": "lightbulb-on",
    "electricity": "lightning-bolt", "electric": "lightning-bolt", "energy": "lightning-bolt", "lightning": "flash",
    "heat": "thermometer-high", "hot": "thermometer-high", "temperature": "thermometer", "cold": "snowflake",
    "ice": "snowflake", "freeze": "snowflake", "frozen": "snowflake", "snow": "snowflake", "winter": "snowflake",
    # body and health
    "body": "human", "organ": "stomach", "lung": "lungs", "breath": "lungs", "breathe": "lungs",
    "breathing": "lungs", "blood": "water", "vein": "heart-pulse", "heartbeat": "heart-pulse", "pulse": "heart-pulse",
    "health": "heart-pulse", "healthy": "heart-pulse", "mind": "brain", "memory": "brain", "neuron": "brain",
    "nerve": "brain", "think": "head-lightbulb", "thought": "head-lightbulb", "idea": "lightbulb-on",
    "skeleton": "bone", "skull": "skull", "muscle": "arm-flex", "strength": "arm-flex", "exercise": "dumbbell",
    "workout": "dumbbell", "teeth": "tooth", "smile": "emoticon-happy", "hair": "face-man", "face": "face-man",
    "skin": "hand-back-right", "hand": "hand-back-right", "finger": "fingerprint", "ear": "ear-hearing",
    "hearing": "ear-hearing", "nose": "scent", "smell": "scent", "vision": "eye", "see": "eye", "sight": "eye",
    "doctor": "stethoscope", "medicine": "pill", "drug": "pill", "vitamin": "pill", "sick": "virus",
    "disease": "virus", "infection": "virus", "immune": "shield-plus", "baby": "baby-face-outline",
    "sleep": "sleep", "dream": "sleep", "nap": "sleep", "tired": "sleep", "tear": "emoticon-cry",
    # animals
    "animal": "paw", "pet": "paw", "mammal": "paw", "whale": "fish", "fish": "fish", "octopus": "jellyfish",
    "squid": "jellyfish", "jellyfish": "jellyfish", "coral": "jellyfish", "seahorse": "fish", "crab": "fish",
    "lobster": "fish", "salmon": "fish", "tuna": "fish", "shrimp": "fish", "turtle": "tortoise",
    "frog": "tortoise", "lizard": "snake", "reptile": "snake", "crocodile": "snake", "dinosaur": "skull",
    "bird": "bird", "parrot": "bird", "eagle": "bird", "crow": "bird", "feather": "feather", "nest": "bird",
    "egg": "egg", "chicken": "egg", "hen": "egg", "mouse": "rodent", "rat": "rodent", "squirrel": "rodent",
    "hamster": "rodent", "lion": "cat", "tiger": "cat", "wolf": "dog", "fox": "dog", "bear": "paw",
    "monkey": "paw", "ape": "paw", "gorilla": "paw", "giraffe": "paw", "zebra": "horse", "goat": "sheep",
    "sloth": "paw", "bat": "bat", "spider": "spider", "web": "spider-web",
    # nature, earth, weather, space
    "ocean": "waves", "sea": "waves", "wave": "waves", "tide": "waves", "river": "waves", "lake": "waves",
    "swim": "swim", "rain": "weather-pouring", "storm": "weather-lightning-rainy", "thunder": "weather-lightning",
    "weather": "weather-partly-cloudy", "sky": "weather-partly-cloudy", "cloud": "cloud", "wind": "weather-windy",
    "sun": "weather-sunny", "sunlight": "weather-sunny", "sunshine": "weather-sunny", "summer": "weather-sunny",
    "night": "weather-night", "moon": "moon-waning-crescent", "star": "star-shooting",
    "galaxy": "star-shooting", "universe": "star-shooting", "space": "rocket-launch", "astronaut": "rocket-launch",
    "planet": "earth", "world": "earth", "globe": "earth", "mars": "earth", "venus": "earth", "jupiter": "earth",
    "comet": "meteor", "asteroid": "meteor", "black hole": "orbit", "gravity": "orbit", "light year": "ruler", "climate": "earth",
    "mountain": "image-filter-hdr", "hill": "image-filter-hdr", "rock": "terrain", "stone": "terrain",
    "desert": "cactus", "sand": "cactus", "earthquake": "pulse", "lava": "volcano", "magma": "volcano",
    "plant": "sprout", "seed": "seed", "root": "sprout", "garden": "flower", "grow": "sprout", "growth": "sprout",
    "flower": "flower", "rose": "flower", "leaf": "leaf", "tree": "tree", "wood": "tree", "jungle": "palm-tree",
    "rainforest": "forest", "nature": "leaf", "photosynthesis": "leaf", "soil": "shovel", "farm": "barn",
    # time, numbers
    "second": "timer-outline", "minute": "timer-outline", "hour": "clock-outline", "clock": "clock-outline",
    "time": "clock-outline", "year": "calendar", "month": "calendar", "week": "calendar", "calendar": "calendar",
    "century": "timer-sand", "age": "timer-sand", "ancient": "pillar", "history": "pillar", "old": "timer-sand",
    "fast": "speedometer", "speed": "speedometer", "slow": "snail", "record": "trophy", "percent": "percent",
    # money and work
    "money": "cash-multiple", "cash": "cash-multiple", "dollar": "currency-usd", "euro": "currency-eur",
    "coin": "hand-coin", "price": "tag", "cost": "tag", "pay": "credit-card-outline", "save": "piggy-bank",
    "saving": "piggy-bank", "savings": "piggy-bank", "invest": "chart-line", "investing": "chart-line",
    "investment": "chart-line", "stock": "chart-line", "market": "chart-line", "interest": "percent",
    "compound": "chart-areaspline", "income": "wallet", "salary": "wallet", "budget": "calculator",
    "debt": "credit-card-outline", "loan": "credit-card-outline", "credit": "credit-card-outline",
    "rich": "diamond-stone", "wealth": "diamond-stone", "gold": "gold", "business": "briefcase",
    "work": "briefcase", "job": "briefcase", "career": "briefcase", "company": "domain", "office": "office-building",
    "city": "city", "home": "home", "house": "home", "shop": "store", "tax": "file-document-outline",
    # technology and culture
    "computer": "laptop", "internet": "web", "online": "web", "ai": "robot", "technology": "chip",
    "tech": "chip", "code": "code-braces", "software": "code-braces", "data": "database", "phone": "cellphone",
    "smartphone": "cellphone", "screen": "monitor", "photo": "camera", "picture": "camera", "game": "gamepad-variant",
    "music": "music", "song": "music", "sound": "volume-high", "noise": "volume-high", "voice": "microphone",
    # Hobbies people start (the niches without curated facts): what a how-to Short talks about.
    "guitar": "guitar-acoustic", "chord": "guitar-pick", "strum": "guitar-pick", "tuner": "tune-vertical",
    "instrument": "music", "drum": "music", "chess": "chess-knight", "puppy": "dog", "leash": "dog-side",
    "treat": "bone", "sourdough": "bread-slice", "dough": "bread-slice", "loaf": "bread-slice",
    "baking": "bread-slice", "bake": "bread-slice", "seedling": "sprout", "camping": "tent", "hike": "hiking",
    "wine": "glass-wine", "email": "email", "inbox": "email", "meeting": "account-group", "team": "account-group",
    "suitcase": "bag-suitcase", "luggage": "bag-suitcase", "hostel": "bed", "recipe": "pot-steam",
    "talk": "chat", "speak": "chat", "word": "chat", "language": "translate", "book": "book-open-variant",
    "read": "book-open-variant", "learn": "school", "student": "school", "teacher": "school", "colour": "palette",
    "color": "palette", "paint": "palette", "art": "palette", "pigment": "palette", "war": "sword-cross",
    "army": "shield", "soldier": "shield", "king": "crown", "queen": "crown", "emperor": "crown", "empire": "crown",
    "egypt": "pyramid", "pharaoh": "pyramid", "rome": "pillar", "roman": "pillar", "greek": "pillar",
    "car": "car", "drive": "car", "trip": "airplane", "flight": "airplane", "plane": "airplane", "boat": "sail-boat",
    "ship": "ferry", "map": "map", "road": "road", "goal": "bullseye-arrow", "win": "trophy", "success": "trophy",
    "habit": "calendar-check", "love": "heart", "happy": "emoticon-happy", "happiness": "emoticon-happy",
    "fear": "emoticon-frown", "sad": "emoticon-sad", "angry": "emoticon-angry", "friend": "account-group",
    "family": "human-male-female-child", "crowd": "account-group", "hunt": "binoculars", "hunter": "binoculars",
    "secret": "incognito", "danger": "alert", "poison": "bottle-tonic-skull", "venom": "bottle-tonic-skull",
    "toxic": "biohazard", "fire": "fire", "burn": "fire", "protect": "shield-check", "safe": "shield-check",
    "defense": "shield-check", "key": "key", "gift": "gift", "pattern": "hexagon-multiple", "shape": "shape",
    "mirror": "mirror", "reflect": "mirror", "camouflage": "eye-off", "hide": "eye-off", "invisible": "eye-off",
    "degree": "angle-acute", "angle": "angle-acute", "grit": "grain", "steel": "anvil", "metal": "anvil",
    "rainwater": "weather-pouring", "milestone": "sign-direction", "traveller": "hiking", "traveler": "hiking",
    "printing press": "printer", "printing": "printer",
    "score": "gauge", "report": "file-document-outline", "length": "ruler", "distance": "ruler",
    "phase": "moon-first-quarter", "full moon": "moon-full", "new moon": "moon-new", "eclipse": "moon-new",
    "shadow": "circle-half-full",
    "mix": "blender", "iron": "anvil", "rust": "anvil", "titanic": "ferry", "iceberg": "snowflake",
    "lifeboat": "lifebuoy", "vaccine": "needle", "cowpox": "cow", "smallpox": "virus",
}

# Icon names that would match a word but show something else: brands and software ("apple" is a
# logo, "react" an atom-like logo), interface symbols ("record" is a dot, "power" a switch), and
# names that are mostly other words ("fan" is an electric fan, "mine" a pronoun too).
NOT_BY_NAME = frozenset("""
android angular angularjs ansible api apple artstation atlassian aws babel bash bitbucket bitcoin bootstrap bulma
centos codepen cordova cryengine debian deviantart disqus dlna dns docker dolby drupal dropbox ember emby eslint
ethereum evernote facebook fedora firebase firefox freebsd gatsby gentoo git github gitlab gmail gnome gog google
goodreads graphql hubspot hulu instagram iobroker jabber jira jquery jsfiddle kodi kubernetes laravel lastpass
linkedin linux litecoin lumx manjaro mapbox mastodon microsoft minecraft nativescript netflix nix nodejs npm nuxt oci
odnoklassniki onepassword opera pandora patreon pinterest plex pokeball polymer powershell qqchat quora react reddit
redhat rollupjs salesforce sass skype slack snapchat soundcloud spotify stackpath steam symfony tailwind teamviewer
terraform trello twitch twitter ubisoft ubuntu umbraco unity unreal vimeo vlc vuejs vuetify waze webpack webrtc
wechat whatsapp wikipedia wordpress xamarin xmpp yahoo youtube zend zigbee kickstarter clippy klingon origin amazon
account adjust alpha ampersand application apps asterisk at autorenew axis backburger backspace beta cached cancel
check circle close comma compare consolidate contain contrast counter creation crop cross decagram decimal delete
delta details devices directions division download drag eject ellipse email equal exclamation exponent export file
filter folder forward forwardburger fullscreen function gesture grid group help hexadecimal identifier image import
inbox information label layers link loading login logout looks margin menu merge minus more multiplication note null
numeric octagram offer opacity overscan pause play pin plus post publish radius raw record redo refresh regex reiterate
reload rename repeat replay reply resize responsive restart restore rewind segment select selection send share
shuffle solid sort square stop subtitles symbol sync tab table text tilde tooltip transfer transition undo ungroup
update upload variable vanish wrap power signal matrix protocol middleware multimedia multicast motion script domain
mine seal fan tie tune switch lambda sigma gamma epsilon omega pi ph qi et om nas lan wan sd sim usb vpn nfc ocr
atm hdr hvac midi svg xml ssh ip rss qrcode barcode history bug mouse black run nuke bomb box network draw
""".split())

NICHE_ICONS: dict[str, tuple[str, ...]] = {
    "science": ("atom", "flask", "microscope", "dna", "molecule", "telescope"),
    "space": ("rocket-launch", "star-shooting", "moon-waning-crescent", "earth", "orbit", "telescope"),
    "nature": ("leaf", "tree", "flower", "paw", "waves", "sprout"),
    "money": ("cash-multiple", "chart-line", "piggy-bank", "wallet", "bank", "hand-coin"),
    "health": ("heart-pulse", "run", "water", "pill", "bicycle", "food-apple"),
    "tech": ("chip", "robot", "laptop", "wifi", "code-braces"),
    "history": ("pillar", "book-open-variant", "castle", "map", "shield", "crown"),
    "motivation": ("trophy", "bullseye-arrow", "lightning-bolt", "star", "rocket-launch"),
    "food": ("silverware-fork-knife", "coffee", "food-apple", "pot-steam", "cupcake"),
    "travel": ("airplane", "compass", "map", "earth", "map-marker"),
    "default": ("lightbulb-on", "star-shooting", "help-circle", "eye", "bullseye-arrow"),
}

_ICON_WORD = re.compile(r"[a-z0-9]+")


def _fonts_dir() -> Path:
    # find_spec locates the package without running its __init__ (which imports Qt).
    spec = importlib.util.find_spec("qtawesome")
    if spec is None or not spec.submodule_search_locations:
        raise errors.ProviderError("the pictogram font is missing (package qtawesome is not installed)",
                                   hint="pip install -r requirements.txt")
    return Path(next(iter(spec.submodule_search_locations))) / "fonts"


def _one(pattern: str) -> Path:
    found = sorted(_fonts_dir().glob(pattern))
    if not found:
        raise errors.ProviderError(f"the pictogram font is missing ({pattern} in qtawesome/fonts)",
                                   hint="reinstall qtawesome: pip install --force-reinstall qtawesome")
    return found[-1]


def font_path() -> Path:
    return _one(FONT_GLOB)


@functools.lru_cache(maxsize=1)
def codepoints() -> dict[str, int]:
    """Icon name -> code point, from the charmap that ships next to the font."""
    return {name: int(code, 16) for name, code in json.loads(_one(CHARMAP_GLOB).read_text("utf-8")).items()}


@functools.lru_cache(maxsize=4096)
def _forms(word: str) -> tuple[str, ...]:
    """The word in lower case, then its singular ("bees" -> "bee", "microbes" -> "microbe")."""
    from lemminflect import getLemma

    low = word.lower()
    forms = [low, *getLemma(low, upos="NOUN")]
    if low.endswith("s") and len(low) > 4:  # words the lexicon does not know: "octopuses", "microbes"
        forms += [low[:-3] + "y"] if low.endswith("ies") else [low[:-2]] if low.endswith(("ses", "xes")) else []
        forms.append(low[:-1])
    return tuple(dict.fromkeys(forms))


def _can_be_noun(word: str) -> bool:
    from lemminflect import getAllLemmas

    classes = getAllLemmas(word)
    return not classes or bool(classes.keys() & {"NOUN", "PROPN"})


def icon_for_word(word: str) -> str | None:
    """The icon that shows ``word``: the synonyms table first, then an icon of that name."""
    low = word.lower()
    if len(low) < 3 or low in STOP_WORDS:
        return None
    forms = _forms(low)
    for form in forms:
        if form in SYNONYMS:
            return SYNONYMS[form]
    if not _can_be_noun(low):
        return None  # "led" is not an LED, "draws" not a drawing
    known = codepoints()
    for form in forms:
        if form in NOT_BY_NAME or form in STOP_WORDS:
            continue
        for name in (form, f"{form}-outline"):  # "beehive" is only drawn as beehive-outline
            if name in known:
                return name
    return None


def icons_in(text: str, *, head_last: bool = False) -> list[str]:
    """Icons for the words of ``text``: pairs first ("solar panel" -> solar-panel), then single words.

    ``head_last``: ``text`` is a noun phrase, whose last word names the thing ("special STOMACH").
    """
    tokens = [w.lower() for w in words(text)]
    found: list[str] = []
    known = codepoints()
    for a, b in itertools.pairwise(tokens):
        if a in STOP_WORDS or b in STOP_WORDS:
            continue
        pair = SYNONYMS.get(f"{a} {b}") or SYNONYMS.get(f"{a} {b.removesuffix('s')}")
        found += [pair] if pair else [n for n in (f"{a}-{b}", f"{a}{b}") if n in known and n not in NOT_BY_NAME]
    for word in reversed(tokens) if head_last else tokens:
        name = icon_for_word(word)
        if name:
            found.append(name)
    return list(dict.fromkeys(found))


def icons_for(sentence: str, niche: str, index: int = 0, *, headline: str = "", topic: str = "",
              recent: Sequence[str] = ()) -> list[str]:
    """The scene's icons, central one first: what its headline, then its sentence, then the Short's
    topic shows, then the niche's own icons; never empty.

    ``recent``: the central icons of the scenes before this one, oldest first. The previous scene's
    icon goes behind others of the same rank, and one already shown twice in a row behind every
    relevant one, so consecutive scenes vary while each shows what it talks about.
    """
    ranked: list[tuple[float, str]] = []
    for rank, names in enumerate((icons_in(headline, head_last=True), icons_in(sentence), icons_in(topic))):
        ranked += [(float(rank), n) for n in names if n not in {m for _, m in ranked}]
    last = list(recent[-2:])

    def penalty(item: tuple[float, str]) -> float:
        rank, name = item
        if len(last) == 2 and last[0] == last[1] == name:
            return rank + 10
        return rank + (0.5 if last and last[-1] == name else 0.0)

    relevant = [n for _, n in sorted(ranked, key=penalty)]
    own = NICHE_ICONS.get(niche, NICHE_ICONS["default"])
    rotated = own[index % len(own):] + own[: index % len(own)]
    fallback = sorted((n for n in rotated if n not in relevant), key=lambda n: bool(last) and n == last[-1])
    return relevant + fallback


def glyph(name: str) -> str:
    return chr(codepoints()[name])
