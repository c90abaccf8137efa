// The popup opens by the tray icon, facing the screen, and never off the work area.
import { describe, expect, it } from 'vitest';
import { popupPosition } from '../../../src/main/shell/popup-position.ts';

const size = { width: 380, height: 560 };
const screen = { x: 0, y: 0, width: 1920, height: 1080 };

describe('popup position', () => {
  it('macOS menu bar: just below the icon, centred on it', () => {
    const workArea = { x: 0, y: 25, width: 1920, height: 1055 };
    const p = popupPosition({
      tray: { x: 1500, y: 0, width: 22, height: 24 },
      cursor: { x: 0, y: 0 },
      workArea,
      size,
    });
    expect(p).toEqual({ x: 1321, y: 30 });
  });

  it('Windows taskbar at the bottom: just above the icon, kept inside the right edge', () => {
    const workArea = { x: 0, y: 0, width: 1920, height: 1040 };
    const p = popupPosition({
      tray: { x: 1880, y: 1045, width: 24, height: 30 },
      cursor: { x: 0, y: 0 },
      workArea,
      size,
    });
    expect(p).toEqual({ x: 1920 - 380, y: 1045 - 560 - 6 });
  });

  it('a taskbar on the left: beside the icon', () => {
    const workArea = { x: 60, y: 0, width: 1860, height: 1080 };
    const p = popupPosition({
      tray: { x: 18, y: 1000, width: 24, height: 24 },
      cursor: { x: 0, y: 0 },
      workArea,
      size,
    });
    // Right of the icon would be x 48, inside the taskbar: the work area's edge wins; centred on the
    // icon vertically would run off the bottom, so it sits on the bottom edge.
    expect(p).toEqual({ x: 60, y: 1080 - 560 });
  });

  it('no tray position (Linux): near the pointer, inside the screen', () => {
    const p = popupPosition({
      tray: { x: 0, y: 0, width: 0, height: 0 },
      cursor: { x: 1910, y: 10 },
      workArea: screen,
      size,
    });
    expect(p).toEqual({ x: 1920 - 380, y: 16 });
    const low = popupPosition({ tray: null, cursor: { x: 200, y: 1070 }, workArea: screen, size });
    expect(low).toEqual({ x: 10, y: 1070 - 560 - 6 });
  });

  it('a screen smaller than the popup pins it to the top-left of the work area', () => {
    const tiny = { x: 100, y: 50, width: 300, height: 400 };
    expect(popupPosition({ tray: null, cursor: { x: 250, y: 300 }, workArea: tiny, size })).toEqual({
      x: 100,
      y: 50,
    });
  });
});
