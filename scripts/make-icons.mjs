// Draws the tray and app icons (no image tools needed: PNG via zlib, ICO containers by hand).
// Run `node scripts/make-icons.mjs` after changing the drawing; the files in resources/ are
// committed, and a test regenerates them into a temporary folder and compares.
//
//   node scripts/make-icons.mjs [--out <dir>] [--sheet <file.png>]
//
//   --out    where to write (default: resources/ next to this script)
//   --sheet  also write an enlarged contact sheet of every tray icon, on light and dark bars
//
// What it writes under the output folder:
//
//   tray/mac/<state>Template.png    18 pt template images, 18 and 36 px (@2x): black + alpha only, so
//     and <state>Template@2x.png    macOS tints them for light and dark menu bars
//   tray/win/<state>.ico            16, 20, 24, 32, 40, 48 px (the notification area at 100%-300%)
//   tray/linux/<state>.png, @2x     22 and 44 px (StatusNotifierItem / AppIndicator hosts)
//   icon.png                        512 px app icon (electron-builder, macOS)
//   icon.ico                        app icon 16-256 px (Windows executable and installer)
//   icons/<n>x<n>.png               app icons 16-512 px (Linux desktop entry: deb, AppImage)
//
// Every state has its own shape, not only its own colour: the macOS template images are
// monochrome, and colour alone does not tell states apart for everyone. A chat bubble, and:
//   idle     the bubble with two text lines          unread   + a hollow ring
//   mention  + a filled dot                          dnd      + a crescent moon, grey bubble
//   demo     + a "play" triangle                     signin   an "!" in the bubble, amber
//   offline  a hollow (outlined) bubble, grey
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const STATE_NAMES = ['idle', 'unread', 'mention', 'offline', 'signin', 'dnd', 'demo'];

// ---------------------------------------------------------------------------------------------
// PNG and ICO encoding

/** An 8-bit RGBA PNG (colour type 6, no interlace, filter 0 on every row). */
function encodePng(width, height, rgba) {
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++)
    raw.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1);
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * An ICO file whose images are PNG-compressed (valid since Windows Vista): ICONDIR (reserved 0,
 * type 1, count), one 16-byte ICONDIRENTRY per image (width and height, 0 meaning 256; no palette;
 * 1 plane; 32 bits per pixel; byte size and offset of the PNG), then the PNGs.
 */
function encodeIco(images) {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, png }, i) => {
    const at = 6 + 16 * i;
    header.writeUInt8(size >= 256 ? 0 : size, at);
    header.writeUInt8(size >= 256 ? 0 : size, at + 1);
    header.writeUInt8(0, at + 2);
    header.writeUInt8(0, at + 3);
    header.writeUInt16LE(1, at + 4);
    header.writeUInt16LE(32, at + 6);
    header.writeUInt32LE(png.length, at + 8);
    header.writeUInt32LE(offset, at + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...images.map((i) => i.png)]);
}

// ---------------------------------------------------------------------------------------------
// Colours of the bubble and the badges.

const ORANGE = [255, 79, 31];
const GREY = [128, 134, 143];
const AMBER = [245, 158, 11];
const BLUE = [46, 125, 246];
const RED = [224, 36, 36];
const PURPLE = [124, 58, 237];
const GREEN = [22, 163, 74];

// ---------------------------------------------------------------------------------------------
// The per-state glyphs. Geometry is in pixels of the final image, so straight edges (the text
// lines, the "!", the outline) are snapped to whole pixels at every size: a 1.4 px line would be
// a grey smear at 16 px.

/** The look of each state in colour (Windows, Linux, app icons); templates use the same shapes. */
const STATES = {
  idle: { body: ORANGE, mark: 'lines', badge: null },
  unread: { body: ORANGE, mark: 'lines', badge: { shape: 'ring', color: BLUE } },
  mention: { body: ORANGE, mark: 'lines', badge: { shape: 'dot', color: RED } },
  offline: { body: GREY, mark: 'hollow', badge: null },
  signin: { body: AMBER, mark: 'bang', badge: null },
  dnd: { body: GREY, mark: 'lines', badge: { shape: 'moon', color: PURPLE } },
  demo: { body: ORANGE, mark: 'lines', badge: { shape: 'play', color: GREEN } },
};

const snap = (v) => Math.round(v);

/**
 * The scene of one glyph: a function from a sample point (pixel units) to a colour or null.
 * `margin` is the empty border, in pixels; `color` false draws black (template images).
 */
function glyph(state, size, margin, color = true) {
  const { body, mark, badge } = STATES[state];
  const s = size - 2 * margin;
  const X = (u) => margin + u * s;
  const len = (u) => u * s;
  const black = [0, 0, 0];

  // The bubble: a rounded rectangle with a tail at the bottom left.
  const bx0 = X(0),
    by0 = snap(X(0.1)),
    bx1 = X(1),
    by1 = snap(X(0.74)),
    br = len(0.22);
  const inRoundRect = (x, y, x0, y0, x1, y1, r) => {
    if (x < x0 || x > x1 || y < y0 || y > y1) return false;
    const cx = Math.min(Math.max(x, x0 + r), x1 - r);
    const cy = Math.min(Math.max(y, y0 + r), y1 - r);
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
  };
  // The tail: its left edge straight down, its tip blunt (a sharp tip is a faint pixel at 16 px).
  const tx0 = X(0.16),
    ty0 = by1 - len(0.08),
    ty1 = X(0.96),
    tw = len(0.32),
    tip = Math.min(Math.max(1, len(0.08)), 1.5);
  const inTail = (x, y) =>
    y >= ty0 && y <= ty1 && x >= tx0 && x <= tx0 + tip + ((tw - tip) * (ty1 - y)) / (ty1 - ty0);
  const inBubble = (x, y) => inRoundRect(x, y, bx0, by0, bx1, by1, br) || inTail(x, y);

  // Text lines knocked out of the bubble, snapped to whole pixels, at least 1 px thick.
  const lineH = Math.max(1, snap(len(0.08)));
  const gap = Math.max(1, snap(len(0.1)));
  const mid = (by0 + by1) / 2;
  const l1 = snap(mid - gap / 2 - lineH);
  const l2 = l1 + lineH + gap;
  const lx0 = snap(X(0.2));
  const lx1 = badge ? snap(X(0.46)) : snap(X(0.74));
  const lx2 = badge ? snap(X(0.36)) : snap(X(0.56));
  const inLines = (x, y) =>
    (y >= l1 && y < l1 + lineH && x >= lx0 && x < lx1) || (y >= l2 && y < l2 + lineH && x >= lx0 && x < lx2);

  // "!": a bar and a dot, centred, whole pixels wide, 1 px (or more) from the bubble's edges.
  const bangW = Math.max(2, snap(len(0.13)));
  const bangX = snap((bx0 + bx1 - bangW) / 2);
  const edge = Math.max(1, snap(len(0.08)));
  const bangTop = by0 + edge;
  const dotH = bangW;
  const dotTop = by1 - edge - dotH;
  const barBottom = dotTop - Math.max(1, snap(len(0.07)));
  const inBang = (x, y) =>
    x >= bangX &&
    x < bangX + bangW &&
    ((y >= bangTop && y < barBottom) || (y >= dotTop && y < dotTop + dotH));

  // Outline: the bubble minus the bubble inset by the stroke (the tail stays solid).
  const stroke = Math.max(1.5, len(0.12));
  const inHole = (x, y) =>
    inRoundRect(x, y, bx0 + stroke, by0 + stroke, bx1 - stroke, by1 - stroke, Math.max(0, br - stroke));

  // The badge at the top right, with a transparent moat so it reads apart from the bubble.
  const cx = X(0.82),
    cy = X(0.18),
    cr = len(0.18),
    moat = len(0.27);
  const d2 = (x, y, ox, oy) => (x - ox) ** 2 + (y - oy) ** 2;
  const inBadge = (x, y) => {
    switch (badge?.shape) {
      case 'dot':
        return d2(x, y, cx, cy) <= cr * cr;
      case 'ring':
        return d2(x, y, cx, cy) <= cr * cr && d2(x, y, cx, cy) > (cr * 0.52) ** 2;
      case 'moon':
        return d2(x, y, cx, cy) <= cr * cr && d2(x, y, cx + cr * 0.55, cy - cr * 0.4) > (cr * 0.8) ** 2;
      case 'play': {
        // A triangle pointing right, centred on the badge and inside the canvas.
        const h = cr * 1.8;
        const t = (x - (cx - h / 2)) / h; // 0 at the flat side, 1 at the tip
        return t >= 0 && t <= 1 && Math.abs(y - cy) <= (1 - t) * cr;
      }
      default:
        return false;
    }
  };

  return (x, y) => {
    if (badge) {
      if (inBadge(x, y)) return color ? badge.color : black;
      if (d2(x, y, cx, cy) <= moat * moat) return null;
    }
    if (!inBubble(x, y)) return null;
    if (mark === 'lines' && inLines(x, y)) return null;
    if (mark === 'bang' && inBang(x, y)) return null;
    if (mark === 'hollow' && inHole(x, y)) return null;
    return color ? body : black;
  };
}

/** Renders a scene, 8x8 samples a pixel (4x4 above 64 px): colour is the mean of those covered. */
function render(size, scene) {
  const ss = size > 64 ? 4 : 8;
  const rgba = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      let r = 0,
        g = 0,
        b = 0,
        n = 0;
      for (let j = 0; j < ss; j++)
        for (let i = 0; i < ss; i++) {
          const c = scene(x + (i + 0.5) / ss, y + (j + 0.5) / ss);
          if (c) {
            r += c[0];
            g += c[1];
            b += c[2];
            n++;
          }
        }
      if (n) rgba.set([r / n, g / n, b / n, (255 * n) / (ss * ss)].map(Math.round), (y * size + x) * 4);
    }
  return { size, rgba };
}

// ---------------------------------------------------------------------------------------------
// Sizes per OS

/**
 * macOS: the menu bar is 22 pt high (24 pt with a notch) and its icons are drawn 16-18 pt; 18 pt
 * keeps a 2 pt clearance yet gives the badges 2 more pixels than 16 pt, which the monochrome
 * shapes need. 1 px of margin keeps antialiased edges off the canvas border.
 */
const MAC = { size: 18, margin: 1 };
/** Windows: the notification area's small icon, SM_CXSMICON, at 100/125/150/200/250/300 % scaling. */
const WIN_SIZES = [16, 20, 24, 32, 40, 48];
/** Linux: StatusNotifierItem hosts (KDE, GNOME's AppIndicator extension) show 22 px (44 on HiDPI). */
const LINUX = { size: 22, margin: 1 };
const APP_ICON_SIZES = [16, 32, 48, 64, 128, 256, 512];
const APP_ICO_SIZES = [16, 20, 24, 32, 40, 48, 64, 128, 256];

const appScene = (size) => glyph('idle', size, Math.max(0, size / 16), true);

/** Every file, as [path relative to the output folder, bytes]; plus images for the sheet. */
function build() {
  const files = [];
  const sheet = [];
  const png = (img) => encodePng(img.size, img.size, img.rgba);

  for (const state of STATE_NAMES) {
    const mac1 = render(MAC.size, glyph(state, MAC.size, MAC.margin, false));
    const mac2 = render(MAC.size * 2, glyph(state, MAC.size * 2, MAC.margin * 2, false));
    files.push([`tray/mac/${state}Template.png`, png(mac1)]);
    files.push([`tray/mac/${state}Template@2x.png`, png(mac2)]);

    const win = WIN_SIZES.map((size) => render(size, glyph(state, size, 0, true)));
    files.push([`tray/win/${state}.ico`, encodeIco(win.map((img) => ({ size: img.size, png: png(img) })))]);

    const lin1 = render(LINUX.size, glyph(state, LINUX.size, LINUX.margin, true));
    const lin2 = render(LINUX.size * 2, glyph(state, LINUX.size * 2, LINUX.margin * 2, true));
    files.push([`tray/linux/${state}.png`, png(lin1)]);
    files.push([`tray/linux/${state}@2x.png`, png(lin2)]);

    sheet.push({ state, mac: [mac1, mac2], win, linux: [lin1, lin2] });
  }

  const app = new Map(
    [...new Set([...APP_ICON_SIZES, ...APP_ICO_SIZES, 512])].map((s) => [s, render(s, appScene(s))]),
  );
  files.push(['icon.png', png(app.get(512))]);
  for (const size of APP_ICON_SIZES) files.push([`icons/${size}x${size}.png`, png(app.get(size))]);
  files.push(['icon.ico', encodeIco(APP_ICO_SIZES.map((size) => ({ size, png: png(app.get(size)) })))]);
  return { files, sheet, app: [...app.values()].filter((img) => img.size <= 128) };
}

// ---------------------------------------------------------------------------------------------
// Contact sheet: every tray icon enlarged (nearest neighbour) and at its real size, on a light
// and a dark bar; template images shown as macOS tints them (black on light, white on dark).

const LIGHT = [236, 236, 236];
const DARK = [32, 33, 36];

function contactSheet(rows, appIcons) {
  const ZOOM = 96; // enlarged cell edge, px
  const PAD = 8;
  const BLACK = [0, 0, 0];
  const WHITE = [255, 255, 255];
  // Enlarged: per state, the template images as tinted on each bar, then the coloured ones.
  const zoomed = (r) => [
    ...r.mac.map((img) => ({ img, bg: LIGHT, tint: BLACK })),
    ...r.mac.map((img) => ({ img, bg: DARK, tint: WHITE })),
    ...[LIGHT, DARK].flatMap((bg) =>
      [r.win[0], r.win[3], r.linux[0], r.linux[1]].map((img) => ({ img, bg })),
    ),
  ];
  // Real size: every file of the state on each bar.
  const actual = (r, bg) => [
    ...r.mac.map((img) => ({ img, tint: bg === LIGHT ? BLACK : WHITE })),
    ...[...r.win, ...r.linux].map((img) => ({ img })),
  ];
  const realW = actual(rows[0], LIGHT).reduce((w, c) => w + c.img.size + PAD, PAD);
  const width = Math.max(PAD + zoomed(rows[0]).length * (ZOOM + PAD), PAD + 2 * (realW + PAD));
  const realTop = PAD + rows.length * (ZOOM + PAD);
  const realH = 48 + PAD;
  const appTop = realTop + rows.length * (realH + PAD);
  const height = appTop + 128 + 2 * PAD;
  const out = new Uint8Array(width * height * 4).fill(255);
  const put = (x, y, c, a) => {
    if (x < 0 || y < 0 || x >= width || y >= height) return;
    const o = (y * width + x) * 4;
    for (let k = 0; k < 3; k++) out[o + k] = Math.round(out[o + k] * (1 - a) + c[k] * a);
  };
  const fill = (x0, y0, w, h, c) => {
    for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) put(x, y, c, 1);
  };
  const blit = (img, x0, y0, scale, tint) => {
    for (let y = 0; y < img.size * scale; y++)
      for (let x = 0; x < img.size * scale; x++) {
        const o = (Math.floor(y / scale) * img.size + Math.floor(x / scale)) * 4;
        const c = tint ?? [img.rgba[o], img.rgba[o + 1], img.rgba[o + 2]];
        put(x0 + x, y0 + y, c, img.rgba[o + 3] / 255);
      }
  };
  rows.forEach((r, row) => {
    zoomed(r).forEach(({ img, bg, tint }, col) => {
      const x0 = PAD + col * (ZOOM + PAD);
      const y0 = PAD + row * (ZOOM + PAD);
      const scale = Math.floor(ZOOM / img.size);
      const edge = img.size * scale;
      fill(x0, y0, ZOOM, ZOOM, bg);
      blit(img, x0 + Math.floor((ZOOM - edge) / 2), y0 + Math.floor((ZOOM - edge) / 2), scale, tint);
    });
    [LIGHT, DARK].forEach((bg, k) => {
      const x0 = PAD + k * (realW + PAD);
      const y0 = realTop + row * (realH + PAD);
      fill(x0, y0, realW, realH, bg);
      let x = x0 + PAD;
      for (const { img, tint } of actual(r, bg)) {
        blit(img, x, y0 + Math.floor((realH - img.size) / 2), 1, tint);
        x += img.size + PAD;
      }
    });
  });
  let x = PAD;
  for (const img of appIcons) {
    blit(img, x, appTop + PAD, 1, null);
    x += img.size + PAD;
  }
  return encodePng(width, height, out);
}

// ---------------------------------------------------------------------------------------------

function parseArgs(argv) {
  const opts = { out: join(ROOT, 'resources'), sheet: null };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if ((flag === '--out' || flag === '--sheet') && value && !value.startsWith('--')) {
      opts[flag.slice(2)] = resolve(value);
      i++;
    } else {
      console.error(
        `usage: node scripts/make-icons.mjs [--out <dir>] [--sheet <file.png>]\nunknown: ${flag}`,
      );
      process.exit(2);
    }
  }
  return opts;
}

const opts = parseArgs(process.argv.slice(2));
const { files, sheet, app } = build();
for (const [rel, bytes] of files) {
  const path = join(opts.out, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
}
console.log(`${files.length} icon files written to ${opts.out}`);
if (opts.sheet) {
  writeFileSync(opts.sheet, contactSheet(sheet, app));
  console.log(`contact sheet written to ${opts.sheet}`);
}
