// Screenshots as a reader sees them, on the fixture site with real phone screenshots
// (tests/fixtures/screenshots) and on every other site: portrait pictures at phone size and
// never taller than the viewport, the variant the browser picks at 1× and 3×, the zoom dialog
// with its annotations, and the annotated copy behind the link and in the JSON-LD.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertNone, open, setUp, where } from './lib.mjs';

let env;
before(async () => {
  env = await setUp();
});
after(async () => {
  if (env) await env.close();
});

/** The guide pages of the screenshots fixture. */
function shotsSite() {
  const site = env.sites.find((s) => s.name === 'screenshots');
  assert.ok(site, 'the screenshots fixture site is under test');
  return site;
}

/** Every figure picture of the page: its box, its kind, what the browser loaded. */
function figures() {
  return [...document.querySelectorAll('figure.figure')].map((f) => {
    const img = f.querySelector('img');
    const r = img.getBoundingClientRect();
    return {
      portrait: f.classList.contains('figure-portrait'),
      screenshot: f.classList.contains('figure-screenshot'),
      width: r.width,
      height: r.height,
      left: r.left,
      right: r.right,
      current: img.currentSrc.split('/').pop(),
      alt: img.alt,
    };
  });
}

test('at 1280×800 no picture is taller than the viewport, and portrait ones are at most 400 px wide', async () => {
  const failures = [];
  let checked = 0;
  const vp = { width: 1280, height: 800 };
  for (const site of env.sites) {
    const context = await env.browser.newContext({ viewport: vp });
    const page = await context.newPage();
    for (const p of site.pages) {
      await open(page, site.url + p);
      for (const f of await page.evaluate(figures)) {
        checked += 1;
        const at = `${where(site, p, vp)}: ${f.alt}`;
        if (f.height > vp.height) failures.push(`${at}: ${Math.round(f.height)} px tall > ${vp.height}`);
        if (f.portrait && f.width > 400) failures.push(`${at}: portrait, ${Math.round(f.width)} px wide > 400`);
      }
    }
    await context.close();
  }
  assert.ok(checked >= 4, `figures were measured (${checked})`);
  assertNone(failures, 'pictures too large for a desktop screen');
});

test('at 360 px no picture leaves the viewport', async () => {
  const failures = [];
  const vp = { width: 360, height: 740 };
  const site = shotsSite();
  const context = await env.browser.newContext({ viewport: vp });
  const page = await context.newPage();
  for (const p of site.pages) {
    await open(page, site.url + p);
    for (const f of await page.evaluate(figures)) {
      if (f.left < -0.5 || f.right > vp.width + 0.5) {
        failures.push(`${where(site, p, vp)}: ${f.alt} spans ${Math.round(f.left)}–${Math.round(f.right)}`);
      }
    }
  }
  await context.close();
  assertNone(failures, 'pictures outside a 360 px screen');
});

test('the browser picks the 360 px variant at 1× on a desktop and the 1080 px one on a 3× phone', async () => {
  const site = shotsSite();
  const picked = async (viewport, deviceScaleFactor) => {
    const context = await env.browser.newContext({ viewport, deviceScaleFactor });
    const page = await context.newPage();
    await open(page, `${site.url}phone/index.html`);
    const got = (await page.evaluate(figures)).filter((f) => f.screenshot);
    await context.close();
    return got;
  };
  const desktop = await picked({ width: 1280, height: 800 }, 1);
  const phone = await picked({ width: 390, height: 844 }, 3);
  const portraits = (list) => list.filter((f) => f.portrait);
  assert.equal(portraits(desktop).length, 3);
  for (const f of portraits(desktop)) assert.match(f.current, /-360\.webp$/, `1× desktop: ${f.alt}`);
  for (const f of portraits(phone)) assert.match(f.current, /-1080\.webp$/, `3× phone: ${f.alt}`);
  const landscape = desktop.find((f) => !f.portrait);
  assert.match(landscape.current, /-720\.webp$/, 'a landscape picture fills the 690 px column at 1×');
  assert.ok(landscape.width > 600, `landscape drawn ${landscape.width} px wide`);
});

test('the zoom dialog shows the picture with its annotations at the zoomed size', async () => {
  const site = shotsSite();
  for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
    const context = await env.browser.newContext({ viewport });
    const page = await context.newPage();
    await open(page, `${site.url}phone/index.html`);
    const onPage = await page.evaluate(() => {
      const f = document.querySelector('figure.figure-screenshot');
      return { marks: f.querySelectorAll('.figure-overlay .mark').length, width: f.querySelector('img').getBoundingClientRect().width };
    });
    assert.ok(onPage.marks > 0, 'the first screenshot has annotations');
    await page.click('figure.figure-screenshot .figure-link');
    await page.waitForFunction(() => {
      const img = document.querySelector('dialog.figure-dialog[open] img');
      return img && img.complete && img.naturalWidth > 0;
    });
    const zoomed = await page.evaluate(() => {
      const d = document.querySelector('dialog.figure-dialog[open]');
      const img = d.querySelector('img').getBoundingClientRect();
      const overlay = d.querySelector('.figure-overlay');
      const o = overlay && overlay.getBoundingClientRect();
      return {
        marks: d.querySelectorAll('.figure-overlay .mark').length,
        img: [img.left, img.top, img.width, img.height],
        overlay: o && [o.left, o.top, o.width, o.height],
      };
    });
    const at = `${viewport.width}×${viewport.height}`;
    assert.equal(zoomed.marks, onPage.marks, `${at}: every annotation is in the dialog`);
    for (let k = 0; k < 4; k += 1) {
      assert.ok(Math.abs(zoomed.img[k] - zoomed.overlay[k]) < 1.5, `${at}: the overlay covers the zoomed picture ${zoomed.img} / ${zoomed.overlay}`);
    }
    assert.ok(zoomed.img[2] >= onPage.width, `${at}: zoomed ${zoomed.img[2]} px, on the page ${onPage.width} px`);
    await context.close();
  }
});

test('without JavaScript the link and the JSON-LD name the annotated copy', async () => {
  const site = shotsSite();
  const context = await env.browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await open(page, `${site.url}phone/index.html`);
  const got = await page.evaluate(() => ({
    links: [...document.querySelectorAll('figure.figure-screenshot')].map((f) => ({
      href: f.querySelector('a').getAttribute('href'),
      marked: f.querySelector('.figure-overlay') !== null,
    })),
    jsonld: [...document.querySelectorAll('script[type="application/ld+json"]')].map((s) => s.textContent),
  }));
  await context.close();
  assert.equal(got.links.length, 4);
  for (const { href, marked } of got.links) {
    if (marked) assert.match(href, /-annotated\.webp$/, href);
    else assert.match(href, /-1080\.webp$/, href);
  }
  const howto = got.jsonld.map((t) => JSON.parse(t)).flat().find((d) => d['@type'] === 'HowTo');
  assert.ok(howto, 'a HowTo JSON-LD');
  const images = JSON.stringify(howto).match(/https:[^"]+\.webp/g) || [];
  assert.ok(images.some((u) => u.endsWith('-annotated.webp')), `the JSON-LD names the annotated copies: ${images}`);
  // The annotated copy is there and is a picture.
  const annotated = got.links.find((l) => l.marked).href;
  const response = await fetch(`${site.url}phone/${annotated}`);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'image/webp');
});

test('print shows every overlay over its picture', async () => {
  const site = shotsSite();
  const context = await env.browser.newContext({ viewport: { width: 800, height: 1000 } });
  const page = await context.newPage();
  await open(page, `${site.url}phone/index.html`);
  await page.emulateMedia({ media: 'print' });
  const boxes = await page.evaluate(() =>
    [...document.querySelectorAll('.figure-overlay')].map((o) => {
      const img = o.parentElement.querySelector('img').getBoundingClientRect();
      const r = o.getBoundingClientRect();
      return { shown: getComputedStyle(o).display !== 'none' && r.width > 0, dx: Math.abs(r.width - img.width), dy: Math.abs(r.height - img.height) };
    }),
  );
  await context.close();
  assert.equal(boxes.length, 3, 'three annotated screenshots');
  for (const b of boxes) {
    assert.ok(b.shown, 'the overlay prints');
    assert.ok(b.dx < 1.5 && b.dy < 1.5, `the overlay covers its picture (${b.dx}, ${b.dy})`);
  }
});
