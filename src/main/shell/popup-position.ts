// Where the popup opens: next to the tray icon, on the side that faces the screen (below a macOS
// menu bar icon, above a Windows taskbar at the bottom, beside a vertical taskbar), always inside
// the work area. Where the OS gives no tray position (often on Linux), near the pointer.
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PositionInput {
  tray: Rect | null;
  cursor: { x: number; y: number };
  workArea: Rect;
  size: { width: number; height: number };
}

const GAP = 6;

export function popupPosition({ tray, cursor, workArea, size }: PositionInput): { x: number; y: number } {
  const anchor = tray && tray.width > 0 && tray.height > 0 ? tray : { ...cursor, width: 0, height: 0 };
  const midX = anchor.x + anchor.width / 2;
  const midY = anchor.y + anchor.height / 2;
  const areaMidX = workArea.x + workArea.width / 2;
  const areaMidY = workArea.y + workArea.height / 2;
  // The taskbar is vertical when the anchor sits outside the work area to the left or right.
  const beside = anchor.x + anchor.width <= workArea.x || anchor.x >= workArea.x + workArea.width;

  let x: number;
  let y: number;
  if (beside) {
    x = midX < areaMidX ? anchor.x + anchor.width + GAP : anchor.x - size.width - GAP;
    y = midY - size.height / 2;
  } else {
    x = midX - size.width / 2;
    y = midY < areaMidY ? anchor.y + anchor.height + GAP : anchor.y - size.height - GAP;
  }
  return {
    x: Math.round(clamp(x, workArea.x, workArea.x + workArea.width - size.width)),
    y: Math.round(clamp(y, workArea.y, workArea.y + workArea.height - size.height)),
  };
}

function clamp(v: number, min: number, max: number): number {
  return Math.max(min, Math.min(v, Math.max(min, max)));
}
