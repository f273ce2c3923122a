"""Browser check with Debian's headless chromium at phone width (390 px).

    python3 scripts/browser/check.py [path/to/epsom]

Starts `epsom serve` on a free loopback port with a fresh SQLite file, then, as a person would:
signs up, logs a week of diary entries, logs two oral doses over the 350 mg/day limit and a
cream by pumps with its label strength (checking the milligrams), checks the warning and its
source, opens the history chart, and downloads the diary CSV; designs, previews and starts a
blinded trial and answers today's adherence. A study: an investigator registers it and names
the pharmacist, a patient enrols with its link and consents, the pharmacist sees the allocation
and prints the jar labels, the participant's Today shows the trial, and the investigator's
dashboard shows them active and blind. Then, on a second server started with --demo: the
demo's finished blinded trial and its report (patient's and clinician's views), trial days on
History, every patient page checked for width and markup at 390 px, a clinician who is shared
with, sees the patient and the report, and loses access when the patient stops sharing; and
the demo study's page and its report at phone and desktop width, a demo participant's feedback
(the study's result and their own estimate), the demo study published and its card on the
evidence page, and the evidence pages (gap map, catalogue,
workbench) at phone and desktop width. Screenshots go to test-output/screenshots/ (kept out of git). Exits non-zero,
naming the step, if anything is missing. Needs: apt-get install chromium chromium-driver;
pip install selenium.
"""
import os, socket, subprocess, sys, tempfile, time, urllib.request
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait
from selenium.common.exceptions import TimeoutException, WebDriverException

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, ".build", "debug", "epsom")
shots = os.path.join(root, "test-output", "screenshots")
os.makedirs(shots, exist_ok=True)

with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
db = os.path.join(tempfile.mkdtemp(), "browser.sqlite")
server = subprocess.Popen([binary, "serve", "--port", str(port), "--database", f"sqlite:{db}"],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
base = f"http://127.0.0.1:{port}"

driver = None

def check_page(step):
    """What a person sees on the current page at 390 px: nothing wider than the screen (tables
    scroll inside their own box) and no markup shown as text."""
    width = driver.execute_script("return document.documentElement.scrollWidth")
    if width > 392:
        fail(step, f"is {width} px wide at 390 px")
    import re
    text = driver.execute_script("return document.body.innerText")
    markup = re.search(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?>", text)
    if markup:
        fail(step, f"shows markup as text: {markup.group(0)}")


def fail(step, detail=""):
    print(f"browser check FAILED at: {step} {detail}")
    if driver is not None:
        driver.save_screenshot(os.path.join(shots, "failure.png"))
        with open(os.path.join(shots, "failure.html"), "w") as f:
            f.write(driver.page_source)
    sys.exit(1)

try:
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            break
        except Exception:
            time.sleep(0.1)
    else:
        fail("server start")

    options = webdriver.ChromeOptions()
    for arg in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=390,844", "--hide-scrollbars"]:
        options.add_argument(arg)
    options.binary_location = "/usr/bin/chromium"
    driver = webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))
    driver.set_window_size(390, 844)

    def shot(name):
        height = driver.execute_script("return document.body.scrollHeight")
        driver.set_window_size(390, max(844, height))
        driver.save_screenshot(os.path.join(shots, name + ".png"))
        driver.set_window_size(390, 844)

    def submit(selector):
        """Clicks a form's button and waits until the next page has loaded (generously: CI
        machines are busy), saving a screenshot and the page if it never does."""
        # A marker on the old page's window: it is gone once the next page has loaded. (Waiting
        # for an element to go stale races with chromedriver mid-navigation: "Node with given id
        # does not belong to the document".)
        driver.execute_script("window.__epsomOldPage = true")
        button = driver.find_element(By.CSS_SELECTOR, selector)
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
        button.click()
        def loaded(d):
            return d.execute_script("return window.__epsomOldPage === undefined && document.readyState === 'complete'")
        try:
            WebDriverWait(driver, 30, ignored_exceptions=(WebDriverException,)).until(loaded)
        except TimeoutException:
            fail("the page after submitting", selector)

    def pick(name, value):
        driver.find_element(By.CSS_SELECTOR, f'input[name="{name}"][value="{value}"] + span').click()

    driver.get(base + "/")
    shot("01-landing")
    driver.get(base + "/signup")
    driver.find_element(By.ID, "name").send_keys("Browser Patient")
    driver.find_element(By.ID, "email").send_keys("browser@example.org")
    driver.find_element(By.ID, "password").send_keys("short")
    submit("main form button")
    if "at least 10 characters" not in driver.page_source:
        fail("sign-up error shown beside the password field")
    shot("02-signup-error")
    driver.find_element(By.ID, "password").send_keys("correct horse battery")
    submit("main form button")
    if "How was the day?" not in driver.page_source:
        fail("signed in after sign-up")

    # A week of diary entries: today and the six days before.
    today = driver.find_element(By.CSS_SELECTOR, 'input[name="date"]').get_attribute("value")
    import datetime
    day0 = datetime.date.fromisoformat(today)
    for i, pain in enumerate([6, 5, 7, 4, 5, 3, 4]):
        date = (day0 - datetime.timedelta(days=6 - i)).isoformat()
        driver.get(f"{base}/?date={date}")
        pick("pain", pain)
        pick("sleep", 6)
        pick("spasms", max(0, pain - 1))
        submit("main form[action='/diary'] button")
        if "Saved." not in driver.page_source:
            fail("diary entry saved", date)
    shot("03-today-saved")

    for minutes, product in [("08:00", "Magnesium oxide"), ("20:00", "Magnesium oxide")]:
        driver.get(base + "/doses")
        field = driver.find_element(By.ID, "taken_at")
        driver.execute_script("arguments[0].value = arguments[1]", field, f"{today}T{minutes}")
        driver.find_element(By.ID, "product").send_keys(product)
        driver.find_element(By.CSS_SELECTOR, "#route option[value='oral']").click()
        driver.find_element(By.CSS_SELECTOR, "#salt option[value='oxide']").click()
        driver.find_element(By.ID, "amount").send_keys("400")
        driver.find_element(By.CSS_SELECTOR, "#unit option[value='mg']").click()
        submit("main form[action='/doses'] button")
    driver.get(base + "/doses")
    driver.find_element(By.ID, "product").send_keys("Magnesium cream")
    driver.find_element(By.CSS_SELECTOR, "#route option[value='transdermal_cream']").click()
    driver.find_element(By.ID, "amount").send_keys("2")
    driver.find_element(By.CSS_SELECTOR, "#unit option[value='pump']").click()
    # The cream's label: 28 mg of magnesium per pump (never the cream's weight as a salt's).
    driver.find_element(By.ID, "strength").send_keys("28")
    driver.find_element(By.CSS_SELECTOR, "#strength_basis option[value='elemental']").click()
    driver.find_element(By.CSS_SELECTOR, "#strength_per option[value='pump']").click()
    driver.find_element(By.ID, "site").send_keys("soles of the feet")
    driver.find_element(By.CSS_SELECTOR, "input[name='save_product']").click()
    submit("main form[action='/doses'] button")
    page = driver.page_source
    if "above the adult upper limit of 350 mg/day" not in page or "nap.edu" not in page:
        fail("over-350-mg warning with its source")
    if "Magnesium cream now" not in page:
        fail("one-tap button for the saved product")
    if "On the skin: <strong>56 mg</strong>" not in page:
        fail("2 pumps of a 28 mg/pump cream logged as 56 mg")
    shot("04-over-limit-warning")

    driver.get(base + "/history?from=" + (day0 - datetime.timedelta(days=6)).isoformat())
    if "<svg" not in driver.page_source:
        fail("history chart")
    shot("05-history")

    driver.get(base + "/account")
    shot("06-account")
    cookies = {c["name"]: c["value"] for c in driver.get_cookies()}
    request = urllib.request.Request(base + "/api/v1/export/diary.csv",
                                     headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())})
    csv = urllib.request.urlopen(request).read().decode()
    if csv.count("\n") != 8 or not csv.startswith("date,arm,washout,pain"):
        fail("diary export", repr(csv[:200]))

    # A trial from design to today's adherence: template, preview with its power, start.
    driver.get(base + "/trials")
    driver.find_element(By.CSS_SELECTOR, 'input[name="template"][value="cream-vs-placebo"]').click()
    shot("07-trial-designer")
    submit("button[value='preview']")
    if "Chance of detecting" not in driver.page_source or "56 days (8 weeks)" not in driver.page_source:
        fail("trial preview with duration and power")
    shot("08-trial-preview")
    if "Below 50%" not in driver.page_source or "would give about" not in driver.page_source:
        fail("low-power warning with a proposed number of cycles")
    submit("button[value='start']")
    if "Start anyway" not in driver.page_source:
        fail("start below 50% asks for a tick")
    driver.find_element(By.CSS_SELECTOR, "input[name='accept_low_power']").click()
    submit("button[value='start']")
    page = driver.page_source
    if "Trial day 1 of 56: Jar" not in page or "SHA-256" not in page or "Magnesium cream" in page:
        fail("trial started, blinded, with today's jar and its protocol hash")
    shot("09-trial-started")
    driver.get(base + "/")
    if "trial-today" not in driver.page_source:
        fail("today's trial instruction on the home page")
    pick("adherence", "yes")
    submit("#trial-today button")
    if "Saved: Yes, as planned" not in driver.page_source:
        fail("adherence saved from the home page")
    shot("10-today-with-trial")
    driver.get(base + "/trials")
    driver.find_element(By.CSS_SELECTOR, "main table a").click()
    WebDriverWait(driver, 30, ignored_exceptions=(WebDriverException,)).until(lambda d: "Schedule" in d.page_source)
    driver.find_element(By.LINK_TEXT, "Print the jar labels").click()
    WebDriverWait(driver, 30, ignored_exceptions=(WebDriverException,)).until(lambda d: "Jar labels" in d.page_source)
    shot("11-jar-labels")

    # A study, end to end: the investigator writes and registers it and names the pharmacist; a
    # patient enrols with the study's link and consents; the pharmacist sees the allocation and
    # prints the jar labels; the participant's Today shows the trial; the investigator's
    # dashboard shows them active, by code, and blind.
    def sign_in_as(email, password="correct horse battery", at=None):
        """Signs the current driver in as `email`, on this server or on `at` (the demo server)."""
        driver.delete_all_cookies()
        driver.get((at or base) + "/signin")
        driver.find_element(By.ID, "email").send_keys(email)
        driver.find_element(By.ID, "password").send_keys(password)
        submit("main form button")

    def sign_up_as(name, email, role):
        driver.delete_all_cookies()
        driver.get(base + "/signup")
        driver.find_element(By.ID, "name").send_keys(name)
        driver.find_element(By.ID, "email").send_keys(email)
        driver.find_element(By.ID, "password").send_keys("correct horse battery")
        driver.find_element(By.CSS_SELECTOR, f"#role option[value='{role}']").click()
        submit("main form button")

    def set_value(element_id, value):
        driver.execute_script("arguments[0].value = arguments[1]", driver.find_element(By.ID, element_id), value)

    sign_up_as("Rita Pharmacist", "rx@example.org", "pharmacist")
    if "No study names you as its pharmacist yet" not in driver.page_source:
        fail("a pharmacist's empty pharmacy")
    sign_up_as("Dr Investigator", "investigator@example.org", "clinician")
    driver.get(base + "/studies")
    check_page("studies: the new study form")
    fields = {
        "title": "Magnesium cream vs placebo cream for chronic low back pain",
        "question": "Does magnesium cream lower daily back pain compared with a placebo cream?",
        "condition": "chronic low back pain", "eligibility": "Adults with low back pain for 3 months or more.",
        "screening": "yes: Do you have kidney disease?", "information_sheet": "Two creams in turn for 12 weeks.",
        "consent_text": "I agree to take part.",
    }
    for key, value in fields.items():
        driver.find_element(By.ID, key).send_keys(value)
    set_value("enrolment_opens", today)
    set_value("enrolment_closes", (day0 + datetime.timedelta(days=60)).isoformat())
    submit("button[value='save']")
    if "Draft" not in driver.page_source:
        fail("study draft saved")
    study_path = driver.execute_script("return location.pathname")
    submit("button[value='register']")
    if "Registered on" not in driver.page_source:
        fail("study registered")
    join_link = driver.find_element(By.CSS_SELECTOR, "a[href^='/join/']").get_attribute("href")
    driver.find_element(By.ID, "pharmacist_email").send_keys("rx@example.org")
    submit("form[action*='/pharmacist'] button")
    if "Allocations are held by the pharmacist Rita Pharmacist" not in driver.page_source:
        fail("the pharmacist named on the study")
    check_page("the investigator's study page")
    shot("30-study-registered")

    driver.delete_all_cookies()
    driver.get(join_link)
    if "Two creams in turn for 12 weeks." not in driver.page_source:
        fail("the invitation shows the information sheet")
    shot("31-study-invitation")
    driver.find_element(By.LINK_TEXT, "create an account").click()
    WebDriverWait(driver, 30, ignored_exceptions=(WebDriverException,)).until(lambda d: "Your name" in d.page_source)
    driver.find_element(By.ID, "name").send_keys("Ann Participant")
    driver.find_element(By.ID, "email").send_keys("ann@example.org")
    driver.find_element(By.ID, "password").send_keys("correct horse battery")
    submit("main form button")
    if "A few questions first" not in driver.page_source:
        fail("back at the study's screening after sign-up")
    driver.find_element(By.CSS_SELECTOR, "input[name='q0'][value='no']").click()
    submit("form input[value='screen'] ~ button")
    if "I agree to take part." not in driver.page_source:
        fail("eligible: the consent form")
    check_page("study consent")
    driver.find_element(By.CSS_SELECTOR, "input[name='consent']").click()
    submit("form input[value='consent'] ~ button")
    page = driver.find_element(By.TAG_NAME, "main").text
    if "You are enrolled" not in page or "participant P-001" not in page:
        fail("enrolled: the trial page names the study and the participant code")
    if "The study's pharmacist fills your jars" not in page or "Allocation sheet for the helper" in page:
        fail("a study participant's device shows no allocation sheet")
    check_page("the participant's study trial")
    shot("32-study-participant-trial")
    driver.get(base + "/")
    if "trial-today" not in driver.page_source:
        fail("the study trial on the participant's Today")
    shot("33-study-participant-today")

    sign_in_as("rx@example.org")
    driver.get(base + "/pharmacy")
    driver.find_element(By.PARTIAL_LINK_TEXT, "Magnesium cream vs placebo cream").click()
    WebDriverWait(driver, 30, ignored_exceptions=(WebDriverException,)).until(lambda d: "Fill the jars with" in d.page_source)
    main = driver.find_element(By.TAG_NAME, "main").text
    if "P-001" not in main or "Magnesium cream" not in main or "Ann" in main:
        fail("the pharmacist sees P-001's allocation, not their name")
    check_page("the pharmacist's study page")
    shot("34-pharmacy-study")
    driver.find_element(By.LINK_TEXT, "Labels").click()
    WebDriverWait(driver, 30, ignored_exceptions=(WebDriverException,)).until(lambda d: "Jar labels for P-001" in d.page_source)
    if len(driver.find_elements(By.CSS_SELECTOR, ".jar")) != 2:
        fail("two jar labels for P-001")
    check_page("the pharmacist's jar labels")
    shot("35-pharmacy-labels")

    sign_in_as("investigator@example.org")
    driver.get(base + study_path)
    main = driver.find_element(By.TAG_NAME, "main").text
    if "Enrolled: 1" not in main or "Held by the pharmacist" not in main or "Ann" in main:
        fail("the investigator's dashboard: P-001 enrolled, blind, by code")
    rows = [r.text for r in driver.find_elements(By.CSS_SELECTOR, "#monitoring ~ div table tbody tr")]
    if not any(r.startswith("P-001") and "Active" in r for r in rows):
        fail("the investigator's dashboard shows P-001 active", repr(rows))
    check_page("the investigator's dashboard")
    shot("36-study-dashboard")
    driver.quit()
    driver = None

    # The demo's finished blinded trial: trial page and report, patient's and clinician's views.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        demo_port = s.getsockname()[1]
    demo_db = os.path.join(tempfile.mkdtemp(), "demo.sqlite")
    demo_server = subprocess.Popen([binary, "serve", "--demo", "--port", str(demo_port), "--database", f"sqlite:{demo_db}"],
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        password = study_password = None
        for _ in range(50):
            line = demo_server.stdout.readline()
            if "password:" in line and line.startswith("Demo study"):
                study_password = line.split("password:")[1].strip()
            elif "password:" in line:
                password = line.split("password:")[1].strip()
            if password and study_password:
                break
        if not password or not study_password:
            fail("demo server printed its logins")
        demo_base = f"http://127.0.0.1:{demo_port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(demo_base + "/healthz", timeout=1)
                break
            except Exception:
                time.sleep(0.1)
        driver = webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))
        driver.set_window_size(390, 844)
        sign_in_as("demo@epsom.example", password, at=demo_base)
        driver.get(demo_base + "/trials")
        if "Finished" not in driver.page_source:
            fail("demo trial listed as finished")
        driver.find_element(By.CSS_SELECTOR, "main table a").click()
        WebDriverWait(driver, 30, ignored_exceptions=(WebDriverException,)).until(lambda d: "Read the report" in d.page_source)
        if "Unblinded" not in driver.page_source:
            fail("finished blinded trial shows its allocation")
        shot("12-demo-trial")
        driver.find_element(By.LINK_TEXT, "Read the report").click()
        WebDriverWait(driver, 30, ignored_exceptions=(WebDriverException,)).until(lambda d: "How this was analysed" in d.page_source)
        page = driver.page_source
        for needed in ["The answer", "compared with Placebo cream", "What it means", "Every outcome the diary keeps",
                       "Timeline and period means", "Intention to treat", "Per protocol", "Magnesium cream", "<svg"]:
            if needed not in page:
                fail("demo report section", needed)
        # Verdict first: at 390 px the answer's heading is in the first screen.
        top = driver.execute_script("return document.getElementById('verdict').getBoundingClientRect().top")
        if top > 700:
            fail("the verdict above the fold", f"starts at {top} px")
        # Chart text at least 11 px as rendered.
        smallest = driver.execute_script("""
            let m = 1e9; for (const t of document.querySelectorAll('svg text')) {
              const h = t.getBoundingClientRect().height; if (h > 0) m = Math.min(m, parseFloat(getComputedStyle(t).fontSize) *
                t.ownerSVGElement.getBoundingClientRect().width / t.ownerSVGElement.viewBox.baseVal.width); }
            return m;""")
        if smallest < 11:
            fail("chart text at least 11 px at 390 px", f"smallest {smallest:.1f} px")
        shot("13-demo-report-patient")
        driver.find_element(By.LINK_TEXT, "clinician's").click()
        WebDriverWait(driver, 30, ignored_exceptions=(WebDriverException,)).until(lambda d: "autocorrelation" in d.page_source)
        shot("14-demo-report-clinician")

        # Trial days on History: shaded on the chart, never counted as gaps in cream use.
        driver.get(demo_base + "/history?from=" + (datetime.date.today() - datetime.timedelta(days=364)).isoformat())
        page = driver.page_source
        if "Trial: Cream vs placebo cream" not in page or "Trial days are not counted as gaps" not in page:
            fail("trial days shown on History and not counted as gaps")
        if "trial days are left out here" not in page:
            fail("the with/without estimate leaves trial days out and says so")
        shot("14b-demo-history-trial")

        # Every page the patient has, at 390 px.
        trial_url = driver.execute_script("return location.pathname")
        driver.get(demo_base + "/trials")
        trial_path = driver.find_element(By.CSS_SELECTOR, "main table a").get_attribute("href").replace(demo_base, "")
        for path in ["/", "/history", "/doses", "/doses/log", "/trials", trial_path, trial_path + "/report",
                     trial_path + "/report?view=clinician", "/account", "/evidence", "/evidence/gaps", "/evidence/workbench",
                     "/no-such-page"]:
            driver.get(demo_base + path)
            check_page("patient page " + path)

        # The clinician's week: signs up, is shared with, sees the patient, opens the report,
        # and loses access when the patient stops sharing.
        doctor = webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))
        doctor.set_window_size(390, 844)
        patient_driver = driver
        driver = doctor
        driver.get(demo_base + "/signup")
        driver.find_element(By.ID, "name").send_keys("Dr Browser")
        driver.find_element(By.ID, "email").send_keys("doctor@example.org")
        driver.find_element(By.ID, "password").send_keys("correct horse battery")
        driver.find_element(By.CSS_SELECTOR, "#role option[value='clinician']").click()
        submit("main form button")
        if "No one shares their diary with you yet" not in driver.page_source:
            fail("clinician's empty patient list")
        driver = patient_driver
        driver.get(demo_base + "/account")
        driver.find_element(By.ID, "clinician_email").send_keys("doctor@example.org")
        submit("form[action='/account/share'] button")
        stop = driver.find_elements(By.XPATH, "//button[normalize-space()='Stop sharing']")
        if len(stop) != 1 or "doctor@example.org" not in driver.find_element(By.TAG_NAME, "main").text:
            fail("the patient sees who has access, with a Stop sharing button")
        shot("20-patient-sharing")
        driver = doctor
        driver.get(demo_base + "/")
        main = driver.find_element(By.TAG_NAME, "main").text
        if "Demo Patient" not in main or "Last diary entry" not in main:
            fail("clinician's list shows the patient with the last entry")
        check_page("clinician's patient list")
        shot("21-clinician-patients")
        driver.find_element(By.LINK_TEXT, "Trials").click()
        WebDriverWait(driver, 30, ignored_exceptions=(WebDriverException,)).until(lambda d: "Trials of Demo Patient" in d.page_source)
        check_page("clinician: the patient's trials")
        driver.find_element(By.CSS_SELECTOR, "main table a").click()
        WebDriverWait(driver, 30, ignored_exceptions=(WebDriverException,)).until(lambda d: "Read the report" in d.page_source)
        driver.find_element(By.LINK_TEXT, "Read the report").click()
        WebDriverWait(driver, 30, ignored_exceptions=(WebDriverException,)).until(lambda d: "How this was analysed" in d.page_source)
        check_page("clinician: the patient's report")
        shot("22-clinician-report")
        driver.get(demo_base + "/")
        history_link = driver.find_element(By.LINK_TEXT, "History").get_attribute("href")
        for link in ["History", "Magnesium log"]:
            driver.get(demo_base + "/")
            driver.find_element(By.LINK_TEXT, link).click()
            WebDriverWait(driver, 30, ignored_exceptions=(WebDriverException,)).until(lambda d: d.execute_script("return document.readyState") == "complete")
            check_page("clinician: " + link)
        driver = patient_driver
        driver.get(demo_base + "/account")
        submit("form[action='/account/revoke'] button")
        if "Stop sharing" in driver.page_source:
            fail("sharing stopped with one tap")
        driver = doctor
        driver.get(history_link)
        if "You may not see or change this" not in driver.page_source:
            fail("the clinician loses access when the patient stops sharing")
        shot("23-clinician-after-revoke")
        doctor.quit()
        driver = patient_driver

        # The demo study: its investigator's page, closed and unblinded, and its pharmacist's.
        sign_in_as("investigator@epsom.example", study_password, at=demo_base)
        driver.get(demo_base + "/studies")
        driver.find_element(By.PARTIAL_LINK_TEXT, "Magnesium cream vs placebo cream").click()
        WebDriverWait(driver, 30, ignored_exceptions=(WebDriverException,)).until(lambda d: "Monitoring" in d.page_source)
        main = driver.find_element(By.TAG_NAME, "main").text
        if "Enrolled: 20" not in main or "the allocations are open" not in main or "Demo Participant" in main:
            fail("the demo study: 20 participants by code, closed and unblinded")
        check_page("the demo study's page")
        shot("37-demo-study")
        # Its report, from the analysis stored at the close: at phone width, then at desktop width.
        driver.find_element(By.LINK_TEXT, "the study report").click()
        WebDriverWait(driver, 30, ignored_exceptions=(WebDriverException,)).until(lambda d: "Participant flow" in d.page_source)
        main = driver.find_element(By.TAG_NAME, "main").text
        for needed in ["The answer", "between-person SD τ", "20 consented and enrolled", "2 withdrew", "Responders",
                       "Intention to treat and per protocol", "Sensitivity", "Harms", "Limitations", "invented"]:
            if needed not in main:
                fail("the demo study's report", needed)
        if "NaN" in main or "Demo Participant" in main:
            fail("the demo study's report: no NaN, participants by code")
        if not driver.find_elements(By.CSS_SELECTOR, ".forest svg"):
            fail("the demo study's forest plot")
        check_page("the demo study's report at 390 px")
        shot("38-demo-study-report-phone")
        driver.set_window_size(1280, 900)
        if driver.execute_script("return document.documentElement.scrollWidth") > 1282:
            fail("the demo study's report fits 1280 px")
        height = driver.execute_script("return document.body.scrollHeight")
        driver.set_window_size(1280, max(900, height))
        driver.save_screenshot(os.path.join(shots, "39-demo-study-report-desktop.png"))
        driver.set_window_size(390, 844)
        # What a participant learns back: P-001's study page, from their trial.
        sign_in_as("participant-1@epsom.example", study_password, at=demo_base)
        driver.get(demo_base + "/trials")
        driver.find_element(By.CSS_SELECTOR, "main table a").click()
        WebDriverWait(driver, 30, ignored_exceptions=(WebDriverException,)).until(lambda d: "The study's page" in d.page_source)
        driver.find_element(By.PARTIAL_LINK_TEXT, "The study's page").click()
        WebDriverWait(driver, 30, ignored_exceptions=(WebDriverException,)).until(lambda d: "What the study found" in d.page_source)
        main = driver.find_element(By.TAG_NAME, "main").text
        if "participant P-001" not in main or "your own result" not in main or "NaN" in main:
            fail("a demo participant's feedback: their code and their own trial's report")
        if "Borrowing strength from the other" not in main and "could not be pooled" not in main:
            fail("a demo participant's feedback: their own estimate after pooling")
        check_page("a participant's feedback at 390 px")
        driver.execute_script("document.getElementById('results').scrollIntoView()")
        driver.save_screenshot(os.path.join(shots, "40-demo-participant-feedback-phone.png"))
        driver.set_window_size(1280, 900)
        driver.save_screenshot(os.path.join(shots, "41-demo-participant-feedback-desktop.png"))
        driver.set_window_size(390, 844)
        sign_in_as("pharmacist@epsom.example", study_password, at=demo_base)
        if "Pharmacy" not in driver.page_source:
            fail("the demo pharmacist lands on the pharmacy")
        check_page("the demo pharmacy")
        # The investigator publishes the demo study into the evidence pages; anyone then reads its
        # card, marked not peer reviewed and synthetic, at phone width; the workbench lists it.
        sign_in_as("investigator@epsom.example", study_password, at=demo_base)
        driver.get(demo_base + "/studies")
        driver.find_element(By.PARTIAL_LINK_TEXT, "Magnesium cream vs placebo cream").click()
        WebDriverWait(driver, 30, ignored_exceptions=(WebDriverException,)).until(lambda d: "Publishing the result" in d.page_source)
        driver.find_element(By.ID, "dose").send_keys("2 g of 20% magnesium chloride cream a day")
        driver.find_element(By.ID, "salt").send_keys("magnesium chloride")
        driver.execute_script("arguments[0].click()", driver.find_element(By.CSS_SELECTOR, "#publish ~ details input[name='confirm']"))
        submit("#publish ~ details form button")
        main = driver.find_element(By.TAG_NAME, "main").text
        if "Published on" not in main or "not peer reviewed" not in main or "synthetic demo data" not in main:
            fail("the demo study published, its card on its page")
        check_page("the published demo study's page")
        driver.delete_all_cookies()
        driver.get(demo_base + "/evidence?design=epsom-series")
        main = driver.find_element(By.TAG_NAME, "main").text
        for needed in ["Epsom series of N-of-1 trials (not peer reviewed)", "synthetic demo data", "Average effect of Magnesium cream",
                       "posterior SD", "registration and amendments"]:
            if needed not in main:
                fail("the published series on the evidence page", needed)
        if "NaN" in main:
            fail("the published series: no NaN")
        check_page("the published series on the evidence page at 390 px")
        driver.find_element(By.ID, "epsom-series").location_once_scrolled_into_view
        driver.save_screenshot(os.path.join(shots, "41b-evidence-epsom-series-phone.png"))
        driver.find_element(By.LINK_TEXT, "registration and amendments").click()
        WebDriverWait(driver, 30, ignored_exceptions=(WebDriverException,)).until(lambda d: "The registered protocol" in d.page_source)
        driver.get(demo_base + "/evidence/workbench")
        if "(Epsom series, chronic low back pain)" not in driver.find_element(By.TAG_NAME, "main").get_attribute("textContent"):
            fail("the workbench lists the published series")
        sign_in_as("demo@epsom.example", password, at=demo_base)

        # The evidence pages at phone and desktop width.
        driver.get(demo_base + "/evidence/gaps")
        if "gap-empty" not in driver.page_source or "Transdermal" not in driver.page_source:
            fail("gap map with empty cells and the transdermal column")
        check_page("gap map at 390 px")
        # At 390 px the transdermal column is the first route column: fully on screen without
        # scrolling, its trials listed with their risk of bias, and the scroll hint visible.
        skin = driver.find_elements(By.CSS_SELECTOR, "table.gapmap td.gap-skin")
        if not skin:
            fail("gap map: transdermal cells")
        rect = driver.execute_script("var r = arguments[0].getBoundingClientRect(); return [r.left, r.right];", skin[0])
        if rect[0] < 0 or rect[1] > 390:
            fail("gap map: transdermal column visible at 390 px without scrolling", str(rect))
        if not driver.find_elements(By.CSS_SELECTOR, "ul.gap-trials .rob-mark"):
            fail("gap map: transdermal trials with their risk of bias")
        hint = driver.find_elements(By.CSS_SELECTOR, ".scroll-hint")
        if not hint or not hint[0].is_displayed():
            fail("gap map: scroll hint at 390 px")
        if "Not chronic-pain evidence" not in driver.page_source:
            fail("gap map: cramps, acute and absorption studies apart")
        shot("15-gap-map-phone")
        driver.get(demo_base + "/evidence?route=transdermal")
        if "12 of 70 entries" not in driver.page_source or "Risk of bias" not in driver.page_source:
            fail("catalogue filtered by route, with risk of bias")
        check_page("catalogue at 390 px")
        shot("16-catalogue-transdermal-phone")
        driver.get(demo_base + "/evidence")
        prisma = driver.find_elements(By.CSS_SELECTOR, "ol.prisma .prisma-box")
        if len(prisma) < 10 or "584" not in prisma[0].text:
            fail("PRISMA flow diagram on /evidence")
        driver.execute_script("arguments[0].scrollIntoView()", prisma[0])
        driver.save_screenshot(os.path.join(shots, "16b-prisma-phone.png"))
        driver.get(demo_base + "/evidence/workbench")
        if "No pool has two studies yet" not in driver.page_source and "Catalogue pools" not in driver.page_source:
            fail("workbench: catalogue pools or the reason there are none")
        driver.find_element(By.ID, "csv").send_keys(
            "study,m1i,sd1i,n1i,m2i,sd2i,n2i\nA,3.1,1.2,30,3.9,1.4,30\nB,4.0,1.5,25,4.6,1.6,24\nC,2.8,1.1,40,3.5,1.3,41\n")
        submit("button[value='html']")
        if "<svg" not in driver.page_source or "Random-effects" not in driver.page_source or "Group 1 is" not in driver.page_source:
            fail("workbench result with forest plot and its meaning in words")
        shot("17-workbench-phone")
        driver.set_window_size(1280, 900)
        driver.get(demo_base + "/evidence/gaps")
        driver.save_screenshot(os.path.join(shots, "18-gap-map-desktop.png"))
        driver.get(demo_base + "/evidence/workbench")
        driver.find_element(By.ID, "csv").send_keys(
            "study,m1i,sd1i,n1i,m2i,sd2i,n2i\nA,3.1,1.2,30,3.9,1.4,30\nB,4.0,1.5,25,4.6,1.6,24\nC,2.8,1.1,40,3.5,1.3,41\n")
        submit("button[value='html']")
        height = driver.execute_script("return document.body.scrollHeight")
        driver.set_window_size(1280, max(900, height))
        driver.save_screenshot(os.path.join(shots, "19-workbench-desktop.png"))
        driver.quit()
        driver = None
    finally:
        demo_server.terminate()
        demo_server.wait(timeout=10)
    print(f"browser check passed: screenshots in {shots}")
finally:
    server.terminate()
    server.wait(timeout=10)
