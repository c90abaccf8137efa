// Draws the tray and app icons as PNGs (no image tools needed): a chat bubble, with a badge dot
// for states that need one. Run `node scripts/make-icons.mjs` after changing the drawing; the
// PNGs in resources/ are committed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync, crc32 } from 'node:zlib';

const ORANGE = [255, 79, 31];
const GREY = [128, 134, 143];
// One icon per tray state (src/main/shell/tray-look.ts): the bubble's colour and a badge dot.
const STATES = {
  idle: { body: ORANGE, dot: null },
  unread: { body: ORANGE, dot: [46, 125, 246] },
  mention: { body: ORANGE, dot: [224, 36, 36] },
  offline: { body: GREY, dot: null },
  signin: { body: GREY, dot: [245, 158, 11] },
  dnd: { body: GREY, dot: [124, 58, 237] },
  demo: { body: ORANGE, dot: [22, 163, 74] },
};

function png(size, pixel) {
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) raw.set(pixel(x, y), y * (size * 4 + 1) + 1 + x * 4);
  }
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Coverage of the unit-square icon at (u, v): bubble body, tail, and the optional dot. */
function shapeAt(u, v, dot, body) {
  const inRoundRect = (x0, y0, x1, y1, r) => {
    const cx = Math.min(Math.max(u, x0 + r), x1 - r);
    const cy = Math.min(Math.max(v, y0 + r), y1 - r);
    return (u - cx) ** 2 + (v - cy) ** 2 <= r * r && u >= x0 && u <= x1 && v >= y0 && v <= y1;
  };
  const inBody = inRoundRect(0.06, 0.1, 0.94, 0.74, 0.2);
  const tail = v >= 0.66 && v <= 0.94 && u >= 0.2 && u <= 0.2 + (0.94 - v) * 0.9 && u <= 0.46;
  const lines =
    (v > 0.3 && v < 0.37 && u > 0.24 && u < 0.76) || (v > 0.47 && v < 0.54 && u > 0.24 && u < 0.6);
  if (dot) {
    const d = (u - 0.8) ** 2 + (v - 0.22) ** 2;
    if (d <= 0.2 ** 2) return { color: dot, on: true };
    if (d <= 0.26 ** 2) return { color: null, on: false };
  }
  if ((inBody || tail) && !lines) return { color: body, on: true };
  return { color: null, on: false };
}

function draw(size, dot, body = ORANGE) {
  const ss = 4;
  return png(size, (x, y) => {
    let r = 0,
      g = 0,
      b = 0,
      a = 0;
    for (let i = 0; i < ss; i++)
      for (let j = 0; j < ss; j++) {
        const s = shapeAt((x + (i + 0.5) / ss) / size, (y + (j + 0.5) / ss) / size, dot, body);
        if (s.on) {
          r += s.color[0];
          g += s.color[1];
          b += s.color[2];
          a++;
        }
      }
    return a ? [r / a, g / a, b / a, Math.round((255 * a) / (ss * ss))] : [0, 0, 0, 0];
  });
}

mkdirSync('resources/tray', { recursive: true });
for (const [name, { dot, body }] of Object.entries(STATES)) {
  writeFileSync(`resources/tray/${name}.png`, draw(16, dot, body));
  writeFileSync(`resources/tray/${name}@2x.png`, draw(32, dot, body));
}
writeFileSync('resources/icon.png', draw(512, null));
console.log('icons written to resources/');
