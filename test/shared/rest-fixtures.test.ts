// The REST fixtures of test/fixtures/genesys/rest/ are held to the official models: every field is
// one the SDK's model has, with the model's type, required fields present, and enum values among
// the documented ones. The client's parsing tests and the simulator's conformance test then lean
// on these files as the truth.
import { describe, expect, it } from 'vitest';
import { loadFixtures } from '../support/fixtures.ts';
import { enumProblems } from '../support/rest-enums.ts';
import { modelProblems, type CheckOptions } from '../support/sdk-models.ts';

const fixtures = loadFixtures('rest');

/**
 * Fixtures that depart from the SDK's `required` marks on purpose, and why. A PATCH sends only what
 * changes (the SDK reuses the GET model, whose `mobile` is always there).
 */
const LENIENT: Record<string, string> = {
  'rest/settings-patch-request.json': 'a PATCH body carries only the changed fields',
};

function check(model: string, value: unknown, options: CheckOptions): string[] {
  // A bare array (one plausible 1on1 history answer) is checked item by item.
  if (Array.isArray(value))
    return value.flatMap((item, i) => modelProblems(model, item, options).map((p) => `[${i}] ${p}`));
  return [...modelProblems(model, value, options), ...enumProblems(model, value)];
}

describe('REST fixtures', () => {
  it('cover every response the client reads and every body it sends', () => {
    const endpoints = new Set(fixtures.map((f) => `${f.direction ?? 'response'} ${f.endpoint}`));
    for (const expected of [
      'response GET /api/v2/users/me',
      'response GET /api/v2/users/{userId}',
      'response GET /api/v2/users/chats/me',
      'response GET /api/v2/chats/rooms/{roomJid}',
      'response GET /api/v2/chats/rooms/{roomJid}/messages',
      'response GET /api/v2/chats/users/{userId}/messages',
      'response GET /api/v2/chats/threads/{threadId}/messages',
      'response GET /api/v2/chats/rooms/{roomJid}/messages/{messageIds}',
      'response GET /api/v2/chats/messages/{messageId}',
      'response POST /api/v2/chats/rooms/{roomJid}/messages',
      'response GET /api/v2/chats/users/me/settings',
      'response GET /api/v2/chats/users/{userId}',
      'response GET /api/v2/chats/rooms/{roomJid}/participants',
      'response POST /oauth/token',
      'request PATCH /api/v2/chats/users/me/settings',
      'request POST /api/v2/chats/rooms/{roomJid}/messages',
      'request PATCH /api/v2/chats/rooms/{roomJid}/messages/{messageId}',
      'request PUT /api/v2/chats/messages/{messageId}/reactions',
      'request POST /api/v2/chats/rooms/{roomJid}/messages/pins',
    ])
      expect(endpoints, expected).toContain(expected);
    expect(fixtures.filter((f) => f.model === 'ErrorBody').length).toBeGreaterThan(0);
    for (const f of fixtures) expect(f.endpoint, f.file).toBeDefined();
  });

  for (const f of fixtures) {
    it(`${f.file} matches ${f.model ?? 'its documented shape'}`, () => {
      if (f.model === null) {
        // No SDK model (the OAuth token endpoint): RFC 6749's fields only.
        expect(f.endpoint).toBe('POST /oauth/token');
        const allowed = [
          'access_token',
          'token_type',
          'expires_in',
          'refresh_token',
          'error',
          'error_description',
        ];
        expect(Object.keys(f.value as object).filter((k) => !allowed.includes(k))).toEqual([]);
        return;
      }
      const options: CheckOptions = LENIENT[f.file] ? { lenientRequired: true } : {};
      expect(check(f.model, f.value, options)).toEqual([]);
    });
  }

  it('the check fails a roster in the simulator’s old vocabulary (room / oneonone, jids as ids)', () => {
    const old = {
      entities: [
        {
          id: 'a@conference.x',
          open: true,
          chatType: 'room',
          room: { jid: 'a@conference.x', roomType: 'room' },
        },
      ],
    };
    expect(check('ChatItemCursorListing', old, {})).toEqual([
      'ChatItemCursorListing.entities[0].chatType: "room" is not one of adhoc, acd, group, oneOnOne, supervisorAssistance',
      'ChatItemCursorListing.entities[0].room.roomType: "room" is not one of adhoc, acd, group, oneOnOne, supervisorAssistance',
    ]);
  });
});
