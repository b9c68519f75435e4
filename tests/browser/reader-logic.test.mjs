// The countdown's time computation and the progress's resume rule, in isolation (no browser):
// the scripts the theme ships are loaded as they are.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

function load(name, global) {
  const script = fileURLToPath(new URL(`../../themes/default/static/assets/${name}`, import.meta.url));
  const context = vm.createContext({});
  vm.runInContext(readFileSync(script, 'utf8'), context);
  return context[global];
}

test('time left is computed from the stored start, never below zero', () => {
  const { remaining } = load('tebiki-timer.js', 'tebikiTimer');
  const start = Date.UTC(2026, 11, 1, 1, 0, 0);
  assert.equal(remaining(start, start, 300), 300_000);
  assert.equal(remaining(start, start + 120_000, 300), 180_000);
  // A tab frozen for ten minutes wakes up to the true time: the window is over.
  assert.equal(remaining(start, start + 600_000, 300), 0);
  // A clock set back (the start is in the future) shows at most the whole window.
  assert.equal(remaining(start, start - 5_000, 300), 300_000);
});

test('the clock shows whole seconds rounded up, so 0:00 is the end', () => {
  const { clock } = load('tebiki-timer.js', 'tebikiTimer');
  assert.equal(clock(300_000), '5:00');
  assert.equal(clock(179_001), '3:00');
  assert.equal(clock(179_000), '2:59');
  assert.equal(clock(9_000), '0:09');
  assert.equal(clock(1), '0:01');
  assert.equal(clock(0), '0:00');
  assert.equal(clock(-5), '0:00');
  assert.equal(clock(3_723_000), '1:02:03');
});

test('the last minute and the end are phases of their own', () => {
  const { phase } = load('tebiki-timer.js', 'tebikiTimer');
  assert.equal(phase(60_001), 'running');
  assert.equal(phase(60_000), 'last-minute');
  assert.equal(phase(1), 'last-minute');
  assert.equal(phase(0), 'ended');
});

test('the reader resumes after the last ticked step', () => {
  const { resumeAt } = load('tebiki-progress.js', 'tebikiProgress');
  const steps = ['a:1', 'a:2', 'a:3', 'b:1', 'b:2'];
  assert.equal(resumeAt(steps, new Set()), null);
  assert.equal(resumeAt(steps, new Set(['a:1', 'a:2', 'a:3'])), 'b:1');
  // A step skipped before the last ticked one does not pull the reader back.
  assert.equal(resumeAt(steps, new Set(['a:1', 'a:3'])), 'b:1');
  assert.equal(resumeAt(steps, new Set(['a:2', 'b:1'])), 'b:2');
  assert.equal(resumeAt(steps, new Set(steps)), '');
  // Keys that are no longer on the page (a step removed since) are ignored.
  assert.equal(resumeAt(steps, new Set(['gone:9'])), null);
});
