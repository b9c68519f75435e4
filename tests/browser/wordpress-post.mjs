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

test('the published post reads well at phone and desktop width', async () => {
  assert.ok(URL, 'TEBIKI_WP_POST is the post to open');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    for (const width of [390, 1280]) {
      const page = await browser.newPage({ viewport: { width, height: 844 } });
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
      await step21.locator('a', { hasText: /^STEP16$/ }).first().click();
      await page.waitForFunction(() => location.hash === '#pause');
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
