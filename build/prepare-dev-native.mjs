#!/usr/bin/env node
/**
 * For `npm start` only. The engine runs inside Electron's utility process, whose Node ABI
 * differs from the system Node that `npm test` uses, so the same better-sqlite3 binary
 * cannot serve both. This builds an Electron copy of its binding into
 * node_modules/.cache/deskline-electron-native/better_sqlite3.node, leaving the Node one
 * untouched; main.ts passes it to the engine as DESKLINE_SQLITE_BINDING in development.
 * Installers do not need this: electron-builder rebuilds native modules when packaging.
 *
 * Needs network access to Electron's headers (or better-sqlite3's prebuilt binaries) and
 * a C++ toolchain the first time; later runs are a no-op until a version changes.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const outDir = join(root, 'node_modules', '.cache', 'deskline-electron-native');
const outFile = join(outDir, 'better_sqlite3.node');
const stampFile = join(outDir, 'stamp.json');

const electronVersion = require('electron/package.json').version;
const sqliteDir = dirname(require.resolve('better-sqlite3/package.json'));
const sqliteVersion = JSON.parse(readFileSync(join(sqliteDir, 'package.json'), 'utf8')).version;
const stamp = JSON.stringify({ electronVersion, sqliteVersion, platform: process.platform, arch: process.arch });

if (existsSync(outFile) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) {
  console.log(`better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} is ready.`);
  process.exit(0);
}

const work = join(outDir, 'work');
rmSync(work, { recursive: true, force: true });
mkdirSync(join(work, 'node_modules'), { recursive: true });
writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'deskline-native', private: true, dependencies: { 'better-sqlite3': sqliteVersion } }));
cpSync(sqliteDir, join(work, 'node_modules', 'better-sqlite3'), { recursive: true, filter: (src) => !src.includes(`${join('better-sqlite3', 'build')}`) });
for (const dep of ['bindings', 'file-uri-to-path', 'prebuild-install']) {
  try {
    cpSync(dirname(require.resolve(`${dep}/package.json`)), join(work, 'node_modules', dep), { recursive: true });
  } catch {
    // Optional helpers: a source build does not need them.
  }
}

console.log(`Building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (first run only)…`);
try {
  const { rebuild } = await import('@electron/rebuild');
  await rebuild({ buildPath: work, electronVersion, arch: process.arch, onlyModules: ['better-sqlite3'], force: true });
} catch (err) {
  console.error(
    `Could not build better-sqlite3 for Electron: ${err instanceof Error ? err.message : String(err)}\n` +
      'This needs network access to Electron\'s headers and a C++ toolchain (python3, make, g++ / Visual Studio Build Tools / Xcode CLT).',
  );
  process.exit(1);
}
const built = join(work, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
if (!existsSync(built)) {
  console.error(`The rebuild finished but ${built} is missing.`);
  process.exit(1);
}
copyFileSync(built, outFile);
writeFileSync(stampFile, stamp);
rmSync(work, { recursive: true, force: true });
console.log(`Wrote ${outFile}`);
