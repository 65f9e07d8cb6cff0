"""The web widget and the coordinator console in a real headless Chromium (Debian's, via Selenium).

A patient chats in the widget in English, Japanese and Arabic (right to left),
the Arabic patient asks for a person, a coordinator logs in in a second
browser, takes the conversation, replies and hands it back. Screenshots of
both go to artifacts/screenshots/ (kept by CI as build artefacts).
"""
import shutil
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import WebDriverWait

from bot import texts
from conftest import COORDINATORS, ROOT

SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


def browser(language: str, profile_dir: Path) -> webdriver.Chrome:
    if not (Path(CHROMIUM).exists() and shutil.which(CHROMEDRIVER)):
        pytest.fail("Debian's chromium and chromium-driver are not installed (.ci/run installs them)")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--lang={language}", f"--user-data-dir={profile_dir}",
                 "--window-size=1280,900"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"intl.accept_languages": language})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))  # no driver download
    user_agent = driver.execute_script("return navigator.userAgent")
    driver.execute_cdp_cmd("Network.setUserAgentOverride", {"userAgent": user_agent, "acceptLanguage": language})
    return driver


@pytest.fixture
def open_browser(tmp_path):
    drivers = []

    def make(language):
        driver = browser(language, tmp_path / f"profile-{len(drivers)}")
        drivers.append(driver)
        return driver

    yield make
    for driver in drivers:
        driver.quit()


def wait(driver, seconds=60):
    return WebDriverWait(driver, seconds)


def open_widget(driver, server):
    driver.get(f"{server}/widget/demo.html")
    root = wait(driver).until(
        ready.presence_of_element_located((By.CSS_SELECTOR, "#patient-guide-widget[data-ready='true']")))
    driver.find_element(By.ID, "pg-launcher").click()
    wait(driver).until(ready.visibility_of_element_located((By.ID, "pg-input")))
    return root


def send(driver, text):
    box = driver.find_element(By.ID, "pg-input")
    box.send_keys(text)
    box.send_keys(Keys.ENTER)


def wait_for_message(driver, css, text, seconds=90):
    def shown(d):
        return any(m.text.strip() == text for m in d.find_elements(By.CSS_SELECTOR, css))
    wait(driver, seconds).until(shown, f"no {css} message {text!r}")


def bot_messages(driver):
    return [m.text for m in driver.find_elements(By.CSS_SELECTOR, "#pg-log .pg-msg.pg-bot")]


@pytest.mark.parametrize("language, greeting", [("en", "Hello there"), ("ja", "こんにちは")])
def test_the_widget_opens_in_the_browsers_language_and_chats(rasa_server, open_browser, language, greeting):
    driver = open_browser(language)
    root = open_widget(driver, rasa_server)
    assert root.get_attribute("lang") == language and root.get_attribute("dir") != "rtl"
    placeholder = driver.find_element(By.ID, "pg-input").get_attribute("placeholder")
    assert placeholder == texts.get("widget_placeholder", language)
    send(driver, greeting)
    wait_for_message(driver, "#pg-log .pg-msg.pg-bot", texts.get("utter_greet", language))
    # the conversation survives a reload of the page
    driver.refresh()
    wait(driver).until(ready.presence_of_element_located((By.CSS_SELECTOR, "#patient-guide-widget[data-ready='true']")))
    assert texts.get("utter_greet", language) in bot_messages(driver)


def test_arabic_patient_hands_off_to_a_coordinator_and_back(rasa_server, open_browser):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    patient = open_browser("ar")
    root = open_widget(patient, rasa_server)
    assert root.get_attribute("dir") == "rtl" and root.get_attribute("lang") == "ar"
    send(patient, "السلام عليكم")
    wait_for_message(patient, "#pg-log .pg-msg.pg-bot", texts.get("utter_greet", "ar"))
    send(patient, "<img src=x onerror=alert(1)>")
    wait_for_message(patient, "#pg-log .pg-msg.pg-user", "<img src=x onerror=alert(1)>")
    send(patient, "بدي احكي مع شخص حقيقي")
    wait_for_message(patient, "#pg-log .pg-msg.pg-bot", texts.get("handoff_queued", "ar"))
    wait(patient).until(lambda d: root.get_attribute("data-handoff-state") == "waiting")
    # the widget keeps the server's signed token; the conversation id is the part before the signature
    session_id = patient.execute_script("return sessionStorage.getItem('patient-guide-session')").rsplit(".", 1)[0]
    patient.save_screenshot(str(SCREENSHOTS / "widget-ar-waiting.png"))

    coordinator = open_browser("en")
    coordinator.get(f"{rasa_server}/coordinator/")
    wait(coordinator).until(ready.visibility_of_element_located((By.ID, "username"))).send_keys("alice")
    coordinator.find_element(By.ID, "password").send_keys(COORDINATORS["alice"])
    coordinator.find_element(By.ID, "login-button").click()
    item = wait(coordinator).until(ready.element_to_be_clickable(
        (By.CSS_SELECTOR, f"#queue [data-conversation-id='{session_id}']")))
    item.click()
    wait(coordinator).until(ready.element_to_be_clickable((By.ID, "take-button"))).click()
    wait(patient).until(lambda d: root.get_attribute("data-handoff-state") == "coordinator")
    assert texts.get("widget_coordinator_notice", "ar") in patient.find_element(By.ID, "pg-notice").text

    # the patient's HTML shows as text in the console too, and nothing ran
    wait(coordinator).until(lambda d: any(m.text.strip().endswith("<img src=x onerror=alert(1)>")
                                          or "<img src=x onerror=alert(1)>" in m.text
                                          for m in d.find_elements(By.CSS_SELECTOR, "#transcript .msg.user")))
    assert not coordinator.find_elements(By.CSS_SELECTOR, "#transcript img")

    coordinator.find_element(By.ID, "reply-input").send_keys("مرحبا، أنا منسقة المستشفى. كيف أساعدك؟")
    coordinator.find_element(By.ID, "reply-button").click()
    wait_for_message(patient, "#pg-log .pg-msg.pg-coordinator", "مرحبا، أنا منسقة المستشفى. كيف أساعدك؟")
    patient.save_screenshot(str(SCREENSHOTS / "widget-ar-coordinator.png"))
    coordinator.save_screenshot(str(SCREENSHOTS / "console.png"))

    wait(coordinator).until(ready.element_to_be_clickable((By.ID, "handback-button"))).click()
    wait_for_message(patient, "#pg-log .pg-msg.pg-bot", texts.get("handoff_returned", "ar"))
    wait(patient).until(lambda d: root.get_attribute("data-handoff-state") == "assistant")
    send(patient, "شكرا جزيلا")
    wait_for_message(patient, "#pg-log .pg-msg.pg-bot", texts.get("utter_thank", "ar"))

    for driver in (patient, coordinator):
        with pytest.raises(NoAlertPresentException):
            driver.switch_to.alert.text  # noqa: B018 - an alert would mean the HTML ran
    assert not patient.find_elements(By.CSS_SELECTOR, "#pg-log img")


def test_the_console_rejects_a_wrong_password(rasa_server, open_browser):
    driver = open_browser("zh-CN")
    driver.get(f"{rasa_server}/coordinator/")
    wait(driver).until(ready.visibility_of_element_located((By.ID, "username"))).send_keys("alice")
    driver.find_element(By.ID, "password").send_keys("not-her-password")
    driver.find_element(By.ID, "login-button").click()
    error = wait(driver).until(ready.visibility_of_element_located((By.ID, "login-error")))
    assert error.text.strip()
    assert not driver.find_element(By.ID, "queue").is_displayed()
