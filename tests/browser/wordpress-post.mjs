// A guide published by `tebiki publish wordpress`, opened as a reader would on the real blog
// (run by tests/wordpress.rs with TEBIKI_WP_POST=<the post's public URL>): at phone and desktop
// width no horizontal overflow, STEP badges and callouts styled, a click on 「STEP16」 inside
// STEP21 brings STEP16 into view, and axe finds no serious violation in the post's content.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { chromium } from 'playwright-core';

import { CHROMIUM, ROOT } from './lib.mjs';

const URL = process.env.TEBIKI_WP_POST;
const SHOTS = process.env.TEBIKI_SCREENSHOTS;

/** Waits until `locator`'s box is the same in three looks 100 ms apart (at most 5 s). */
async function settled(locator) {
  let last = '';
  for (let same = 0, tries = 0; same < 2 && tries < 50; tries += 1) {
    const box = JSON.stringify(await locator.boundingBox());
    same = box === last ? same + 1 : 0;
    last = box;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('the published post reads well at phone and desktop width', async () => {
  assert.ok(URL, 'TEBIKI_WP_POST is the post to open');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    for (const width of [390, 1280]) {
      const page = await browser.newPage({ viewport: { width, height: 844 } });
      const seen = [];
      page.on('console', (m) => seen.push(`console ${m.type()}: ${m.text()}`));
      page.on('framenavigated', (f) => seen.push(`navigated ${f.url()}`));
      page.on('pageerror', (e) => seen.push(`error ${e.message}`));
      await page.goto(URL, { waitUntil: 'load' });
      const overflow = await page.evaluate(() => document.scrollingElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${width}px: the page is ${overflow}px wider than the window`);
      const styled = await page.evaluate(() => {
        const badge = document.querySelector('.tebiki-step .tebiki-badge');
        const callout = document.querySelector('.tebiki-post .callout');
        return {
          badge: badge && getComputedStyle(badge).backgroundColor,
          callout: callout && getComputedStyle(callout).borderLeftStyle,
          steps: document.querySelectorAll('.tebiki-step').length,
        };
      });
      assert.equal(styled.steps, 35);
      assert.equal(styled.badge, 'rgb(10, 88, 184)', 'the STEP badge has the theme colour');
      assert.equal(styled.callout, 'solid', 'callouts have their coloured edge');
      if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `wordpress-post-${width}.png`) });

      // 「STEP16」 inside STEP21 scrolls to STEP16.
      const step21 = page.locator('.tebiki-step', { has: page.locator('.tebiki-badge', { hasText: /^STEP21$/ }) });
      const link = step21.locator('a', { hasText: /^STEP16$/ }).first();
      const href = await link.getAttribute('href');
      // A reader clicks a link that has stopped moving: the lazy pictures around it loaded and
      // the blog done answering (a click at a point the link has just left misses it).
      await link.scrollIntoViewIfNeeded();
      await page.waitForLoadState('networkidle', { timeout: 15000 }).catch(() => {});
      await page.waitForFunction(() => [...document.images].every((img) => img.complete), null, { timeout: 15000 }).catch(() => {});
      await settled(link);
      await page.evaluate(() => {
        document.addEventListener('click', (e) => {
          const t = e.target;
          window.tebikiClicked = `${t.tagName}.${t.className} "${(t.textContent || '').slice(0, 40)}" at ${e.clientX},${e.clientY}${e.defaultPrevented ? ' (prevented)' : ''}`;
        }, true);
      });
      const before = await link.boundingBox();
      await link.click();
      await page.waitForFunction(() => location.hash === '#pause', null, { timeout: 10000 }).catch(async () => {
        const at = await page.evaluate(() => location.href);
        if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `wordpress-post-fail-${width}.png`) });
        const outer = await link.evaluate((a) => a.outerHTML + ' | ' + a.closest('article, .tebiki-step')?.className);
        const clicked = await page.evaluate(() => window.tebikiClicked || 'no click event');
        const after = await link.boundingBox();
        assert.fail(`${width}px: 「STEP16」 (href ${href}) did not lead to #pause: the page is at ${at}; ${outer}; the click reached ${clicked}; the link was at ${JSON.stringify(before)}, is at ${JSON.stringify(after)}; ${seen.join(' / ')}`);
      });
      await page.waitForTimeout(300);
      const top = await page.evaluate(() => document.getElementById('pause').getBoundingClientRect().top);
      assert.ok(top >= -1 && top < 844 / 2, `${width}px: STEP16's heading is at ${top}px after the click`);

      await page.addScriptTag({ path: path.join(ROOT, 'node_modules/axe-core/axe.min.js') });
      const serious = await page.evaluate(async () => {
        const result = await window.axe.run(document.querySelector('.entry-content') || document.body);
        return result.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
      });
      assert.deepEqual(serious, [], `${width}px: axe`);
      await page.close();
    }
  } finally {
    await browser.close();
  }
});

// Issue 25: a blog with nothing but WordPress. Every picture the page shows is a media item of
// the blog (nothing from the site's base_url, https://tebiki.example/, which does not exist),
// and every link of the post lands: an anchor of the page, or a page of the blog that answers
// 200 and has the anchor.
test('every picture comes from the blog and every link of the post lands', async () => {
  assert.ok(URL, 'TEBIKI_WP_POST is the post to open');
  const blog = new globalThis.URL(URL).origin;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 844 } });
    await page.goto(URL, { waitUntil: 'load' });
    const { pictures, links, ids } = await page.evaluate(() => ({
      pictures: [...document.querySelectorAll('img')].map((img) => ({
        src: img.currentSrc || img.src,
        avatar: img.classList.contains('balloon-avatar'),
      })),
      links: [...document.querySelectorAll('.entry-content a[href]')].map((a) => a.href),
      ids: [...document.querySelectorAll('[id]')].map((e) => e.id),
    }));
    assert.ok(pictures.length >= 36, `the post's pictures: ${pictures.length}`);
    for (const picture of pictures) {
      assert.ok(picture.src.startsWith(`${blog}/wp-content/uploads/`), `a picture not from the blog: ${picture.src}`);
      assert.ok(!picture.src.includes('tebiki.example'), picture.src);
    }
    const avatar = pictures.find((p) => p.avatar);
    assert.ok(avatar, 'no balloon avatar in the post');
    const response = await page.request.get(avatar.src);
    assert.equal(response.status(), 200, `the avatar ${avatar.src}`);
    assert.equal(response.headers()['content-type'], 'image/png');

    assert.ok(links.length > 50, `the post's links: ${links.length}`);
    const here = new globalThis.URL(URL);
    const pages = new Map();
    for (const href of links) {
      const target = new globalThis.URL(href);
      assert.ok(!href.includes('tebiki.example'), `a link to the static site that does not exist: ${href}`);
      if (target.origin === blog && target.pathname === here.pathname) {
        assert.ok(ids.includes(decodeURIComponent(target.hash.slice(1))), `${href}: no such anchor in the post`);
      } else if (target.origin === blog) {
        const key = target.origin + target.pathname + target.search;
        if (!pages.has(key)) {
          const answer = await page.request.get(key);
          pages.set(key, { status: answer.status(), html: await answer.text() });
        }
        const { status, html } = pages.get(key);
        assert.equal(status, 200, `${href} answers ${status}`);
        if (target.hash) assert.ok(html.includes(`id="${decodeURIComponent(target.hash.slice(1))}"`), `${href}: no such anchor there`);
      } else {
        assert.fail(`a link that leaves the blog, which the bundled guide does not write: ${href}`);
      }
    }
  } finally {
    await browser.close();
  }
});

// Issue 25: an administrator's post carries the reader tools as one script. The countdown of
// the 5-minute window starts from its button and, after a controlled clock step of two
// minutes, shows three minutes left; a ticked 「できた」 offers to resume at the next step.
test('the countdown and the 「できた」 checkboxes work in the post', async () => {
  assert.ok(URL, 'TEBIKI_WP_POST is the post to open');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const errors = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.clock.install({ time: new Date('2026-12-06T09:00:00Z') });
    await page.goto(URL, { waitUntil: 'load' });
    const scripts = await page.evaluate(
      () => [...document.querySelectorAll('.entry-content script:not([src])')].filter((s) => s.textContent.includes('tebikiTimer')).length,
    );
    assert.equal(scripts, 1, 'one reader script in the post');
    const start = page.getByRole('button', { name: 'タイマーを開始（5分）' });
    await start.click();
    // The click's handler shows the bar and writes its first time; wait for both before the clock
    // moves, so a click that the page took late is not read as an empty bar.
    const bar = page.locator('.timer-bar[data-timer]').first();
    await bar.waitFor({ state: 'visible', timeout: 10_000 });
    // Polled from here: the page's own timers are under the test's clock.
    for (let i = 0; i < 100 && !/\d+:\d\d/.test(await bar.locator('.timer-left').innerText()); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await page.clock.runFor(120_000);
    const left = await bar.locator('.timer-left').innerText();
    const m = /(\d+):(\d\d)/.exec(left);
    assert.ok(m, `no time in the bar: ${left}`);
    const seconds = Number(m[1]) * 60 + Number(m[2]);
    // The bar rounds up to whole seconds, and its start is stamped a tick after the clock's.
    assert.ok(seconds >= 179 && seconds <= 181, `after 2 minutes the bar says ${left}`);
    const box = page.locator('.step-done-box').nth(2);
    await box.scrollIntoViewIfNeeded();
    await box.check();
    const resume = page.locator('.progress-resume-link');
    assert.match(await resume.innerText(), /^STEP4から再開$/);
    assert.equal(await resume.getAttribute('href'), `#${await page.locator('.tebiki-step-title[id]').nth(3).getAttribute('id')}`);
    assert.deepEqual(errors, [], 'script errors on the page');
    if (SHOTS) await page.screenshot({ path: path.join(SHOTS, 'wordpress-post-timer-390.png') });
  } finally {
    await browser.close();
  }
});
