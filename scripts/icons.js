#!/usr/bin/env node
// Draws the app icon (the ◉ of the UI's title on a rounded square, as renderer/public/favicon.svg) and
// writes the set electron-builder and the shell use: build/icon.png (512), build/icon.ico, build/icon.icns
// and renderer/public/app-icon.png (256, the window and tray icon). Pure JavaScript — no image tool, no
// download; the outputs are committed, so this runs only when the design changes.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** RGBA pixels of the icon at `size` px, 4×4 supersampled. */
export function drawIcon(size) {
  const pixels = Buffer.alloc(size * size * 4);
  const background = [31, 95, 209]; // #1f5fd1, the favicon's blue
  const S = 4;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let cover = 0;
      let white = 0;
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          // Unit coordinates, centre 0.
          const u = (x + (sx + 0.5) / S) / size - 0.5;
          const v = (y + (sy + 0.5) / S) / size - 0.5;
          if (!inRoundedSquare(u, v, 0.46, 0.1)) continue;
          cover++;
          const r = Math.hypot(u, v);
          if ((r <= 0.3 && r >= 0.22) || r <= 0.12) white++;
        }
      }
      const i = (y * size + x) * 4;
      if (cover === 0) continue;
      const w = white / cover;
      for (let c = 0; c < 3; c++) pixels[i + c] = Math.round(background[c] * (1 - w) + 255 * w);
      pixels[i + 3] = Math.round((cover / (S * S)) * 255);
    }
  }
  return pixels;
}

function inRoundedSquare(u, v, half, radius) {
  const dx = Math.max(Math.abs(u) - (half - radius), 0);
  const dy = Math.max(Math.abs(v) - (half - radius), 0);
  return Math.abs(u) <= half && Math.abs(v) <= half && Math.hypot(dx, dy) <= radius;
}

/** A PNG file of RGBA pixels. */
export function encodePng(size, pixels) {
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) pixels.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** An ICO holding PNG images (valid since Windows Vista). */
export function encodeIco(pngs) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(pngs.length, 4);
  let offset = 6 + 16 * pngs.length;
  const entries = pngs.map(({ size, png }) => {
    const e = Buffer.alloc(16);
    e[0] = size >= 256 ? 0 : size;
    e[1] = size >= 256 ? 0 : size;
    e.writeUInt16LE(1, 4);
    e.writeUInt16LE(32, 6);
    e.writeUInt32LE(png.length, 8);
    e.writeUInt32LE(offset, 12);
    offset += png.length;
    return e;
  });
  return Buffer.concat([header, ...entries, ...pngs.map((p) => p.png)]);
}

/** An ICNS holding PNG images by their OSType (ic07 128, ic08 256, ic09 512). */
export function encodeIcns(entries) {
  const blocks = entries.map(({ type, png }) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const body = Buffer.concat(blocks);
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([head, body]);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const png = (size) => encodePng(size, drawIcon(size));
  const [p16, p32, p48, p128, p256, p512] = [16, 32, 48, 128, 256, 512].map(png);
  fs.writeFileSync(path.join(root, 'build', 'icon.png'), p512);
  fs.writeFileSync(
    path.join(root, 'build', 'icon.ico'),
    encodeIco([
      { size: 16, png: p16 },
      { size: 32, png: p32 },
      { size: 48, png: p48 },
      { size: 256, png: p256 },
    ]),
  );
  fs.writeFileSync(
    path.join(root, 'build', 'icon.icns'),
    encodeIcns([
      { type: 'ic07', png: p128 },
      { type: 'ic08', png: p256 },
      { type: 'ic09', png: p512 },
    ]),
  );
  fs.writeFileSync(path.join(root, 'renderer', 'public', 'app-icon.png'), p256);
}
