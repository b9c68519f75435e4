// Accessibility: axe-core on every page of every site (the guide pages, the index pages, the
// troubleshooting index and any other page a site has), at the phone and laptop widths in the
// light scheme and at the laptop width in the dark one.
// Serious and critical violations fail; moderate and minor ones are printed.

import { after, before, test } from 'node:test';
import path from 'node:path';

import { ROOT, VIEWPORTS, assertNone, open, setUp, where } from './lib.mjs';

const AXE = path.join(ROOT, 'node_modules/axe-core/axe.min.js');
const FAILING = new Set(['serious', 'critical']);
/** How many targets of one violated rule to list. */
const TARGETS = 3;

let env;
before(async () => {
  env = await setUp();
});
after(async () => {
  if (env) await env.close();
});

// The phone and the laptop layouts (the tablet one is the phone's with wider margins), light;
// and the laptop one dark. (layout.test.mjs checks the contrast at every width in both schemes.)
const PHONE = VIEWPORTS[0];
const LAPTOP = VIEWPORTS[VIEWPORTS.length - 1];
const runs = [
  { vp: PHONE, scheme: 'light' },
  { vp: LAPTOP, scheme: 'light' },
  { vp: LAPTOP, scheme: 'dark' },
];

test('axe-core finds no serious or critical violation on any page', async (t) => {
  const failures = [];
  const minor = new Map(); // "rule (impact)" -> pages
  let pages = 0;
  let version = '';
  for (const site of env.sites) {
    for (const { vp, scheme } of runs) {
      const context = await env.browser.newContext({ viewport: vp, colorScheme: scheme });
      const page = await context.newPage();
      for (const p of site.pages) {
        const at = `${where(site, p, vp)}${scheme === 'dark' ? ' (dark)' : ''}`;
        try {
          await open(page, site.url + p);
          await page.addScriptTag({ path: AXE });
          const result = await page.evaluate(async () => {
            const r = await window.axe.run(document, { resultTypes: ['violations'] });
            return {
              version: r.testEngine.version,
              violations: r.violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                targets: v.nodes.map((n) => n.target.join(' ')),
              })),
            };
          });
          pages += 1;
          version = result.version;
          for (const v of result.violations) {
            if (FAILING.has(v.impact)) {
              const more = v.targets.length > TARGETS ? ` (and ${v.targets.length - TARGETS} more)` : '';
              failures.push(
                `${at}: ${v.id} (${v.impact}): ${v.help}: ${v.targets.slice(0, TARGETS).join(', ')}${more}`,
              );
            } else {
              const key = `${v.id} (${v.impact}): ${v.help}`;
              minor.set(key, [...(minor.get(key) || []), at]);
            }
          }
        } catch (e) {
          failures.push(`${at}: axe did not run: ${e.message.split('\n')[0]}`);
        }
      }
      await context.close();
    }
  }
  t.diagnostic(`axe-core ${version}: ${pages} page runs, ${failures.length} serious/critical violation(s)`);
  for (const [rule, where_] of minor) t.diagnostic(`not failing: ${rule} on ${where_.length} page run(s), e.g. ${where_[0]}`);
  assertNone(failures, 'axe-core serious/critical violations');
});
