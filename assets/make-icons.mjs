/**
 * Draws Hostwatch's PNG icons with nothing but zlib, so they can be regenerated anywhere:
 * one tray icon per status colour (16x16 and 32x32 `@2x`, which Electron picks for HiDPI) and the
 * 512x512 app icon electron-builder converts for each platform. Run: `node assets/make-icons.mjs`.
 */
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

/** Tray colours by status; the tray module names the files `tray-<status>[@2x].png`. */
const STATUS_COLOURS = {
  ok: [0x2e, 0xa0, 0x43],
  warning: [0xe3, 0xa0, 0x08],
  critical: [0xd7, 0x3a, 0x3a],
  unknown: [0x8b, 0x93, 0x9c],
};

const SUPERSAMPLES = 4;

/**
 * Renders an RGBA image of `size` px from `shade(x, y)`, which returns [r, g, b, a] (0–255) for a
 * point in pixel units or null for transparent; each pixel averages a grid of samples to smooth edges.
 */
function render(size, shade) {
  const pixels = Buffer.alloc(size * size * 4);
  const n = SUPERSAMPLES;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const c = shade(x + (sx + 0.5) / n, y + (sy + 0.5) / n);
          if (!c) continue;
          // Premultiplied, so a partly covered edge pixel keeps the shape's colour.
          r += c[0] * c[3]; g += c[1] * c[3]; b += c[2] * c[3]; a += c[3];
        }
      }
      const i = (y * size + x) * 4;
      if (a > 0) {
        pixels[i] = Math.round(r / a);
        pixels[i + 1] = Math.round(g / a);
        pixels[i + 2] = Math.round(b / a);
        pixels[i + 3] = Math.round(a / (n * n));
      }
    }
  }
  return pixels;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** Encodes RGBA pixels as a PNG: 8-bit RGBA, filter "none" on every row, maximum deflate. */
function encodePng(size, pixels) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    pixels.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A status dot: a filled circle in the status colour with a thin darker rim, readable on any panel. */
function trayIcon(size, [r, g, b]) {
  const centre = size / 2;
  const radius = size * 0.42;
  const rim = size / 16;
  return render(size, (x, y) => {
    const d = Math.hypot(x - centre, y - centre);
    if (d > radius) return null;
    if (d > radius - rim) return [r * 0.7, g * 0.7, b * 0.7, 255];
    return [r, g, b, 255];
  });
}

function distanceToSegment(px, py, [ax, ay], [bx, by]) {
  const dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** The app icon: a pulse line on a dark rounded square. */
function appIcon(size) {
  const s = size / 512;
  const corner = 96 * s, inset = 16 * s, half = 7 * s;
  const pulse = [[80, 272], [184, 272], [224, 168], [280, 360], [320, 240], [344, 272], [432, 272]]
    .map(([x, y]) => [x * s, y * s]);
  return render(size, (x, y) => {
    // Distance outside a rounded square inset from the edges; <= 0 is inside.
    const qx = Math.abs(x - size / 2) - (size / 2 - inset - corner);
    const qy = Math.abs(y - size / 2) - (size / 2 - inset - corner);
    const outside = Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - corner;
    if (outside > 0) return null;
    for (let i = 1; i < pulse.length; i++) {
      if (distanceToSegment(x, y, pulse[i - 1], pulse[i]) <= 14 * s) return [0x3d, 0xdc, 0x84, 255];
    }
    return outside > -half ? [0x2b, 0x3a, 0x4b, 255] : [0x17, 0x21, 0x2d, 255];
  });
}

const dir = new URL('./', import.meta.url);
for (const [status, colour] of Object.entries(STATUS_COLOURS)) {
  writeFileSync(new URL(`tray-${status}.png`, dir), encodePng(16, trayIcon(16, colour)));
  writeFileSync(new URL(`tray-${status}@2x.png`, dir), encodePng(32, trayIcon(32, colour)));
}
writeFileSync(new URL('icon.png', dir), encodePng(512, appIcon(512)));
