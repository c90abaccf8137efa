// Where the reader is in a scrolling list of messages, kept across a change of what it shows: back
// at the bottom if they were there, else the same message at the same height. Messages are the
// elements with a `data-message-id`.
import { tick } from 'svelte';

/** Puts the reader back once the change has rendered. */
export type Restore = () => Promise<void>;

/** How close to the bottom (px) still counts as "at the bottom". */
const NEAR_BOTTOM_PX = 60;

function nearBottom(el: HTMLElement | null): boolean {
  return !el || el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;
}

async function scrollToBottom(el: () => HTMLElement | null): Promise<void> {
  await tick();
  const now = el();
  if (now) now.scrollTop = now.scrollHeight;
}

type Anchor = { id: string; offset: number };

/** The first message at least partly in view, and where it is. */
function anchorIn(el: HTMLElement): Anchor | null {
  const top = el.getBoundingClientRect().top;
  for (const node of el.querySelectorAll<HTMLElement>('[data-message-id]')) {
    const r = node.getBoundingClientRect();
    if (r.bottom > top && node.dataset.messageId) return { id: node.dataset.messageId, offset: r.top - top };
  }
  return null;
}

/**
 * Call just before the list changes. `stick`: go to the bottom whatever the reader did (a first
 * load); otherwise the bottom only if the reader was there.
 */
export function holdPlace(el: () => HTMLElement | null, stick: boolean): Restore {
  const now = el();
  const atBottom = stick || nearBottom(now);
  const was = !atBottom && now ? anchorIn(now) : null;
  return async () => {
    if (atBottom) return scrollToBottom(el);
    await tick();
    const after = el();
    if (!after || !was) return;
    const node = after.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(was.id)}"]`);
    if (!node) return;
    const delta = node.getBoundingClientRect().top - after.getBoundingClientRect().top - was.offset;
    if (delta) after.scrollTop += delta;
  };
}

/** Call just before older messages go in above: what was in view stays where it was. */
export function holdAbove(el: HTMLElement): Restore {
  const height = el.scrollHeight;
  const top = el.scrollTop;
  return async () => {
    await tick();
    el.scrollTop = top + (el.scrollHeight - height);
  };
}

/** Call when the list is about to show something else: coming back restores this scroll offset. */
export function holdOffset(el: () => HTMLElement | null): Restore {
  const top = el()?.scrollTop ?? 0;
  return async () => {
    await tick();
    const now = el();
    if (now) now.scrollTop = top;
  };
}
