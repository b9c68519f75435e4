// 35 realistic UI screenshots for the picture measurements (issue 13): the bundled guide's
// page, built into public/, rendered in Chromium at 390×844 with deviceScaleFactor 3 (a phone),
// at 35 scroll positions. Writes 1170×2532 PNGs.
//
//   cargo run --release -- build && node benches/pictures/screenshots.mjs /tmp/shots
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { chromium } from 'playwright-core';

const out = process.argv[2] || '/tmp/shots';
mkdirSync(out, { recursive: true });
const page_ = path.resolve('public/zaim-amazon/index.html');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 3 });
const page = await context.newPage();
await page.goto(pathToFileURL(page_).href);
const height = await page.evaluate(() => document.scrollingElement.scrollHeight);
for (let i = 0; i < 35; i++) {
  await page.evaluate((y) => window.scrollTo({ top: y, behavior: 'instant' }), Math.floor(((height - 844) * i) / 34));
  await page.waitForTimeout(50);
  await page.screenshot({ path: path.join(out, `s${String(i).padStart(2, '0')}.png`) });
}
await browser.close();
