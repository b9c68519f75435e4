// The annotation editor of `tebiki serve` in real Chromium (issue 24): a Japanese site with a
// real phone screenshot (tests/browser/capture-screens.mjs) is served by the real binary
// (TEBIKI_BIN, set by tests/browser.rs); the editor draws, moves, deletes, undoes and saves,
// and the step file changes only in its annotations; each refusal of the save route is checked
// with fetch from Node; a preview on the network without --allow-edit and a built site carry
// nothing of the editor; axe-core checks the open editor, which is screenshotted at phone and
// desktop widths (into $TEBIKI_EDITOR_SHOTS, else $TEBIKI_SCREENSHOTS/editor).

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';

import { capture } from './capture-screens.mjs';
import { ROOT, launch, settle } from './lib.mjs';

const BIN = process.env.TEBIKI_BIN;
const AXE = path.join(ROOT, 'node_modules/axe-core/axe.min.js');
/** How long the server may take to print its "serving … at URL" line. */
const START_MS = 30_000;
/** How long a save may take to reach the open page (write, rebuild, reload). */
const RELOAD_MS = 15_000;
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };
const STEP_FILE = 'content/renkei/steps/open-settings.md';
const FIGURE = 'renkei/step:open-settings';
const MOCKUP_FILE = 'content/renkei/steps/press-link.md';
const MOCKUP_FIGURE = 'renkei/step:press-link';
/** The second step: a mock-up whose 【連携する】 is highlighted (a comment after the list). */
const MOCKUP_STEP = [
  '---',
  'title: 【連携する】を押す',
  'image:',
  '  alt: 連携画面。【連携する】が赤い枠で囲まれている',
  '  mockup:',
  '    screen: 連携',
  '    left: back',
  '    items:',
  '      - {kind: button, id: link, text: 連携する}',
  '      - {kind: button, id: later, text: あとで}',
  '    highlight: [link]  # 押すボタン',
  '---',
  '画面のいちばん下にあります。',
  '',
].join('\n');
const SHOTS =
  process.env.TEBIKI_EDITOR_SHOTS ||
  path.join(process.env.TEBIKI_SCREENSHOTS || path.join(tmpdir(), 'tebiki-browser-screenshots'), 'editor');

/** Writes a Japanese site whose first step annotates the v1 settings screen. */
async function makeSite(dir) {
  const shots = path.join(dir, 'shots');
  const boxes = (await capture(shots, { versions: ['v1'], screens: ['settings'] })).v1.settings;
  const images = path.join(dir, 'content/renkei/images');
  mkdirSync(images, { recursive: true });
  mkdirSync(path.join(dir, 'content/renkei/steps'), { recursive: true });
  writeFileSync(path.join(images, 'settings.png'), readFileSync(path.join(shots, 'v1/settings.png')));
  rmSync(shots, { recursive: true, force: true });
  writeFileSync(path.join(dir, 'site.yaml'), 'title: 注釈エディタのテスト\nbase_url: https://editor.test/\nlanguage: ja\n');
  writeFileSync(
    path.join(dir, 'content/renkei/guide.yaml'),
    [
      'title: 家計簿アプリとAmazonを連携する',
      'description: 注釈エディタを確かめるためのガイドです。',
      'published: 2026-12-01',
      'sections:',
      '  - id: link',
      '    kind: procedure',
      '    title: 連携する',
      '    steps:',
      '      - open-settings',
      '      - press-link',
      '',
    ].join('\n'),
  );
  const [bx, by, bw, bh] = boxes.button;
  const [cx, cy, cw, ch] = boxes.card;
  const [rx, ry, rw, rh] = boxes.row;
  writeFileSync(
    path.join(dir, STEP_FILE),
    [
      '---',
      'title: 設定を開く',
      '# 注釈は注釈エディタ（tebiki serve）で直せます。',
      'image:',
      '  src: images/settings.png',
      '  alt: 設定画面。連携するボタンが赤い丸で囲まれ、本人情報は隠されている',
      '  annotations:',
      `    - {shape: circle, x: ${bx + bw / 2}, y: ${by + bh / 2}, r: 117}`,
      `    - {shape: mask, x: ${cx}, y: ${cy}, w: ${cw}, h: ${ch}}`,
      `    - {shape: frame, x: ${rx}, y: ${ry}, w: ${rw}, h: ${rh}, color: "#0b8043"}`,
      '---',
      '設定画面を開きます。',
      '',
    ].join('\n'),
  );
  writeFileSync(
    path.join(dir, 'content/renkei/steps/press-link.md'),
    MOCKUP_STEP,
  );
  return boxes;
}

/** Starts `tebiki serve` on `dir` with `args`, speaking Japanese (the author's language, so the
 *  editor's buttons are 「注釈を編集」, 「保存」 …); resolves to { url, log(), stop() }. */
async function startServe(dir, args = []) {
  const proc = spawn(BIN, ['serve', '--root', dir, '--port', '0', '--lang', 'ja', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  proc.stderr.on('data', (chunk) => {
    log += chunk;
  });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`tebiki serve printed no "serving … at URL" in ${START_MS} ms:\n${log}`)),
      START_MS,
    );
    proc.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`could not start ${BIN}: ${err.message}`));
    });
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`tebiki serve exited (${signal || code}) before serving:\n${log}`));
    });
    createInterface({ input: proc.stdout }).on('line', (line) => {
      log += `${line}\n`;
      const m = / (http:\/\/\S+) /.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
  });
  return {
    url,
    log: () => log,
    stop: async () => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((resolve) => proc.once('exit', resolve));
      proc.kill('SIGINT');
      let timer;
      const gone = await Promise.race([
        exited.then(() => true),
        new Promise((resolve) => {
          timer = setTimeout(() => resolve(false), 3000);
        }),
      ]);
      clearTimeout(timer);
      if (!gone) {
        proc.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/** The token and the figure's version on the served page. */
async function pageState(url) {
  const html = await (await fetch(`${url}renkei/`)).text();
  const token = /<meta name="tebiki-token" content="([0-9a-f]+)">/.exec(html)?.[1];
  const version = new RegExp(`data-tebiki-figure="${FIGURE}" data-tebiki-version="([^"]+)"`).exec(html)?.[1];
  return { html, token, version };
}

/** POSTs a save to the server at `url`: `body` (an object or a string), `headers` merged in. */
function save(url, body, headers = {}) {
  return fetch(`${url}__tebiki/annotations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: new URL(url).origin, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Every file under `dir`, as relative paths. */
function walk(dir, rel = '') {
  return readdirSync(path.join(dir, rel)).flatMap((name) => {
    const child = rel ? `${rel}/${name}` : name;
    return statSync(path.join(dir, child)).isDirectory() ? walk(dir, child) : [child];
  });
}

if (!BIN) {
  test.skip(
    'the annotation editor: skipped because TEBIKI_BIN (the tebiki binary) is not set; run it ' +
      'through `cargo test --test browser`, or set TEBIKI_BIN=/abs/path/target/debug/tebiki',
  );
} else {
  const s = { dir: null, server: null, browser: null, boxes: null };

  before(async () => {
    s.dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'tebiki-editor-')));
    s.boxes = await makeSite(s.dir);
    s.server = await startServe(s.dir);
    s.browser = await launch();
  });

  after(async () => {
    await s.browser?.close().catch(() => {});
    await s.server?.stop();
    if (s.dir) rmSync(s.dir, { recursive: true, force: true });
  });

  /** A new page at `viewport` with the guide open. */
  async function openGuide(viewport) {
    const context = await s.browser.newContext({ viewport });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (err) => errors.push(err.message));
    const response = await page.goto(`${s.server.url}renkei/`, { waitUntil: 'load' });
    assert.ok(response?.ok(), `GET renkei/: HTTP ${response?.status()}`);
    await settle(page);
    return { page, context, errors };
  }

  /** Clicks 「注釈を編集」 on the figure; the open editor (the dialog). */
  async function openEditor(page) {
    const figure = page.locator(`figure[data-tebiki-figure="${FIGURE}"]`);
    await figure.scrollIntoViewIfNeeded();
    await figure.getByRole('button', { name: '注釈を編集', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: '注釈を編集' });
    await dialog.waitFor({ state: 'visible' });
    await dialog.locator('.tebiki-editor-stage img').evaluate(
      (img) => img.complete || new Promise((resolve) => img.addEventListener('load', resolve, { once: true })),
    );
    return dialog;
  }

  /** Where picture pixel (x, y) is on the screen, in the open editor. */
  async function screenAt(dialog, x, y) {
    const box = await dialog.locator('.tebiki-editor-stage svg').boundingBox();
    const [, , W, H] = (await dialog.locator('.tebiki-editor-stage svg').getAttribute('viewBox')).split(' ').map(Number);
    // viewBox and box have the same aspect ratio (the stage keeps the picture's).
    return { x: box.x + (x / W) * box.width, y: box.y + (y / H) * box.height };
  }

  async function drag(page, from, to) {
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    const steps = 8;
    for (let i = 1; i <= steps; i += 1) {
      await page.mouse.move(from.x + ((to.x - from.x) * i) / steps, from.y + ((to.y - from.y) * i) / steps);
    }
    await page.mouse.up();
  }

  const shapeCount = (dialog) => dialog.locator('.tebiki-shape').count();

  /**
   * Waits until `page` is loaded and stays so for a moment: a save writes the step file and
   * then anchors.yaml, and each write rebuilds the preview and tells the page to reload, so a
   * second reload may follow the first.
   */
  async function settledAfterReloads(page) {
    for (let tries = 0; ; tries += 1) {
      try {
        await settle(page);
        await page.waitForTimeout(500);
        await settle(page);
        return;
      } catch (err) {
        if (tries >= 3 || !/context was destroyed|navigat/i.test(err.message)) throw err;
        await page.waitForLoadState('load');
      }
    }
  }

  test('the served page has the token, the figure\'s data and the button', async () => {
    const { html, token, version } = await pageState(s.server.url);
    assert.ok(token && token.length >= 32, 'no <meta name="tebiki-token"> with a long token');
    assert.ok(version, `no data-tebiki-version on ${FIGURE}`);
    const annotations = /data-tebiki-annotations="([^"]*)"/.exec(html)?.[1];
    assert.ok(annotations, 'no data-tebiki-annotations');
    const { page, context, errors } = await openGuide(DESKTOP);
    const buttons = page.getByRole('button', { name: '注釈を編集', exact: true });
    assert.equal(await buttons.count(), 2, 'one 「注釈を編集」 for the screenshot, one for the mock-up');
    assert.ok(await buttons.first().isVisible() && await buttons.last().isVisible(), '「注釈を編集」 is not visible');
    assert.deepEqual(errors, [], 'script errors on the page');
    await context.close();
  });

  test(
    'draw, move, delete, undo and save: the file changes only in its annotations and the page reloads with them',
    { timeout: 90_000 },
    async () => {
      const file = path.join(s.dir, STEP_FILE);
      const original = readFileSync(file, 'utf8');
      const { page, context, errors } = await openGuide(DESKTOP);
      const dialog = await openEditor(page);
      assert.equal(await shapeCount(dialog), 3, 'the editor shows the figure\'s three annotations');

      // Draw a circle by dragging, left of the version line at the bottom of the screen.
      await dialog.getByRole('button', { name: '円', exact: true }).click();
      await drag(page, await screenAt(dialog, 385, 2370), await screenAt(dialog, 485, 2370));
      assert.equal(await shapeCount(dialog), 4, 'dragging with 円 drew no circle');
      const drawn = await dialog.locator('.tebiki-shape').nth(3).locator('circle').first();
      const before = {
        cx: Number(await drawn.getAttribute('cx')),
        cy: Number(await drawn.getAttribute('cy')),
        r: Number(await drawn.getAttribute('r')),
      };
      assert.ok(Math.abs(before.cx - 385) < 8 && Math.abs(before.cy - 2370) < 8, `circle at ${JSON.stringify(before)}`);
      assert.ok(Math.abs(before.r - 100) < 8, `radius ${before.r}, not about 100`);

      // Move it onto the version line: with 選択, grab it in its middle and drag it 200 picture
      // pixels right.
      await dialog.getByRole('button', { name: '選択', exact: true }).click();
      await drag(page, await screenAt(dialog, 385, 2370), await screenAt(dialog, 585, 2370));
      const moved = await dialog.locator('.tebiki-shape').nth(3).locator('circle').first();
      const cx = Number(await moved.getAttribute('cx'));
      assert.ok(Math.abs(cx - 585) < 8, `the circle was not moved by dragging its middle: cx ${cx}`);
      // Nudge it with the keyboard: Shift+ArrowUp is 10 pixels.
      await dialog.locator('.tebiki-shape').nth(3).focus();
      await page.keyboard.press('Shift+ArrowUp');
      await page.keyboard.press('ArrowLeft');
      const nudged = dialog.locator('.tebiki-shape').nth(3).locator('circle').first();
      const cy = Number(await nudged.getAttribute('cy'));
      assert.ok(Math.abs(cy - (before.cy - 10)) < 0.01, `Shift+ArrowUp moved cy from ${before.cy} to ${cy}`);
      assert.ok(Math.abs(Number(await nudged.getAttribute('cx')) - (cx - 1)) < 0.01, 'ArrowLeft did not move it 1 px');
      // Resize it by its handle: 50 picture pixels wider.
      const handle = await dialog.locator('.tebiki-handle[data-handle="r"]').boundingBox();
      assert.ok(handle && handle.width >= 20, `the circle's handle: ${JSON.stringify(handle)}`);
      const grip = { x: handle.x + handle.width / 2, y: handle.y + handle.height / 2 };
      const edge = await screenAt(dialog, cx - 1 + before.r, cy);
      const wider = await screenAt(dialog, cx - 1 + before.r + 50, cy);
      await drag(page, grip, { x: grip.x + (wider.x - edge.x), y: grip.y });
      const r = Number(await dialog.locator('.tebiki-shape').nth(3).locator('circle').first().getAttribute('r'));
      assert.ok(Math.abs(r - (before.r + 50)) < 8, `dragging the handle made r ${r}, not about ${before.r + 50}`);

      // Delete the frame, then undo that.
      await drag(page, await screenAt(dialog, 600, s.boxes.row[1] + 80), await screenAt(dialog, 600, s.boxes.row[1] + 80));
      assert.equal(
        await dialog.locator('.tebiki-shape.is-selected rect').getAttribute('stroke'),
        '#0b8043',
        'clicking inside the frame did not select it',
      );
      await dialog.getByRole('button', { name: '削除', exact: true }).click();
      assert.equal(await shapeCount(dialog), 3, '削除 did not delete the frame');
      await dialog.getByRole('button', { name: '元に戻す', exact: true }).click();
      assert.equal(await shapeCount(dialog), 4, '元に戻す did not bring the frame back');

      // What the new circle is written as, then save.
      await dialog.locator('.tebiki-shape').nth(3).focus();
      const readout = await dialog.locator('.tebiki-editor-readout').innerText();
      const m = /x: ([\d.]+)\s+y: ([\d.]+)\s+r: ([\d.]+)/.exec(readout);
      assert.ok(m, `the readout says no numbers: ${readout}`);
      const loaded = page.waitForEvent('load', { timeout: RELOAD_MS });
      const answered = page.waitForResponse((r) => r.url().endsWith('/__tebiki/annotations'));
      await dialog.getByRole('button', { name: '保存', exact: true }).click();
      const response = await answered;
      assert.equal(response.status(), 200, `the save answered ${response.status()}: ${await response.text()}`);
      await loaded.catch((err) => {
        throw new Error(`the page did not reload after the save: ${err.message}\n${s.server.log()}`);
      });
      await settledAfterReloads(page);

      // The file: one line more, the new circle's; every other line as it was.
      const now = readFileSync(file, 'utf8');
      const was = original.split('\n');
      const is = now.split('\n');
      const added = is.filter((line) => !was.includes(line));
      const removed = was.filter((line) => !is.includes(line));
      assert.deepEqual(removed, [], `the save changed or removed lines:\n${now}`);
      assert.deepEqual(added, [`    - {shape: circle, x: ${m[1]}, y: ${m[2]}, r: ${m[3]}}`], `the save added:\n${now}`);
      assert.equal(is.length, was.length + 1);
      assert.equal(is.indexOf(added[0]), was.findIndex((l) => l.includes('shape: frame')) + 1, 'the new circle is last');

      // The reloaded page draws it.
      const overlay = page.locator(`figure[data-tebiki-figure="${FIGURE}"] svg.figure-overlay`);
      const circles = await overlay.locator('circle.mark').evaluateAll((els) =>
        els.map((e) => [e.getAttribute('cx'), e.getAttribute('cy'), e.getAttribute('r')]),
      );
      assert.deepEqual(circles.at(-1), [m[1], m[2], m[3]], `the page's overlay: ${JSON.stringify(circles)}`);
      assert.equal(await page.getByRole('dialog').count(), 0, 'the editor is still open after the reload');
      // Its anchors are recorded, the new circle's too (it points at the version line).
      const anchors = readFileSync(path.join(s.dir, 'content/renkei/anchors.yaml'), 'utf8');
      assert.equal((anchors.match(/- \{shape: /g) || []).length, 4, `anchors.yaml:\n${anchors}`);
      assert.deepEqual(errors, [], 'script errors on the page');
      await context.close();
    },
  );

  test('a save without the token is refused (403)', async () => {
    const { version } = await pageState(s.server.url);
    const r = await save(s.server.url, { figure: FIGURE, version, annotations: [] });
    assert.equal(r.status, 403, await r.text());
  });

  test('a save from another origin is refused (403)', async () => {
    const { token, version } = await pageState(s.server.url);
    const r = await save(
      s.server.url,
      { figure: FIGURE, version, annotations: [] },
      { 'x-tebiki-token': token, origin: 'http://evil.example' },
    );
    assert.equal(r.status, 403, await r.text());
  });

  test('a save made from an older page is refused (409) and nothing is written', async () => {
    const { token } = await pageState(s.server.url);
    const file = path.join(s.dir, STEP_FILE);
    const was = readFileSync(file, 'utf8');
    const r = await save(
      s.server.url,
      { figure: FIGURE, version: '0123456789abcdef', annotations: [] },
      { 'x-tebiki-token': token },
    );
    assert.equal(r.status, 409, await r.text());
    assert.equal(readFileSync(file, 'utf8'), was);
  });

  test('a figure key that looks like a path is unknown (404)', async () => {
    const { token, version } = await pageState(s.server.url);
    const r = await save(
      s.server.url,
      { figure: '../../etc/passwd', version, annotations: [] },
      { 'x-tebiki-token': token },
    );
    assert.equal(r.status, 404, await r.text());
  });

  test('a save over 64 KiB is refused (413)', async () => {
    const { token, version } = await pageState(s.server.url);
    const annotations = Array.from({ length: 2000 }, (_, i) => ({ shape: 'badge', x: i, y: i, n: i }));
    const body = JSON.stringify({ figure: FIGURE, version, annotations });
    assert.ok(body.length > 64 * 1024);
    const r = await save(s.server.url, body, { 'x-tebiki-token': token });
    assert.equal(r.status, 413, await r.text());
  });

  test(
    'a mock-up: clicking its elements toggles them in highlight/look/avoid, saved as a minimal edit',
    { timeout: 90_000 },
    async () => {
      const file = path.join(s.dir, MOCKUP_FILE);
      const { page, context, errors } = await openGuide(DESKTOP);
      const figure = page.locator(`figure[data-tebiki-figure="${MOCKUP_FIGURE}"]`);
      await figure.scrollIntoViewIfNeeded();
      await figure.getByRole('button', { name: '注釈を編集', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: '注釈を編集' });
      await dialog.waitFor({ state: 'visible' });
      // The drawing without marks: the editor draws them, so one taken away disappears.
      const src = await dialog.locator('.tebiki-editor-stage img').getAttribute('src');
      const plain = Buffer.from(src.replace(/^data:image\/svg\+xml;base64,/, ''), 'base64').toString('utf8');
      assert.ok(plain.startsWith('<svg') && !plain.includes('class="highlight"'), 'the editor shows the mock-up with its highlight drawn in');
      const element = (id) => dialog.locator(`[data-element="${id}"]`);
      assert.equal(await element('link').getAttribute('aria-label'), 'link: 押すところ');
      assert.equal(await element('later').getAttribute('aria-label'), 'later: 印なし');
      // 押さないところ on 【あとで】 and the back button (by keyboard), 押すところ off and on again
      // on 【連携する】, then undo the back button.
      await dialog.getByRole('button', { name: '押さないところ', exact: true }).click();
      await element('later').click();
      await element('left').focus();
      await page.keyboard.press('Enter');
      assert.equal(await element('left').getAttribute('aria-label'), 'left: 押さないところ');
      await dialog.getByRole('button', { name: '元に戻す', exact: true }).click();
      assert.equal(await element('left').getAttribute('aria-label'), 'left: 印なし', 'undo did not take the mark back');
      await dialog.getByRole('button', { name: '押すところ', exact: true }).click();
      await element('link').click();
      assert.equal(await element('link').getAttribute('aria-label'), 'link: 印なし');
      await element('link').click();
      assert.equal(await element('later').getAttribute('aria-label'), 'later: 押さないところ');
      // 見るところ on the back button: a dotted blue frame, in `look:`.
      await dialog.getByRole('button', { name: '見るところ', exact: true }).click();
      await element('left').click();
      assert.equal(await element('left').getAttribute('aria-label'), 'left: 見るところ');
      assert.equal(await element('left').locator('rect').getAttribute('stroke'), '#1565c0');
      await dialog.getByRole('button', { name: '保存', exact: true }).click();
      await page.waitForEvent('load', { timeout: RELOAD_MS });
      await settledAfterReloads(page);
      assert.equal(
        readFileSync(file, 'utf8'),
        MOCKUP_STEP.replace('# 押すボタン\n', '# 押すボタン\n    look: [left]\n    avoid: [later]\n'),
        'the step file changed elsewhere than the mock-up\'s lists',
      );
      const data = JSON.parse(await page.locator(`figure[data-tebiki-figure="${MOCKUP_FIGURE}"]`).getAttribute('data-tebiki-mockup'));
      assert.deepEqual([data.highlight, data.look, data.avoid], [['link'], ['left'], ['later']]);
      // The built picture draws the marks: the mock-up's SVG has the avoid sign and the look frame.
      const svgUrl = await page.locator(`figure[data-tebiki-figure="${MOCKUP_FIGURE}"] img`).evaluate((img) => img.src);
      const svg = await (await fetch(svgUrl)).text();
      assert.ok(svg.includes('class="avoid"'), 'the served mock-up has no avoid mark');
      assert.ok(svg.includes('class="look"'), 'the served mock-up has no look mark');
      assert.deepEqual(errors, [], 'script errors on the page');
      await context.close();
    },
  );

  test('a mock-up save naming an element it does not have, or marking a screenshot, is refused (400)', async () => {
    const html = await (await fetch(`${s.server.url}renkei/`)).text();
    const token = /<meta name="tebiki-token" content="([0-9a-f]+)">/.exec(html)?.[1];
    const version = new RegExp(`data-tebiki-figure="${MOCKUP_FIGURE}" data-tebiki-version="([^"]+)"`).exec(html)?.[1];
    const before = readFileSync(path.join(s.dir, MOCKUP_FILE), 'utf8');
    const r = await save(s.server.url, { figure: MOCKUP_FIGURE, version, highlight: ['nowhere'] }, { 'x-tebiki-token': token });
    assert.equal(r.status, 400);
    assert.match((await r.json()).error, /nowhere/);
    const shot = await pageState(s.server.url);
    const r2 = await save(s.server.url, { figure: FIGURE, version: shot.version, avoid: [] }, { 'x-tebiki-token': token });
    assert.equal(r2.status, 400);
    assert.match((await r2.json()).error, /スクリーンショット/);
    assert.equal(readFileSync(path.join(s.dir, MOCKUP_FILE), 'utf8'), before, 'a refused save wrote the file');
  });

  test('the editor fetches the screenshot as dropped in (masks not burned in), with the token only', async () => {
    const { token } = await pageState(s.server.url);
    const ask = (body, headers) => fetch(`${s.server.url}__tebiki/original`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: new URL(s.server.url).origin, ...headers },
      body: JSON.stringify(body),
    });
    const r = await ask({ figure: FIGURE }, { 'x-tebiki-token': token });
    assert.equal(r.status, 200, await r.clone().text());
    assert.equal(r.headers.get('content-type'), 'image/png');
    const onDisk = readFileSync(path.join(s.dir, 'content/renkei/images/settings.png'));
    assert.ok(Buffer.from(await r.arrayBuffer()).equals(onDisk), 'not the file as it is in the site');
    assert.equal((await ask({ figure: FIGURE }, {})).status, 403, 'served without the token');
    assert.equal((await ask({ figure: FIGURE }, { 'x-tebiki-token': token, origin: 'http://evil.test' })).status, 403);
    assert.equal((await ask({ figure: MOCKUP_FIGURE }, { 'x-tebiki-token': token })).status, 404, 'a mock-up has no screenshot');
    assert.equal((await ask({ figure: '../content/renkei/images/settings.png' }, { 'x-tebiki-token': token })).status, 404);

    // In the open editor the picture under the mask shows what the mask hides.
    const { page, context } = await openGuide(DESKTOP);
    const dialog = await openEditor(page);
    const stageImg = dialog.locator('.tebiki-editor-stage img');
    await page.waitForFunction((img) => img.src.startsWith('blob:') && img.complete, await stageImg.elementHandle());
    const [cx, cy, cw, ch] = s.boxes.card;
    const published = await page.locator(`figure[data-tebiki-figure="${FIGURE}"] img`).first().evaluate((img) => {
      const set = img.getAttribute('srcset').split(',').map((p) => p.trim().split(/\s+/));
      return new URL(set[set.length - 1][0], img.baseURI).href;
    });
    const spread = await stageImg.evaluate(async (img, [box, publishedUrl]) => {
      // The spread of grey levels inside the mask's rectangle: text on a card, or one flat grey.
      const measure = (source) => {
        const canvas = document.createElement('canvas');
        canvas.width = source.naturalWidth;
        canvas.height = source.naturalHeight;
        const g = canvas.getContext('2d');
        g.drawImage(source, 0, 0);
        const k = source.naturalWidth / 1170;
        // Inside the rectangle, away from its edges (a resized copy blends them).
        const [x, y, w, h] = [box[0] + box[2] * 0.1, box[1] + box[3] * 0.1, box[2] * 0.8, box[3] * 0.8];
        const d = g.getImageData(x * k, y * k, w * k, h * k).data;
        let lo = 255, hi = 0;
        for (let i = 0; i < d.length; i += 4) { lo = Math.min(lo, d[i]); hi = Math.max(hi, d[i]); }
        return hi - lo;
      };
      const other = new Image();
      other.src = publishedUrl;
      await other.decode();
      return { original: measure(img), published: measure(other) };
    }, [[cx, cy, cw, ch], published]);
    assert.ok(spread.published < 16, `the published copy is not masked there: ${JSON.stringify(spread)}`);
    assert.ok(spread.original > 64, `the editor does not show what the mask hides: ${JSON.stringify(spread)}`);
    await context.close();
  });

  test('the error overlay is readable in light and dark mode (axe: nothing serious)', { timeout: 90_000 }, async () => {
    // Break the step's front matter: the preview keeps the last good build under the overlay.
    const file = path.join(s.dir, MOCKUP_FILE);
    const good = readFileSync(file, 'utf8');
    try {
      for (const colorScheme of ['light', 'dark']) {
        const context = await s.browser.newContext({ viewport: DESKTOP, colorScheme });
        const page = await context.newPage();
        await page.goto(`${s.server.url}renkei/`, { waitUntil: 'load' });
        writeFileSync(file, good.replace('title: 【連携する】を押す', 'title: [unclosed'));
        await page.waitForSelector('#tebiki-error-overlay', { timeout: RELOAD_MS });
        await page.addScriptTag({ path: AXE });
        const serious = await page.evaluate(async () => {
          const r = await window.axe.run('#tebiki-error-overlay', { resultTypes: ['violations'] });
          return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
        });
        assert.deepEqual(serious, [], `${colorScheme}: axe on the overlay`);
        const colours = await page.locator('#tebiki-error-overlay pre').evaluate((pre) => {
          const style = getComputedStyle(pre);
          return { color: style.color, background: style.backgroundColor };
        });
        assert.equal(colours.color, 'rgb(255, 255, 255)', `${colorScheme}: the problems' text`);
        assert.ok(/rgba\(0, 0, 0, 0\)|transparent/.test(colours.background), `${colorScheme}: the problems sit in a box of ${colours.background}`);
        mkdirSync(SHOTS, { recursive: true });
        await page.screenshot({ path: path.join(SHOTS, `overlay-${colorScheme}.png`) });
        writeFileSync(file, good);
        await page.waitForSelector('#tebiki-error-overlay', { state: 'detached', timeout: RELOAD_MS }).catch(() => {});
        await context.close();
      }
    } finally {
      writeFileSync(file, good);
    }
  });

  test('invalid shapes are refused (400)', async () => {
    const { token, version } = await pageState(s.server.url);
    const r = await save(
      s.server.url,
      { figure: FIGURE, version, annotations: [{ shape: 'circle', x: 10, y: 10 }] },
      { 'x-tebiki-token': token },
    );
    assert.equal(r.status, 400, await r.text());
  });

  test('--bind 0.0.0.0 without --allow-edit: no token, no button, saves refused (403)', { timeout: 60_000 }, async () => {
    const open = await startServe(s.dir, ['--bind', '0.0.0.0']);
    try {
      const { html, token } = await pageState(open.url);
      assert.equal(token, undefined, 'a token on a preview reachable from the network');
      assert.ok(!html.includes('data-tebiki-figure'), 'data-tebiki-figure on a preview reachable from the network');
      assert.ok(!html.includes('/__tebiki/editor.js'), 'the editor script on a preview reachable from the network');
      const r = await save(open.url, { figure: FIGURE, version: 'x', annotations: [] }, { 'x-tebiki-token': 'f'.repeat(32) });
      assert.equal(r.status, 403, await r.text());
      const context = await s.browser.newContext({ viewport: DESKTOP });
      const page = await context.newPage();
      await page.goto(`${open.url}renkei/`, { waitUntil: 'load' });
      assert.equal(await page.getByRole('button', { name: '注釈を編集' }).count(), 0, 'the button is there');
      await context.close();
    } finally {
      await open.stop();
    }
  });

  test('a built site has nothing of the editor', { timeout: 120_000 }, async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'tebiki-editor-built-'));
    try {
      const built = spawnSync(BIN, ['build', '--root', s.dir, '--output-dir', out], { encoding: 'utf8' });
      assert.equal(built.status, 0, built.stderr);
      const found = [];
      for (const rel of walk(out)) {
        if (!/\.(html|js|css|xml|json|txt|svg)$/.test(rel)) continue;
        const text = readFileSync(path.join(out, rel), 'utf8');
        for (const needle of ['tebiki-token', 'data-tebiki-figure', 'data-tebiki-version', '/__tebiki/']) {
          if (text.includes(needle)) found.push(`${rel}: ${needle}`);
        }
      }
      assert.deepEqual(found, []);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  for (const [name, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ]) {
    test(`the open editor at ${name} width (${viewport.width}×${viewport.height}): usable, and axe-core finds nothing serious`, async () => {
      const { page, context, errors } = await openGuide(viewport);
      const dialog = await openEditor(page);
      // Select the circle, so its handle shows.
      await dialog.locator('.tebiki-shape').first().focus();
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SHOTS, `editor-${name}-${viewport.width}.png`) });

      const problems = await dialog.evaluate((root) => {
        const out = [];
        const vw = document.documentElement.clientWidth;
        const vh = document.documentElement.clientHeight;
        for (const b of root.querySelectorAll('button, input')) {
          if (b.closest('[hidden]')) continue;
          const r = b.getBoundingClientRect();
          const label = b.textContent.trim() || b.type;
          if (r.width === 0 || r.height === 0) out.push(`${label}: not shown`);
          else if (r.left < 0 || r.right > vw + 0.5 || r.top < 0 || r.bottom > vh + 0.5) {
            out.push(`${label}: outside the viewport (${Math.round(r.left)}, ${Math.round(r.top)})–(${Math.round(r.right)}, ${Math.round(r.bottom)})`);
          } else if (r.height < 24 || r.width < 24) out.push(`${label}: ${Math.round(r.width)}×${Math.round(r.height)} px, too small to tap`);
        }
        const stage = root.querySelector('.tebiki-editor-stage').getBoundingClientRect();
        if (stage.width < 150 || stage.height < 150) out.push(`the picture is ${Math.round(stage.width)}×${Math.round(stage.height)} px`);
        if (stage.right > vw + 0.5 || stage.bottom > vh + 0.5 || stage.left < 0 || stage.top < 0) out.push('the picture is not all in view');
        const handle = root.querySelector('.tebiki-handle');
        if (!handle) out.push('the selected circle shows no handle');
        else {
          const h = handle.getBoundingClientRect();
          if (h.width < 10 || h.height < 10) out.push(`a handle is ${h.width.toFixed(1)}×${h.height.toFixed(1)} px`);
        }
        return out;
      });
      assert.deepEqual(problems, [], `the editor at ${viewport.width}×${viewport.height} (screenshot in ${SHOTS})`);

      // The shapes lie on the picture where they point: the frame round the 通知 row.
      const off = await dialog.evaluate((root, [x, y, w, h]) => {
        const img = root.querySelector('.tebiki-editor-stage img').getBoundingClientRect();
        const k = img.width / 1170; // the screenshot is 1170 pixels wide
        const frame = [...root.querySelectorAll('.tebiki-shape rect')].find((r) => r.getAttribute('stroke') === '#0b8043');
        const stroke = Number(frame.getAttribute('stroke-width')) * k;
        const b = frame.getBoundingClientRect();
        const want = [img.left + x * k, img.top + y * k, img.left + (x + w) * k, img.top + (y + h) * k];
        // getBoundingClientRect of an SVG shape is its geometry, without the stroke.
        return Math.max(...[b.left, b.top, b.right, b.bottom].map((v, i) => Math.abs(v - want[i]))) - stroke * 0;
      }, s.boxes.row);
      assert.ok(off <= 2, `the editor draws the frame ${off.toFixed(1)} CSS px off the row it frames`);

      await page.addScriptTag({ path: AXE });
      const violations = await page.evaluate(async () => {
        const r = await window.axe.run('.tebiki-editor', { resultTypes: ['violations'] });
        return r.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id} (${v.impact}): ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      });
      assert.deepEqual(violations, [], 'axe-core on the open editor');
      assert.deepEqual(errors, [], 'script errors on the page');
      await context.close();
    });
  }
}
