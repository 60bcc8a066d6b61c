"""Discovery: gosom CSV/JSON, the scraper binary, Overpass replayed by a local server, the user's CSV."""

import csv
import io
import json
import os
import sys
import textwrap
import time
from pathlib import Path

import pytest

from moneyprinter.errors import ImportFailed, ServiceError, UsageError
from moneyprinter.outreach import businesses, contacts, discovery, overpass
from moneyprinter.platforms.outreach import Outreach
from tests.outreach.conftest import make_campaign
from tests.support.httpserver import Reply

GOSOM_HEADER = ("input_id,link,title,category,address,open_hours,popular_times,website,phone,plus_code,review_count,"
                "review_rating,reviews_per_rating,latitude,longitude,cid,status,descriptions,reviews_link,thumbnail,"
                "timezone,price_range,data_id,images,reservations,order_online,menu,owner,complete_address,about,"
                "user_reviews,emails\n")


def gosom_row(title, address, website, phone, emails="", city="Berlin"):
    """One row as gosom writes it (Go's encoding/csv: quotes only fields with commas, quotes or newlines)."""
    complete = json.dumps({"street": address, "city": city, "country": "DE"})
    fields = ["q1", "https://maps.google.com/?cid=1", title, "Dentist", address, "{}", "{}", website, phone, "", "12",
              "4.5", "{}", "52.5", "13.4", "1", "", "", "", "", "Europe/Berlin", "", "", "[]", "", "", "", "{}",
              complete, "[]", "[]", emails]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(fields)
    return out.getvalue()


@pytest.fixture
def gosom_csv(tmp_path) -> Path:
    path = tmp_path / "results.csv"
    path.write_text(
        GOSOM_HEADER
        + gosom_row("Smile, Dental & Co", "Hauptstr. 1, 10115 Berlin", "https://www.smile-dental.de/", "+49 30 1234567",
                    "praxis@smile-dental.de, noreply@smile-dental.de")
        + gosom_row('Zahnarzt "Dr. Weiss"', "Ring 2,\n2. OG, 10117 Berlin",
                    "", "030 7654321")
        + gosom_row("Smile Dental (duplicate listing)", "Hauptstr. 1", "http://smile-dental.de/kontakt", ""),
        encoding="utf-8",
    )
    return path


def test_gosom_csv_with_quoted_commas_and_newlines(gosom_csv):
    rows = list(discovery.read_gosom(gosom_csv))
    assert [r.name for r in rows] == ["Smile, Dental & Co", 'Zahnarzt "Dr. Weiss"', "Smile Dental (duplicate listing)"]
    assert rows[0].address == "Hauptstr. 1, 10115 Berlin" and rows[0].city == "Berlin"
    assert rows[1].address == "Ring 2,\n2. OG, 10117 Berlin" and rows[1].phone == "030 7654321"
    assert rows[0].website == "https://www.smile-dental.de/" and rows[0].emails == ["praxis@smile-dental.de", "noreply@smile-dental.de"]


def test_import_dedups_by_domain_then_phone_then_name_address(app, db, gosom_csv, tmp_path):
    campaign = make_campaign(db)
    outreach = Outreach(app, campaign)
    first = outreach.import_gmaps(gosom_csv)
    assert (first.added, first.merged, first.emails) == (2, 1, 1)  # listed noreply@ was rejected
    again = outreach.import_gmaps(gosom_csv)
    assert (again.added, again.merged) == (0, 3)
    own = tmp_path / "own.csv"
    own.write_text("Firma;Telefon;Strasse\nWeiss Zahnarzt;+49 (30) 765-4321;\nOther;;Lindenweg 3\nother;;Lindenweg 3\n", encoding="utf-8")
    report = outreach.import_csv(own, discovery.parse_mapping(["name=Firma", "phone=Telefon", "address=Strasse"]))
    assert (report.added, report.merged) == (1, 2)  # Weiss matched by phone; 'other' by name+address
    names = [b.name for b in businesses.for_campaign(db, campaign.id)]
    assert names == ["Smile, Dental & Co", 'Zahnarzt "Dr. Weiss"', "Other"]
    smile = businesses.for_campaign(db, campaign.id)[0]
    assert [c.address for c in contacts.for_business(db, smile.id)] == ["praxis@smile-dental.de"]
    assert smile.domain == "smile-dental.de"


def test_gosom_json_lines(tmp_path):
    path = tmp_path / "results.json"
    path.write_text(
        json.dumps({"title": "A, B", "web_site": "a-b.de", "phone": "1", "complete_address": {"city": "Köln"}}) + "\n"
        + json.dumps({"title": "C", "website": "c.de", "emails": ["c@c.de"]}) + "\n", encoding="utf-8")
    rows = list(discovery.read_gosom(path))
    assert [(r.name, r.website, r.city, r.emails) for r in rows] == [("A, B", "a-b.de", "Köln", []), ("C", "c.de", "", ["c@c.de"])]


def test_bad_files_say_what_is_wrong(tmp_path):
    notgosom = tmp_path / "x.csv"
    notgosom.write_text("name,url\nA,a.de\n")
    with pytest.raises(ImportFailed, match="not a google-maps-scraper CSV"):
        list(discovery.read_gosom(notgosom))
    with pytest.raises(ImportFailed, match="no column 'Firma' for name"):
        list(discovery.read_user_csv(notgosom, {"name": "Firma"}))
    with pytest.raises(UsageError, match="bad column mapping"):
        discovery.parse_mapping(["nombre=A"])
    broken = tmp_path / "b.json"
    broken.write_text('{"title": "A"}\n{oops\n')
    with pytest.raises(ImportFailed, match="line 2"):
        list(discovery.read_gosom(broken))


def test_legacy_encodings_and_odd_json_values_are_clear_errors_not_crashes(tmp_path, cli, app):
    latin = tmp_path / "excel.csv"
    latin.write_bytes("Name,Email\n\u00c4pfel Shop,info@apfel-shop.de\n".encode("latin-1"))
    with pytest.raises(ImportFailed, match="not UTF-8 text"):
        list(discovery.read_user_csv(latin))
    with pytest.raises(ImportFailed, match="not UTF-8 text"):
        list(discovery.read_gosom(latin))
    odd = tmp_path / "odd.json"
    odd.write_text('[{"title": 5, "phone": null}, {"title": "  "}]')
    assert [b.name for b in discovery.read_gosom(odd)] == ["5"]
    cli("outreach", "new", "c", "--niche", "cafe", "--sender-name", "Bo", "--sender-email", "bo@bo-plumbing.de")
    result = cli("outreach", "discover", "c", "--source", "csv", "--file", str(latin))
    assert result.exit_code == 1 and "not UTF-8 text; nothing was imported" in result.output
    assert "unexpected" not in result.output


OVERPASS_ANSWER = {
    "version": 0.6, "elements": [
        {"type": "node", "id": 1, "lat": 52.5, "lon": 13.4, "tags": {
            "amenity": "dentist", "name": "Zahnarztpraxis Mitte", "addr:street": "Torstr.", "addr:housenumber": "5",
            "addr:postcode": "10119", "addr:city": "Berlin", "website": "https://praxis-mitte.de", "phone": "+49 30 111",
            "email": "info@praxis-mitte.de"}},
        {"type": "way", "id": 2, "center": {"lat": 52.5, "lon": 13.4}, "tags": {
            "healthcare": "dentist", "name": "Dental Way", "contact:website": "dentalway.de", "contact:phone": "030 222"}},
        {"type": "node", "id": 3, "tags": {"amenity": "dentist"}},  # no name: not a business we can address
    ],
}


def test_overpass_query_by_area_name_replayed_locally(app, db, server, monkeypatch):
    seen = []

    def answer(request):
        seen.append(request)
        if len(seen) == 1:  # Overpass says "too many requests" first; the shared client retries the GET
            return Reply(429, "busy", headers={"Retry-After": "0"})
        return Reply(200, OVERPASS_ANSWER)

    server.route("GET", "/api/interpreter", answer)
    monkeypatch.setenv("MONEYPRINTER_OUTREACH__OVERPASS_URL", server.url("/api/interpreter"))
    monkeypatch.setenv("MONEYPRINTER_OUTREACH__USER_AGENT", "moneyprinter-test (ops@example.net)")
    report = Outreach(app, make_campaign(db)).discover_osm()
    assert (report.added, report.emails) == (2, 1)
    assert len(seen) == 2
    query = seen[1].query["data"][0]
    assert 'area[name="Berlin"]->.searchArea;' in query
    assert 'nwr["amenity"="dentist"](area.searchArea);' in query and 'nwr["healthcare"="dentist"](area.searchArea);' in query
    assert query.startswith("[out:json][timeout:90];") and "out center tags;" in query
    assert seen[0].header("User-Agent") == "moneyprinter-test (ops@example.net)"
    stored = {b.name: b for b in businesses.for_campaign(db, 1)}
    assert stored["Zahnarztpraxis Mitte"].address == "Torstr. 5, 10119 Berlin"
    assert stored["Dental Way"].website == "http://dentalway.de" and stored["Dental Way"].source == "osm:way/2"


def test_overpass_bbox_and_tag_niche():
    query = overpass.build_query("shop=bakery", overpass.Area.parse_bbox("52.5,13.3,52.6,13.5"))
    assert 'nwr["shop"="bakery"](52.500000,13.300000,52.600000,13.500000);' in query and "area" not in query
    with pytest.raises(UsageError, match="no OpenStreetMap tag"):
        overpass.niche_tags("crypto guru")
    with pytest.raises(UsageError, match="bad bounding box"):
        overpass.Area.parse_bbox("53,13,52,14")


def test_overpass_runs_one_query_at_a_time(server, monkeypatch):
    """Two threads asking at once: the server never sees two queries in flight."""
    import threading

    from moneyprinter.http_client import get_http_client

    active, peak, lock = [0], [0], threading.Lock()

    def slow(request):
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        time.sleep(0.3)
        with lock:
            active[0] -= 1
        return Reply(200, {"elements": []})

    server.route("GET", "/i", slow)
    threads = [threading.Thread(target=overpass.search, args=(get_http_client(), server.url("/i"), "dentist",
               overpass.Area(name="Berlin")), kwargs={"user_agent": "t"}) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert server.count("GET", "/i") == 3 and peak[0] == 1


def fake_scraper(tmp_path: Path, body: str) -> str:
    script = tmp_path / "fake-gmaps-scraper"
    script.write_text(f"#!{sys.executable}\n" + textwrap.dedent(body))
    script.chmod(0o755)
    return str(script)


def test_scraper_binary_is_run_and_its_csv_imported(tmp_path, gosom_csv):
    command = fake_scraper(tmp_path, f"""
        import shutil, sys
        args = sys.argv[1:]
        assert open(args[args.index("-input") + 1]).read().strip() == "dentist in Berlin"
        shutil.copy({str(gosom_csv)!r}, args[args.index("-results") + 1])
    """)
    out = discovery.run_gmaps_scraper(command, "dentist in Berlin", timeout_s=30, workdir=tmp_path / "w")
    assert [r.name for r in discovery.read_gosom(out)][0] == "Smile, Dental & Co"


def test_scraper_timeout_kills_its_whole_process_group(tmp_path):
    pidfile = tmp_path / "child.pid"
    command = fake_scraper(tmp_path, f"""
        import subprocess, time
        child = subprocess.Popen(["sleep", "300"])
        open({str(pidfile)!r}, "w").write(str(child.pid))
        time.sleep(300)
    """)
    started = time.monotonic()
    with pytest.raises(ServiceError, match="did not finish within 1 s"):
        discovery.run_gmaps_scraper(command, "q", timeout_s=1, workdir=tmp_path / "w")
    assert time.monotonic() - started < 10
    child = int(pidfile.read_text())
    for _ in range(50):
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        # a killed child may linger as a zombie until reaped by init; check its state
        state = Path(f"/proc/{child}/stat").read_text().split()[2] if Path(f"/proc/{child}/stat").exists() else "X"
        if state == "Z":
            break
        time.sleep(0.1)
    else:
        pytest.fail("the scraper's child process survived the timeout")
