// The service worker's shell list and index.html's module preloads name every
// script of the app (a new screen file missing from either would break the
// offline crisis page or slow the first screen), and the vendored files match
// vendor.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const app = path.join(web, 'app');

function scripts(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? scripts(full) : [`/${path.relative(app, full)}`];
  });
}

test('every script is in the service worker shell and preloaded by index.html', () => {
  const worker = readFileSync(path.join(app, 'sw.js'), 'utf8');
  const index = readFileSync(path.join(app, 'index.html'), 'utf8');
  for (const file of scripts(path.join(app, 'js'))) {
    assert.ok(worker.includes(`'${file}'`), `${file} missing from sw.js SHELL`);
    if (file !== '/js/app.js') assert.ok(index.includes(`<link rel="modulepreload" href="${file}">`), `${file} not preloaded in index.html`);
  }
});

test('vendored files match their recorded sha256', () => {
  const manifest = JSON.parse(readFileSync(path.join(web, 'vendor.json'), 'utf8'));
  for (const file of manifest.files) {
    const sum = createHash('sha256').update(readFileSync(path.join(web, file.to))).digest('hex');
    assert.equal(sum, file.sha256, file.to);
  }
});
