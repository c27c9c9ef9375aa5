/// <reference lib="dom" />
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ReportRow,
  renderBackportsReport,
} from "../../src/backports/render-backports-report.js";

/** Debian's chromium, as the dashboard's browser test uses; no browser download is possible here. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARTIFACTS = "test/artifacts";
const sha = (digit: string) => digit.repeat(40);

const rows: ReportRow[] = [
  {
    sha: sha("1"),
    subject: "core: fix crash in parser",
    authorDate: "2024-03-01T10:00:00Z",
    authorEmail: "alice@example.com",
    verdict: "yes",
    reason: "Already on release-1.1 as 11111111.",
    backported: true,
    fix: true,
  },
  {
    sha: sha("2"),
    subject: "ui: add widget",
    authorDate: "2024-03-02T10:00:00Z",
    authorEmail: "12345+bob@users.noreply.github.com",
    verdict: "no",
    reason: "A new feature.",
    backported: false,
    fix: false,
  },
  {
    sha: sha("3"),
    subject: "core: fix leak in cache",
    authorDate: "2024-03-03T10:00:00Z",
    authorEmail: "carol@example.com",
    verdict: "yes",
    reason: "Already on release-1.1 as 33333333.",
    backported: true,
    fix: true,
  },
  {
    sha: sha("4"),
    subject: "net: fix use after free on close",
    authorDate: "2024-03-04T10:00:00Z",
    authorEmail: "alice@example.com",
    verdict: "yes",
    reason: "Fixes #42, a use after free since abc1234.\nVerdict model: backport now (p=0.81).",
    backported: false,
    fix: true,
  },
  {
    sha: sha("5"),
    subject: 'docs: <img src=x onerror="window.pwned=1"> explain options',
    authorDate: "2024-03-05T10:00:00Z",
    authorEmail: "dave@example.com",
    verdict: "no",
    reason: "<script>window.pwned=2</script> Documentation of new options.",
    backported: false,
    fix: false,
  },
  {
    sha: sha("6"),
    subject: "sched: rework the run queue",
    authorDate: "2024-03-06T10:00:00Z",
    authorEmail: "erin@example.com",
    verdict: "wait",
    reason: "Large change: let it settle on main first.",
    backported: false,
    fix: false,
  },
  {
    sha: sha("7"),
    subject: "cli: new flag with fix for exit code",
    authorDate: "2024-03-07T10:00:00Z",
    authorEmail: "frank@example.com",
    verdict: "uncertain",
    reason: "The LLM says backport now: …\nVerdict model: no backport (p=0.20).",
    backported: false,
    fix: true,
  },
];

let browser: Browser;
let page: Page;
let dir: string;
let html: string;
const requested: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "backports-report-"));
  await mkdir(ARTIFACTS, { recursive: true });
  html = renderBackportsReport({
    repo: "acme/shop",
    dev: "main",
    stable: "release-1.1",
    generatedAt: "2024-03-08T00:00:00Z",
    webUrl: "https://github.com/acme/shop",
    notes: [
      "Verdict model learned from 120 earlier commits of release-1.0 (30 backported).",
      "No LLM: LLM_BASE_URL is not set.",
    ],
    rows,
  });
  const file = join(dir, "index.html");
  await writeFile(file, html);
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      `--user-data-dir=${join(dir, "profile")}`,
    ],
  });
  page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 720 });
  await page.setRequestInterception(true);
  page.on("request", (request) => {
    requested.push(request.url());
    // Anything but the file itself would be something the page needs from elsewhere.
    if (request.url().startsWith("file:")) void request.continue();
    else void request.abort();
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await rm(dir, { recursive: true, force: true });
});

const rowBackground = (number: number) =>
  page.$eval(`#c${number}`, (row) => getComputedStyle(row).backgroundColor);
const textArea = () => page.$eval("#cids", (area) => (area as HTMLTextAreaElement).value);
const visibleRows = () =>
  page.$$eval("tr.commit", (all) =>
    all
      .filter((row) => (row as HTMLElement).offsetParent !== null)
      .map((row) => Number(row.getAttribute("data-index"))),
  );

describe("the backport report in Chromium", () => {
  it("opens from disk needing nothing from the network, and shows commit text as text", async () => {
    expect(requested).toEqual([expect.stringMatching(/^file:.*index\.html$/)]);
    // The only addresses in the page are links a reader may follow.
    const addresses = html.match(/(?:src|href)\s*=\s*"[^"]*"|url\(|@import|<link\b/gi) ?? [];
    expect(
      addresses.every((found) => found.startsWith('href="https://github.com/acme/shop/')),
    ).toBe(true);
    expect(
      await page.evaluate(() => (window as unknown as { pwned?: number }).pwned),
    ).toBeUndefined();
    expect(await page.$eval("#c5 td.subject", (cell) => cell.textContent)).toContain(
      '<img src=x onerror="window.pwned=1">',
    );
    expect(await page.$eval("#c6 td.author", (cell) => cell.textContent)).toBe("erin");
    expect(await page.$eval("#c2 td.author", (cell) => cell.textContent)).toBe("bob");
    expect(await page.$eval("#c4 td.reason", (cell) => cell.innerHTML)).toContain(
      '<a href="https://github.com/acme/shop/issues/42">#42</a>',
    );
    expect(
      await page.$eval("#c4 td.id a", (link) => [link.textContent, link.getAttribute("href")]),
    ).toEqual(["44444444", `https://github.com/acme/shop/commit/${sha("4")}`]);
    await page.screenshot({ path: `${ARTIFACTS}/backports-report-opened.png`, fullPage: true });
  });

  it("starts the review after the last backported commit, greys those and sets fixes in bold", async () => {
    expect(await visibleRows()).toEqual([4, 5, 6, 7]);
    expect(await page.$eval("#c3", (row) => row.classList.contains("backported"))).toBe(true);
    expect(await page.$eval("#c3", (row) => getComputedStyle(row).color)).toBe(
      "rgb(156, 163, 175)",
    );
    expect(await page.$eval("#c4 td.subject", (cell) => getComputedStyle(cell).fontWeight)).toBe(
      "700",
    );
    expect(await page.$eval("#c6 td.subject", (cell) => getComputedStyle(cell).fontWeight)).toBe(
      "400",
    );
    expect(await textArea()).toBe(
      `cid_y=( ${sha("4")} )\ncid_w=( ${sha("6")} )\ncid_u=( ${sha("7")} )\ncid_n=( ${sha("5")} )\n`,
    );
  });

  it("recolours a row and redraws the text area when a verdict is clicked", async () => {
    expect(await rowBackground(5)).toBe("rgb(243, 244, 246)");
    await page.click('#c5 input[value="y"]');
    expect(await rowBackground(5)).toBe("rgb(254, 226, 226)");
    expect(await textArea()).toBe(
      `cid_y=( ${sha("4")} ${sha("5")} )\ncid_w=( ${sha("6")} )\ncid_u=( ${sha("7")} )\ncid_n=( )\n`,
    );
    await page.click('#c4 input[value="w"]');
    expect(await rowBackground(4)).toBe("rgb(219, 234, 254)");
    await page.click('#c6 input[value="u"]');
    expect(await rowBackground(6)).toBe("rgb(220, 252, 231)");
    expect(await textArea()).toBe(
      `cid_y=( ${sha("5")} )\ncid_w=( ${sha("4")} )\ncid_u=( ${sha("6")} ${sha("7")} )\ncid_n=( )\n`,
    );
    const counts = await page.$$eval("span.count", (spans) =>
      spans.map((span) => span.textContent),
    );
    // N, U, W, Y: row 2 (before the start) stays N.
    expect(counts).toEqual(["1", "2", "1", "1"]);
    await page.screenshot({ path: `${ARTIFACTS}/backports-report-clicked.png`, fullPage: true });
  });

  it("hides the rows before 'start here', shows them again with All, and hides a verdict on request", async () => {
    await page.click("#c6 input.start");
    expect(await visibleRows()).toEqual([6, 7]);
    expect(await textArea()).toBe(
      `cid_y=( )\ncid_w=( )\ncid_u=( ${sha("6")} ${sha("7")} )\ncid_n=( )\n`,
    );
    await page.click("#all");
    expect(await visibleRows()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    await page.screenshot({ path: `${ARTIFACTS}/backports-report-all.png`, fullPage: true });
    expect(await textArea()).toContain(`cid_n=( ${sha("2")} )`);
    await page.click('input.show[data-verdict="u"]');
    expect(await visibleRows()).toEqual([1, 2, 3, 4, 5]);
    await page.click("#show-backported");
    expect(await visibleRows()).toEqual([2, 4, 5]);
    await page.screenshot({ path: `${ARTIFACTS}/backports-report-filtered.png`, fullPage: true });
  });
});
