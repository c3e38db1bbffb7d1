// A minimal sequential test runner: prints "ok - NAME" or "not ok - NAME" with the reason, and a closing
// "browser: N passed, N failed" line. Tests in a group run in order and share the page state they leave behind.
import assert from 'node:assert/strict';

const results = [];

export async function test(name, fn) {
  const started = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`ok - ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } catch (e) {
    results.push({ name, ok: false, error: e });
    console.log(`not ok - ${name}`);
    const text = String((e && (e.stack || e.message)) || e)
      .split('\n')
      .filter((l) => !/node_modules|node:internal/.test(l))
      .slice(0, 40)
      .join('\n');
    console.log(text.replace(/^/gm, '    '));
  }
}

/** Marks a test as failed without running it (its set-up failed). */
export function fail(name, reason) {
  results.push({ name, ok: false, error: new Error(reason) });
  console.log(`not ok - ${name}\n    ${reason}`);
}

export function summary() {
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  return { passed, failed };
}

/**
 * Polls `probe` (async, returns a value) until `check(value)` holds, for up to `timeoutMs`; returns the value.
 * On time-out, fails with `describe(value)`: a wait, not a timed assertion.
 */
export async function until(what, probe, check, { timeoutMs = 30_000, interval = 100 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let value;
  let lastError;
  for (;;) {
    try {
      value = await probe();
      lastError = undefined;
      if (check(value)) return value;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      const seen = lastError ? `error: ${lastError.message}` : JSON.stringify(value, null, 1)?.slice(0, 2000);
      throw new assert.AssertionError({ message: `gave up waiting for ${what} after ${timeoutMs / 1000} s; last seen: ${seen}` });
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

export { assert };
