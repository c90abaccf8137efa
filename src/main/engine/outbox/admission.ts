// Whether an action may be queued, and the new item that carries it: valid input, a capability its
// conversation's kind has, and room in the queue (every item is kept in the settings file).
import { randomUUID } from 'node:crypto';
import { actionRefusal } from './capability.ts';
import { MAX_WAITING } from './options.ts';
import { OutboxActionSchema, type OutboxAction, type OutboxItem } from './schema.ts';

/** The new queued item for `action`; throws on bad input, a refused action, or a full queue. */
export function admit(action: OutboxAction, items: readonly OutboxItem[], now: number): OutboxItem {
  const parsed = OutboxActionSchema.safeParse(action);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TypeError(`Invalid outbox action: ${issue?.path.join('.')} ${issue?.message}`);
  }
  const refusal = actionRefusal(parsed.data);
  if (refusal) throw new TypeError(refusal);
  if (items.filter((x) => x.state !== 'sent').length >= MAX_WAITING) {
    throw new Error(
      `${MAX_WAITING} actions are already waiting to be sent. Wait for them to go out, or discard failed ones.`,
    );
  }
  return { id: randomUUID(), action: parsed.data, createdAt: now, state: 'queued', attempts: 0 };
}
