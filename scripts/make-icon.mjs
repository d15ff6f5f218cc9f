// Draws icon.png (128×128, RGBA): a heartbeat line across a rounded square — the connection kept
// alive. No image library: the pixels are computed here and written as a PNG with node:zlib.
// Run once and commit the result: `node scripts/make-icon.mjs`.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 128;
const BACKGROUND = [0x1f, 0x6f, 0x8b];
const LINE = [0xff, 0xff, 0xff];
const RADIUS = 24;
const WIDTH = 7;
// The pulse, in pixels: flat, a spike up and down, flat.
const PULSE = [
  [12, 72], [40, 72], [52, 40], [66, 100], [78, 56], [86, 72], [116, 72],
];

function distanceToSegment(px, py, [ax, ay], [bx, by]) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function insideRounded(x, y) {
  const cx = Math.min(Math.max(x, RADIUS), SIZE - RADIUS);
  const cy = Math.min(Math.max(y, RADIUS), SIZE - RADIUS);
  return Math.hypot(x - cx, y - cy) <= RADIUS;
}

const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) {
  raw[y * (SIZE * 4 + 1)] = 0; // filter: none
  for (let x = 0; x < SIZE; x++) {
    // 4×4 supersampling for smooth edges.
    let shape = 0;
    let line = 0;
    for (let sy = 0; sy < 4; sy++) {
      for (let sx = 0; sx < 4; sx++) {
        const px = x + (sx + 0.5) / 4;
        const py = y + (sy + 0.5) / 4;
        if (!insideRounded(px, py)) continue;
        shape++;
        let d = Infinity;
        for (let i = 0; i + 1 < PULSE.length; i++) d = Math.min(d, distanceToSegment(px, py, PULSE[i], PULSE[i + 1]));
        if (d <= WIDTH / 2) line++;
      }
    }
    const at = y * (SIZE * 4 + 1) + 1 + x * 4;
    const mix = shape === 0 ? 0 : line / shape;
    for (let c = 0; c < 3; c++) raw[at + c] = Math.round(BACKGROUND[c] * (1 - mix) + LINE[c] * mix);
    raw[at + 3] = Math.round((shape / 16) * 255);
  }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // bit depth
header[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(new URL('../icon.png', import.meta.url), png);
process.stdout.write(`icon.png: ${png.length} bytes\n`);
