// `tebiki serve` in real Chromium: a copy of the bundled site is served with the real binary
// (TEBIKI_BIN, set by tests/browser.rs), a step is edited while a phone-sized page is open at that
// step, and the page must reload by itself and stay at the same step; a broken step must show the
// error overlay, and fixing it must take the overlay away.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';

import { ROOT, launch, waitForScrollEnd } from './lib.mjs';

const BIN = process.env.TEBIKI_BIN;
/** How long the server may take to print its "serving … at URL" line. */
const START_MS = 30_000;
/** How long a saved edit may take to reach the open page (rebuild, reload, new socket). */
const RELOAD_MS = 10_000;
const VIEWPORT = { width: 360, height: 740 };
const STEP = 'pause';
const STEP_FILE = `content/zaim-amazon/steps/${STEP}.md`;

if (!BIN) {
  test.skip(
    'tebiki serve: skipped because TEBIKI_BIN (the tebiki binary) is not set; run it through ' +
      '`cargo test --test browser`, or set TEBIKI_BIN=/abs/path/target/debug/tebiki',
  );
} else {
  /** The temporary site, the server, its output so far, the browser and the open page. */
  const s = { dir: null, server: null, log: '', browser: null, page: null, url: null };
  /** How many `hello`s the page's live-reload sockets received: one per connected page load. */
  let hellos = 0;

  /** Polls `check` every 50 ms until it is true; fails after `ms` naming `what`. */
  async function until(what, check, ms) {
    const start = Date.now();
    for (;;) {
      if (await check()) return;
      if (Date.now() - start > ms) {
        throw new Error(`timed out after ${ms} ms waiting for ${what}\nserver output:\n${s.log}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Applies `change` to the site and waits until the page reloaded and reconnected. */
  async function changeAndReload(what, change) {
    const seen = hellos;
    const loaded = s.page.waitForEvent('load', { timeout: RELOAD_MS }).catch((err) => {
      throw new Error(
        `the page did not reload within ${RELOAD_MS} ms after ${what}: ${err.message}\n` +
          `server output:\n${s.log}`,
      );
    });
    change();
    await loaded;
    await until(`the reloaded page's live-reload socket after ${what}`, () => hellos > seen, RELOAD_MS);
    await waitForScrollEnd(s.page);
  }

  /** Where the step is: location.hash, scrollY, the step's top in the viewport, innerHeight. */
  const position = () =>
    s.page.evaluate((id) => {
      const el = document.getElementById(id);
      return {
        hash: location.hash,
        scrollY: Math.round(scrollY),
        top: el ? Math.round(el.getBoundingClientRect().top) : null,
        innerHeight,
      };
    }, STEP);

  const assertAtStep = (pos, when) => {
    assert.equal(pos.hash, `#${STEP}`, `${when}: location.hash`);
    assert.ok(
      pos.top !== null && pos.top >= -50 && pos.top < pos.innerHeight,
      `${when}: #${STEP} is out of view (top ${pos.top}, innerHeight ${pos.innerHeight}, scrollY ${pos.scrollY})`,
    );
  };

  const stepFile = () => path.join(s.dir, STEP_FILE);

  before(async () => {
    s.dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'tebiki-serve-')));
    for (const entry of ['site.yaml', 'content', 'themes', 'static']) {
      cpSync(path.join(ROOT, entry), path.join(s.dir, entry), { recursive: true });
    }
    s.server = spawn(BIN, ['serve', '--root', s.dir, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    s.server.stderr.on('data', (chunk) => {
      s.log += chunk;
    });
    s.url = await new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`tebiki serve printed no "serving … at URL" in ${START_MS} ms:\n${s.log}`)),
        START_MS,
      );
      s.server.once('error', (err) => {
        clearTimeout(timer);
        reject(new Error(`could not start ${BIN}: ${err.message}`));
      });
      s.server.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`tebiki serve exited (${signal || code}) before serving:\n${s.log}`));
      });
      createInterface({ input: s.server.stdout }).on('line', (line) => {
        s.log += `${line}\n`;
        const m = /^serving .* at (http:\/\/\S+) /.exec(line);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
    });

    s.browser = await launch();
    s.page = await s.browser.newPage({ viewport: VIEWPORT });
    s.page.on('websocket', (ws) => {
      if (!ws.url().endsWith('/__tebiki/livereload')) return;
      ws.on('framereceived', ({ payload }) => {
        if (payload === 'hello') hellos += 1;
      });
    });
    const response = await s.page.goto(`${s.url}zaim-amazon/#${STEP}`, {
      waitUntil: 'load',
      timeout: RELOAD_MS,
    });
    assert.ok(response && response.ok(), `GET zaim-amazon/: HTTP ${response && response.status()}`);
    await until("the page's live-reload socket", () => hellos > 0, RELOAD_MS);
    await waitForScrollEnd(s.page);
  });

  after(async () => {
    await s.browser?.close().catch(() => {});
    const server = s.server;
    if (server && server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGINT');
      let timer;
      const gone = await Promise.race([
        exited.then(() => true),
        new Promise((resolve) => {
          timer = setTimeout(() => resolve(false), 3000);
        }),
      ]);
      clearTimeout(timer);
      if (!gone) {
        server.kill('SIGKILL');
        await exited;
      }
    }
    if (s.dir) rmSync(s.dir, { recursive: true, force: true });
  });

  test('an edited step reloads the open page, which stays at that step', { timeout: 60_000 }, async () => {
    const was = await position();
    assertAtStep(was, 'before the edit');

    const sentence = `serve-test-${Date.now()}: この一文はブラウザテストが追加しました。`;
    const original = readFileSync(stepFile(), 'utf8');
    await changeAndReload(`appending a sentence to ${STEP_FILE}`, () =>
      writeFileSync(stepFile(), `${original.trimEnd()}\n\n${sentence}\n`),
    );

    const added = s.page.locator(`article#${STEP}`).getByText(sentence);
    assert.equal(await added.count(), 1, `the new sentence is not inside article#${STEP}`);
    assert.ok(await added.isVisible(), `the new sentence inside article#${STEP} is not visible`);
    const now = await position();
    assertAtStep(now, 'after the reload');
    // Nothing above the step changed, so the page is where it was.
    assert.ok(
      Math.abs(now.scrollY - was.scrollY) <= 50,
      `scrollY moved from ${was.scrollY} to ${now.scrollY}`,
    );
  });

  test('a broken step shows the error overlay until it is fixed', { timeout: 60_000 }, async () => {
    const overlay = s.page.locator('#tebiki-error-overlay');
    assert.equal(await overlay.count(), 0, 'an error overlay before anything broke');
    const good = readFileSync(stepFile(), 'utf8');
    const broken = good.replace(/^title: .*$/m, 'title: [broken');
    assert.notEqual(broken, good, `no title line in ${STEP_FILE}`);

    await changeAndReload(`breaking the front matter of ${STEP_FILE}`, () =>
      writeFileSync(stepFile(), broken),
    );
    assert.ok(await overlay.isVisible(), 'the error overlay is not visible after a failed build');
    const text = await overlay.innerText();
    assert.ok(text.includes(`${STEP}.md`), `the error overlay does not mention ${STEP}.md:\n${text}`);

    await changeAndReload(`restoring ${STEP_FILE}`, () => writeFileSync(stepFile(), good));
    assert.equal(await overlay.count(), 0, 'the error overlay stayed after the fix');
    assertAtStep(await position(), 'after the fix');
  });
}
