"""The browser checks of the catalog: Debian's Chromium driven by selenium, plus a link checker on the files.

Each check returns what it found wrong (an empty list when nothing), so a test can show both that the catalog
passes and, on a page made to break it, that the check fails.
"""

from __future__ import annotations

import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
# Without the networking flags Chromium waits on the (closed) network; a fresh profile every time.
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1400,1000")


def start_chromium():
    """A headless Chromium under selenium, collecting the console; fails (never skips) when it is missing."""
    import pytest

    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    if missing:
        pytest.fail(f"{' and '.join(missing)} missing: `make test` installs Debian's chromium and chromium-driver "
                    f"(apt-get install -y chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={tempfile.mkdtemp(prefix='mesh-chromium-')}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    driver.set_page_load_timeout(30)
    return driver


def open_page(driver, path: Path) -> list[str]:
    """Load a page from disk; the console's errors while it loaded (the log is emptied by reading it)."""
    driver.get_log("browser")
    driver.get(path.resolve().as_uri())
    driver.execute_script("return document.readyState")
    return console_errors(driver)


def console_errors(driver) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] in ("SEVERE", "ERROR")]


def hover_all(driver, selector: str) -> str | None:
    """Move the mouse over every element matching `selector`; the text of an alert that opened, if one did."""
    from selenium.common.exceptions import NoAlertPresentException, UnexpectedAlertPresentException
    from selenium.webdriver.common.action_chains import ActionChains

    try:
        for element in driver.find_elements("css selector", selector):
            ActionChains(driver).move_to_element(element).perform()
    except UnexpectedAlertPresentException as error:  # chromedriver has dismissed it
        return error.alert_text or ""
    try:
        alert = driver.switch_to.alert
    except NoAlertPresentException:
        return None
    text = alert.text
    alert.dismiss()
    return text


# WCAG 2.1 basics: one h1 and no skipped heading level, a name for every form field, image, SVG, link and
# table header, and text contrast of 4.5:1 (3:1 for large text) over the composited background.
ACCESSIBILITY_JS = r"""
const problems = [];
if (!document.documentElement.getAttribute('lang')) problems.push('no lang attribute on <html>');
if (!document.title.trim()) problems.push('no <title>');
const h1s = document.querySelectorAll('h1');
if (h1s.length !== 1) problems.push(`${h1s.length} h1 headings (expected one)`);
let last = 0;
for (const h of document.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
  const level = Number(h.tagName[1]);
  if (!h.textContent.trim()) problems.push(`empty ${h.tagName}`);
  if (last && level > last + 1) problems.push(`${h.tagName} "${h.textContent.trim()}" skips a level after h${last}`);
  last = level;
}
for (const field of document.querySelectorAll('input, select, textarea')) {
  if (['hidden', 'submit', 'button'].includes(field.type)) continue;
  const named = (field.id && document.querySelector(`label[for="${CSS.escape(field.id)}"]`)) || field.closest('label')
    || field.getAttribute('aria-label') || field.getAttribute('aria-labelledby');
  if (!named) problems.push(`${field.tagName.toLowerCase()} ${field.id || field.name} has no label`);
}
for (const img of document.querySelectorAll('img')) {
  if (!img.hasAttribute('alt')) problems.push(`img ${img.getAttribute('src')} has no alt`);
}
for (const svg of document.querySelectorAll('svg')) {
  if (svg.getAttribute('aria-hidden') === 'true') continue;
  if (!(svg.getAttribute('aria-label') || svg.getAttribute('aria-labelledby') || svg.querySelector(':scope > title')))
    problems.push('svg without a title');
}
for (const a of document.querySelectorAll('a[href]')) {
  if (!(a.textContent.trim() || a.getAttribute('aria-label') || a.querySelector('img[alt]:not([alt=""])')))
    problems.push(`link to ${a.getAttribute('href')} has no text`);
}
for (const table of document.querySelectorAll('table')) {
  if (!table.querySelector('th')) problems.push('table without header cells');
}
const rgba = (value) => {
  const m = value.match(/rgba?\(([^)]+)\)/);
  if (!m) return null;
  const p = m[1].split(',').map(Number);
  return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
};
const luminance = (rgb) => {
  const c = rgb.map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
  return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
};
const background = (el) => {
  const layers = [];
  for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
    const c = rgba(getComputedStyle(node).backgroundColor);
    if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
  }
  let color = [255, 255, 255];
  for (const c of layers.reverse()) color = color.map((v, i) => c[i] * c[3] + v * (1 - c[3]));
  return color;
};
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
const seen = new Set();
while (walker.nextNode()) {
  const text = walker.currentNode;
  const el = text.parentElement;
  if (!text.textContent.trim() || !el || seen.has(el) || el.closest('svg')) continue;
  seen.add(el);
  const style = getComputedStyle(el);
  if (style.visibility === 'hidden' || style.display === 'none' || !el.getClientRects().length) continue;
  const bg = background(el);
  const fg = rgba(style.color);
  const shown = fg.slice(0, 3).map((v, i) => v * fg[3] + bg[i] * (1 - fg[3]));
  const [a, b] = [luminance(shown), luminance(bg)];
  const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  const size = parseFloat(style.fontSize);
  const large = size >= 24 || (Number(style.fontWeight) >= 700 && size >= 18.66);
  if (ratio < (large ? 3 : 4.5)) {
    problems.push(`contrast ${ratio.toFixed(2)}:1 of "${text.textContent.trim().slice(0, 40)}"`);
  }
}
return problems;
"""


def accessibility_problems(driver) -> list[str]:
    return driver.execute_script(ACCESSIBILITY_JS)


# From the drawn geometry: every lineage edge starts at its upstream box, ends (its arrow's tip) at its downstream
# box, and passes through no other box (its path sampled every few pixels).
LINEAGE_JS = r"""
const problems = [];
const near = (p, b, d) => p.x >= b.x - d && p.x <= b.x + b.width + d && p.y >= b.y - d && p.y <= b.y + b.height + d;
const inside = (p, b) => p.x > b.x + 1 && p.x < b.x + b.width - 1 && p.y > b.y + 1 && p.y < b.y + b.height - 1;
for (const svg of document.querySelectorAll('svg.lineage')) {
  const boxes = new Map();
  for (const a of svg.querySelectorAll('a.node')) boxes.set(a.dataset.domain, a.querySelector('rect').getBBox());
  for (const path of svg.querySelectorAll('path.edge')) {
    const from = path.dataset.from, to = path.dataset.to, length = path.getTotalLength();
    const edge = `the edge ${from} -> ${to}`;
    const behind = new Set();
    for (let i = 0, n = Math.max(50, Math.ceil(length / 4)); i <= n; i++) {
      const p = path.getPointAtLength(length * i / n);
      for (const [name, b] of boxes) if (name !== from && name !== to && inside(p, b)) behind.add(name);
    }
    for (const name of behind) problems.push(`${edge} runs behind ${name}`);
    const [start, end] = [path.getPointAtLength(0), path.getPointAtLength(length)];
    if (!boxes.has(from) || !near(start, boxes.get(from), 1)) problems.push(`${edge} does not start at ${from}`);
    if (!boxes.has(to) || !near(end, boxes.get(to), 3)) problems.push(`${edge} does not end at ${to}`);
  }
}
return problems;
"""


def lineage_problems(driver) -> list[str]:
    return driver.execute_script(LINEAGE_JS)


# Every table fits the box it is in (no sideways scrolling to reach a column), and the page fits the window.
OVERFLOW_JS = r"""
const problems = [];
for (const table of document.querySelectorAll('table')) {
  const over = table.getBoundingClientRect().width - table.parentElement.clientWidth;
  const name = (table.querySelector('caption') || table.querySelector('th') || table).textContent.trim().slice(0, 50);
  if (over > 1) problems.push(`the table "${name}" is ${Math.round(over)} px wider than its box`);
}
const page = document.documentElement;
const wider = page.scrollWidth - page.clientWidth;
if (wider > 1) problems.push(`the page is ${wider} px wider than the window`);
return problems;
"""


def overflow_problems(driver) -> list[str]:
    return driver.execute_script(OVERFLOW_JS)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        for name in ("href", "src"):
            if attributes.get(name) and tag in ("a", "link", "script", "img"):
                self.links.append(attributes[name])


def broken_links(site: Path) -> list[str]:
    """Every link and resource of every page that does not resolve to a file of the site (and id in it)."""
    parsed: dict[Path, _Links] = {}

    def parse(page: Path) -> _Links:
        if page not in parsed:
            parser = _Links()
            parser.feed(page.read_text(encoding="utf-8"))
            parsed[page] = parser
        return parsed[page]

    problems = []
    root = site.resolve()
    for page in sorted(root.rglob("*.html")):
        for link in parse(page).links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:  # mailto:, http(s): not the site's own
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if root not in (target, *target.parents) or not target.is_file():
                problems.append(f"{page.relative_to(root)}: {link} (no such file)")
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in parse(target).ids:
                problems.append(f"{page.relative_to(root)}: {link} (no id {parts.fragment})")
    return problems


def blank_screenshot(path: Path) -> str | None:
    """Why a screenshot is not a picture of a page (missing, not a PNG, nearly one colour), or None."""
    from PIL import Image

    if not path.is_file():
        return f"{path} was not written"
    with Image.open(path) as image:
        if image.format != "PNG":
            return f"{path} is {image.format}, not PNG"
        colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
    if colours is not None and len(colours) < 20:
        return f"{path} has {len(colours)} colours: a blank page"
    return None


CSP_META = "content-security-policy"


class _Markup(HTMLParser):
    """What a page holds as markup: scripts, styles, event handlers, its policy; and its text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.text: list[str] = []
        self.policy: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on") or name == "style" or not name.replace("-", "").replace(":", "").isalpha():
                self.problems.append(f"<{tag}> has the attribute {name}={value!r}")
            if name in ("href", "src") and (value or "").strip().lower().startswith(("javascript:", "data:")):
                self.problems.append(f"<{tag}> links to {value!r}")
        if tag == "script" and not (attributes.get("src") or "").startswith(("assets/", "../assets/")):
            self.problems.append(f"a script that is not one of the site's files: {attributes}")
        if tag == "style":
            self.problems.append("a <style> element")
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == CSP_META:
            self.policy = attributes.get("content")
        if tag in ("iframe", "object", "embed", "base"):
            self.problems.append(f"a <{tag}> element")

    def handle_data(self, data):
        self.text.append(data)


def markup_problems(site: Path, policy: str | None = None) -> dict[str, list[str]]:
    """Per page: markup a page of the catalog never holds (inline scripts and styles, event handlers; with
    `policy`, a page without it as its Content-Security-Policy); an empty dict when there is none."""
    found = {}
    for page in sorted(site.rglob("*.html")):
        parser = _Markup()
        parser.feed(page.read_text(encoding="utf-8"))
        problems = list(parser.problems)
        if policy is not None and parser.policy != policy:
            problems.append(f"its Content-Security-Policy is {parser.policy!r}")
        if problems:
            found[str(page.relative_to(site))] = problems
    return found


def page_text(page: Path) -> str:
    """A page's text, as a browser shows it (entities decoded), markup left out."""
    parser = _Markup()
    parser.feed(page.read_text(encoding="utf-8"))
    return "".join(parser.text)


class _Rows(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table_rows(page: Path) -> list[list[str]]:
    """The text of each cell of each table row of a page, header rows too."""
    parser = _Rows()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.rows
