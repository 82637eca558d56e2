// The browser tests, one scenario per run: `node e2e/run.mjs <scenario>` (tests/test_web_ui.py runs them).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { open, shot, until, withPage } from "./browser.mjs";

const scenarios = {
  /** Several files, one by drag and drop; each shows its progress, then its chunks under Files. */
  async upload(page) {
    const [dropped, ...picked] = process.env.DOCUMENTS.split(",");
    await open(page, "upload");
    await page.locator("#files").setInputFiles(picked);
    const content = readFileSync(dropped, "utf8");
    const transfer = await page.evaluateHandle(([name, text]) => {
      const data = new DataTransfer();
      data.items.add(new File([text], name, { type: "text/markdown" }));
      return data;
    }, [basename(dropped), content]);
    await page.getByTestId("dropzone").dispatchEvent("drop", { dataTransfer: transfer });
    for (const path of [dropped, ...picked]) {
      const bar = page.getByRole("progressbar", { name: `Upload of ${basename(path)}` });
      await until(async () => (await bar.getAttribute("aria-valuenow")) === "100", `${path} sent`);
    }
    await until(async () => (await page.getByText("stored: indexing follows").count()) === picked.length + 1, "all stored");
    await shot(page, "upload");
    await open(page, "files");
    for (const path of [dropped, ...picked]) {
      const row = page.getByTestId(`document-${basename(path)}`);
      await until(async () => (await row.count()) && (await row.innerText()).includes("indexed"), `${path} indexed`, 45000);
      const chunks = Number(await row.locator("td").nth(1).innerText());
      assert.ok(chunks > 0, `${path} has ${chunks} chunks`);
    }
    await shot(page, "files");
  },

  /** Generate from the form: the progress bar moves, then the dashboard has the company's conversations. */
  async synthetic(page) {
    await open(page, "synthetic");
    await page.getByLabel("Company name").fill("Fabrikam Cycles");
    await page.getByLabel("Industry").fill("bicycles");
    for (const [label, value] of Object.entries(JSON.parse(process.env.COMPANY))) {
      await page.getByLabel(label, { exact: true }).fill(String(value));
    }
    await shot(page, "synthetic-form");
    await page.getByRole("button", { name: "Generate" }).click();
    const bar = page.getByRole("progressbar", { name: "Generation progress" });
    const seen = new Set();
    const between = () => [...seen].some((v) => v > 0 && v < 100);
    let pictured = false;
    await until(async () => {
      if (await bar.count()) seen.add(Number(await bar.getAttribute("aria-valuenow")));
      if (between() && !pictured) {
        await shot(page, "synthetic-progress", { checked: false }); // a moment, not a state to check
        pictured = true;
      }
      return (await page.locator(".card .status", { hasText: "complete" }).count()) > 0;
    }, "the generation to finish", 60000, 50);
    assert.ok(between(), `the bar showed only ${[...seen].join(", ")}, never a value between 0 and 100`);
    await shot(page, "synthetic-done");
    await open(page, "dashboard");
    const count = page.getByTestId("conversation-count");
    await until(async () => /Fabrikam Cycles.*\b[1-9]\d* conversations/s.test(await count.innerText()), "conversations counted");
    const topics = page.getByTestId("chart-by-topic");
    await until(async () => (await topics.locator(".recharts-bar-rectangle").count()) > 0, "bars by topic");
    await shot(page, "dashboard");
  },

  /** A phone call the tests placed is listed live under Calls; its transcript grows as the media path hears it. */
  async calls(page) {
    const callId = process.env.CALL_ID;
    await open(page, "calls");
    const row = page.getByTestId(`run-${callId}`);
    await until(async () => (await row.count()) && /phone call/.test(await row.innerText()) && /live/.test(await row.innerText()),
      "the call listed live");
    await row.getByRole("button").click();
    const detail = page.getByTestId("call-detail");
    await until(async () => (await detail.innerText()).includes(process.env.CALLER_SAID), "the caller's words, live");
    await until(async () => (await detail.innerText()).includes(process.env.AGENT_SAID.slice(0, 30)), "the agent's answer, live");
    assert.match(await detail.innerText(), /Agents visited\s*router/);
    assert.match(await row.innerText(), /live/);
    await shot(page, "call-live");
  },

  /** The fake microphone asks a question; the agent's spoken answer is heard and transcribed; the caller,
   * speaking again over the answer, interrupts it; then the text box continues the same conversation, whose
   * end the dashboard counts. HEARD: a pattern the transcript must show of the question (the offline
   * engine's recogniser writes it its own way); ANSWER: the opening of the answer, when the test knows it. */
  async voice(page) {
    const count = page.getByTestId("conversation-count");
    await open(page, "dashboard");
    const before = Number((await count.innerText()).match(/(\d+) conversations/)[1]);
    await open(page, "voice");
    await page.getByRole("button", { name: "Start conversation" }).click();
    await page.getByRole("combobox", { name: "Voice" }).selectOption(process.env.VOICE);
    await page.getByRole("button", { name: /Speak/ }).click();
    await until(async () => (await page.getByText("the agent is speaking").count()) > 0, "the agent's voice (greeting)");
    const transcript = page.getByRole("list", { name: "Transcript" });
    const heard = process.env.HEARD ? new RegExp(process.env.HEARD, "i") : process.env.QUESTION;
    const asked = transcript.locator(".turn-caller").filter({ hasText: heard });
    await until(async () => (await asked.count()) > 0, `the caller's question (${heard})`, 45000);
    const opening = (process.env.ANSWER || "").split(" ").slice(0, 3).join(" ");
    const cut = transcript.locator(".turn-agent", { hasText: opening }).filter({ hasText: "(interrupted)" });
    await until(async () => (await cut.count()) > 0, "the answer, cut off by the caller", 45000);
    assert.match(await cut.first().innerText(), opening ? new RegExp(`Agent \\(router\\): ${opening}`) : /Agent \(\w+\): \w/);
    await shot(page, "voice-interrupted");
    await page.getByRole("button", { name: /Stop speaking/ }).click();
    await page.getByLabel("Message").fill("Thank you, that is all.");
    await page.getByRole("button", { name: "Send" }).click();
    const answered = transcript.locator('li.turn-caller:has-text("Thank you, that is all.") ~ li.turn-agent');
    await until(async () => (await answered.count()) > 0, "the typed turn's answer");
    await shot(page, "voice-then-text");
    // The agent ended the conversation: once recorded it is counted on the dashboard, which is watching.
    await open(page, "dashboard");
    await until(async () => (await count.innerText()).includes(`${before + 1} conversations`), "the call counted", 30000);
  },

  /** With the function app unreachable, every page says so in words. */
  async down(page) {
    await open(page, "dashboard");
    await page.getByRole("alert").filter({ hasText: "Service unavailable" }).waitFor();
    await shot(page, "service-down");
  },

  /** The pages no other scenario shows (each screenshot is checked by axe-core too), and the keyboard alone
   * reaching the page links and the file picker (hidden behind its label). */
  async accessibility(page) {
    await open(page, "outbox");
    await page.getByText(/No email has been sent yet|Received/).first().waitFor();
    await shot(page, "outbox");
    await open(page, "upload");
    await page.reload(); // Tab from the top of the page
    await page.locator("main h1").waitFor();
    const reached = new Set();
    for (let i = 0; i < 25 && !reached.has("files"); i++) {
      await page.keyboard.press("Tab");
      reached.add(await page.evaluate(() => document.activeElement?.id || document.activeElement?.textContent?.trim()));
    }
    for (const stop of ["Dashboard", "Calls", "Voice chat", "Synthetic data", "Outbox", "files"]) {
      assert.ok(reached.has(stop), `Tab never reached ${stop} (reached ${[...reached].join(", ")})`);
    }
    await page.evaluate(() => sessionStorage.clear());
    await page.reload();
    await page.getByRole("textbox", { name: "Admin key" }).waitFor();
    await shot(page, "admin-key");
  },
};

const name = process.argv[2];
if (!scenarios[name]) {
  console.error(`unknown scenario ${name}; one of ${Object.keys(scenarios).join(", ")}`);
  process.exit(2);
}
try {
  await withPage(name, scenarios[name], { fakeAudio: process.env.CALLER_WAV });
  console.log(`${name}: passed`);
} catch (error) {
  console.error(`${name}: ${error.stack ?? error}`);
  process.exit(1);
}
