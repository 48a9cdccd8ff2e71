#!/usr/bin/env node
// Builds the native CPU kernels (native/, N-API, C++17) with node-gyp. Runs as the package's
// `install` script, so `npm ci` builds it. A failed build never fails the install: the ML code
// then falls back to the wasm or pure-JS backend and says so. Set ASTERISM_SKIP_NATIVE=1 to skip.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const nativeDir = path.join(root, 'native');
const addon = path.join(nativeDir, 'build', 'Release', 'asterism_native.node');

function nodeGyp() {
  // npm tells lifecycle scripts where its bundled node-gyp is; outside npm, look beside node.
  const candidates = [
    process.env.npm_config_node_gyp,
    path.join(
      path.dirname(process.execPath),
      '..',
      'lib',
      'node_modules',
      'npm',
      'node_modules',
      'node-gyp',
      'bin',
      'node-gyp.js',
    ),
    path.join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  return candidates.find((c) => c && existsSync(c));
}

if (process.env.ASTERISM_SKIP_NATIVE === '1') {
  console.log('asterism: native CPU kernels skipped (ASTERISM_SKIP_NATIVE=1); ML uses the wasm/cpu fallback');
  process.exit(0);
}
const gyp = nodeGyp();
if (!gyp) {
  console.log('asterism: native CPU kernels NOT built: node-gyp not found; ML uses the wasm/cpu fallback');
  process.exit(0);
}
// Node's own headers sit beside the binary (Debian's nodejs, official tarballs): using them keeps
// node-gyp from downloading headers, which machines without network cannot do.
// An existing build is brought up to date by make (`build`); a fresh or reconfigured one is
// configured from scratch (`rebuild`). This matters for `npx asterism` in a fresh clone: npm links
// the project into its npx cache and runs this script again, which must then take a second, not 10.
const makefile = path.join(nativeDir, 'build', 'Makefile');
const configured =
  existsSync(makefile) && statSync(makefile).mtimeMs >= statSync(path.join(nativeDir, 'binding.gyp')).mtimeMs;
const args = [gyp, configured ? 'build' : 'rebuild', '--jobs=max'];
const prefix = path.resolve(path.dirname(process.execPath), '..');
if (!process.env.npm_config_nodedir && existsSync(path.join(prefix, 'include', 'node', 'node_api.h'))) {
  args.push(`--nodedir=${prefix}`);
}
const started = Date.now();
const result = spawnSync(process.execPath, args, {
  cwd: nativeDir,
  encoding: 'utf8',
  env: process.env,
});
if (result.status === 0 && existsSync(addon)) {
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`asterism: native CPU kernels built in ${seconds} s (${path.relative(root, addon)})`);
} else {
  const tail = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
  console.log(
    `asterism: native CPU kernels NOT built (node-gyp exit ${result.status ?? result.error?.message}); ` +
      `ML uses the wasm/cpu fallback. Needs g++, make and python3. Last output:\n${tail}`,
  );
}
process.exit(0);
