// A local wall-clock time 'HH:MM' (24 h, 00:00–23:59), as quiet hours store it: one pattern for the
// store, the IPC contract, the rules and the Settings form.
import { z } from 'zod';

const CLOCK_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

export const ClockTimeSchema = z.string().regex(CLOCK_TIME, 'expected HH:MM (00:00-23:59)');

export function isClockTime(text: string): boolean {
  return CLOCK_TIME.test(text);
}

/** 'HH:MM' → minutes since midnight, or undefined when malformed. */
export function parseClockTime(text: string): number | undefined {
  const match = CLOCK_TIME.exec(text);
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
}
