// Wrap-up (seed 004 endpoints 30-33): the codes a participant may use, applying one, reading it.
import type { ApiRequest, ApiResponse, ApiRoute } from '../context.ts';
import { ok } from '../context.ts';
import { badRequest, notFound } from '../http/errors.ts';
import { parseWith } from '../api/schemas.ts';
import { conversationOf, ownParticipant, requireAgent } from './access.ts';
import type { MessagingContext } from './context.ts';
import type { ConversationRecord, ParticipantRecord } from './model.ts';
import type { WrapupInput } from './requests.ts';
import { wrapupSchema } from './requests.ts';
import { BASE, assignedWrapupJson, wrapupCodeJson } from './wire-rest.ts';

const accepted = (): ApiResponse => ({ status: 202 });

/** Applies a wrap-up: the code must be one of the participant's queue's codes (by id). */
export function applyWrapup(
  ctx: MessagingContext,
  c: ConversationRecord,
  p: ParticipantRecord,
  input: WrapupInput,
): void {
  if (!input.code) throw badRequest("A wrap-up needs a 'code' (the wrap-up code's id).", 'bad.request');
  if (p.communication.state === 'alerting') {
    throw badRequest('A participant that has not answered cannot be wrapped up.', 'bad.request');
  }
  const code = c.integration.queue.wrapupCodes.find((w) => w.id === input.code);
  if (!code) {
    throw badRequest(
      `Wrap-up code '${input.code.slice(0, 80)}' is not valid for this participant: use one of its wrapupcodes.`,
      'bad.request',
    );
  }
  ctx.routing.wrapup(c, p, code, input.notes);
}

export function wrapupRoutes(ctx: MessagingContext): ApiRoute[] {
  const { store, scopes } = ctx;
  const PARTICIPANT = `${BASE}/:conversationId/participants/:participantId`;
  /** Any participant of a conversation the caller takes part in (reads), or the caller's own (writes). */
  const participantOf = (r: ApiRequest, mode: 'read' | 'write'): [ConversationRecord, ParticipantRecord] => {
    const userId = requireAgent(store, scopes, r, mode);
    const c = conversationOf(store, r.params.conversationId as string, userId);
    const id = r.params.participantId as string;
    if (mode === 'write') return [c, ownParticipant(store, c, id, userId)];
    const p = store.participant(c, id);
    if (!p) throw notFound(`Participant '${id.slice(0, 80)}' was not found in this conversation.`);
    return [c, p];
  };
  const communicationOf = (r: ApiRequest, p: ParticipantRecord): void => {
    if (p.communication.id !== r.params.communicationId) {
      throw notFound(
        `Communication '${(r.params.communicationId as string).slice(0, 80)}' is not this participant's.`,
      );
    }
  };
  const assigned = (p: ParticipantRecord): ApiResponse =>
    p.wrapup ? ok(assignedWrapupJson(p.wrapup)) : { status: 204 };

  return [
    {
      method: 'GET',
      path: `${PARTICIPANT}/wrapupcodes`,
      handler: (r) => {
        const [c, p] = participantOf(r, 'read');
        return ok(p.queueId ? c.integration.queue.wrapupCodes.map(wrapupCodeJson) : []);
      },
    },
    { method: 'GET', path: `${PARTICIPANT}/wrapup`, handler: (r) => assigned(participantOf(r, 'read')[1]) },
    {
      method: 'GET',
      path: `${PARTICIPANT}/communications/:communicationId/wrapup`,
      handler: (r) => {
        const [, p] = participantOf(r, 'read');
        communicationOf(r, p);
        return assigned(p);
      },
    },
    {
      method: 'POST',
      path: `${PARTICIPANT}/communications/:communicationId/wrapup`,
      body: 'json',
      handler: (r) => {
        const [c, p] = participantOf(r, 'write');
        communicationOf(r, p);
        applyWrapup(ctx, c, p, parseWith(wrapupSchema, r.body));
        return accepted();
      },
    },
  ];
}
