// report.html in a real browser: Debian's Chromium, driven by playwright-core,
// opens the report of a run against a deliberately broken implementation and
// checks that the page's own script works: no errors, the outcome filter
// changes the visible rows, and a failing case expands to its transcript.
// Where /usr/bin/chromium is absent the test skips and says so.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROKEN_IMPLEMENTATIONS } from "../../adapters/broken/index.js";
import { runHarness } from "../testing/run.js";
import type { Report } from "./model.js";

const CHROMIUM = "/usr/bin/chromium";
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const SKIP_NOTE = `${CHROMIUM} is absent (install Debian's chromium package to run the browser test of report.html)`;

/** Debian's Chromium, headless, with nothing running in the background and a profile of its own. */
async function launch(userDataDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    viewport: { width: 1280, height: 900 },
  });
}

const rows = (page: Page) => page.locator("#cases tbody tr");
const visibleRows = (page: Page) => page.locator("#cases tbody tr:visible");
const toggle = (page: Page, outcome: string) => page.locator(`.bar button[data-toggle="${outcome}"]`);

describe.skipIf(!HAVE_CHROMIUM)("report.html in Chromium", () => {
  let report: Report;
  let url: string;
  let profile: string;
  let context: BrowserContext;
  let page: Page;
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    // A small run with failures: the RFC 8032 tests, whose altered signatures
    // this implementation accepts.
    const broken = BROKEN_IMPLEMENTATIONS.find((b) => b.name === "skips-signature-check")!;
    const run = await runHarness({ kind: "stdio", command: broken.command }, { filter: ["ed25519/rfc8032/*"] });
    report = JSON.parse(readFileSync(join(run.dir, "report.json"), "utf8")) as Report;
    url = pathToFileURL(join(run.dir, "report.html")).href;
    profile = mkdtempSync(join(tmpdir(), "ap2p-chromium-"));
    context = await launch(profile);
    page = await context.newPage();
    page.on("console", (m) => {
      if (m.type() === "error") consoleErrors.push(m.text());
    });
    page.on("pageerror", (err) => pageErrors.push(String(err)));
    page.on("request", (r) => requests.push(r.url()));
    await page.goto(url, { waitUntil: "load" });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    if (profile !== undefined) rmSync(profile, { recursive: true, force: true });
  });

  it("the run has failing and passing cases to show", () => {
    const outcomes = new Set(report.cases.map((c) => c.outcome));
    expect(outcomes.has("fail")).toBe(true);
    expect(outcomes.has("pass")).toBe(true);
  });

  it("loads with no console errors, no page errors and no request but its own file", async () => {
    expect(await page.title()).toContain("AP2P conformance");
    expect(consoleErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(requests).toEqual([url]);
  });

  it("opens on the failing cases, and the outcome buttons change the visible rows", async () => {
    const total = report.cases.length;
    const failing = report.cases.filter((c) => c.outcome === "fail").length;
    const passing = report.cases.filter((c) => c.outcome === "pass").length;
    expect(await rows(page).count()).toBe(total);

    // A run with failures opens with passing cases hidden.
    expect(await toggle(page, "pass").getAttribute("aria-pressed")).toBe("false");
    expect(await visibleRows(page).count()).toBe(total - passing);
    expect(await page.locator("#shown").innerText()).toBe(`${total - passing} shown`);
    expect(await page.locator('#cases tbody tr[data-outcome="pass"]:visible').count()).toBe(0);

    // Showing passes adds exactly the passing rows.
    await toggle(page, "pass").click();
    expect(await toggle(page, "pass").getAttribute("aria-pressed")).toBe("true");
    expect(await visibleRows(page).count()).toBe(total);

    // Hiding failures leaves no failing row.
    await toggle(page, "fail").click();
    expect(await visibleRows(page).count()).toBe(total - failing);
    expect(await page.locator('#cases tbody tr[data-outcome="fail"]:visible').count()).toBe(0);

    // "failing only" shows the failures and nothing else; "all" shows every row.
    await page.locator("#failing").click();
    expect(await visibleRows(page).count()).toBe(failing);
    for (const r of await visibleRows(page).all()) expect(await r.getAttribute("data-outcome")).toBe("fail");
    await page.locator("#all").click();
    expect(await visibleRows(page).count()).toBe(total);

    // The text filter narrows to one case, and clearing it restores the rest.
    const one = report.cases.find((c) => c.outcome === "fail")!.id;
    await page.locator("#q").fill(one);
    expect(await visibleRows(page).count()).toBe(1);
    expect(await visibleRows(page).first().innerText()).toContain(one);
    await page.locator("#q").fill("");
    expect(await visibleRows(page).count()).toBe(total);
    expect(pageErrors).toEqual([]);
  });

  it("the case table's sticky headings stay below the sticky filter bar when the page scrolls", async () => {
    await page.locator("#all").click();
    // A short window, so that the case table scrolls under both.
    await page.setViewportSize({ width: 1280, height: 400 });
    try {
      // Page scripts run in the browser; they are strings because this project's TypeScript has no DOM types.
      const tableTop = (await page.evaluate("document.querySelector('#cases').getBoundingClientRect().top + window.scrollY")) as number;
      const target = Math.round(tableTop + 150);
      await page.evaluate(`window.scrollTo(0, ${target})`);
      expect(await page.evaluate("window.scrollY")).toBe(target);
      const bar = (await page.locator(".bar").boundingBox())!;
      const th = (await page.locator("#cases thead th").first().boundingBox())!;
      // The bar is stuck at the top of the window, and the headings right below it, not under it.
      expect(Math.abs(bar.y)).toBeLessThan(1);
      expect(th.y).toBeGreaterThanOrEqual(bar.y + bar.height - 0.5);
      expect(th.y).toBeLessThan(bar.y + bar.height + 2);
      // What is painted at the headings' centre is a heading, not the bar.
      const hit = await page.evaluate(`document.elementFromPoint(${th.x + th.width / 2}, ${th.y + th.height / 2})?.closest("th, .bar")?.tagName`);
      expect(hit).toBe("TH");
    } finally {
      await page.evaluate("window.scrollTo(0, 0)");
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it("numeric columns are right-aligned, their headings included", async () => {
    // For each table, the columns whose body cells are numeric (class n), and the alignment of those cells and their heading.
    const { checked, misaligned } = (await page.evaluate(`(() => {
      const misaligned = [];
      let checked = 0;
      for (const table of document.querySelectorAll("table")) {
        const heads = table.querySelectorAll("thead th");
        const numeric = new Set();
        for (const td of table.querySelectorAll("tbody td.n")) {
          numeric.add(td.cellIndex);
          if (getComputedStyle(td).textAlign !== "right") misaligned.push("cell " + td.textContent);
        }
        for (const i of numeric) {
          const th = heads[i];
          checked++;
          if (th === undefined || getComputedStyle(th).textAlign !== "right") misaligned.push("heading " + (th ? th.textContent : "#" + i));
        }
      }
      return { checked, misaligned };
    })()`)) as { checked: number; misaligned: string[] };
    // Summary, roles, cases and requirements each have numeric columns.
    expect(checked).toBeGreaterThanOrEqual(10);
    expect(misaligned).toEqual([]);
  });

  it("expanding a failing case shows its transcript of frames with times", async () => {
    await page.locator("#failing").click();
    const failed = report.cases.find((c) => c.outcome === "fail" && (c.transcript?.length ?? 0) > 0)!;
    const row = page.locator(`#cases tbody tr[data-outcome="fail"]`).filter({ hasText: failed.id });
    const details = row.locator("details");
    const pre = details.locator("pre").first();
    expect(await pre.isVisible()).toBe(false);
    await details.locator("summary").click();
    expect(await details.getAttribute("open")).not.toBeNull();
    expect(await pre.isVisible()).toBe(true);

    const lines = (await pre.innerText()).split("\n").filter((l) => l.trim() !== "");
    expect(lines).toHaveLength(failed.transcript!.length);
    // Each frame: milliseconds since the case started, a direction, the frame.
    for (const line of lines) expect(line).toMatch(/^\s*\d+\.\d{3} ms {2}[→←·] \S/);
    expect(lines.some((l) => l.includes("→") && l.includes('"call"'))).toBe(true);
    expect(lines.some((l) => l.includes("←"))).toBe(true);
    const times = lines.map((l) => Number(l.trim().split(" ")[0]));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(consoleErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});

if (!HAVE_CHROMIUM) {
  console.warn(`report.html browser test skipped: ${SKIP_NOTE}`);
  describe("report.html in Chromium", () => {
    it.skip(`skipped: ${SKIP_NOTE}`, () => {});
  });
}
