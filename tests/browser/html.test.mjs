// Valid HTML and CSS: the Nu Html Checker (vnu.jar from the vnu-jar package, on the machine's
// Java) over every generated page and every stylesheet of every site, in one run each.
// Errors fail; warnings are printed.

import { test } from 'node:test';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { ROOT, assertNone, filesOf, sites } from './lib.mjs';

const VNU = path.join(ROOT, 'node_modules/vnu-jar/build/dist/vnu.jar');
const JAVA = process.env.JAVA || 'java';

/** Runs vnu over `files`; resolves to its messages. */
function vnu(args, files) {
  return new Promise((resolve, reject) => {
    execFile(
      JAVA,
      ['-jar', VNU, '--format', 'json', '--stdout', '--exit-zero-always', ...args, ...files],
      { maxBuffer: 64 * 1024 * 1024, timeout: 180_000 },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`${JAVA} -jar ${VNU} failed: ${error.message}\n${stderr}`));
          return;
        }
        try {
          resolve(JSON.parse(stdout).messages);
        } catch (e) {
          reject(new Error(`vnu printed no JSON (${e.message}):\n${stdout}\n${stderr}`));
        }
      },
    );
  });
}

/** All files of all sites ending with `ext`: [{ site, rel, abs }]. */
function allFiles(ext) {
  return sites().flatMap((site) =>
    filesOf(site.dir, ext).map((rel) => ({ site, rel, abs: path.resolve(site.dir, rel) })),
  );
}

/** "bundled zaim-amazon/index.html:12:5" for a vnu message. */
function locate(files, message) {
  let file = message.url;
  if (file && file.startsWith('file:')) file = fileURLToPath(file);
  const known = files.find((f) => f.abs === file);
  const name = known ? `${known.site.name} ${known.rel}` : file || '(no file)';
  const line = message.lastLine ? `:${message.firstLine || message.lastLine}:${message.firstColumn || message.lastColumn || 1}` : '';
  return `${name}${line}`;
}

async function check(t, args, files, what) {
  if (files.length === 0) throw new Error(`no ${what} files to check`);
  const messages = await vnu(args, files.map((f) => f.abs));
  const errors = [];
  let warnings = 0;
  for (const m of messages) {
    const text = `${locate(files, m)}: ${m.message}${m.extract ? ` [${m.extract.replace(/\s+/g, ' ').trim()}]` : ''}`;
    if (m.type === 'error' || m.type === 'non-document-error') {
      errors.push(text);
    } else if (m.subType === 'warning') {
      warnings += 1;
      t.diagnostic(`warning: ${text}`);
    }
  }
  t.diagnostic(`vnu: ${files.length} ${what} file(s), ${errors.length} error(s), ${warnings} warning(s)`);
  assertNone(errors, `vnu errors in ${what}`);
}

test('the Nu Html Checker finds no error in any generated page', async (t) => {
  await check(t, ['--html'], allFiles('.html'), 'HTML');
});

test('the Nu Html Checker finds no error in any stylesheet', async (t) => {
  await check(t, ['--css'], allFiles('.css'), 'CSS');
});
