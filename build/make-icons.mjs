#!/usr/bin/env node
/**
 * Draws Deskline's placeholder icons with nothing but node:zlib, so they can be
 * regenerated on any machine (ImageMagick is not assumed):
 *   node build/make-icons.mjs   → resources/icon.png (512), icon.ico, icon.icns, tray/*.png
 * The app icon is a teal rounded square with a white "D"; tray icons are a status-coloured
 * disc with the same "D", at 16 px and 32 px (`@2x`, which Electron picks on HiDPI screens).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'resources');
const SAMPLES = 4; // 4×4 supersampling per pixel: smooth edges without a rasteriser

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function encodePng(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The letter D in unit coordinates: a bar plus a half ring. */
function inD(u, v) {
  const outer = (u >= 0.32 && u <= 0.5 && v >= 0.26 && v <= 0.74) || (u >= 0.5 && Math.hypot(u - 0.5, v - 0.5) <= 0.24);
  const inner = (u >= 0.42 && u <= 0.5 && v >= 0.36 && v <= 0.64) || (u >= 0.5 && Math.hypot(u - 0.5, v - 0.5) <= 0.14);
  return outer && !inner;
}
function inRoundedSquare(u, v, r = 0.2, pad = 0.04) {
  const x = Math.max(Math.abs(u - 0.5) - (0.5 - pad - r), 0);
  const y = Math.max(Math.abs(v - 0.5) - (0.5 - pad - r), 0);
  return Math.hypot(x, y) <= r;
}

/** shade(u, v) → [r, g, b, a] or null; averaged over the supersamples. */
function render(size, shade) {
  const px = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const c = shade((x + (sx + 0.5) / SAMPLES) / size, (y + (sy + 0.5) / SAMPLES) / size);
          if (!c) continue;
          r += c[0] * c[3]; g += c[1] * c[3]; b += c[2] * c[3]; a += c[3];
        }
      }
      const i = (y * size + x) * 4;
      const n = SAMPLES * SAMPLES;
      px[i] = a ? Math.round(r / a) : 0;
      px[i + 1] = a ? Math.round(g / a) : 0;
      px[i + 2] = a ? Math.round(b / a) : 0;
      px[i + 3] = Math.round((a / n) * 255);
    }
  }
  return encodePng(size, px);
}

const appIcon = (size) =>
  render(size, (u, v) => {
    if (!inRoundedSquare(u, v)) return null;
    if (inD(u, v)) return [255, 255, 255, 1];
    const t = v; // a gentle vertical gradient, teal 600 → teal 800
    return [Math.round(13 + t * 2), Math.round(148 - t * 30), Math.round(136 - t * 18), 1];
  });

const TRAY = {
  answering: [22, 163, 74], // green: picking up calls
  call: [37, 99, 235], // blue: a call in progress
  paused: [217, 119, 6], // amber: not answering on purpose
  error: [220, 38, 38], // red: the engine is down or not configured
  starting: [107, 114, 128], // grey: starting up
};
const trayIcon = (size, rgb) =>
  render(size, (u, v) => {
    if (Math.hypot(u - 0.5, v - 0.5) > 0.47) return null;
    return inD(u, v) ? [255, 255, 255, 1] : [...rgb, 1];
  });

function ico(entries) {
  const header = Buffer.alloc(6 + 16 * entries.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(entries.length, 4);
  let offset = header.length;
  entries.forEach(({ size, png }, i) => {
    const e = 6 + i * 16;
    header.writeUInt8(size >= 256 ? 0 : size, e); // 0 means 256
    header.writeUInt8(size >= 256 ? 0 : size, e + 1);
    header.writeUInt16LE(1, e + 4); // colour planes
    header.writeUInt16LE(32, e + 6); // bits per pixel
    header.writeUInt32LE(png.length, e + 8);
    header.writeUInt32LE(offset, e + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...entries.map((e) => e.png)]);
}

function icns(entries) {
  const parts = entries.map(({ type, png }) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + parts.reduce((n, p) => n + p.length, 0), 4);
  return Buffer.concat([head, ...parts]);
}

mkdirSync(join(OUT, 'tray'), { recursive: true });
const sizes = new Map();
for (const size of [16, 24, 32, 48, 64, 128, 256, 512, 1024]) sizes.set(size, appIcon(size));
writeFileSync(join(OUT, 'icon.png'), sizes.get(512));
writeFileSync(join(OUT, 'icon.ico'), ico([16, 24, 32, 48, 64, 128, 256].map((size) => ({ size, png: sizes.get(size) }))));
writeFileSync(
  join(OUT, 'icon.icns'),
  icns([
    ['icp4', 16], ['icp5', 32], ['icp6', 64], ['ic07', 128], ['ic08', 256], ['ic09', 512], ['ic10', 1024],
    ['ic11', 32], ['ic12', 64], ['ic13', 256], ['ic14', 512],
  ].map(([type, size]) => ({ type, png: sizes.get(size) }))),
);
for (const [name, rgb] of Object.entries(TRAY)) {
  writeFileSync(join(OUT, 'tray', `${name}.png`), trayIcon(16, rgb));
  writeFileSync(join(OUT, 'tray', `${name}@2x.png`), trayIcon(32, rgb));
}
console.log(`Icons written to ${OUT}`);
