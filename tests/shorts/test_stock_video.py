"""Stock clips: local servers that speak the Pexels and Pixabay video APIs and serve real MP4 files."""

from __future__ import annotations

import json
import os
import subprocess

import imageio_ffmpeg
import pytest
from PIL import Image

from moneyprinter import errors
from moneyprinter.config import Settings
from moneyprinter.http_client import configure_http_client, reset_http_client
from moneyprinter.providers.clip_cache import ClipCache
from moneyprinter.providers.images import image_providers
from moneyprinter.providers.stock_video import create_video_provider
from moneyprinter.settings.core import HttpSettings
from moneyprinter.settings.secrets import Secrets
from moneyprinter.shorts import visuals
from tests.support.httpserver import Reply

SIZE = (1080, 1920)


def png_bytes() -> bytes:
    import io

    buf = io.BytesIO()
    Image.new("RGB", (108, 192), (250, 120, 0)).save(buf, "PNG")
    return buf.getvalue()


SENTENCES = ["Octopuses change colour in a second.", "They hide from sharks on the reef.", "Scientists still wonder how."]


def make_mp4(path, w, h, seconds=1.0, colour="red"):
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi", "-i",
                    f"color=c={colour}:s={w}x{h}:d={seconds}:r=15", "-c:v", "libx264", "-preset", "ultrafast",
                    "-pix_fmt", "yuv420p", str(path)], check=True, timeout=60)
    return path.read_bytes()


@pytest.fixture(scope="module")
def mp4s(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mp4")
    return {
        "portrait": make_mp4(folder / "p.mp4", 360, 640, colour="blue"),
        "landscape": make_mp4(folder / "l.mp4", 640, 360, colour="green"),
        "small": make_mp4(folder / "s.mp4", 180, 320, colour="yellow"),
    }


@pytest.fixture(autouse=True)
def quick_retries():
    configure_http_client(HttpSettings(backoff_base_s=0.01, backoff_max_s=0.02))
    yield
    reset_http_client()


def pexels_video(server, vid, w, h, name, duration=8):
    return {
        "id": vid, "width": w, "height": h, "duration": duration, "url": f"https://www.pexels.com/video/clip-{vid}/",
        "image": "", "user": {"id": 1, "name": name, "url": f"https://www.pexels.com/@{name.lower()}"},
        "video_files": [
            {"id": vid * 10, "quality": "sd", "file_type": "video/mp4", "width": w // 2, "height": h // 2,
             "fps": 25, "link": server.url(f"/files/{vid}-small.mp4")},
            {"id": vid * 10 + 1, "quality": "hd", "file_type": "video/mp4", "width": w, "height": h,
             "fps": 25, "link": server.url(f"/files/{vid}.mp4")},
        ],
        "video_pictures": [],
    }


def pexels_search(server, videos):
    def answer(req):
        assert req.header("Authorization") == "px-key"
        assert req.query["orientation"] == ["portrait"] and req.query["query"][0]
        return Reply(200, {"page": 1, "per_page": 15, "total_results": len(videos), "videos": videos, "url": ""})
    return answer


def pexels(server):
    settings = Settings.model_validate({"shorts": {"video_provider": "pexels", "videos_pexels": {"base_url": server.base_url}}})
    return create_video_provider(settings, Secrets(pexels_api_key="px-key"))


def planner(tmp_path, provider, cache_mb=50):
    cache = ClipCache(tmp_path / "cache", cache_mb * 2**20)
    return visuals.ShotPlanner(tmp_path / "shots", SIZE, "surprising science facts", "octopus colour",
                               video=provider, cache=cache)


def test_pexels_clips_one_per_sentence_portrait_first_never_repeated_and_credited(server, tmp_path, mp4s):
    videos = [pexels_video(server, 11, 1920, 1080, "Lana"), pexels_video(server, 12, 1080, 1920, "Ivo"),
              pexels_video(server, 13, 1080, 1920, "Mia")]
    server.route("GET", "/videos/search", pexels_search(server, videos))
    for vid, kind in ((11, "landscape"), (12, "portrait"), (13, "portrait")):
        server.route("GET", f"/files/{vid}.mp4", Reply(200, mp4s[kind], {"Content-Type": "video/mp4"}))
        server.route("GET", f"/files/{vid}-small.mp4", Reply(200, mp4s["small"], {"Content-Type": "video/mp4"}))
    plan = visuals.plan(SENTENCES, 3, planner(tmp_path, pexels(server)), image_providers.create("procedural"), [])
    assert [s.kind for s in plan] == ["video", "video", "video"]
    assert [s.source["id"] for s in plan] == ["12", "13", "11"]  # portrait clips first, each used once
    # the smallest rendition that fills the frame: 1080 px short side (the 540 px one would be blurry)
    assert server.count("GET", "/files/12.mp4") == 1 and server.count("GET", "/files/12-small.mp4") == 0
    assert plan[0].credit == "Video by Ivo on Pexels: https://www.pexels.com/video/clip-12/"
    assert visuals.credits(plan)[2].startswith("Video by Lana on Pexels")
    folder = tmp_path / "shots"
    assert (folder / "00.mp4").read_bytes() == mp4s["portrait"]
    still = Image.open(folder / "00.png")  # the first frame, cropped to fill the frame, for stills-only renderers
    assert still.size == SIZE and still.convert("RGB").getpixel((540, 960))[2] > 200


def test_a_429_is_retried_through_the_shared_client_and_a_rejected_key_falls_back_to_scenes(server, tmp_path, mp4s):
    videos = [pexels_video(server, 21, 1080, 1920, "Ana")]
    server.route("GET", "/videos/search", [Reply(429, {"error": "slow down"}, {"Retry-After": "0"}),
                                           Reply(200, {"videos": videos, "page": 1})])
    server.route("GET", "/files/21.mp4", [Reply(503), Reply(200, mp4s["portrait"])])
    plan = visuals.plan(SENTENCES[:1], 1, planner(tmp_path, pexels(server)), image_providers.create("procedural"), [])
    assert plan[0].kind == "video" and server.count("GET", "/videos/search") == 2 and server.count("GET", "/files/21.mp4") == 2

    server.route("GET", "/videos/search", Reply(401, {"error": "bad key"}))
    warnings: list[str] = []
    p = planner(tmp_path / "b", pexels(server))
    p.warnings = warnings
    plan = visuals.plan(SENTENCES, 3, p, image_providers.create("procedural"), [])
    assert [s.kind for s in plan] == ["image"] * 3 and all(s.headline for s in plan)
    assert server.count("GET", "/videos/search") == 3  # asked once after the 401, not once per sentence
    assert len(warnings) == 1 and "pexels" in warnings[0]


def test_pixabay_videos_and_photo_fallback_when_nothing_is_found(server, tmp_path, mp4s):
    hits = [{"id": 31, "pageURL": "https://pixabay.com/videos/id-31/", "type": "film", "tags": "octopus, sea",
             "duration": 12, "user_id": 5, "user": "Reefer",
             "videos": {"large": {"url": server.url("/v/31-large.mp4"), "width": 1920, "height": 1080, "size": 900},
                        "tiny": {"url": server.url("/v/31-tiny.mp4"), "width": 640, "height": 360, "size": 100}}}]

    def search(req):
        assert req.query["key"] == ["pb-key"]
        found = hits if "octopuses" in req.query["q"][0] else []
        return Reply(200, {"total": len(found), "totalHits": len(found), "hits": found})

    server.route("GET", "/api/videos/", search)
    server.route("GET", "/v/31-large.mp4", Reply(200, mp4s["landscape"]))
    settings = Settings.model_validate({"shorts": {"videos_pixabay": {"base_url": server.base_url}}})
    provider = create_video_provider(settings, Secrets(pixabay_api_key="pb-key"))  # auto: the key that is set
    assert provider.id == "pixabay"
    plan = visuals.plan(SENTENCES[:2], 2, planner(tmp_path, provider), image_providers.create("procedural"), [])
    assert plan[0].kind == "video" and plan[0].source["creator"] == "Reefer"
    assert plan[0].credit == ""  # Pixabay does not ask for attribution; the source is still kept
    assert plan[0].source["page_url"] == "https://pixabay.com/videos/id-31/"
    assert plan[1].kind == "image" and plan[1].headline  # nothing unused found: an offline scene


def test_no_key_means_no_clip_provider():
    assert create_video_provider(Settings(), Secrets()) is None
    with pytest.raises(errors.NeedsKey):
        create_video_provider(Settings.model_validate({"shorts": {"video_provider": "pexels"}}), Secrets()).key()


def test_clip_cache_downloads_once_and_keeps_under_its_cap(tmp_path, mp4s):
    cache = ClipCache(tmp_path / "cache", cap_bytes=len(mp4s["portrait"]) + len(mp4s["landscape"]) + 10)
    fetches = []

    def fetch(kind):
        def go():
            fetches.append(kind)
            return mp4s[kind]
        return go

    first = cache.get("pexels", "1", fetch("portrait"))
    assert cache.get("pexels", "1", fetch("portrait")) == first and fetches == ["portrait"]
    old = first.stat().st_mtime - 100
    os.utime(first, (old, old))
    second = cache.get("pixabay", "2", fetch("landscape"))
    cache.get("pexels", "1", fetch("portrait"))  # used again: now the newest
    third = cache.get("pexels", "3", fetch("small"))
    assert first.exists() and third.exists() and not second.exists()  # the least recently used went
    assert cache.size() <= cache.cap_bytes
    probe = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(first), "-f", "null", "-"],
                           capture_output=True, timeout=60)
    assert probe.returncode == 0  # a real, decodable MP4 came out of the cache


def test_too_large_clips_are_refused_while_downloading(server, tmp_path, mp4s):
    server.route("GET", "/videos/search", Reply(200, {"videos": [pexels_video(server, 41, 1080, 1920, "Big")]}))
    server.route("GET", "/files/41.mp4", Reply(200, mp4s["portrait"]))
    p = planner(tmp_path, pexels(server))
    p.max_clip_bytes = 100
    plan = visuals.plan(SENTENCES[:1], 1, p, image_providers.create("procedural"), [])
    assert plan[0].kind == "image" and any("exceeds" in w for w in p.warnings)
    assert not list((tmp_path / "cache").glob("*.mp4"))


def test_own_clips_and_pictures_match_by_name_or_tags(tmp_path, mp4s, monkeypatch):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "reef-dive.mp4").write_bytes(mp4s["portrait"])
    (folder / "clip7.webm").write_bytes(mp4s["landscape"])  # a name that says nothing...
    (folder / "clip7.txt").write_text("shark, sharks, hunting")  # ...and tags that do
    Image.new("RGB", (64, 64), (10, 200, 10)).save(folder / "scientist.png")
    provider = image_providers.create("local", {"folder": str(folder)})
    sentences = ["A diver films the reef at night.", "Sharks hunt in the dark.", "Scientists still wonder how."]
    plan = visuals.plan(sentences, 3, planner(tmp_path, None), provider, sentences)
    assert [s.kind for s in plan] == ["video", "video", "image"]
    assert plan[0].source["file"].endswith("reef-dive.mp4") and plan[1].source["file"].endswith("clip7.webm")
    assert plan[1].file == "01.webm" and (tmp_path / "shots" / "01.webm").read_bytes() == mp4s["landscape"]
    assert Image.open(tmp_path / "shots" / "02.png").convert("RGB").getpixel((5, 5)) == (10, 200, 10)
    assert provider.health_check().message.startswith("1 pictures and 2 clips")


def test_shots_last_from_their_sentence_to_the_next(tmp_path):
    plan = [visuals.PlannedShot(0, "a", 0, 2, file="00.png"), visuals.PlannedShot(1, "b", 2, 1, kind="video", file="01.mp4")]
    shots = visuals.shots_for(plan, tmp_path, [(0.1, 2.0), (2.3, 4.0), (4.4, 7.0)], 7.5)
    assert [(s.kind, s.duration) for s in shots] == [("image", 4.4), ("video", 3.1)]
    assert visuals.group_sentences(["a", "b", "c", "d", "e"], 2) == [(0, 2), (2, 3)]


@pytest.mark.slow
def test_a_short_with_clips_credits_them_and_passes_shots_to_the_renderer(home, model_server, monkeypatch, mp4s):
    from moneyprinter.app import App
    from moneyprinter.platforms.youtube import YouTube
    from moneyprinter.shorts import stages as short_stages
    from moneyprinter.store import content
    from moneyprinter.store.accounts import add_account
    from tests.shorts import simple_render
    from tests.shorts.conftest import write_config

    videos = [pexels_video(model_server, 50 + i, 1080, 1920, f"Maker{i}") for i in range(2)]
    model_server.route("GET", "/videos/search", Reply(200, {"videos": videos, "page": 1}))
    for i in range(2):
        model_server.route("GET", f"/files/{50 + i}.mp4", Reply(200, mp4s["portrait"]))
    # two clips for three sentences: the third shot is a Pexels photo (the same key), before any scene
    photo = {"id": 77, "width": 1080, "height": 1920, "src": {"portrait": model_server.url("/photos/77.png")},
             "url": "https://www.pexels.com/photo/reef-at-dusk-77/", "photographer": "Ana Lima",
             "photographer_url": "https://www.pexels.com/@ana-lima"}
    model_server.route("GET", "/v1/search", Reply(200, {"photos": [photo], "page": 1}))
    model_server.route("GET", "/photos/77.png", Reply(200, png_bytes(), {"Content-Type": "image/png"}))
    write_config(home, f"""
[shorts]
text_provider = "openai_compatible"
sentences = 3
[shorts.llm_openai_compatible]
base_url = "{model_server.url('/v1')}"
model = "test-model"
[shorts.videos_pexels]
base_url = "{model_server.base_url}"
[shorts.images_pexels]
base_url = "{model_server.base_url}"
""")
    monkeypatch.setenv("PEXELS_API_KEY", "px-key")
    drafts = []

    def render(draft, out, settings):
        drafts.append(draft)
        return simple_render.render_short(draft, out, settings)

    monkeypatch.setattr(short_stages, "load_renderer", lambda: render)
    app = App()
    try:
        account = add_account(app.db, "youtube", "clips", topic="sea animals")
        result = YouTube(app, account).make_short(topic="How octopuses hide", publish=False)
        item = content.get_item(app.db, result.item_id)
    finally:
        app.close()
    shots = drafts[0].shots
    # three sentences and the call to action: two clips, then Pexels photos (the same key), before any scene
    assert [s.kind for s in shots] == ["video", "video", "image", "image"] and len({s.path for s in shots}) == 4
    assert model_server.count("GET", "/photos/77.png") == 1
    search = [r for r in model_server.requests if r.path == "/v1/search"][0]
    assert len(search.query["query"][0].split()) <= 3  # the sentence's keywords, not its first six words
    assert abs(sum(s.duration for s in shots) - drafts[0].voice_duration) < 0.01
    assert len(drafts[0].images) == 4  # stills for renderers that only know pictures
    assert "Video by Maker0 on Pexels: https://www.pexels.com/video/clip-50/" in item.metadata["description"]
    # the photo's photographer too, as Pexels asks: name and a link to the photo's page
    photo_credit = "Photo by Ana Lima on Pexels: https://www.pexels.com/photo/reef-at-dusk-77/"
    assert item.metadata["description"].count(photo_credit) == 1
    assert [a["creator"] for a in item.metadata["attribution"]] == ["Maker0", "Maker1", "Ana Lima"]
    assert "px-key" not in json.dumps(dict(item.metadata))
    # a reviewer who rewrites the description keeps the credits; they reach the published (outbox) copy
    from moneyprinter import publishers
    from moneyprinter.publishers import review
    from moneyprinter.publishers.outbox import outbox_folder

    app = App()
    try:
        publishers.submit_everywhere(app, content.get_item(app.db, item.id), review=("a person reads it first",))
        edited = review.edit(app.db, item.id, description="Octopuses hide in plain sight.")
        assert edited.metadata.description.startswith("Octopuses hide in plain sight.\n\n")
        assert photo_credit in edited.metadata.description and "Video by Maker1 on Pexels" in edited.metadata.description
        review.approve(app, item.id)
        written = json.loads((outbox_folder(account, edited) / "metadata.json").read_text())
    finally:
        app.close()
    assert written["description"] == edited.metadata.description
