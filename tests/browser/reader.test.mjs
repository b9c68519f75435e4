// The tools for a reader doing the procedure on a phone, in real Chromium on the bundled guide,
// with the page's clock under the test's control (page.clock), so that no test waits minutes:
// the five-minute window's countdown (start at STEP9, time left after 2 minutes and after a
// reload, the one-minute and the end messages, the entries of the window, stop) and the
// 「できた」 progress (tick STEP1–STEP3, reload, 「STEP4から再開」 scrolls to STEP4, the table of
// contents marks them, reset). Without JavaScript neither shows a control.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import path from 'node:path';

import { setUp, open, waitForScrollEnd, ROOT } from './lib.mjs';

/** Serious or critical axe-core violations inside `selector` (the controls as shown). */
async function axeViolations(page, selector) {
  await page.addScriptTag({ path: path.join(ROOT, 'node_modules/axe-core/axe.min.js') });
  return page.evaluate(async (sel) => {
    const out = [];
    for (const el of document.querySelectorAll(sel)) {
      const r = await window.axe.run(el, { resultTypes: ['violations'] });
      for (const v of r.violations) {
        if (v.impact === 'serious' || v.impact === 'critical') {
          out.push(`${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
        }
      }
    }
    return out;
  }, selector);
}

let env;
before(async () => {
  env = await setUp();
});
after(async () => {
  await env?.close();
});

const guideUrl = () => `${env.sites.find((s) => s.name === 'bundled').url}zaim-amazon/index.html`;

/** A fresh context (empty localStorage) with its clock installed, and its page. */
async function phone(width = 390, colorScheme = 'light') {
  const context = await env.browser.newContext({ viewport: { width, height: 844 }, hasTouch: true, colorScheme });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.clock.install({ time: new Date('2026-12-01T10:00:00+09:00') });
  return { context, page, errors };
}

/** "残り 2:58" → 178 (seconds). */
function secondsLeft(text) {
  const m = /(\d+):(\d\d)/.exec(text);
  assert.ok(m, `a time in "${text}"`);
  return Number(m[1]) * 60 + Number(m[2]);
}

for (const scheme of ['light', 'dark'])
test(`the countdown starts at STEP9, survives a reload and ends with the window's entries (${scheme})`, async () => {
  const { context, page, errors } = await phone(390, scheme);
  try {
    await open(page, guideUrl());
    const bar = page.locator('#timer-signin-window');
    assert.equal(await bar.isVisible(), false, 'no bar before the reader starts it');
    const button = page.locator('#press-link .timer-start');
    assert.equal(await button.textContent(), 'タイマーを開始（5分）');
    assert.equal(await page.locator('.timer-start').count(), 1, 'one start button: at the window\'s first step');

    // Started from the keyboard.
    await button.focus();
    await page.keyboard.press('Enter');
    assert.ok(await bar.isVisible(), 'the bar is shown once started');
    assert.ok(await page.locator('#timer-signin-window .timer-stop').evaluate((b) => b === document.activeElement),
      'focus moves to the bar\'s stop button');
    assert.equal(await button.isVisible(), false, 'the start button hides while the timer runs');
    assert.equal(secondsLeft(await bar.locator('.timer-left').textContent()), 300);
    assert.equal(await bar.locator('.timer-until').textContent(), 'STEP22まで');
    assert.equal(await bar.locator('.timer-until').getAttribute('href'), '#press-authenticate');

    await page.clock.runFor(120_000);
    const after2 = secondsLeft(await bar.locator('.timer-left').textContent());
    // The start is stamped when the key press is handled, which may come a tick after the fake
    // clock's start: a second either way.
    assert.ok(after2 >= 179 && after2 <= 181, `~3:00 left after 2 minutes, got ${after2} s`);
    assert.equal(await bar.locator('.timer-status').textContent(), '', 'nothing is announced while time runs');

    // The bar is sticky: still on screen far down the page.
    await page.locator('#press-authenticate').scrollIntoViewIfNeeded();
    const box = await bar.boundingBox();
    assert.ok(box && box.y >= 0 && box.y < 20, `the bar stays at the top of the screen (y = ${box?.y})`);

    // A reload (or a phone that froze the tab) shows the time computed from the stored start.
    await page.reload({ waitUntil: 'load' });
    assert.ok(await bar.isVisible(), 'still running after a reload');
    const reloaded = secondsLeft(await bar.locator('.timer-left').textContent());
    assert.ok(reloaded >= 178 && reloaded <= 181, `~3:00 left after the reload, got ${reloaded} s`);

    // One minute before the end it says so, once, politely.
    assert.equal(await bar.locator('.timer-status').getAttribute('aria-live'), 'polite');
    await page.clock.runFor(121_000);
    assert.equal(await bar.getAttribute('data-phase'), 'last-minute');
    assert.equal(await bar.locator('.timer-status').textContent(), '残り1分です。');
    assert.equal(await bar.locator('.timer-expired').isVisible(), false);

    // At zero: the end, and the entries that arise in the window with their remedies.
    await page.clock.runFor(61_000);
    assert.equal(await bar.getAttribute('data-phase'), 'ended');
    assert.equal(secondsLeft(await bar.locator('.timer-left').textContent()), 0);
    assert.equal(await bar.locator('.timer-status').textContent(), '時間切れです。5分が過ぎました。');
    const expired = bar.locator('.timer-expired');
    assert.ok(await expired.isVisible());
    const entries = await expired.locator('li > a.trouble-link').evaluateAll((as) =>
      as.map((a) => ({ text: a.textContent, href: a.getAttribute('href') })));
    const timing = entries.find((e) => e.text.includes('5分以上かかってしまった'));
    assert.ok(timing, `the five-minute entry is listed: ${JSON.stringify(entries)}`);
    for (const e of entries) {
      assert.ok(await page.locator(e.href).count() === 1, `${e.href} is an entry on the page`);
    }
    const remedies = await expired.locator('li').first().locator('a.ref').allTextContents();
    assert.ok(remedies.includes('連携を解除する手順'), `its remedy links: ${remedies}`);

    // Following an entry lands below the sticky bar, not under it.
    await expired.locator(`a[href="${timing.href}"]`).click();
    await waitForScrollEnd(page);
    const target = await page.locator(timing.href).boundingBox();
    const barBox = await bar.boundingBox();
    assert.ok(target.y >= barBox.y + barBox.height - 1, `the entry (y = ${target.y}) is not under the bar (bottom ${barBox.y + barBox.height})`);

    assert.deepEqual(await axeViolations(page, '.timer-bar'), [], 'axe on the bar at the end');

    // Stop: the bar goes, the start button is back and has the focus.
    await bar.locator('.timer-stop').click();
    assert.equal(await bar.isVisible(), false);
    assert.ok(await button.isVisible());
    assert.ok(await button.evaluate((b) => b === document.activeElement));
    await page.reload({ waitUntil: 'load' });
    assert.equal(await bar.isVisible(), false, 'a stopped timer stays stopped after a reload');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('ticked steps survive a reload: 「STEP4から再開」 goes to STEP4, the contents mark them, reset clears', async () => {
  const { context, page, errors } = await phone();
  try {
    await open(page, guideUrl());
    const resume = page.locator('.progress-resume');
    assert.equal(await resume.isVisible(), false, 'nothing to resume on a first visit');
    const boxes = page.locator('#link .step-done-box');
    assert.equal(await boxes.count(), await page.locator('#link article.step').count(), 'one checkbox per step card');
    const first = page.locator('#open-menu .step-done-box');
    assert.equal(await first.getAttribute('type'), 'checkbox');
    assert.equal((await page.locator('#open-menu .step-done label').textContent()).trim(), 'できた');
    for (const id of ['open-menu', 'press-link-settings', 'press-plus']) {
      await page.locator(`#${id} .step-done-box`).check();
    }
    await page.reload({ waitUntil: 'load' });
    for (const id of ['open-menu', 'press-link-settings', 'press-plus']) {
      assert.ok(await page.locator(`#${id} .step-done-box`).isChecked(), `${id} is still ticked`);
    }
    assert.equal(await page.locator('#scroll-add-account .step-done-box').isChecked(), false);
    assert.ok(await resume.isVisible(), 'the resume bar is shown');
    const link = resume.locator('.progress-resume-link');
    assert.equal(await link.textContent(), 'STEP4から再開');
    const marked = await page.locator('.toc-sublink.is-done').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.deepEqual(marked, ['#open-menu', '#press-link-settings', '#press-plus']);
    assert.equal(await page.locator('.toc-sublink.is-done .toc-done-mark').first().textContent(), '（できた）');

    assert.deepEqual(await axeViolations(page, '.progress-resume, #open-menu'), [], 'axe on the resume bar and a ticked step');
    await link.click();
    await waitForScrollEnd(page);
    const top = (await page.locator('#scroll-add-account').boundingBox()).y;
    assert.ok(top >= -1 && top < 200, `STEP4 is at the top of the screen (y = ${top})`);

    // A shared step is ticked per procedure: ticking one copy leaves the other unticked.
    const copy = page.locator('article.step:has(.step-shared)').first();
    const other = (await copy.locator('.step-shared a').first().getAttribute('href')).slice(1);
    const copyId = await copy.getAttribute('id');
    assert.notEqual(copyId, other);
    await page.locator(`#${copyId} .step-done-box`).check();
    assert.equal(await page.locator(`#${other} .step-done-box`).isChecked(), false, `${other} stays unticked when ${copyId} is ticked`);
    await page.locator(`#${copyId} .step-done-box`).uncheck();

    await resume.locator('.progress-reset').click();
    assert.equal(await page.locator('.step-done-box:checked').count(), 0);
    assert.equal(await resume.isVisible(), false);
    await page.reload({ waitUntil: 'load' });
    assert.equal(await page.locator('.step-done-box:checked').count(), 0, 'the reset is kept');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('without JavaScript there is no timer, no checkbox and no resume bar', async () => {
  const context = await env.browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 } });
  try {
    const page = await context.newPage();
    await open(page, guideUrl());
    for (const selector of ['.timer-start', '.timer-bar', '.step-done-box', '.progress-resume']) {
      const shown = await page.locator(selector).evaluateAll((els) => els.filter((e) => e.getClientRects().length > 0).length);
      assert.equal(shown, 0, `${selector} is not shown`);
    }
    assert.ok(await page.locator('#press-link .window-banner').isVisible(), 'the static window mark stays');
  } finally {
    await context.close();
  }
});
