"""The web app in headless Chromium: log in, watch and approve a Short, edit a title, add a schedule,
unsubscribe through /u/<token>; a screenshot of every page goes to test-artifacts/screenshots/."""

from __future__ import annotations

from pathlib import Path

import pytest

from moneyprinter.outreach import suppression
from moneyprinter.outreach.unsubscribe import make_token
from moneyprinter.scheduler import schedules as sched
from moneyprinter.store import content, publications
from tests.tasks.conftest import script_app  # noqa: F401 - a Short written by a local model server
from tests.shorts.conftest import model_server  # noqa: F401
from tests.web.conftest import WebServer

pytestmark = pytest.mark.browser

CHROMIUM, DRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

if not (Path(CHROMIUM).exists() and Path(DRIVER).exists()):
    pytest.skip("needs Debian's chromium and chromium-driver", allow_module_level=True)


@pytest.fixture
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1360,1000", "--autoplay-policy=no-user-gesture-required", "--mute-audio"):
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=Service(DRIVER))
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def shot(driver, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    height = driver.execute_script("return Math.max(document.body.scrollHeight, 1000)")
    driver.set_window_size(1360, min(height, 2400))
    driver.save_screenshot(str(SHOTS / f"{name}.png"))
    driver.set_window_size(1360, 1000)


def wait_for(driver, condition, timeout: float = 20):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(condition)


def log_in(driver, server) -> None:
    from selenium.webdriver.common.by import By

    driver.get(server.url + "/")
    assert "/login" in driver.current_url
    shot(driver, "01-login")
    driver.find_element(By.ID, "token").send_keys(server.token)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "nav.sidebar"))


def submit(driver, element) -> None:
    """Click or submit, then wait until the next page has replaced this one."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
    from selenium.webdriver.common.by import By

    page = driver.find_element(By.TAG_NAME, "html")
    element.submit() if element.tag_name == "input" else element.click()

    def replaced(_driver) -> bool:
        try:
            page.is_enabled()
        except StaleElementReferenceException:
            return True
        except WebDriverException as exc:  # chromedriver, mid-navigation: the node has left the document
            return "does not belong to the document" in str(exc)
        return False

    wait_for(driver, replaced)


def flash_text(driver) -> str:
    from selenium.webdriver.common.by import By

    return wait_for(driver, lambda d: d.find_element(By.CSS_SELECTOR, ".flash")).text


def test_review_a_short_in_the_browser_and_approve_it(site, browser, app, home):
    from selenium.webdriver.common.by import By

    server, seeded = site
    log_in(browser, server)
    browser.get(server.url + "/review")
    video = browser.find_element(By.CSS_SELECTOR, f"#item-{seeded.short_id} video")
    # Real frames: the element decoded data for the current position, then seeking lands where asked.
    wait_for(browser, lambda d: d.execute_script("return arguments[0].readyState", video) >= 2)
    assert browser.execute_script("return arguments[0].duration", video) == pytest.approx(4.0, abs=0.2)
    browser.execute_script("arguments[0].currentTime = 2.5", video)
    wait_for(browser, lambda d: d.execute_script("return !arguments[0].seeking && arguments[0].readyState >= 2", video))
    assert browser.execute_script("return arguments[0].currentTime", video) == pytest.approx(2.5, abs=0.1)
    assert browser.execute_script("return arguments[0].videoWidth", video) == 270
    shot(browser, "03-review")

    title = browser.find_element(By.ID, f"title-{seeded.short_id}")
    title.clear()
    title.send_keys("Mars is rusty, really")
    submit(browser, title)
    assert "saved" in flash_text(browser)
    assert content.get_item(app.db, seeded.short_id).title == "Mars is rusty, really"

    submit(browser, browser.find_element(By.CSS_SELECTOR, f"#item-{seeded.short_id} button[name=approve]"))
    assert "approved" in flash_text(browser)
    assert publications.get_for_item(app.db, seeded.short_id).status == "outbox"
    assert (home / "outbox" / "youtube" / "spacefacts" / str(seeded.short_id) / "short.mp4").exists()
    assert not browser.find_elements(By.ID, f"item-{seeded.short_id}")


def test_add_a_schedule_in_the_browser(site, browser, app):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    server, _ = site
    log_in(browser, server)
    browser.get(server.url + "/schedules")
    form = browser.find_element(By.ID, "add-schedule")
    Select(form.find_element(By.NAME, "kind")).select_by_value("youtube.short")
    Select(form.find_element(By.NAME, "account")).select_by_value("spacefacts")
    Select(form.find_element(By.NAME, "when")).select_by_value("times")
    form.find_element(By.NAME, "times").send_keys("07:15, 19:40")
    form.find_element(By.NAME, "days").send_keys("sat,sun")
    submit(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "Added schedule" in flash_text(browser)
    added = [s for s in sched.list_schedules(app.db) if s.kind == "youtube.short"]
    assert len(added) == 1 and added[0].trigger.describe().startswith("07:15, 19:40 Sat-Sun")
    assert "07:15, 19:40" in browser.find_element(By.CSS_SELECTOR, "main table").text


def test_add_an_account_edit_its_network_options_and_remove_it(site, browser, app):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    from moneyprinter.store.accounts import add_account, get_account, list_accounts, set_cross_posts

    server, seeded = site
    bluesky = add_account(app.db, "bluesky", "cook.bsky", publisher="bluesky_api", options={"handle": "cook.bsky.social"})
    add_account(app.db, "mastodon", "toots", publisher="mastodon_api", options={"instance": "https://fosstodon.org"})
    set_cross_posts(app.db, seeded.x.id, [bluesky.id])
    log_in(browser, server)
    browser.get(server.url + "/accounts")
    form = browser.find_element(By.ID, "add-account")
    Select(form.find_element(By.NAME, "platform")).select_by_value("tiktok")
    publisher = Select(form.find_element(By.NAME, "publisher"))
    offered = [o.get_attribute("value") for o in publisher.options if o.is_enabled()]
    assert offered == ["outbox", "tiktok_api"]  # only TikTok's publishers once TikTok is chosen
    publisher.select_by_value("tiktok_api")
    form.find_element(By.NAME, "nickname").send_keys("cook-tt")
    form.find_element(By.NAME, "topic").send_keys("quick dinners")
    submit(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "Added TikTok account 'cook-tt'" in flash_text(browser)
    account = get_account(app.db, "tiktok", "cook-tt")
    assert browser.current_url == f"{server.url}/accounts/{account.id}"

    Select(browser.find_element(By.ID, "option-privacy_level")).select_by_value("FOLLOWER_OF_CREATOR")
    Select(browser.find_element(By.ID, "option-post_mode")).select_by_value("inbox")
    name = browser.find_element(By.ID, "nickname")
    name.clear()
    name.send_keys("cook tt")  # refused: the page says why next to the name and keeps every choice
    submit(browser, browser.find_element(By.CSS_SELECTOR, "#edit-account button[type=submit]"))
    error = browser.find_element(By.ID, "nickname-error").text
    assert error.startswith("invalid nickname 'cook tt'")
    assert Select(browser.find_element(By.ID, "option-privacy_level")).first_selected_option.get_attribute("value") \
        == "FOLLOWER_OF_CREATOR"
    assert get_account(app.db, "tiktok", "cook-tt").options == {}
    shot(browser, "19-account-edit")
    name = browser.find_element(By.ID, "nickname")
    name.clear()
    name.send_keys("cook-tt")
    submit(browser, browser.find_element(By.CSS_SELECTOR, "#edit-account button[type=submit]"))
    assert "Saved TikTok account 'cook-tt'" in flash_text(browser)
    assert get_account(app.db, "tiktok", "cook-tt").options == {"privacy_level": "FOLLOWER_OF_CREATOR",
                                                                 "post_mode": "inbox"}
    row = browser.find_element(By.ID, f"account-{account.id}").text
    assert "not logged in" in row and "moneyprinter tiktok login --account cook-tt" in row
    shot(browser, "05-accounts")

    submit(browser, browser.find_element(By.CSS_SELECTOR, f"#account-{account.id} a.danger"))
    assert "Remove TikTok account 'cook-tt'?" in browser.find_element(By.TAG_NAME, "h1").text
    shot(browser, "20-account-remove")
    assert any(a.id == account.id for a in list_accounts(app.db))
    submit(browser, browser.find_element(By.CSS_SELECTOR, "main form button.danger"))
    assert "Removed TikTok account 'cook-tt'" in flash_text(browser)
    assert all(a.id != account.id for a in list_accounts(app.db))


def test_create_a_group_in_the_browser(site, browser, app):
    from selenium.webdriver.common.by import By

    from moneyprinter.store.account_groups import get_group
    from moneyprinter.store.accounts import add_account

    server, _ = site
    add_account(app.db, "tiktok", "cook-tt")
    add_account(app.db, "bluesky", "cook.bsky")
    log_in(browser, server)
    browser.get(server.url + "/accounts")
    submit(browser, browser.find_element(By.CSS_SELECTOR, "a[href='/accounts/groups']"))
    form = browser.find_element(By.ID, "add-group")
    form.find_element(By.NAME, "name").send_keys("cooking")
    tiktok = form.find_element(By.CSS_SELECTOR, "input[name=cross_post][value='tiktok:cook-tt']")
    form.find_element(By.CSS_SELECTOR, "input[name=members][value='x:poster']").click()
    assert not tiktok.is_enabled()  # X posts cannot go to TikTok: greyed with why as soon as the member is ticked
    assert "TikTok takes videos only" in tiktok.find_element(By.XPATH, "..").text
    form.find_element(By.CSS_SELECTOR, "input[name=members][value='x:poster']").click()
    assert tiktok.is_enabled()
    form.find_element(By.CSS_SELECTOR, "input[name=members][value='youtube:spacefacts']").click()
    tiktok.click()
    form.find_element(By.CSS_SELECTOR, "input[name=cross_post][value='bluesky:cook.bsky']").click()
    submit(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "Added group 'cooking'" in flash_text(browser)
    group = get_group(app.db, "cooking")
    assert [m.nickname for m in group.members] == ["spacefacts"]
    assert sorted(d.nickname for d in group.destinations) == ["cook-tt", "cook.bsky"]
    row = browser.find_element(By.ID, f"group-{group.id}").text
    assert "youtube:spacefacts" in row and "tiktok:cook-tt" in row
    form = browser.find_element(By.ID, "add-group")
    form.find_element(By.CSS_SELECTOR, "input[name=members][value='x:poster']").click()  # the greyed state, shown
    shot(browser, "22-groups")


def test_unsubscribe_through_the_public_link(site, browser, app):
    from selenium.webdriver.common.by import By

    server, seeded = site
    browser.get(f"{server.url}/u/{make_token(seeded.contact)}")  # no login
    shot(browser, "13-unsubscribe-confirm")
    assert suppression.list_all(app.db) == []
    submit(browser, browser.find_element(By.CSS_SELECTOR, "form button[type=submit]"))
    wait_for(browser, lambda d: "You are unsubscribed" in d.find_element(By.TAG_NAME, "h1").text)
    shot(browser, "14-unsubscribe-done")
    assert [s.value for s in suppression.list_all(app.db)] == [seeded.contact]
    browser.get(f"{server.url}/u/forged.token")
    assert "not valid" in browser.find_element(By.TAG_NAME, "h1").text


def test_screenshot_of_every_page(site, browser, app):
    server, seeded = site
    from moneyprinter.web.pages.health import cache_of  # noqa: F401 - the health report is made on first look

    log_in(browser, server)
    pub = publications.get_for_item(app.db, seeded.thread_id)
    pages = [("02-dashboard", "/"), ("04-history", "/history"),  # 05-accounts: the accounts test
             ("06-schedules", "/schedules"), ("07-schedule-runs", f"/schedules/{seeded.schedule_id}"),
             ("08-publications", "/publications"), ("09-publication", f"/publications/{pub.id}"),
             ("10-outreach", "/outreach"), ("11-campaign-preview", f"/outreach/{seeded.campaign}"),
             ("12-health", "/health"), ("16-error", "/publications/999"),
             ("21-account-cross-post", f"/accounts/{seeded.x.id}")]
    browser.get(server.url + "/health")
    wait_for(browser, lambda d: "Checks are running" not in d.page_source, timeout=60)
    for name, path in pages:
        browser.get(server.url + path)
        assert "Internal Server Error" not in browser.page_source
        shot(browser, name)
    assert len(list(SHOTS.glob("*.png"))) >= len(pages)


def test_make_a_short_and_watch_its_stages_reach_done(script_app, browser):  # noqa: F811
    from selenium.webdriver.common.by import By

    with WebServer(script_app) as server:
        log_in(browser, server)
        browser.get(server.url + "/make")
        browser.find_element(By.ID, "topics").send_keys("How octopuses hide")
        browser.find_element(By.NAME, "script_only").click()
        shot(browser, "15-make")
        browser.find_element(By.CSS_SELECTOR, "#make-form button[type=submit]").click()
        wait_for(browser, lambda d: "/make/tasks/" in d.current_url)
        # The task's own process is still starting: the page follows it live, over the event stream.
        assert browser.find_elements(By.CSS_SELECTOR, "[data-stream]")
        status = lambda d: d.find_element(By.CSS_SELECTOR, "[data-status]").text  # noqa: E731
        wait_for(browser, lambda d: status(d) in ("done", "failed", "interrupted"), timeout=120)
        assert status(browser) == "done", browser.find_element(By.TAG_NAME, "main").text
        live = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "[data-events] li")]
        assert len(live) >= 3 and len(live) == len(set(live)), live
        assert browser.find_element(By.CSS_SELECTOR, "[data-result]").is_displayed()
        shot(browser, "17-task-done")
        browser.refresh()  # after a reload the same stages are listed, once each
        again = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "[data-events] li")]
        assert again == live and status(browser) == "done"


def test_edit_a_script_only_draft_in_the_browser(script_app, browser):  # noqa: F811
    from selenium.webdriver.common.by import By

    from moneyprinter import tasks
    from tests.web.test_drafts import wait_for as wait_for_task

    task_id = tasks.start_short(script_app, account="sea", topic="How octopuses hide", script_only=True)
    item_id = wait_for_task(script_app, task_id, 120).item_id
    with WebServer(script_app) as server:
        log_in(browser, server)
        browser.get(f"{server.url}/make/tasks/{task_id}")  # the finished task leads to the draft
        link = browser.find_element(By.CSS_SELECTOR, "[data-result]")
        assert link.get_attribute("href") == f"{server.url}/drafts/{item_id}"
        submit(browser, link)
        sentence = browser.find_element(By.ID, "sentence-2")
        sentence.clear()
        sentence.send_keys("This sentence should only appear once.")
        submit(browser, browser.find_element(By.CSS_SELECTOR, f"form[action='/drafts/{item_id}/sentence/2'] button"))
        assert "meta talk" in flash_text(browser)
        assert "meta talk" in browser.find_element(By.CSS_SELECTOR, "ul.reasons").text
        assert browser.find_element(By.ID, "sentence-2").get_attribute("value") == "This sentence should only appear once."
        shot(browser, "18-draft")
    assert "This sentence should only appear once." in content.get_item(script_app.db, item_id).body
