// A guide published by `tebiki publish wordpress`, opened in WordPress's block editor as the
// blogger who keeps editing it (run by tests/wordpress.rs with TEBIKI_WP_URL, TEBIKI_WP_LOGIN,
// TEBIKI_WP_LOGIN_PASSWORD and TEBIKI_WP_POST_ID): the editor parses every block of the post as
// valid (no "This block contains unexpected or invalid content"), each step is a group of its
// own, and each image block is linked to its item in the media library.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { chromium } from 'playwright-core';

import { CHROMIUM } from './lib.mjs';

const BLOG = process.env.TEBIKI_WP_URL;
const POST = process.env.TEBIKI_WP_POST_ID;
const SHOTS = process.env.TEBIKI_SCREENSHOTS;
const STEPS = Number(process.env.TEBIKI_WP_STEPS);

test('the block editor opens the published post with every block valid', async () => {
  assert.ok(BLOG && POST && STEPS, 'TEBIKI_WP_URL, TEBIKI_WP_POST_ID and TEBIKI_WP_STEPS are set');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(new URL('wp-login.php', BLOG).href);
    await page.fill('#user_login', process.env.TEBIKI_WP_LOGIN);
    await page.fill('#user_pass', process.env.TEBIKI_WP_LOGIN_PASSWORD);
    await Promise.all([page.waitForNavigation(), page.click('#wp-submit')]);
    await page.goto(new URL(`wp-admin/post.php?post=${POST}&action=edit`, BLOG).href);
    await page.waitForFunction(
      () => window.wp?.data?.select('core/block-editor')?.getBlocks().length > 0,
      null,
      { timeout: 60_000 },
    );
    const blocks = await page.evaluate(() => {
      const out = [];
      const walk = (list, depth) => list.forEach((b) => {
        out.push({
          name: b.name,
          depth,
          valid: b.isValid,
          className: b.attributes.className || '',
          id: b.attributes.id,
          url: b.attributes.url,
          issues: (b.validationIssues || []).map((i) => JSON.stringify(i.args).slice(0, 300)),
        });
        walk(b.innerBlocks, depth + 1);
      });
      walk(wp.data.select('core/block-editor').getBlocks(), 0);
      return out;
    });
    const invalid = blocks.filter((b) => !b.valid);
    assert.deepEqual(invalid, [], 'blocks the editor does not accept');
    const steps = blocks.filter((b) => b.name === 'core/group' && b.className.split(' ').includes('tebiki-step'));
    assert.equal(steps.length, STEPS, 'one group per step');
    const images = blocks.filter((b) => b.name === 'core/image');
    assert.ok(images.length > 0, 'the post has image blocks');
    for (const image of images) {
      assert.ok(Number.isInteger(image.id) && image.id > 0, `the image block of ${image.url} names its media item`);
    }
    // Each named media item is in the library, at the address the block shows.
    const media = await page.evaluate(async (ids) => {
      const found = await wp.apiFetch({ path: `/wp/v2/media?include=${ids.join(',')}&per_page=100&_fields=id,source_url` });
      return Object.fromEntries(found.map((m) => [m.id, m.source_url]));
    }, [...new Set(images.map((i) => i.id))]);
    for (const image of images) {
      assert.equal(media[image.id], image.url, `media item ${image.id} is the picture the block shows`);
    }
    if (SHOTS) {
      await page.keyboard.press('Escape');
      await page.screenshot({ path: path.join(SHOTS, 'wordpress-editor-1280.png') });
    }
  } finally {
    await browser.close();
  }
});
