// Debian's Chromium driven by playwright-core (no downloaded browser), headless and offline.
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";

export const BASE = process.env.WEB_URL;
export const ADMIN_KEY = process.env.ADMIN_KEY;
const ARTEFACTS = process.env.ARTEFACTS;
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
// Without these Chromium reaches for the network (updates, sync, QUIC probes) or a GPU that is not there.
const QUIET = [
  "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
];

/** Runs `scenario(page)` in a fresh browser profile; the admin key is typed into the key form first. */
export async function withPage(name, scenario, { fakeAudio } = {}) {
  const profile = mkdtempSync(join(tmpdir(), "web-ui-profile-"));
  const media = fakeAudio
    ? ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", `--use-file-for-fake-audio-capture=${fakeAudio}`]
    : [];
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: [...QUIET, ...media], viewport: { width: 1280, height: 900 },
    permissions: fakeAudio ? ["microphone"] : [],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(20000);
  const problems = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  try {
    await page.goto(`${BASE}/#/dashboard`);
    await page.getByRole("textbox", { name: "Admin key" }).fill(ADMIN_KEY);
    await page.getByRole("button", { name: "Continue" }).click();
    await scenario(page);
    if (problems.length) throw new Error(problems.join("\n"));
  } catch (error) {
    await shot(page, `${name}-failure`, { checked: false }).catch(() => undefined);
    throw error;
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/** Keeps a screenshot of the page as it is now, and fails on axe-core's serious or critical findings on it:
 * every page the tests show is checked in the state they show it in. */
export async function shot(page, name, { checked = true } = {}) {
  mkdirSync(ARTEFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTEFACTS, `${name}.png`), fullPage: true });
  if (!checked) return;
  const found = await seriousViolations(page);
  if (found.length) throw new Error(`accessibility of ${name}:\n${found.join("\n")}`);
}

export async function open(page, name) {
  await page.goto(`${BASE}/#/${name}`);
  await page.locator("main h1").first().waitFor();
}

/** axe-core's serious and critical findings on the page as it is now. */
export async function seriousViolations(page) {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
}

/** Polls `check` until it returns a truthy value. */
export async function until(check, what, timeoutMs = 30000, everyMs = 200) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
