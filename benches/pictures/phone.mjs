// The bytes a phone downloads reading a guide page to its end (issue 13): serves PUBLIC over
// HTTP on 127.0.0.1, opens PAGE in Chromium at 390×844 with deviceScaleFactor 3 (a touch
// phone), scrolls to the bottom a screen at a time, and sums the response bodies by kind.
//
//   node benches/pictures/phone.mjs PUBLIC [PAGE]      (PAGE defaults to the first guide)
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';

import { chromium } from 'playwright-core';

const root = path.resolve(process.argv[2] || 'public');
const types = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.webp': 'image/webp', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json',
  '.xml': 'application/xml' };
const server = http.createServer((req, res) => {
  let file = path.join(root, decodeURIComponent(new URL(req.url, 'http://x').pathname));
  if (!file.startsWith(root)) return res.writeHead(403).end();
  if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, 'index.html');
  if (!existsSync(file)) return res.writeHead(404).end();
  res.writeHead(200, { 'content-type': types[path.extname(file)] || 'application/octet-stream' });
  createReadStream(file).pipe(res);
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const guide = process.argv[3] || readdirSync(root).find((d) => existsSync(path.join(root, d, 'index.html')) && d !== '404');
const url = `http://127.0.0.1:${server.address().port}/${guide}/`;

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true });
const page = await context.newPage();
const bodies = [];
page.on('response', (response) => {
  bodies.push(response.body().then((b) => ({ url: response.url(), type: response.headers()['content-type'] || '', bytes: b.length }), () => null));
});
await page.goto(url, { waitUntil: 'load' });
for (let y = 0; ; y += 600) {
  const end = await page.evaluate((top) => { window.scrollTo({ top, behavior: 'instant' }); return document.scrollingElement.scrollHeight - innerHeight; }, y);
  await page.waitForTimeout(60);
  if (y >= end) break;
}
await page.waitForLoadState('networkidle');
const got = (await Promise.all(bodies)).filter(Boolean);
await browser.close();
server.close();

const sum = (list) => list.reduce((n, r) => n + r.bytes, 0);
const mb = (n) => `${(n / 1e6).toFixed(3)} MB`;
const images = got.filter((r) => r.type.startsWith('image/'));
const widths = {};
for (const r of images) {
  const set = (r.url.match(/-([a-z0-9]+)\.[a-z]+$/) || [, 'other'])[1];
  widths[set] = (widths[set] || 0) + 1;
}
console.log(`page ${url} at 390×844@3, scrolled to the end`);
console.log(`  pictures: ${images.length} files, ${mb(sum(images))}  (by name suffix: ${JSON.stringify(widths)})`);
console.log(`  the rest: ${got.length - images.length} files, ${mb(sum(got) - sum(images))}`);
console.log(`  total:    ${got.length} responses, ${mb(sum(got))}`);
