// The messaging wire fixtures (test/fixtures/genesys/messaging/) hold to the official models: no
// field the model lacks, the right types, required fields present, enums among the documented values.
import { describe, expect, it } from 'vitest';
import { loadFixtures } from '../../support/fixtures.ts';
import { enumProblems, MESSAGING_ENUMS } from '../../support/messaging-enums.ts';
import { modelProblems, sdkModel } from '../../support/sdk-models.ts';

const fixtures = loadFixtures('messaging');

/** Fixtures that show an older answer on purpose, and the one departure each must show. */
const LEGACY: Record<string, string[]> = {
  'messaging/rest-message-data-textbody-legacy.json': ['MessageData.textBody: MessageData has no such field'],
};

/** What the brief asks a fixture for (issue 13 item 6); each name must exist. */
const REQUIRED = [
  'event-offer-alerting.json',
  'event-connected-messages.json',
  'event-status-receipts.json',
  'event-disconnected-wrapup-required.json',
  'event-rerouted-two-agents.json',
  'event-transferred-to-colleague.json',
  'rest-messages-active.json',
  'rest-message-conversation.json',
  'rest-conversation-generic.json',
  'rest-conversation-wrapped-up-late-message.json',
  'rest-message-data-customer.json',
  'rest-message-data-textbody-legacy.json',
  'rest-message-data-attachment.json',
  'rest-messages-bulk.json',
  'rest-wrapup-codes.json',
  'rest-wrapup-assigned.json',
  'request-wrapup.json',
  'request-typing.json',
  'request-send-message.json',
  'rest-send-message-response.json',
  'request-participant-accept.json',
  'request-participant-disconnect.json',
  'request-inbound-open-message.json',
  'rest-inbound-open-message-response.json',
  'rest-open-integrations.json',
  'error-send-two-body-fields.json',
  'error-communication-not-connected.json',
  'error-communication-not-yours.json',
  'error-participant-not-yours.json',
  'error-wrapup-code-unknown.json',
];

/** The model-shaped part of a fixture: a push frame's eventBody, or the value itself. */
function body(f: (typeof fixtures)[number]): unknown {
  return f.topic ? (f.value as { eventBody: unknown }).eventBody : f.value;
}

function problems(model: string, value: unknown): string[] {
  const items = Array.isArray(value) ? value : [value];
  return items.flatMap((item) => [...modelProblems(model, item), ...enumProblems(model, item)]);
}

describe('messaging fixtures', () => {
  it('include every response, event and request the brief lists', () => {
    const names = new Set(fixtures.map((f) => f.file.replace('messaging/', '')));
    expect(REQUIRED.filter((n) => !names.has(n))).toEqual([]);
  });

  it.each(fixtures.map((f) => [f.file, f] as const))('%s matches its official model', (file, f) => {
    expect(f.endpoint ?? f.topic, 'every fixture says where it is met').toBeTruthy();
    if (f.model === null) {
      expect(f.source).toMatch(/index\.d\.ts|SDK/);
      return;
    }
    expect(problems(f.model, body(f))).toEqual(LEGACY[file] ?? []);
  });

  it('push frames are whole envelopes on a messaging topic', () => {
    const frames = fixtures.filter((f) => f.topic);
    expect(frames.length).toBeGreaterThanOrEqual(6);
    for (const f of frames) {
      const frame = f.value as { topicName: string; version: string; metadata: { CorrelationId: string } };
      const pattern = new RegExp(
        `^${(f.topic as string).replace(/\./g, '\\.').replace('{id}', '[0-9a-f-]{36}')}$`,
      );
      expect(frame.topicName).toMatch(pattern);
      expect(frame.version).toBe('2');
      expect(frame.metadata.CorrelationId).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('request fixtures say so, and the rest are responses', () => {
    for (const f of fixtures) {
      const isRequest = f.file.includes('/request-');
      expect(f.direction === 'request', f.file).toBe(isRequest);
    }
  });

  it('the enum table names only fields the SDK models have', () => {
    const unknown: string[] = [];
    for (const [model, fields] of Object.entries(MESSAGING_ENUMS)) {
      const m = sdkModel(model);
      for (const field of Object.keys(fields)) if (!m.has(field)) unknown.push(`${model}.${field}`);
    }
    expect(unknown).toEqual([]);
  });

  it('the checks catch what they are for', () => {
    // A field the model lacks, a wrong enum value and a missing required field are all reported.
    expect(problems('MessageData', { timestamp: 'x', status: 'bounced', textBody: 'hi' })).toEqual([
      'MessageData.textBody: MessageData has no such field',
      "MessageData.status: 'bounced' is not one of queued|sent|failed|received|delivery-success|delivery-failed|read|removed|published (Java SDK model MessageData.java)",
    ]);
    expect(problems('AdditionalMessage', {})).toEqual([
      'AdditionalMessage.textBody: required by AdditionalMessage, missing',
    ]);
  });
});
