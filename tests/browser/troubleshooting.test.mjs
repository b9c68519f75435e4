// The troubleshooting filter in real Chromium: typing narrows the entries with the same rules as
// filter.test.mjs (half-width katakana and hiragana find katakana), the box is reachable by
// keyboard, and without JavaScript the entries stay a plain list.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { setUp, open } from './lib.mjs';

let env;
before(async () => {
  env = await setUp();
});
after(async () => {
  await env?.close();
});

const bundled = () => env.sites.find((s) => s.name === 'bundled');

const visibleIds = (page, scope) =>
  page.$$eval(`${scope} .trouble:not([hidden])`, (cards) => cards.map((c) => c.id));

for (const [pagePath, scope, prefix] of [
  ['troubleshooting/index.html', 'main', 'zaim-amazon-'],
  ['zaim-amazon/index.html', '#troubleshooting', 'trouble-'],
]) {
  test(`filter narrows the entries on ${pagePath}`, async () => {
    const page = await env.browser.newPage({ viewport: { width: 360, height: 740 } });
    try {
      await open(page, bundled().url + pagePath);
      const all = await visibleIds(page, scope);
      assert.ok(all.length >= 10, `${pagePath}: ${all.length} entries`);
      const input = page.locator(`${scope} .trouble-filter input`);
      assert.ok(await input.isVisible(), `${pagePath}: the filter box is shown when scripts run`);
      for (const query of ['ﾒﾝﾃﾅﾝｽ', 'めんてなんす', 'メンテナンス']) {
        await input.fill(query);
        assert.deepEqual(await visibleIds(page, scope), [`${prefix}maintenance`], `${pagePath}: "${query}"`);
        const status = await page.locator(`${scope} .trouble-filter [role=status]`).textContent();
        assert.equal(status, '1件', `${pagePath}: the status tells how many match`);
      }
      await input.fill('ｚａｉｍ　ではなく存在しない');
      assert.deepEqual(await visibleIds(page, scope), [], `${pagePath}: nothing matches`);
      await input.fill('');
      assert.deepEqual(await visibleIds(page, scope), all, `${pagePath}: clearing shows every entry again`);
    } finally {
      await page.close();
    }
  });
}

test('the filter box is reached with the keyboard', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1280, height: 800 } });
  try {
    await open(page, bundled().url + 'troubleshooting/index.html');
    let reached = false;
    for (let i = 0; i < 8 && !reached; i += 1) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.classList.contains('trouble-filter-input'));
    }
    assert.ok(reached, 'Tab reaches the filter box within a few presses');
    await page.keyboard.type('めーる');
    const ids = await visibleIds(page, 'main');
    assert.ok(ids.includes('zaim-amazon-mail-not-arriving'), `typing めーる finds the mail entry: ${ids}`);
  } finally {
    await page.close();
  }
});

test('without JavaScript every entry is listed and the box stays hidden', async () => {
  const context = await env.browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 } });
  try {
    const page = await context.newPage();
    await open(page, bundled().url + 'troubleshooting/index.html');
    assert.equal(await page.locator('.trouble-filter').isVisible(), false);
    const shown = await page.$$eval('.trouble', (cards) => cards.filter((c) => c.offsetParent !== null).length);
    assert.ok(shown >= 10, `${shown} entries visible`);
  } finally {
    await context.close();
  }
});

test('every kind of dash, and none, finds the error code E-401 (a keyword of multi-guide alpha)', async () => {
  const page = await env.browser.newPage({ viewport: { width: 360, height: 740 } });
  try {
    await open(page, env.sites.find((s) => s.name === 'multi-guide').url + 'alpha/index.html');
    const input = page.locator('#troubleshooting .trouble-filter input');
    for (const query of ['e401', 'Eー401', 'E−401', 'E‐401', 'E—401', 'ｅ－４０１', 'E-401']) {
      await input.fill(query);
      assert.deepEqual(await visibleIds(page, '#troubleshooting'), ['trouble-red-light'], query);
    }
    await input.fill('E-402');
    assert.deepEqual(await visibleIds(page, '#troubleshooting'), [], 'another code finds nothing');
  } finally {
    await page.close();
  }
});
