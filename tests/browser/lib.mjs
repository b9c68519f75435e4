// Shared helpers of the browser suite (run by tests/browser.rs, or by hand: see README.md).
//
// The sites to check come from the environment:
//   TEBIKI_SITES        JSON array of { "name": "bundled", "dir": "/abs/path/public" }
//   TEBIKI_SCREENSHOTS  folder for screenshots (<name>/<page>-<width>.png)
//   CHROMIUM            the browser binary (default /usr/bin/chromium)

import { createServer } from 'node:http';
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The viewports every page is checked at: phone, tablet, laptop. */
export const VIEWPORTS = [
  { width: 360, height: 740 },
  { width: 768, height: 1024 },
  { width: 1280, height: 800 },
];

/** Widths at which the dark scheme is also screenshotted. */
export const DARK_SCREENSHOT_WIDTHS = [360, 1280];

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

// This machine has no network but the package registries: never let Chromium call home.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The sites under test, from TEBIKI_SITES. */
export function sites() {
  const raw = process.env.TEBIKI_SITES;
  if (!raw) {
    throw new Error(
      'TEBIKI_SITES is not set: run the browser suite through `cargo test --test browser`, ' +
        'or set TEBIKI_SITES=\'[{"name":"bundled","dir":"/abs/path/public"}]\'',
    );
  }
  const list = JSON.parse(raw);
  for (const site of list) {
    if (!site.name || !site.dir || !existsSync(path.join(site.dir, 'index.html'))) {
      throw new Error(`TEBIKI_SITES: ${JSON.stringify(site)} is not a built site (no index.html)`);
    }
  }
  return list;
}

/** Every file under `dir` whose name ends with `ext`, as sorted `/`-separated relative paths. */
export function filesOf(dir, ext) {
  const out = [];
  const walk = (rel) => {
    for (const entry of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile() && entry.name.endsWith(ext)) out.push(child);
    }
  };
  walk('');
  return out.sort();
}

/** Every HTML page of a site, e.g. ["index.html", "zaim-amazon/index.html"]. */
export const pagesOf = (dir) => filesOf(dir, '.html');

/** "zaim-amazon/index.html" -> "zaim-amazon-index" (a screenshot file stem). */
export const pageStem = (page) => page.replace(/\.html$/, '').replaceAll('/', '-');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Serves `dir` over HTTP on 127.0.0.1 (a free port), only files under it, at `/` and at `base`
 * (the site's base_url path); a folder serves its index.html. Returns { url, close }.
 */
export async function serve(dir, base = '/') {
  const root = path.resolve(dir);
  const server = createServer((req, res) => {
    let rel;
    try {
      rel = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    // The site is also there under its base_url's path (root-relative links of 404.html).
    if (base !== '/' && rel.startsWith(base)) rel = `/${rel.slice(base.length)}`;
    let file = path.resolve(root, `.${rel}`);
    if (file !== root && !file.startsWith(root + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if (statSync(file).isDirectory()) file = path.join(file, 'index.html');
      if (!statSync(file).isFile()) throw new Error('not a file');
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${rel}`);
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream',
      'cache-control': 'no-store',
    });
    createReadStream(file).pipe(res);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Launches Debian's Chromium (never a downloaded one). */
export function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
}

/**
 * Starts the browser and one HTTP server per site. Returns { browser, sites: [{ name, dir, url,
 * pages }], close }.
 */
export async function setUp() {
  const list = sites();
  const browser = await launch();
  const served = [];
  for (const site of list) {
    const server = await serve(site.dir, site.base);
    served.push({ ...site, url: server.url, pages: pagesOf(site.dir), server });
  }
  return {
    browser,
    sites: served,
    close: async () => {
      await browser.close();
      await Promise.all(served.map((s) => s.server.close()));
    },
  };
}

/** "bundled zaim-amazon/index.html @360×740" */
export const where = (site, page, vp) =>
  vp ? `${site.name} ${page} @${vp.width}×${vp.height}` : `${site.name} ${page}`;

/** Fails with every collected problem, one per line, under a heading. */
export function assertNone(failures, what) {
  if (failures.length > 0) {
    const err = new Error(`${what}: ${failures.length} problem(s)\n  ${failures.join('\n  ')}`);
    err.stack = err.message; // the list is the point; the stack of the helper is noise
    throw err;
  }
}

/** Opens `url` in `page` and waits until it, its images and its fonts are loaded. */
export async function open(page, url) {
  const response = await page.goto(url, { waitUntil: 'load' });
  if (!response || !response.ok()) {
    throw new Error(`${url}: HTTP ${response ? response.status() : 'no response'}`);
  }
  await settle(page);
}

/** Loads every image now (lazy ones too) and waits for fonts and images. */
export async function settle(page) {
  await page.evaluate(async () => {
    const images = [...document.images];
    for (const img of images) img.loading = 'eager';
    await Promise.all(
      images.map((img) =>
        img.complete
          ? null
          : new Promise((resolve) => {
              img.addEventListener('load', resolve, { once: true });
              img.addEventListener('error', resolve, { once: true });
            }),
      ),
    );
    await document.fonts.ready;
  });
}

/** Waits until the page stops scrolling (smooth scrolling included), at most `ms`. */
export async function waitForScrollEnd(page, ms = 3000) {
  await page.evaluate(
    (limit) =>
      new Promise((resolve) => {
        const start = performance.now();
        let last = `${scrollX},${scrollY}`;
        let still = 0;
        const tick = () => {
          const now = `${scrollX},${scrollY}`;
          still = now === last ? still + 1 : 0;
          last = now;
          if (still >= 6 || performance.now() - start > limit) resolve();
          else requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      }),
    ms,
  );
}

/** Creates a folder (and its parents). */
export const mkdirp = (dir) => mkdir(dir, { recursive: true });
