"""The HTML page in a real browser: Debian's Chromium, headless, driven by Playwright, opening the page
from disk with networking off. Screenshots at 1280x800 and 390x844; a citation followed scrolls to its
sentence and highlights it; focus lights a bullet's sentences; every text meets WCAG AA contrast in the
light and dark schemes; nothing is requested beyond the page itself."""

from __future__ import annotations

import shutil
import struct
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import paths
import pytest

from briefing import generate_brief, load_source, validate_brief
from briefing.render.html import render_html

ROOT = paths.ROOT
SEED = ROOT / "examples" / "carney-ukraine.txt"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]  # fmt: skip
PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 800}

if not Path(CHROMIUM).is_file():
    pytest.skip(
        "Debian's chromium is not installed and apt could not install it here (.ci/run runs "
        "`apt-get install -y chromium`): the browser test needs /usr/bin/chromium",
        allow_module_level=True,
    )

from playwright.sync_api import BrowserContext, Page, sync_playwright  # noqa: E402

# The contrast of every element's own text with the background it is drawn on (the first ancestor
# with an opaque background), per WCAG 2.x relative luminance. Returns the worst few.
CONTRAST = """() => {
  function rgb(text) {
    const m = text.match(/[\\d.]+/g).map(Number);
    return {r: m[0], g: m[1], b: m[2], a: m.length > 3 ? m[3] : 1};
  }
  function lum(c) { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
                    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); }
  function background(el) {
    for (; el; el = el.parentElement) { const c = rgb(getComputedStyle(el).backgroundColor); if (c.a > 0.99) return c; }
    return rgb(getComputedStyle(document.documentElement).backgroundColor);
  }
  const found = [];
  for (const el of document.body.querySelectorAll("*")) {
    const own = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
    const style = getComputedStyle(el);
    if (!own || style.display === "none" || style.visibility === "hidden" || el.closest(".vh, .skip")) continue;
    const a = lum(rgb(style.color)), b = lum(background(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    found.push({ratio: Math.round(ratio * 100) / 100, tag: el.tagName, cls: el.className,
                text: el.textContent.slice(0, 40)});
  }
  found.sort((x, y) => x.ratio - y.ratio);
  return found.slice(0, 5);
}"""


# Whether an element is inside the window and inside every scrolling box around it.
IN_VIEW = """el => {
    const r = el.getBoundingClientRect();
    if (r.bottom <= 0 || r.top >= innerHeight) return false;
    for (let box = el.parentElement; box; box = box.parentElement) {
        const s = getComputedStyle(box);
        if (!/(auto|scroll)/.test(s.overflowY)) continue;
        const b = box.getBoundingClientRect();
        if (r.bottom <= b.top || r.top >= b.bottom) return false;
    }
    return true;
}"""


@pytest.fixture(scope="module")
def browser() -> Iterator[BrowserContext]:
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=FLAGS, offline=True, viewport=WIDE
        )
        try:
            yield context
        finally:
            context.close()


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pages")
    source = load_source(SEED)
    markdown = (ROOT / "tests" / "data" / "briefs" / "carney-every-status.md").read_text(encoding="utf-8")
    written = {
        "seed": generate_brief(SEED, engine="extractive").to_html(),
        "every": render_html(markdown, validate_brief(markdown, source), source),
    }
    paths = {}
    for name, page in written.items():
        paths[name] = folder / f"{name}.html"
        paths[name].write_text(page, encoding="utf-8")
    return paths


class Visit:
    """A page opened from disk, with every request and script error it causes recorded."""

    def __init__(self, context: BrowserContext, path: Path, viewport: dict[str, int], scheme: str = "light") -> None:
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page: Page = context.new_page()
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
        self.page.set_viewport_size(viewport)
        self.url = path.resolve().as_uri()
        self.page.goto(self.url)

    def in_view(self, selector: str) -> bool:
        """Whether the element is inside the window and inside every scrolling box around it."""
        return bool(self.page.eval_on_selector(selector, IN_VIEW))

    def close(self) -> None:
        assert self.errors == []
        assert self.requests and set(self.requests) == {self.url}, self.requests  # nothing leaves the page
        self.page.close()


def png_size(path: Path) -> tuple[int, int]:
    width, height = struct.unpack(">II", path.read_bytes()[16:24])
    return width, height


@pytest.mark.parametrize(("viewport", "name"), [(WIDE, "wide"), (PHONE, "phone")])
def test_screenshots_of_the_seeds_page(browser: BrowserContext, pages: dict[str, Path], tmp_path: Path,
                                       viewport: dict[str, int], name: str) -> None:  # fmt: skip
    visit = Visit(browser, pages["seed"], viewport)
    shot = tmp_path / f"seed-{name}.png"
    visit.page.screenshot(path=str(shot))
    assert png_size(shot) == (viewport["width"], viewport["height"])
    width = visit.page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], "no sideways scrolling"
    columns = visit.page.eval_on_selector(".layout", "el => getComputedStyle(el).display")
    assert columns == ("grid" if name == "wide" else "block")  # side by side; stacked on a phone
    visit.close()


@pytest.mark.parametrize(("viewport", "which"), [(PHONE, 0), (WIDE, -1)])
def test_following_a_citation_scrolls_its_sentence_into_view_and_highlights_it(
    browser: BrowserContext, pages: dict[str, Path], viewport: dict[str, int], which: int
) -> None:
    visit = Visit(browser, pages["seed"], viewport)
    cites = visit.page.locator("section.brief a.cite")
    link = cites.nth(which if which >= 0 else cites.count() - 1)
    target = "#" + (link.get_attribute("href") or "#")[1:]
    before = visit.page.eval_on_selector(target, "el => getComputedStyle(el).backgroundColor")
    assert not visit.in_view(target)
    link.click()
    assert visit.page.evaluate("location.hash") == target
    assert visit.in_view(target)
    assert visit.page.eval_on_selector(target, "el => el.matches(':target')")
    after = visit.page.eval_on_selector(target, "el => getComputedStyle(el).backgroundColor")
    assert after != before and after != "rgba(0, 0, 0, 0)"
    visit.close()


def test_the_keyboard_reaches_each_bullet_and_focus_lights_its_sentences(
    browser: BrowserContext, pages: dict[str, Path]
) -> None:
    visit = Visit(browser, pages["seed"], WIDE)
    visit.page.keyboard.press("Tab")
    assert visit.page.evaluate("document.activeElement.className") == "skip"
    seen = []
    for _ in range(12):
        visit.page.keyboard.press("Tab")
        focused = visit.page.evaluate("document.activeElement.id || document.activeElement.getAttribute('href')")
        seen.append(focused)
        if visit.page.evaluate("document.activeElement.tagName") == "LI":
            cited = visit.page.evaluate("document.activeElement.dataset.cites").split()
            lit = visit.page.evaluate("Array.from(document.querySelectorAll('.sent.lit')).map(e => e.id)")
            assert lit == cited
    assert "b1" in seen and "#s1" in seen  # the first bullet, then its citation
    visit.page.hover("section.brief a.fig >> nth=0")
    [span] = visit.page.evaluate("Array.from(document.querySelectorAll('.lit')).map(e => e.id)")
    assert span.startswith("x")  # hovering a figure lights its span in the article
    visit.close()


def test_the_page_prints_as_one_column_without_the_back_links(browser: BrowserContext, pages: dict[str, Path]) -> None:
    visit = Visit(browser, pages["seed"], WIDE)
    visit.page.emulate_media(media="print")
    style = visit.page.evaluate("""() => ({
        layout: getComputedStyle(document.querySelector('.layout')).display,
        article: getComputedStyle(document.querySelector('.article')).position,
        overflow: getComputedStyle(document.querySelector('.article')).overflowY,
        back: getComputedStyle(document.querySelector('.cited-by')).display })""")
    assert style == {"layout": "block", "article": "static", "overflow": "visible", "back": "none"}
    visit.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_text_meets_wcag_aa_contrast(browser: BrowserContext, pages: dict[str, Path], scheme: str) -> None:
    for name in ("seed", "every"):
        visit = Visit(browser, pages[name], WIDE, scheme)
        background = visit.page.evaluate("getComputedStyle(document.documentElement).backgroundColor")
        assert (background == "rgb(255, 255, 255)") == (scheme == "light")
        worst = visit.page.evaluate(CONTRAST)
        assert worst[0]["ratio"] >= 4.5, worst
        visit.page.click("section.brief a.cite >> nth=2")  # a followed citation and a lit bullet
        visit.page.focus("#b2")
        worst = visit.page.evaluate(CONTRAST)
        assert worst[0]["ratio"] >= 4.5, worst
        visit.close()


def test_the_page_of_a_1000_sentence_article(browser: BrowserContext, tmp_path: Path) -> None:
    paragraphs = []
    for p in range(200):
        paragraphs.append(" ".join(
            f"Residents of district {p} met on the {s + 2}th floor of the hall in {1990 + (p + s) % 30} to read "
            f"report number {p * 5 + s} about the roads." for s in range(5)
        ))  # fmt: skip
    started = time.perf_counter()
    result = generate_brief("\n\n".join(paragraphs) + "\n", engine="extractive")
    page = result.to_html()
    built = time.perf_counter() - started
    assert len(result.source.sentences) == 1000
    path = tmp_path / "long.html"
    path.write_text(page, encoding="utf-8")
    visit = Visit(browser, path, WIDE)
    timing = visit.page.evaluate("""() => { const t = performance.getEntriesByType('navigation')[0];
        return {dom: t.domContentLoadedEventEnd, load: t.loadEventEnd}; }""")
    assert visit.page.locator(".sent").count() == 1000
    print(f"\n1,000-sentence page: {len(page.encode()) / 1000:.0f} KB, built in {built:.2f} s, "
          f"DOM ready in the browser at {timing['dom']:.0f} ms, loaded at {timing['load']:.0f} ms")  # fmt: skip
    visit.close()


def test_the_batch_index_sorts_by_status(browser: BrowserContext, tmp_path: Path) -> None:
    from briefing.render.index import render_index

    rows: list[dict[str, Any]] = [
        {"input": "a.txt", "output": str(tmp_path / "a.html"), "status": "ok", "checked": 3},
        {"input": "b.txt", "output": str(tmp_path / "b.html"), "status": "failed", "error": "b.txt is empty"},
        {"input": "c.txt", "output": str(tmp_path / "c.html"), "status": "unsupported", "unsupported": ["C$3"]},
        {"input": "d.txt", "output": str(tmp_path / "d.html"), "status": "skipped"},
    ]
    path = tmp_path / "index.html"
    path.write_text(render_index(rows), encoding="utf-8")
    visit = Visit(browser, path, WIDE)

    def order() -> list[str]:
        return list(visit.page.eval_on_selector_all("tbody tr", "rows => rows.map(r => r.dataset.name)"))

    assert order() == ["a.txt", "b.txt", "c.txt", "d.txt"]
    visit.page.click("button[data-sort=rank]")
    assert order() == ["b.txt", "c.txt", "a.txt", "d.txt"]  # worst first
    visit.page.click("button[data-sort=rank]")
    assert order() == ["d.txt", "a.txt", "c.txt", "b.txt"]
    visit.close()
