// What a failed outbox attempt means (retry, give up, already done, sign in), worded for the user.
import { GenesysError } from '../../genesys/http.ts';
import type { OutboxAction, OutboxError } from './schema.ts';
import { errorText } from '../../../shared/errors.ts';

/** Genesys allows at most this many pinned messages per chat. */
export const MAX_PINS = 5;
export const PIN_LIMIT_MESSAGE = `This chat already has ${MAX_PINS} pinned messages. Unpin one first.`;
export const SIGN_IN_MESSAGE = 'Sign in to Genesys Cloud again to send this.';
/** The outbox's pause reason while the user is signed out. */
export const SIGNED_OUT_REASON = 'Signed out of Genesys Cloud: what you sent waits until you sign in again.';
/**
 * The code of a `cancelled` error that says the source an action needs is between two runs (not
 * started yet, or stopped for a restart or a new sign-in): the action waits for it, attempts uncounted.
 */
export const SOURCE_NOT_RUNNING = 'messaging-stopped';

/** A refusal the outbox found itself before asking the server (e.g. the pin limit): never retried. */
export class ActionRefused extends Error {
  readonly code: string;
  constructor(message: string, code: string) {
    super(message);
    this.code = code;
  }
}

export interface Failure {
  /**
   * retry: try again later; fail: give up now; done: the server already is as the user wanted
   * (deleting or unpinning what is gone); sign-in: pause the outbox until the user signs in again;
   * wait: try again later without counting the attempt (what it needs is not running yet).
   */
  verdict: 'retry' | 'fail' | 'done' | 'sign-in' | 'wait';
  /** The attempt may have been applied although no success came back (matters for replies only). */
  mayHaveLanded: boolean;
  error: OutboxError;
}

export function classify(err: unknown, action: OutboxAction): Failure {
  if (err instanceof ActionRefused) return fail({ message: err.message, code: err.code });
  if (!(err instanceof GenesysError)) {
    const detail = errorText(err);
    return fail({ message: `Something went wrong in the app: ${detail}` });
  }
  const base = { ...(err.code ? { code: err.code } : {}), ...(err.status ? { status: err.status } : {}) };
  switch (err.kind) {
    case 'needs-sign-in':
      return { verdict: 'sign-in', mayHaveLanded: false, error: { message: SIGN_IN_MESSAGE, ...base } };
    case 'cancelled':
      if (err.code === SOURCE_NOT_RUNNING)
        return { verdict: 'wait', mayHaveLanded: false, error: { message: err.message, ...base } };
      return retry({ message: 'The request was cancelled; it will be tried again.', ...base }, false);
    case 'network':
      return retry({ message: 'Genesys Cloud did not answer. Check your connection.', ...base }, true);
    case 'bad-response':
      // A 2xx the app could not read: the change was made. Only a reply needs its id, so only a reply
      // goes round again (and then finds its message instead of posting twice).
      return action.kind === 'reply'
        ? retry({ message: 'Genesys Cloud sent an answer the app could not read.', ...base }, true)
        : { verdict: 'done', mayHaveLanded: true, error: { message: err.message, ...base } };
    case 'http':
      return classifyHttp(err, action, base);
  }
}

function classifyHttp(err: GenesysError, action: OutboxAction, base: Omit<OutboxError, 'message'>): Failure {
  const { status } = err;
  if (status === 429)
    return retry(
      { message: 'Genesys Cloud is busy (too many requests). Waiting to try again.', ...base },
      false,
    );
  if (status >= 500 || status === 408)
    return retry({ message: `Genesys Cloud had a problem (HTTP ${status}). Trying again.`, ...base }, true);
  if (status === 404 && (action.kind === 'delete' || action.kind === 'unpin'))
    return { verdict: 'done', mayHaveLanded: false, error: { message: 'Already gone.', ...base } };
  return fail({ message: humanReason(err, action), ...base });
}

/** The server's refusal, said so the user knows what happened and what to do. */
export function humanReason(err: GenesysError, action: OutboxAction): string {
  const { status } = err;
  const code = err.code.toLowerCase();
  if (code.includes('pin') && code.includes('limit')) return PIN_LIMIT_MESSAGE;
  if (code.includes('reactions.disabled')) return 'Reactions are turned off in your organization.';
  if (code.includes('not.sender'))
    return action.kind === 'delete'
      ? 'You can only delete your own messages.'
      : 'You can only edit your own messages.';
  if (code.includes('not.participant')) return 'You are not a member of this chat any more.';
  if (code.includes('mention')) return 'Someone mentioned in the message is not known to Genesys Cloud.';
  if (code.includes('thread')) return 'The thread you replied to no longer exists.';
  if (status === 404)
    return action.kind === 'reply' ? 'This chat no longer exists.' : 'The message no longer exists.';
  if (status === 403) return `Genesys Cloud does not allow this: ${err.message}`;
  if (status === 413) return 'The message is too long.';
  if (status === 401) return SIGN_IN_MESSAGE;
  return `Genesys Cloud refused this: ${err.message}`;
}

function retry(error: OutboxError, mayHaveLanded: boolean): Failure {
  return { verdict: 'retry', mayHaveLanded, error };
}

function fail(error: OutboxError): Failure {
  return { verdict: 'fail', mayHaveLanded: false, error };
}
