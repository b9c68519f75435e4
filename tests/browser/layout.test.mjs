// Responsive layout, readability and navigation of every page of every site, in real Chromium,
// at every width of VIEWPORTS; writes a full-page screenshot of each.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { existsSync } from 'node:fs';
import path from 'node:path';

import {
  DARK_SCREENSHOT_WIDTHS,
  VIEWPORTS,
  assertNone,
  mkdirp,
  open,
  pageStem,
  setUp,
  waitForScrollEnd,
  where,
} from './lib.mjs';

const MIN_FONT_PX = 16;
const MIN_CONTRAST = 4.5;
/** How many of the worst contrast offenders to list per page and width. */
const WORST = 8;

/** Body copy: the running text of the content. */
const BODY_COPY = 'main p, main li, .prose p, .prose li';
/** Meta text that may be smaller than body copy: navigation, footers, badges, dates, captions. */
const NOT_BODY_COPY = [
  'nav',
  'footer',
  'figcaption',
  '.guide-meta',
  '.guide-card-meta',
  '.step-shared',
  '.window-tag',
  '.footnote-definition',
  '.back-to-top',
  '.trouble-label', // "Cause", "Arises at": labels, like the dates' labels
  '.balloon-speaker', // the speaker's name under the avatar, a caption
].join(', ');

/**
 * Runs in the page: horizontal overflow, figures and images against the viewport, font sizes of
 * body copy. Self-contained (it is serialised into the page).
 */
function probeLayout({ bodyCopy, notBodyCopy, minFont }) {
  const describe = (el) => {
    let d = el.tagName.toLowerCase();
    if (el.id) d += `#${el.id}`;
    const classes = [...el.classList].slice(0, 2);
    if (classes.length) d += `.${classes.join('.')}`;
    const text = (el.textContent || '').replace(/\s+/g, ' ').trim();
    if (text) d += ` "${text.length > 24 ? `${text.slice(0, 24)}…` : text}"`;
    return d;
  };
  const vw = window.innerWidth;
  const out = {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: vw,
    overflowing: [],
    media: [],
    smallText: [],
    bodyFont: parseFloat(getComputedStyle(document.body).fontSize),
  };

  // Elements sticking out on the right, innermost first (their ancestors only contain them).
  const sticking = [...document.body.querySelectorAll('*')].filter((el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.right + window.scrollX > vw + 0.5;
  });
  out.overflowing = sticking
    .filter((el) => !sticking.some((other) => other !== el && el.contains(other)))
    .slice(0, 3)
    .map((el) => `${describe(el)} (right edge ${Math.round(el.getBoundingClientRect().right + window.scrollX)}px)`);

  for (const el of document.querySelectorAll('figure, img, picture, video, svg')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    const left = r.left + window.scrollX;
    const right = r.right + window.scrollX;
    const item = { what: describe(el), left, right, width: r.width };
    if (el.tagName === 'IMG') {
      item.src = el.getAttribute('src');
      item.broken = !el.complete || el.naturalWidth === 0;
    }
    out.media.push(item);
  }

  for (const el of document.querySelectorAll(bodyCopy)) {
    if (el.closest(notBodyCopy)) continue;
    if (!el.checkVisibility({ checkVisibilityCSS: true })) continue;
    if (!/\S/.test(el.textContent)) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < minFont) out.smallText.push(`${describe(el)}: ${size}px`);
  }
  return out;
}

/**
 * Runs in the page: the contrast of every visible text element (one with a non-blank text node of
 * its own) against its effective background. Returns the offenders below `min`, worst first.
 */
function probeContrast({ min }) {
  const ctx = document.createElement('canvas').getContext('2d', { willReadFrequently: true });
  const parse = (css) => {
    const m = /^rgba?\(([^)]*)\)$/.exec(css);
    if (m) {
      const p = m[1].split(/[\s,/]+/).filter(Boolean).map(parseFloat);
      return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
    }
    // any other colour syntax: let the canvas convert it to sRGB
    ctx.clearRect(0, 0, 1, 1);
    ctx.fillStyle = css;
    ctx.fillRect(0, 0, 1, 1);
    const [r, g, b, a] = ctx.getImageData(0, 0, 1, 1).data;
    return [r, g, b, a / 255];
  };
  const over = (top, bottom) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat(1);
  };
  const luminance = ([r, g, b]) => {
    const lin = (c) => {
      const s = c / 255;
      return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const bg = parse(getComputedStyle(e).backgroundColor);
      if (bg[3] > 0) layers.push(bg);
      if (bg[3] >= 1) break;
    }
    // the canvas behind everything: white, or the dark canvas colour of the dark scheme
    const dark = getComputedStyle(document.documentElement).colorScheme.includes('dark') &&
      matchMedia('(prefers-color-scheme: dark)').matches;
    let color = dark ? [18, 18, 18, 1] : [255, 255, 255, 1];
    for (const layer of layers.reverse()) color = over(layer, color);
    return color;
  };
  const describe = (el) => {
    let d = el.tagName.toLowerCase();
    if (el.id) d += `#${el.id}`;
    const classes = [...el.classList].slice(0, 2);
    if (classes.length) d += `.${classes.join('.')}`;
    const text = [...el.childNodes]
      .filter((n) => n.nodeType === Node.TEXT_NODE)
      .map((n) => n.data)
      .join('')
      .replace(/\s+/g, ' ')
      .trim();
    return `${d} "${text.length > 24 ? `${text.slice(0, 24)}…` : text}"`;
  };
  const rgb = (c) => `rgb(${c.slice(0, 3).map(Math.round).join(' ')})`;

  const bad = [];
  let checked = 0;
  for (const el of document.body.querySelectorAll('*')) {
    const hasText = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && /\S/.test(n.data));
    if (!hasText || ['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE'].includes(el.tagName)) continue;
    if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    checked += 1;
    const bg = background(el);
    const fg = over(parse(getComputedStyle(el).color), bg);
    const [l1, l2] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
    const ratio = (l1 + 0.05) / (l2 + 0.05);
    if (ratio < min) bad.push({ ratio, what: `${describe(el)}: ${ratio.toFixed(2)}:1 (text ${rgb(fg)} on ${rgb(bg)})` });
  }
  bad.sort((a, b) => a.ratio - b.ratio);
  return { checked, bad: bad.map((b) => b.what) };
}

let env;
/** One entry per site × page × viewport: { site, page, vp, layout, light, dark } */
const measured = [];
const screenshotsDir = process.env.TEBIKI_SCREENSHOTS;

before(async () => {
  env = await setUp();
  if (screenshotsDir) await mkdirp(screenshotsDir);
  for (const site of env.sites) {
    for (const vp of VIEWPORTS) {
      const context = await env.browser.newContext({ viewport: vp, colorScheme: 'light' });
      const page = await context.newPage();
      for (const p of site.pages) {
        await open(page, site.url + p);
        const layout = await page.evaluate(probeLayout, {
          bodyCopy: BODY_COPY,
          notBodyCopy: NOT_BODY_COPY,
          minFont: MIN_FONT_PX,
        });
        const light = await page.evaluate(probeContrast, { min: MIN_CONTRAST });
        const shots = [];
        if (screenshotsDir) {
          const file = path.join(screenshotsDir, site.name, `${pageStem(p)}-${vp.width}.png`);
          await mkdirp(path.dirname(file));
          await page.screenshot({ path: file, fullPage: true });
          shots.push(file);
        }
        await page.emulateMedia({ colorScheme: 'dark' });
        const dark = await page.evaluate(probeContrast, { min: MIN_CONTRAST });
        if (screenshotsDir && DARK_SCREENSHOT_WIDTHS.includes(vp.width)) {
          const file = path.join(screenshotsDir, site.name, `${pageStem(p)}-${vp.width}-dark.png`);
          await page.screenshot({ path: file, fullPage: true });
          shots.push(file);
        }
        await page.emulateMedia({ colorScheme: 'light' });
        measured.push({ site, page: p, vp, layout, light, dark, shots });
      }
      await context.close();
    }
  }
  // report by site, page, width
  const order = (m) => [env.sites.indexOf(m.site), m.site.pages.indexOf(m.page), VIEWPORTS.indexOf(m.vp)];
  measured.sort((a, b) => {
    const [x, y] = [order(a), order(b)];
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
  });
});

after(async () => {
  if (env) await env.close();
});

test('no page overflows horizontally at any width', () => {
  const failures = [];
  for (const { site, page, vp, layout } of measured) {
    if (layout.scrollWidth > layout.innerWidth) {
      const culprits = layout.overflowing.length ? `; sticking out: ${layout.overflowing.join(', ')}` : '';
      failures.push(
        `${where(site, page, vp)}: horizontal overflow: scrollWidth ${layout.scrollWidth} > innerWidth ${layout.innerWidth}${culprits}`,
      );
    }
  }
  assertNone(failures, 'horizontal overflow');
});

test('every figure and image fits inside the viewport', (t) => {
  const failures = [];
  let count = 0;
  for (const { site, page, vp, layout } of measured) {
    for (const m of layout.media) {
      count += 1;
      const at = `${where(site, page, vp)}: ${m.what}`;
      if (m.broken) failures.push(`${at}: image ${m.src} did not load`);
      if (m.width > layout.innerWidth + 0.5) {
        failures.push(`${at}: ${Math.round(m.width)}px wide > innerWidth ${layout.innerWidth}`);
      } else if (m.right > layout.innerWidth + 0.5 || m.left < -0.5) {
        failures.push(
          `${at}: spans ${Math.round(m.left)}–${Math.round(m.right)}px, outside 0–${layout.innerWidth}px`,
        );
      }
    }
  }
  t.diagnostic(`${count} figure/image boxes checked`);
  assertNone(failures, 'figures and images outside the viewport');
});

test(`body text is at least ${MIN_FONT_PX}px`, () => {
  const failures = [];
  for (const { site, page, vp, layout } of measured) {
    if (layout.bodyFont < MIN_FONT_PX) {
      failures.push(`${where(site, page, vp)}: body font-size ${layout.bodyFont}px`);
    }
    for (const small of layout.smallText) failures.push(`${where(site, page, vp)}: ${small}`);
  }
  assertNone(failures, `body copy under ${MIN_FONT_PX}px`);
});

for (const scheme of ['light', 'dark']) {
  test(`text contrast is at least ${MIN_CONTRAST}:1 in the ${scheme} scheme`, (t) => {
    const failures = [];
    let checked = 0;
    for (const entry of measured) {
      const { site, page, vp } = entry;
      const result = entry[scheme];
      checked += result.checked;
      if (result.bad.length) {
        const more = result.bad.length > WORST ? ` (and ${result.bad.length - WORST} more)` : '';
        failures.push(
          `${where(site, page, vp)} (${scheme}): ${result.bad.length} text element(s) under ${MIN_CONTRAST}:1${more}:\n    ${result.bad.slice(0, WORST).join('\n    ')}`,
        );
      }
    }
    t.diagnostic(`${checked} text elements checked (${scheme})`);
    assertNone(failures, `low contrast (${scheme})`);
  });
}

test('screenshots are written', (t) => {
  if (!screenshotsDir) {
    t.skip('TEBIKI_SCREENSHOTS is not set');
    return;
  }
  const missing = measured.flatMap((m) => m.shots).filter((f) => !existsSync(f));
  assertNone(missing, 'missing screenshots');
  t.diagnostic(`${measured.flatMap((m) => m.shots).length} screenshots in ${screenshotsDir}`);
});

/**
 * Links are followed with the theme's smooth scrolling at the phone width, where the jumps are
 * longest, and with reduced motion (instant jumps, the same landing point) at the other widths,
 * which keeps the suite quick.
 */
const motion = (vp) => (vp.width === VIEWPORTS[0].width ? 'no-preference' : 'reduce');

/** The table of contents: the theme's `nav.toc`, else the first `nav` linking to anchors. */
async function tocOf(page) {
  for (const selector of ['nav.toc', 'nav:has(a[href^="#"])']) {
    const nav = page.locator(selector).first();
    if (await nav.count()) return nav;
  }
  return null;
}

test('the table of contents is reachable and its links scroll to their targets', async (t) => {
  const failures = [];
  let clicks = 0;
  for (const site of env.sites) {
    for (const vp of VIEWPORTS) {
      const context = await env.browser.newContext({ viewport: vp, reducedMotion: motion(vp) });
      const page = await context.newPage();
      for (const p of site.pages) {
        const at = where(site, p, vp);
        try {
          await open(page, site.url + p);
          const nav = await tocOf(page);
          if (!nav) continue;
          const details = nav.locator('details').first();
          if ((await details.count()) && !(await details.evaluate((d) => d.open))) {
            await details.locator('summary').first().click();
          }
          const links = nav.locator('a[href^="#"]');
          const n = await links.count();
          if (n === 0 || !(await links.first().isVisible())) {
            failures.push(`${at}: table of contents is not reachable (its links are hidden)`);
            continue;
          }
          for (const i of [...new Set([0, Math.floor(n / 2), n - 1])]) {
            const link = links.nth(i);
            const href = await link.getAttribute('href');
            await link.click({ timeout: 10_000 });
            await waitForScrollEnd(page);
            clicks += 1;
            const got = await page.evaluate((h) => {
              const target = document.getElementById(decodeURIComponent(h.slice(1)));
              if (!target) return { hash: location.hash, missing: true };
              const r = target.getBoundingClientRect();
              return { hash: location.hash, top: r.top, bottom: r.bottom, height: innerHeight };
            }, href);
            const label = `${at}: table of contents link #${i + 1}/${n} ${href}`;
            if (got.missing) failures.push(`${label}: no element with that id`);
            else if (got.hash !== href) failures.push(`${label}: location.hash is ${got.hash || '(empty)'}`);
            else if (got.top < -1 || got.top >= got.height) {
              failures.push(`${label}: target top at ${Math.round(got.top)}px, outside the viewport (0–${got.height}px)`);
            }
          }
        } catch (e) {
          failures.push(`${at}: ${e.message.split('\n')[0]}`);
        }
      }
      await context.close();
    }
  }
  t.diagnostic(`${clicks} table-of-contents links followed`);
  assert.ok(clicks > 0 || failures.length > 0, 'no page has a table of contents');
  assertNone(failures, 'table of contents');
});

/**
 * Runs in the page: the reference links worth following, as indexes into all `a.ref` of the page:
 * the issue's example, the first, middle and last reference naming a step, one to a section or a
 * failure sign, and one to another page (with and without an anchor).
 */
function pickRefs() {
  const all = [...document.querySelectorAll('a.ref')];
  // a reader can only follow what is shown (not, say, inside a closed <details>)
  const refs = all.filter((a) => a.checkVisibility({ checkVisibilityCSS: true }) && a.getClientRects().length > 0);
  const badges = [...document.querySelectorAll('.step-badge')].map((b) => b.textContent.trim());
  const prefix = badges.length ? badges[0].replace(/\d+$/, '') : null;
  const hasBadge = (a) => prefix !== null && a.textContent.includes(prefix) && /\d/.test(a.textContent);
  const local = (a) => a.getAttribute('href').startsWith('#');
  const picks = [];
  const add = (a) => {
    if (a && refs.includes(a) && !picks.includes(all.indexOf(a))) picks.push(all.indexOf(a));
  };
  // the issue's example: the reference inside "tap the notification" that leads to "pause"
  add(document.querySelector('#tap-notification a.ref'));
  const stepRefs = refs.filter((a) => local(a) && hasBadge(a));
  add(stepRefs[0]);
  add(stepRefs[Math.floor(stepRefs.length / 2)]);
  add(stepRefs[stepRefs.length - 1]);
  add(refs.find((a) => local(a) && !hasBadge(a)));
  // other pages last: following one leaves the page
  add(refs.find((a) => !local(a) && new URL(a.href).hash));
  add(refs.find((a) => !local(a) && !new URL(a.href).hash));
  picks.sort((x, y) => Number(!local(all[x])) - Number(!local(all[y])));
  return { picks, prefix };
}

test('following a cross-reference lands on the right step', async (t) => {
  const failures = [];
  let followed = 0;
  for (const site of env.sites) {
    for (const vp of VIEWPORTS) {
      const context = await env.browser.newContext({ viewport: vp, reducedMotion: motion(vp) });
      const page = await context.newPage();
      for (const p of site.pages) {
        try {
          await open(page, site.url + p);
          const { picks, prefix } = await page.evaluate(pickRefs);
          let here = true; // still on the page, so a same-page reference can be clicked at once
          for (const i of picks) {
            if (!here) {
              await open(page, site.url + p);
              here = true;
            }
            const ref = page.locator('a.ref').nth(i);
            const { href, abs, text } = await ref.evaluate((a) => ({
              href: a.getAttribute('href'),
              abs: a.href,
              text: a.textContent.replace(/\s+/g, ' ').trim(),
            }));
            const label = `${where(site, p, vp)}: reference "${text}" → ${href}`;
            try {
              await ref.click({ timeout: 10_000 });
              await page.waitForURL(abs, { waitUntil: 'load', timeout: 10_000 });
              await waitForScrollEnd(page);
            } catch (e) {
              failures.push(`${label}: ${e.message.split('\n')[0]}`);
              here = false;
              continue;
            }
            followed += 1;
            if (!href.startsWith('#')) here = false;
            const wanted = decodeURIComponent(new URL(abs).hash.slice(1));
            if (!wanted) {
              // a reference to a whole guide: it opens that page at its top
              const top = await page.evaluate(() => ({ y: scrollY, h1: document.querySelector('h1') !== null }));
              if (top.y !== 0 || !top.h1) failures.push(`${label}: did not open the page at its title (scrollY ${top.y})`);
              continue;
            }
            const got = await page.evaluate(() => {
              const id = decodeURIComponent(location.hash.slice(1));
              const target = document.getElementById(id);
              if (!target) return { id, missing: true };
              const r = target.getBoundingClientRect();
              const badge = target.querySelector('.step-badge');
              const title = target.matches('section') ? target.querySelector('h2, h3') : target;
              return {
                id,
                top: r.top,
                height: innerHeight,
                badge: badge ? badge.textContent.trim() : null,
                title: title ? title.textContent.replace(/\s+/g, ' ').trim() : '',
              };
            });
            if (got.missing) {
              failures.push(`${label}: no element with id "${got.id}"`);
            } else if (got.id !== wanted) {
              failures.push(`${label}: landed on #${got.id}, not #${wanted}`);
            } else if (got.top < -1 || got.top >= got.height) {
              failures.push(`${label}: #${got.id} top at ${Math.round(got.top)}px, outside the viewport (0–${got.height}px)`);
            } else if (prefix !== null) {
              // the computed text names the step: its first "STEPn" is the target's badge
              const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
              const named = new RegExp(`${escaped}\\s*\\d+`).exec(text);
              if (named && got.badge !== null && named[0] !== got.badge) {
                failures.push(`${label}: landed on #${got.id}, whose badge is ${got.badge}, not ${named[0]}`);
              } else if (named && got.badge === null) {
                failures.push(`${label}: landed on #${got.id} ("${got.title}"), which is not a step`);
              }
            }
          }
        } catch (e) {
          failures.push(`${where(site, p, vp)}: ${e.message.split('\n')[0]}`);
        }
      }
      await context.close();
    }
  }
  t.diagnostic(`${followed} cross-references followed`);
  assert.ok(followed > 0 || failures.length > 0, 'no page has a cross-reference');
  assertNone(failures, 'cross-references');
});
