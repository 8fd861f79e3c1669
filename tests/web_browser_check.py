"""Both journeys of the web workplace end to end in a real browser (headless Chromium, driven by Selenium). Run by
.ci/run (it installs Chromium and its driver when missing):

    python tests/web_browser_check.py OUTPUT_FOLDER

On a fresh data folder: forty departments are written by examples/batch/make_departments.py (two broken on
purpose) and turned into the input workbooks `score template --from` writes; `score accounts import` makes their
accounts from a 40-department list, `score accounts add` the bureau's; `score serve` starts. Each department signs
in with its one-time password, sets its own, uploads its workbook and sees the scored 自评表 (or, for the two broken
ones, their problems at sheet and cell), and submits. The bureau returns one with a comment, adjusts one with a
reason, accepts the rest, opens the ranking and exports the summary workbook, which must list every accepted
department with the totals the command line gives. Screenshots are kept in OUTPUT_FOLDER/screenshots for a person
to look at; the browser console must stay clean (the pages run no script and fetch nothing from elsewhere).
"""

from __future__ import annotations

import csv
import os
import re
import socket
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Spring-review-2024"
SCORE = [sys.executable, "-m", "scorer"]


def run(*args: str, stdin: str = "") -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("LANG", "LC_ALL", "SCORE_LANG")}
    done = subprocess.run([*SCORE, *args], input=stdin, capture_output=True, text=True, env=env, timeout=300)
    if done.returncode != 0:
        raise SystemExit(f"score {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return done.stdout


def trial_data(out: Path) -> tuple[list[tuple[str, Path, bool]], Path]:
    """The forty departments' workbooks (name, file, broken?) and the department list."""
    from scorer.sources.yaml import load_yaml_file
    from scorer.template.scaffold import scaffold_file

    folder = out / "departments"
    made = subprocess.run([sys.executable, str(ROOT / "examples/batch/make_departments.py"), str(folder)],
                          capture_output=True, text=True, check=True)  # fmt: skip
    broken = set(re.findall(r"broken on purpose: (\S+\.yaml)", made.stdout))
    books = out / "workbooks"
    books.mkdir()
    found = []
    for source in sorted(folder.glob("*.yaml")):
        name = str(load_yaml_file(source).data["department"])
        content, _ = scaffold_file("2022", None, source, books / f"{source.stem}.xlsx", "zh")
        assert isinstance(content, bytes)
        (books / f"{source.stem}.xlsx").write_bytes(content)
        found.append((name, books / f"{source.stem}.xlsx", source.name in broken))
    listed = out / "部门名单.csv"
    with listed.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["序号", "部门名称"])
        writer.writerows((i, name) for i, (name, _, _) in enumerate(found, start=1))
    assert len(found) == 40 and sum(b for _, _, b in found) == 2
    return found, listed


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Browser:
    def __init__(self, base: str, shots: Path, downloads: Path):
        from selenium import webdriver

        options = webdriver.ChromeOptions()
        options.binary_location = chromium()
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,900",
                     "--disable-dev-shm-usage", "--lang=zh-CN"):  # fmt: skip
            options.add_argument(flag)
        options.add_experimental_option("prefs", {"download.default_directory": str(downloads)})
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        service = webdriver.ChromeService(executable_path=chromedriver())
        self.driver = webdriver.Chrome(options=options, service=service)
        self.base, self.shots, self.count = base, shots, 0

    def go(self, path: str) -> None:
        self.driver.get(self.base + path)

    def find(self, css: str):  # type: ignore[no-untyped-def]
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.CSS_SELECTOR, css)

    def all(self, css: str) -> list:  # type: ignore[type-arg]
        from selenium.webdriver.common.by import By

        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def text(self) -> str:
        return str(self.find("body").text)

    def submit(self, form: str) -> None:
        """Send a form and wait until the browser shows the answer (the old page has gone)."""
        self.click(f"#{form} button[type=submit]")

    def click(self, css: str) -> None:
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.support.ui import WebDriverWait

        page = self.find("html")
        self.find(css).click()

        def answered(driver: object) -> bool:
            try:  # the old page's element is gone (Chromium says so in more than one way) and the new one loaded
                page.is_enabled()
                return False
            except WebDriverException:
                return bool(self.driver.execute_script("return document.readyState") == "complete")

        WebDriverWait(self.driver, 60).until(answered)

    def shot(self, name: str, whole: bool = True) -> None:
        """A screenshot of the whole page (the window made as tall as the page), or of what the window shows."""
        height = self.driver.execute_script("return document.documentElement.scrollHeight") if whole else 780
        self.driver.set_window_size(1280, min(max(int(height) + 120, 900), 7000))
        self.count += 1
        self.driver.save_screenshot(str(self.shots / f"{self.count:02d}-{name}.png"))
        self.driver.set_window_size(1280, 900)

    def sign_in(self, login: str, password: str) -> None:
        self.driver.delete_all_cookies()
        self.go("/login/")
        self.find("#id_username").send_keys(login)
        self.find("#id_password").send_keys(password)
        self.submit("login-form")

    def console(self) -> list[str]:
        return [entry["message"] for entry in self.driver.get_log("browser") if entry["level"] != "DEBUG"]


def chromium() -> str:
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"):
        if Path(candidate).exists():
            return candidate
    raise SystemExit("no Chromium found")


def chromedriver() -> str:
    for candidate in ("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"):
        if Path(candidate).exists():
            return candidate
    raise SystemExit("no chromedriver found (Debian: apt-get install chromium-driver)")


def department_journey(browser: Browser, name: str, login: str, once: str, book: Path, broken: bool,
                       first: bool) -> None:  # fmt: skip
    browser.sign_in(login, once)
    assert browser.driver.current_url.endswith("/password/"), browser.driver.current_url
    if first:
        browser.shot("department-first-password")
    browser.find("#id_old_password").send_keys(once)
    browser.find("#id_new_password1").send_keys(PASSWORD)
    browser.find("#id_new_password2").send_keys(PASSWORD)
    browser.submit("password-form")
    assert browser.driver.current_url.endswith("/department/"), browser.driver.current_url
    assert name in browser.text() and "未提交" in browser.find("#status").text
    if first:
        browser.shot("department-start")
    browser.find("#id_file").send_keys(str(book))
    browser.submit("upload-form")
    if broken:
        problems = browser.find("#problems").text
        assert re.search(r"\.xlsx:指标!I\d+", problems), problems
        browser.shot(f"department-broken-{book.stem}")
        return
    total = browser.find("#total").text
    assert re.fullmatch(r"\d+(\.\d+)?", total) and "评价等级" in browser.text(), browser.text()[:500]
    if first:
        browser.shot("department-scored")
        browser.go("/department/fill")  # the same rows as a form on the page, pre-filled from the upload
        assert browser.all("#fill-form input[type=text]")
        browser.shot("department-fill-on-the-page", whole=False)
        form_in_two_tabs(browser)
        browser.go("/department/")
        browser.submit("submit-form")  # the page's save left rows without a score: not handed in
        assert "还有未填写自评分的行" in browser.find("#refused-step").text
        assert "未填写自评分" in browser.find("#blank-rows").text
        browser.shot("department-blank-scores")
        browser.find("#id_file").send_keys(str(book))  # the workbook again: its blank rows are noted only
        browser.submit("upload-form")
    browser.submit("submit-form")
    assert browser.find("#status").get_attribute("data-status") == "submitted"
    if first:
        browser.shot("department-submitted")


def form_in_two_tabs(browser: Browser) -> None:
    """What only a browser shows of the form on the page: each field's accessible name (its row and column),
    the 填写说明 opening, the indicator names in the targets' list; and two tabs of the form, where the save from
    the tab opened first is refused and what was typed there stays on the page."""
    from selenium.webdriver.support.ui import Select

    first_tab = browser.driver.current_window_handle
    field = browser.find('[name="indicators!J9"]')
    assert field.accessible_name == "财务管理合规性 · 自评分", field.accessible_name
    assert not browser.find("#fill-help li").is_displayed()
    browser.find("#fill-help summary").click()
    assert "人工调整得分" in browser.find("#fill-help").text
    listed = [option.text for option in Select(browser.find('[name="targets!B3"]')).options]
    assert "部门整体绩效目标产出指标完成情况" in listed and "output_targets" not in listed, listed
    browser.driver.switch_to.new_window("tab")
    browser.go("/department/fill")
    browser.find('[name="indicators!J9"]').clear()
    browser.find('[name="indicators!J9"]').send_keys("2")
    browser.submit("fill-form")
    assert browser.driver.current_url.endswith("/department/"), browser.driver.current_url
    browser.driver.close()
    browser.driver.switch_to.window(first_tab)
    typed = "在先打开的标签页中写的完成情况"
    area = browser.find('[name="profile!C16"]')
    area.clear()
    area.send_keys(typed)
    browser.submit("fill-form")
    assert "已有变动" in browser.find("#refused-step").text
    assert browser.find('[name="profile!C16"]').get_attribute("value") == typed
    browser.shot("department-fill-two-tabs", whole=False)


def bureau_journey(browser: Browser, names: list[str]) -> dict[str, str]:
    """Return one, adjust one, accept the rest; the filings' ids by department."""
    browser.sign_in("bureau", PASSWORD)
    assert browser.driver.current_url.endswith("/bureau/")
    counts = browser.find("#counts").text
    assert "已提交 38" in counts and "未提交 2" in counts, counts
    browser.shot("bureau-overview")
    links = {row.find_element("css selector", "td").text: row.find_element("css selector", "a").get_attribute("href")
             for row in browser.all("#overview tbody tr[data-status=submitted]")}  # fmt: skip
    returned, adjusted = names[0], names[1]
    browser.driver.get(links[returned])
    browser.find("#return-form textarea").send_keys("请补充部门预算执行率的计算依据，并附合同备案清单。")
    browser.submit("return-form")
    assert browser.find("#status").get_attribute("data-status") == "returned"
    browser.shot("bureau-returned")
    browser.driver.get(links[adjusted])
    from selenium.webdriver.support.ui import Select

    Select(browser.find("#id_indicator")).select_by_value("budget_execution")
    browser.find("#id_score").send_keys("5")
    browser.find("#id_reason").send_keys("复核发现预算执行率未扣除结转资金，按复核口径调整。")
    browser.submit("adjust-form")
    assert "复核发现预算执行率" in browser.text()
    browser.shot("bureau-adjusted")
    for name, link in links.items():
        if name == returned:
            continue
        browser.driver.get(link)
        browser.submit("accept-form")
        assert browser.find("#status").get_attribute("data-status") == "accepted", name
    browser.shot("bureau-accepted-last")
    return {name: link.rstrip("/").rsplit("/", 1)[-1] for name, link in links.items()}


def check_summary(downloads: Path, expected: dict[str, Decimal], adjusted: str) -> None:
    import openpyxl

    for _ in range(100):
        found = [p for p in downloads.glob("*.xlsx") if not p.name.endswith(".crdownload")]
        if found:
            break
        time.sleep(0.2)
    assert found, "the summary was not downloaded"
    book = openpyxl.load_workbook(found[0])
    listed = {}
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            names = [v for v in row if isinstance(v, str) and v in expected]
            numbers = [v for v in row if isinstance(v, int | float) and not isinstance(v, bool)]
            if names and numbers and names[0] not in listed:
                listed[names[0]] = Decimal(str(numbers[-1] if len(numbers) == 1 else numbers[1]))
    assert set(listed) == set(expected), sorted(set(expected) ^ set(listed))
    wrong = {n: (listed[n], t) for n, t in expected.items() if n != adjusted and listed[n] != t}
    assert not wrong, wrong
    assert listed[adjusted] < expected[adjusted]


def main() -> None:
    out = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else Path("web-browser-check").resolve()
    out.mkdir(parents=True, exist_ok=True)
    for sub in ("screenshots", "downloads"):
        (out / sub).mkdir(exist_ok=True)
    data = out / "score-data"
    found, listed = trial_data(out)
    accounts = run("accounts", "import", "--data", str(data), str(listed))
    passwords = {m[0]: (m[1], m[2]) for m in re.findall(r"^(.+)\t(dept\d{3})\t(\S+)$", accounts, re.M)}
    run("accounts", "add", "--data", str(data), "--role", "bureau", "--login", "bureau", "--password-stdin",
        stdin=PASSWORD + "\n")  # fmt: skip
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("LANG", "LC_ALL")}
    server = subprocess.Popen([*SCORE, "serve", "--data", str(data), "--port", str(port)], env=env,
                              stderr=open(out / "server.log", "w"))  # noqa: SIM115  # fmt: skip
    browser = None
    try:
        wait_for(port)
        browser = Browser(f"http://127.0.0.1:{port}", out / "screenshots", out / "downloads")
        browser.go("/")
        browser.shot("sign-in")
        started = time.monotonic()
        for position, (name, book, broken) in enumerate(found):
            login, once = passwords[name]
            department_journey(browser, name, login, once, book, broken, first=position == 0)
        print(f"40 departments in the browser: {time.monotonic() - started:.0f} s")
        handed = [name for name, _, broken in found if not broken]
        bureau_journey(browser, handed)
        browser.go("/bureau/ranking")
        assert len(browser.all("#ranking tbody tr")) == 37 and browser.all("#chart-distribution svg")
        browser.shot("bureau-ranking")
        browser.find("#export-summary").click()
        expected = totals([book for name, book, broken in found if not broken and name != handed[0]])
        check_summary(out / "downloads", expected, handed[1])
        returned_login, _ = passwords[handed[0]]
        browser.sign_in(returned_login, PASSWORD)
        assert "请补充部门预算执行率" in browser.find("#bureau-comment").text
        browser.shot("department-returned")
        browser.go("/department/?lang=en")
        assert "returned" in browser.text().lower()
        browser.shot("department-returned-english")
        problems = browser.console()
        assert not problems, problems
    finally:
        if browser is not None:
            browser.driver.quit()
        server.terminate()
        server.wait(timeout=30)
    print(f"both journeys passed; screenshots in {out / 'screenshots'}")


def totals(books: list[Path]) -> dict[str, Decimal]:
    """What `score run` gives for each workbook: the totals the summary must show."""
    from scorer.run import score_file

    found = {}
    for book in books:
        result, _ = score_file(book)
        found[result.department] = result.total
    return found


def wait_for(port: int) -> None:
    for _ in range(600):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit("score serve did not start")


if __name__ == "__main__":
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium never downloads a browser or a driver
    sys.path.insert(0, str(ROOT))
    main()
