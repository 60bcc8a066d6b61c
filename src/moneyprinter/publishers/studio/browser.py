"""The browser factory: Chromium/Chrome or Firefox, headless or not, one persistent profile per account.

Drivers are taken from the settings or the PATH, never downloaded (Selenium Manager would reach
the internet). Chromium run as root needs ``--no-sandbox``; the other flags keep it from calling
home on a machine that may have no internet.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from moneyprinter.errors import ConfigError
from moneyprinter.store.tokens import profile_path

CHROMIUM_FLAGS = (
    "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--no-default-browser-check", "--window-size=1280,1000",
)


def profile_dir(browser: str, account_id: int) -> Path:
    path = profile_path(browser, account_id)
    path.mkdir(parents=True, exist_ok=True)
    return path


def make_driver(settings, account_id: int):
    """A WebDriver for ``settings.studio_browser``; the caller must ``quit()`` it."""
    from selenium.common.exceptions import WebDriverException

    kind = settings.studio_browser
    try:
        if kind in ("chromium", "chrome"):
            return _chrome(settings, kind, profile_dir(kind, account_id))
        return _firefox(settings, profile_dir(kind, account_id))
    except WebDriverException as exc:
        raise ConfigError(f"cannot start {kind}: {exc.msg or exc.__class__.__name__}",
                          hint="check publishing.studio_binary and studio_driver") from exc


def _find(configured: str, names: tuple[str, ...], what: str, package: str) -> str:
    if configured:
        return configured
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    raise ConfigError(f"no {what} found", hint=f"install {package} or set the path in the [publishing] settings")


def _chrome(settings, kind: str, profile: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    names = ("chromium", "chromium-browser") if kind == "chromium" else ("google-chrome", "google-chrome-stable", "chrome")
    options.binary_location = _find(settings.studio_binary, names, kind, "chromium (Debian: apt-get install chromium)")
    if settings.studio_headless:
        options.add_argument("--headless=new")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        options.add_argument("--no-sandbox")
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    driver = _find(settings.studio_driver, ("chromedriver",), "chromedriver", "chromium-driver")
    return webdriver.Chrome(options=options, service=Service(executable_path=driver))


def _firefox(settings, profile: Path):
    from selenium import webdriver
    from selenium.webdriver.firefox.service import Service

    options = webdriver.FirefoxOptions()
    options.binary_location = _find(settings.studio_binary, ("firefox", "firefox-esr"), "firefox", "firefox-esr")
    if settings.studio_headless:
        options.add_argument("-headless")
    options.add_argument("-profile")
    options.add_argument(str(profile))
    driver = _find(settings.studio_driver, ("geckodriver",), "geckodriver", "geckodriver")
    return webdriver.Firefox(options=options, service=Service(executable_path=driver))
