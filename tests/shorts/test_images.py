"""Image providers: procedural for real; Venice, Cloudflare and Pexels against local servers; the local folder."""

from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from PIL import Image

from moneyprinter import errors
from moneyprinter.config import Settings
from moneyprinter.providers.images import ImageLedger, create_image_provider, generate_images, image_providers
from moneyprinter.settings.secrets import Secrets
from moneyprinter.store import paid_requests
from moneyprinter.store.accounts import add_account
from moneyprinter.store.content import create_item
from tests.support.httpserver import Reply

SIZE = (1080, 1920)


def png_bytes(colour=(200, 40, 90), size=(64, 112)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, colour).save(buf, "PNG")
    return buf.getvalue()


def test_procedural_pictures_are_varied_and_deterministic(tmp_path):
    provider = image_providers.create("procedural")
    a = provider.generate("a bee on a flower", tmp_path / "a.png", SIZE)
    b = provider.generate("a bee on a flower", tmp_path / "b.png", SIZE)
    c = provider.generate("the surface of Mars", tmp_path / "c.png", SIZE)
    pixels = np.asarray(Image.open(a).convert("RGB"), dtype=np.float32)
    assert Image.open(a).size == SIZE
    assert a.read_bytes() == b.read_bytes()
    assert np.abs(pixels - np.asarray(Image.open(c).convert("RGB"), dtype=np.float32)).mean() > 10
    # not a flat card: colour varies across the frame and within small regions
    assert pixels.std(axis=(0, 1)).max() > 12
    quads = [pixels[:960, :540], pixels[:960, 540:], pixels[960:, :540], pixels[960:, 540:]]
    assert np.ptp([q.mean() for q in quads]) > 3
    assert len(np.unique(pixels[::8, ::8].reshape(-1, 3), axis=0)) > 500


def venice(server, key="vk-1"):
    settings = Settings.model_validate({"shorts": {"image_provider": "venice"}, "services": {"venice_base_url": server.base_url}})
    return create_image_provider(settings, Secrets(venice_api_key=key))


def venice_ok(request):
    body = request.json()
    assert body["model"] == "qwen-image" and body["aspect_ratio"] == "9:16" and body["prompt"]
    return Reply(200, {"id": "generate-image-1", "images": [base64.b64encode(png_bytes()).decode()],
                       "timing": {"total": 1200}})


@pytest.fixture
def ledger(db):
    account = add_account(db, "youtube", "imgs")
    item = create_item(db, account.id, "short")

    def make(provider_id):
        return ImageLedger(
            claim=lambda p: paid_requests.claim(db, item.id, provider_id, p),
            finish=lambda p, s: paid_requests.finish(db, item.id, provider_id, p, s),
            charged=lambda: paid_requests.count_charged(db, item.id, provider_id),
        )

    make.item_id = item.id
    return make


def test_venice_generates_and_records_each_paid_image(server, tmp_path, ledger, db):
    server.route("POST", "/api/v1/image/generate", venice_ok)
    batch = generate_images(venice(server), ["a bee", "a jar of honey"], tmp_path, SIZE, ledger=ledger("venice"))
    assert batch.from_provider == 2 and not batch.warnings
    assert Image.open(batch.paths[0]).getpixel((5, 5)) == (200, 40, 90)
    assert server.requests[0].header("Authorization") == "Bearer vk-1"
    rows = db.query("SELECT purpose, status FROM paid_requests ORDER BY purpose")
    assert [tuple(r) for r in rows] == [("image:0", "done"), ("image:1", "done")]


def test_venice_paid_cap_substitutes_procedural(server, tmp_path, ledger):
    server.route("POST", "/api/v1/image/generate", venice_ok)
    batch = generate_images(venice(server), [f"prompt {i}" for i in range(4)], tmp_path, SIZE, ledger=ledger("venice"), max_paid=2)
    assert server.count("POST", "/api/v1/image/generate") == 2
    assert batch.from_provider == 2 and batch.substituted == 2 and "cap of 2 paid images" in batch.warnings[0]


@pytest.mark.parametrize("status, attempts", [(401, 1), (429, 5), (500, 15)])
def test_venice_failures_fall_back_to_procedural_with_a_warning(server, fast_http, tmp_path, ledger, status, attempts):
    server.route("POST", "/api/v1/image/generate", Reply(status, {"error": "nope"}, headers={"Retry-After": "0"}))
    batch = generate_images(venice(server), ["a", "b", "c"], tmp_path, SIZE, ledger=ledger("venice"))
    assert batch.substituted == 3 and all(p.exists() for p in batch.paths)
    assert len(batch.warnings) == 3 and "procedural" in batch.warnings[0]
    # a rejected key stops at once; a rate limit that outlasts the retries stops further calls;
    # a 500 is retried (a generated picture is private), then tried again for each picture
    assert server.count("POST", "/api/v1/image/generate") == attempts


def test_one_429_from_venice_does_not_throw_away_the_paid_pictures(server, fast_http, tmp_path, ledger):
    def first_limited(request):
        if server.count("POST", "/api/v1/image/generate") == 1:
            return Reply(429, {"error": "slow down"}, headers={"Retry-After": "0"})
        return venice_ok(request)

    server.route("POST", "/api/v1/image/generate", first_limited)
    batch = generate_images(venice(server), ["a bee", "a jar of honey"], tmp_path, SIZE, ledger=ledger("venice"))
    assert batch.from_provider == 2 and batch.substituted == 0 and not batch.warnings
    assert server.count("POST", "/api/v1/image/generate") == 3


def test_a_paid_request_with_unknown_outcome_is_never_repeated(server, tmp_path, ledger, db):
    """A crash between the claim and the answer leaves 'started': the rerun must not pay again."""
    server.route("POST", "/api/v1/image/generate", venice_ok)
    led = ledger("venice")
    assert led.claim("image:0")  # as if the process died during the request
    batch = generate_images(venice(server), ["a", "b"], tmp_path, SIZE, ledger=led)
    assert server.count("POST", "/api/v1/image/generate") == 1  # only image 1
    assert "not repeated, to avoid paying twice" in batch.warnings[0]


def test_existing_pictures_are_reused(server, tmp_path, ledger):
    server.route("POST", "/api/v1/image/generate", venice_ok)
    generate_images(venice(server), ["a", "b"], tmp_path, SIZE, ledger=ledger("venice"))
    generate_images(venice(server), ["a", "b"], tmp_path, SIZE, ledger=ledger("venice"))
    assert server.count("POST", "/api/v1/image/generate") == 2


def cloudflare(server):
    settings = Settings.model_validate({"shorts": {"image_provider": "cloudflare",
                                                   "images_cloudflare": {"url": server.url("/client/v4/accounts/a1/ai/run/@cf/flux")}}})
    return create_image_provider(settings, Secrets(cloudflare_api_token="cf-1"))


def test_cloudflare_json_and_binary_answers(server, tmp_path):
    server.route("POST", "/client/v4/accounts/a1/ai/run/@cf/flux", [
        Reply(200, {"result": {"image": base64.b64encode(png_bytes()).decode()}, "success": True}),
        Reply(200, png_bytes((10, 200, 10)), headers={"Content-Type": "image/png"}),
    ])
    provider = cloudflare(server)
    assert Image.open(provider.generate("x", tmp_path / "1.png", SIZE)).getpixel((0, 0)) == (200, 40, 90)
    assert Image.open(provider.generate("y", tmp_path / "2.png", SIZE)).getpixel((0, 0)) == (10, 200, 10)
    assert server.requests[0].json() == {"prompt": "x"} and server.requests[0].header("Authorization") == "Bearer cf-1"


def pexels(server, key="px-1"):
    settings = Settings.model_validate({"shorts": {"image_provider": "pexels", "images_pexels": {"base_url": server.base_url}}})
    return create_image_provider(settings, Secrets(pexels_api_key=key))


def test_pexels_search_and_download_each_photo_once(server, tmp_path):
    def search(request):
        return Reply(200, {"page": 1, "per_page": 15, "total_results": 2, "photos": [
            {"id": 11, "width": 3000, "height": 4000, "src": {"original": server.url("/photos/11.png"), "portrait": server.url("/photos/11p.png")}},
            {"id": 12, "width": 3000, "height": 4000, "src": {"original": server.url("/photos/12.png"), "portrait": server.url("/photos/12p.png")}},
        ]})

    server.route("GET", "/v1/search", search)
    server.route("GET", "/photos/*", Reply(200, png_bytes(), headers={"Content-Type": "image/png"}))
    provider = pexels(server)
    provider.generate("honey bees at work", tmp_path / "a.png", SIZE)
    provider.generate("honey bees at work", tmp_path / "b.png", SIZE)
    searches = [r for r in server.requests if r.path == "/v1/search"]
    assert searches[0].query == {"query": ["honey bees at work"], "orientation": ["portrait"], "per_page": ["15"]}
    assert searches[0].header("Authorization") == "px-1"
    assert [r.path for r in server.requests if r.path.startswith("/photos")] == ["/photos/11p.png", "/photos/12p.png"]


@pytest.mark.parametrize("status, error", [(401, errors.Unauthorized), (429, errors.RateLimited), (503, errors.ServiceUnavailable)])
def test_pexels_errors(server, tmp_path, status, error, monkeypatch):
    from moneyprinter.http_client import get_http_client

    monkeypatch.setattr(get_http_client(), "_sleep", lambda s: None)
    server.route("GET", "/v1/search", Reply(status, {"error": "no"}, headers={"Retry-After": "0"}))
    with pytest.raises(error):
        pexels(server).generate("bees", tmp_path / "a.png", SIZE)


def test_local_folder_matches_file_names_by_keyword(home, tmp_path):
    folder = home / "images"
    folder.mkdir(parents=True)
    Image.new("RGB", (40, 40), (255, 0, 0)).save(folder / "red-honey-jar.png")
    Image.new("RGB", (40, 40), (0, 0, 255)).save(folder / "blue-sea.png")
    provider = image_providers.create("local")
    out = provider.generate("A jar of honey on a table", tmp_path / "x.png", SIZE)
    assert Image.open(out).getpixel((1, 1)) == (255, 0, 0)  # the honey picture, not the sea
    assert provider.health_check().status.value == "PASS"


def test_local_folder_missing_is_a_clear_error(home, tmp_path):
    provider = image_providers.create("local")
    with pytest.raises(errors.ProviderError, match="image folder not found"):
        provider.generate("x", tmp_path / "x.png", SIZE)
    assert provider.health_check().status.value == "FAIL"


def test_a_pexels_photo_credits_its_photographer_with_a_link(server, tmp_path):
    photo = {"id": 31, "width": 3000, "height": 4000, "src": {"portrait": server.url("/photos/31p.png")},
             "url": "https://www.pexels.com/photo/bees-on-a-comb-31/", "photographer": "Ivo Petrov",
             "photographer_url": "https://www.pexels.com/@ivo-petrov"}
    server.route("GET", "/v1/search", Reply(200, {"page": 1, "photos": [photo]}))
    server.route("GET", "/photos/*", Reply(200, png_bytes(), headers={"Content-Type": "image/png"}))
    provider = pexels(server)
    out = provider.generate("honey bees", tmp_path / "a.png", SIZE)
    source = provider.source_of(out)
    assert source["credit"] == "Photo by Ivo Petrov on Pexels: https://www.pexels.com/photo/bees-on-a-comb-31/"
    assert source["creator_url"] == "https://www.pexels.com/@ivo-petrov" and source["page_url"].endswith("-31/")
    assert provider.source_of(tmp_path / "other.png") == {}  # only pictures it made
    assert image_providers.create("procedural").source_of(out) == {}  # our own scenes credit nobody
