"""OpenStreetMap discovery through the Overpass API.

Usage policy (wiki.openstreetmap.org/wiki/Overpass_API#Public_Overpass_API_instances): send an
identifying User-Agent and run one query at a time. A thread lock plus a file lock in the data
directory keep it to one query per machine, even with the scheduler and the CLI both running.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from filelock import FileLock

from moneyprinter import paths
from moneyprinter.errors import ServiceError, UsageError
from moneyprinter.http_client import HTTPClient
from moneyprinter.outreach.businesses import BusinessIn

# Niche words -> OSM tag filters. A niche may also be given directly as key=value.
NICHE_TAGS: dict[str, list[tuple[str, str]]] = {
    "dentist": [("amenity", "dentist"), ("healthcare", "dentist")],
    "doctor": [("amenity", "doctors")],
    "pharmacy": [("amenity", "pharmacy")],
    "veterinarian": [("amenity", "veterinary")],
    "vet": [("amenity", "veterinary")],
    "restaurant": [("amenity", "restaurant")],
    "cafe": [("amenity", "cafe")],
    "bar": [("amenity", "bar")],
    "pub": [("amenity", "pub")],
    "physiotherapist": [("healthcare", "physiotherapist")],
    "lawyer": [("office", "lawyer")],
    "accountant": [("office", "accountant")],
    "real estate": [("office", "estate_agent")],
    "insurance": [("office", "insurance")],
    "architect": [("office", "architect")],
    "plumber": [("craft", "plumber")],
    "electrician": [("craft", "electrician")],
    "carpenter": [("craft", "carpenter")],
    "roofer": [("craft", "roofer")],
    "hairdresser": [("shop", "hairdresser")],
    "barber": [("shop", "hairdresser")],
    "beauty salon": [("shop", "beauty")],
    "bakery": [("shop", "bakery")],
    "florist": [("shop", "florist")],
    "optician": [("shop", "optician")],
    "car repair": [("shop", "car_repair")],
    "bicycle shop": [("shop", "bicycle")],
    "gym": [("leisure", "fitness_centre")],
    "hotel": [("tourism", "hotel")],
    "guest house": [("tourism", "guest_house")],
}
ALIASES = {"dentists": "dentist", "dental clinic": "dentist", "doctors": "doctor", "restaurants": "restaurant",
           "coffee shop": "cafe", "law firm": "lawyer", "attorney": "lawyer", "realtor": "real estate",
           "hair salon": "hairdresser", "fitness": "gym", "auto repair": "car repair", "veterinary": "veterinarian"}
_TAG = re.compile(r"^[a-z_:]+=[\w:;-]+$", re.I)

_query_lock = threading.Lock()


def niche_tags(niche: str) -> list[tuple[str, str]]:
    key = niche.strip().lower()
    if _TAG.match(key):
        k, _, v = key.partition("=")
        return [(k, v)]
    key = ALIASES.get(key, key)
    if key not in NICHE_TAGS:
        raise UsageError(
            f"no OpenStreetMap tag known for niche '{niche}'",
            hint=f"use one of {', '.join(sorted(NICHE_TAGS))}, or give an OSM tag like shop=bakery",
        )
    return NICHE_TAGS[key]


@dataclass(frozen=True)
class Area:
    """Either an area name (looked up by Overpass) or a bounding box (south, west, north, east)."""

    name: str = ""
    bbox: tuple[float, float, float, float] | None = None

    @classmethod
    def parse_bbox(cls, text: str) -> Area:
        try:
            south, west, north, east = (float(p) for p in text.split(","))
        except ValueError:
            raise UsageError(f"bad bounding box '{text}'", hint="use SOUTH,WEST,NORTH,EAST in degrees, e.g. 52.50,13.35,52.54,13.42") from None
        if not (-90 <= south < north <= 90 and -180 <= west < east <= 180):
            raise UsageError(f"bad bounding box '{text}'", hint="south < north and west < east, in degrees")
        return cls(bbox=(south, west, north, east))


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def build_query(niche: str, area: Area, *, timeout_s: int = 90) -> str:
    tags = niche_tags(niche)
    if area.bbox:
        scope = "(" + ",".join(f"{v:.6f}" for v in area.bbox) + ")"
        header = ""
    elif area.name.strip():
        header = f"area[name={_quote(area.name.strip())}]->.searchArea;\n"
        scope = "(area.searchArea)"
    else:
        raise UsageError("an area is needed for OpenStreetMap discovery", hint="give the campaign a location or pass --bbox")
    selectors = "".join(f"  nwr[{_quote(k)}={_quote(v)}]{scope};\n" for k, v in tags)
    return f"[out:json][timeout:{timeout_s}];\n{header}(\n{selectors});\nout center tags;\n"


def _address(tags: dict[str, str]) -> str:
    street = " ".join(p for p in (tags.get("addr:street", ""), tags.get("addr:housenumber", "")) if p)
    town = " ".join(p for p in (tags.get("addr:postcode", ""), tags.get("addr:city", "")) if p)
    return ", ".join(p for p in (street, town) if p) or tags.get("addr:full", "")


def parse_elements(data: dict, niche: str) -> list[BusinessIn]:
    found = []
    for element in data.get("elements", []):
        tags = element.get("tags") or {}
        name = tags.get("name", "").strip()
        if not name:
            continue
        email = tags.get("email") or tags.get("contact:email") or ""
        found.append(BusinessIn(
            name=name, address=_address(tags), city=tags.get("addr:city", ""),
            phone=tags.get("phone") or tags.get("contact:phone") or "",
            website=tags.get("website") or tags.get("contact:website") or tags.get("url") or "",
            category=niche, source=f"osm:{element.get('type', 'node')}/{element.get('id', '')}",
            emails=[e.strip() for e in email.split(";") if e.strip()],
        ))
    return found


def search(client: HTTPClient, url: str, niche: str, area: Area, *, user_agent: str, timeout_s: int = 90) -> list[BusinessIn]:
    """Run one Overpass query (never two at once on this machine) and return the named places."""
    query = build_query(niche, area, timeout_s=timeout_s)
    lock_path = paths.ensure_data_dir() / "overpass.lock"
    with _query_lock, FileLock(str(lock_path), timeout=timeout_s + 60):
        # GET is idempotent, so the shared client may retry it on 429/504 (Overpass's busy answers).
        response = client.get(url, service="Overpass API", params={"data": query},
                              headers={"User-Agent": user_agent}, timeout=(10, timeout_s + 30))
    try:
        data = response.json()
    except ValueError:
        raise ServiceError("Overpass API", "answered with something that is not JSON",
                           hint="check outreach.overpass_url") from None
    if data.get("remark") and "error" in str(data.get("remark")).lower():
        raise ServiceError("Overpass API", str(data["remark"])[:200], hint="narrow the area or raise overpass_timeout_s")
    return parse_elements(data, niche)
