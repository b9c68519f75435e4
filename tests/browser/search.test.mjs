// Site search (issue 26) in real Chromium at 360 and 1280 px, on the bundled site: the box in
// the header of the guide list, the guide page and the 404 page finds the right step cards and
// trouble entries for 「メンテナンス」, 「めんてなんす」 (hiragana, tried in katakana), 「認証」 and
// 「サインイン試行」; a result is a link to its anchor, reached with the keyboard; the first query
// fetches at most 1 MB; axe finds no serious violation with the results open.

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { ROOT, assertNone, open, setUp } from './lib.mjs';

const AXE = path.join(ROOT, 'node_modules/axe-core/axe.min.js');
const WIDTHS = [360, 1280];
// Each query and anchors its results must hold (the first one first, when `first`).
const QUERIES = [
  { q: 'メンテナンス', has: ['trouble-maintenance'], first: true },
  { q: 'めんてなんす', has: ['trouble-maintenance'], first: true },
  { q: '認証', has: ['press-back', 'press-authenticate', 'trouble-auth-pressed-early'] },
  { q: 'サインイン試行', has: ['open-signin-mail', 'approved', 'trouble-mail-not-arriving'] },
];

let env;
let site;
before(async () => {
  env = await setUp();
  site = env.sites.find((s) => s.name === 'bundled');
  assert.ok(site, 'the bundled site is under test');
});
after(async () => {
  await env?.close();
});

/** Types `q` into the box (after clearing it) and waits for the answer: the results' anchors
 * (the part after `#`, or the path for a guide) and the status text. */
async function ask(page, q) {
  const input = page.locator('#tebiki-search-input');
  await input.fill('');
  await page.waitForFunction(() => document.querySelector('#tebiki-search-status').textContent === '');
  await input.fill(q);
  await page.waitForFunction(
    () => /件|Nothing|見つかりません|found|読み込めません|could not/.test(document.querySelector('#tebiki-search-status').textContent),
    null,
    { timeout: 15_000 },
  );
  const anchors = await page.$$eval('#tebiki-search-results a', (as) =>
    as.map((a) => new URL(a.href).hash.slice(1) || new URL(a.href).pathname));
  return { anchors, status: await page.textContent('#tebiki-search-status') };
}

test('the queries find the right steps and entries, on the guide page, the list and the 404 page', async (t) => {
  const failures = [];
  for (const width of WIDTHS) {
    const context = await env.browser.newContext({ viewport: { width, height: 800 } });
    const page = await context.newPage();
    for (const at of ['zaim-amazon/', '', '404.html']) {
      const url = site.url + at;
      await open(page, url);
      assert.ok(await page.locator('.site-search').isVisible(), `${url}: the box is shown`);
      for (const { q, has, first } of QUERIES) {
        const { anchors, status } = await ask(page, q);
        for (const want of has) {
          if (!anchors.includes(want)) failures.push(`${width}px ${url} 「${q}」: no #${want} in ${anchors.join(' ')} (${status})`);
        }
        if (first && anchors[0] !== has[0]) failures.push(`${width}px ${url} 「${q}」: #${has[0]} is not first: ${anchors.join(' ')}`);
      }
    }
    await context.close();
  }
  t.diagnostic(`${QUERIES.length} queries × 3 pages × ${WIDTHS.length} widths`);
  assertNone(failures, 'search results');
});

test('keyboard: type, ArrowDown to the first result, Enter goes to its step', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await open(page, `${site.url}zaim-amazon/`);
  await page.locator('#tebiki-search-input').focus();
  const { anchors } = await ask(page, '認証');
  await page.keyboard.press('ArrowDown');
  const focused = await page.evaluate(() => document.activeElement.getAttribute('href'));
  assert.ok(focused.endsWith(`#${anchors[0]}`), `${focused} is the first result`);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await page.waitForFunction((h) => location.hash === `#${h}`, anchors[0]);
  assert.equal(await page.locator(`#${anchors[0]}`).count(), 1);
  await context.close();
});

test('the first query fetches at most 1 MB, and axe finds no serious violation with results open', async (t) => {
  const context = await env.browser.newContext({ viewport: { width: 360, height: 800 } });
  const page = await context.newPage();
  await open(page, `${site.url}zaim-amazon/`);
  let bytes = 0;
  page.on('response', async (response) => {
    if (!response.url().includes('/pagefind/')) return;
    try {
      bytes += (await response.body()).length;
    } catch {
      // a response without a body
    }
  });
  await ask(page, 'メンテナンス');
  await page.waitForTimeout(300);
  t.diagnostic(`first query: ${(bytes / 1024).toFixed(0)} KB fetched from pagefind/`);
  assert.ok(bytes > 0 && bytes <= 1024 * 1024, `${bytes} bytes`);
  await page.addScriptTag({ path: AXE });
  const serious = await page.evaluate(async () => {
    const r = await window.axe.run(document.querySelector('.site-header'), { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  assertNone(serious, 'axe on the search box with results');
  await context.close();
});
