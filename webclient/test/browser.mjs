// Drives the web client in a real Chromium (Debian's, via playwright-core) through one scenario and prints what the
// page showed as one JSON line; the C# tests (tests/Vtuber.Server.Tests/Browser) start the server and assert on it.
// Usage: node browser.mjs <scenario> <client url> [fake microphone wav] [screenshot png]
import { chromium } from "playwright-core";

const [scenario, url, micWav, screenshot] = process.argv.slice(2);
const executablePath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const args = ["--autoplay-policy=no-user-gesture-required", "--use-fake-ui-for-media-stream",
  "--use-fake-device-for-media-stream", "--no-sandbox"];
if (micWav) args.push(`--use-file-for-fake-audio-capture=${micWav}`);

const browser = await chromium.launch({ executablePath, args, headless: true });
const result = { scenario, console: [] };
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 700 } });
  page.on("console", (message) => { if (message.type() === "error") result.console.push(message.text()); });
  page.on("pageerror", (error) => result.console.push(String(error)));
  const snapshot = () => page.evaluate(() => window.vtuber.snapshot());
  const waitFor = async (what, predicate, timeoutMs = 15000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const state = await snapshot();
      if (predicate(state)) return state;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; page state: ${JSON.stringify(state)}`);
      await page.waitForTimeout(20);
    }
  };
  const ready = () => waitFor("connected and ready", (s) => s.connected && s.aiState === "idle" && s.historyUid !== "");
  const say = async (text) => {
    await page.fill("#text", text);
    await page.click("#send");
  };

  await page.goto(url);
  result.ready = await ready();

  switch (scenario) {
    case "reply": {
      await say("hello");
      // Sample the drawn mouth every frame while the reply plays: it must open and move with the audio.
      const mouth = [];
      const subtitles = new Set();
      const expressions = new Set();
      const start = await waitFor("a sentence playing", (s) => s.playing && s.aiState === "speaking");
      for (let state = start; !(state.aiState === "idle" && !state.playing); state = await snapshot()) {
        if (state.playing) {
          mouth.push(state.mouthOpen);
          subtitles.add(state.subtitle);
          expressions.add(state.expression);
        }
        await page.waitForTimeout(15);
      }
      result.mouthWhilePlaying = mouth;
      result.subtitles = [...subtitles];
      result.expressions = [...expressions];
      result.final = await snapshot();
      if (screenshot) {
        // A still of a speaking character for the README: reply again and shoot mid-sentence with the mouth open.
        await say("how are you?");
        await waitFor("a sentence playing with the mouth open", (s) => s.playing && s.mouthOpen > 0.4);
        await page.screenshot({ path: screenshot });
        await waitFor("the reply ending", (s) => s.aiState === "idle");
      }
      break;
    }
    case "stop": {
      await say("tell me a long story");
      await waitFor("the first sentence playing", (s) => s.playing && s.aiState === "speaking");
      await page.click("#stop");
      result.afterStop = await snapshot();
      // The server answers an interrupt with nothing; the history it keeps shows what it did (C# side).
      // The next message meets a failing LLM: the page must say why, and be ready again.
      await say("and now?");
      result.afterFailure = await waitFor("the error shown and the page ready",
        (s) => s.errors.length > 0 && s.aiState === "idle");
      result.errorBar = await page.evaluate(() => ({
        visible: !document.getElementById("error").hidden, text: document.getElementById("error-text").textContent,
      }));
      break;
    }
    case "history": {
      await say("remember this line");
      result.first = await waitFor("the reply ending", (s) => s.aiState === "idle" && s.played.length > 0);
      await page.reload();
      result.reloaded = await ready();
      await page.click("#history-toggle");
      const old = result.first.historyUid;
      await waitFor("the old chat in the list", (s) => s.histories.includes(old));
      await page.click(`#history-list li[data-uid="${old}"] .open`);
      result.reopened = await waitFor("the old chat's messages", (s) => s.messages.length >= 2);
      break;
    }
    case "mic": {
      await page.click("#mic");
      result.micStarted = await waitFor("the microphone on", (s) => s.micOn || s.errors.length > 0, 30000);
      result.heard = await waitFor("a transcription and its reply",
        (s) => s.messages.some((m) => m.role === "human") && s.played.length > 0, 30000);
      break;
    }
    default:
      throw new Error(`unknown scenario ${scenario}`);
  }
  result.ok = true;
} catch (error) {
  result.ok = false;
  result.error = String(error?.stack ?? error);
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
