// The service worker's shell list names every script of the app (a new screen
// file missing from it would not open offline); index.html preloads exactly
// what the shell and the sign-in screen import, and no screen that loads on
// demand (which would grow the first screen); the vendored files match
// vendor.json; the README's screenshots are there; every text key a
// script names is in the catalogue.
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

/** `file` and every module it imports statically (not `import()`), as /paths. */
function staticGraph(file, seen = new Set()) {
  if (seen.has(file)) return seen;
  seen.add(file);
  const source = readFileSync(path.join(app, file), 'utf8');
  for (const [, target] of source.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s+'([^']+)'/gm)) {
    staticGraph(`/${path.relative(app, path.resolve(path.dirname(path.join(app, file)), target))}`, seen);
  }
  return seen;
}

test('every script is in the service worker shell', () => {
  const worker = readFileSync(path.join(app, 'sw.js'), 'utf8');
  for (const file of scripts(path.join(app, 'js'))) {
    assert.ok(worker.includes(`'${file}'`), `${file} missing from sw.js SHELL`);
  }
});

test('index.html preloads the shell and the sign-in screen, and nothing loaded on demand', () => {
  const index = readFileSync(path.join(app, 'index.html'), 'utf8');
  const preloaded = [...index.matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map(([, href]) => href).sort();
  const shell = staticGraph('/js/app.js', staticGraph('/js/screens/signin.js'));
  shell.delete('/js/app.js');
  assert.deepEqual(preloaded, [...shell].sort());
  // The shell is small: the heavy screens are not in it.
  for (const screen of ['/js/screens/patient.js', '/js/screens/admin.js', '/js/screens/today.js', '/js/components/chart.js']) {
    assert.ok(!shell.has(screen), `${screen} is in the first screen`);
  }
});

test('vendored files match their recorded sha256', () => {
  const manifest = JSON.parse(readFileSync(path.join(web, 'vendor.json'), 'utf8'));
  for (const file of manifest.files) {
    const sum = createHash('sha256').update(readFileSync(path.join(web, file.to))).digest('hex');
    assert.equal(sum, file.sha256, file.to);
  }
});

test('every image the README shows is a PNG in the repository', () => {
  const root = path.resolve(web, '../..');
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const images = [...readme.matchAll(/!\[[^\]]+\]\(([^)]+)\)/g)].map((match) => match[1]);
  assert.ok(images.length >= 2, 'the README shows the screenshots of the today screen and the caseload');
  for (const image of images) {
    const bytes = readFileSync(path.join(root, image));
    assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG', `${image} is not a PNG`);
  }
});

test('every text key a script names is in the catalogue', () => {
  const catalogue = JSON.parse(readFileSync(path.join(app, 'i18n/en-GB.json'), 'utf8'));
  const known = (key) => key.split('.').reduce((node, part) => (node && typeof node === 'object' ? node[part] : undefined), catalogue) !== undefined;
  const missing = scripts(path.join(app, 'js')).flatMap((file) =>
    [...readFileSync(path.join(app, file), 'utf8').matchAll(/\bt\(\s*'([a-z0-9_.]+)'/g)]
      .map(([, key]) => key)
      .filter((key) => !known(key))
      .map((key) => `${file}: ${key}`),
  );
  assert.deepEqual(missing, []);
});
