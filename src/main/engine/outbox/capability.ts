// Whether a chat's kind can take an action: the outbox asks the kind's capability record before it
// queues anything, so an action a kind cannot do is refused with a clear error, never sent.
import { capabilitiesOf, unreachable, type ChatCapabilities } from '../../../shared/domain/kinds.ts';
import type { OutboxAction } from './schema.ts';

/** The capabilities the user's actions need. */
type Capability = keyof Pick<
  ChatCapabilities,
  'pins' | 'threads' | 'reactions' | 'editDelete' | 'endAndWrapup'
>;

/** The capability an action needs of its chat, if any (a plain reply needs none). */
export function capabilityNeeded(action: OutboxAction): Capability | undefined {
  switch (action.kind) {
    case 'reply':
      return action.threadId ? 'threads' : undefined;
    case 'react':
      return 'reactions';
    case 'pin':
    case 'unpin':
      return 'pins';
    case 'edit':
    case 'delete':
      return 'editDelete';
    case 'end':
    case 'wrapup':
      return 'endAndWrapup';
    default:
      return unreachable(action, 'outbox action');
  }
}

const WHAT: Record<Capability, string> = {
  pins: 'pinned messages',
  threads: 'threads',
  reactions: 'reactions',
  editDelete: 'editing or deleting messages',
  endAndWrapup: 'ending or wrapping up (only a customer interaction does)',
};

/** Why the action cannot be done in its chat, or undefined when it can. */
export function actionRefusal(
  action: OutboxAction,
  can: ChatCapabilities = capabilitiesOf(action.chat.kind),
): string | undefined {
  const needed = capabilityNeeded(action);
  return needed === undefined || can[needed]
    ? undefined
    : `This conversation does not support ${WHAT[needed]}.`;
}
