// The model checker every wire-fidelity test leans on: it must read the SDK's models and must
// refuse what departs from them, or every fixture check above it proves nothing.
import { describe, expect, it } from 'vitest';
import { modelProblems, sdkModel, sdkModels } from '../support/sdk-models.ts';

const GROUP_MESSAGE = 'CollaborateChatGroupMessageEventTopicCollaborateChatMessage';

describe('the SDK model reader', () => {
  it('reads the REST and notification models of index.d.ts', () => {
    expect(sdkModels().size).toBeGreaterThan(1000);
    const chatItem = sdkModel('ChatItem');
    expect(chatItem.get('chatType')).toEqual({ optional: false, type: { kind: 'string' } });
    expect(chatItem.get('room')).toEqual({ optional: true, type: { kind: 'model', name: 'Room' } });
    expect(sdkModel(GROUP_MESSAGE).get('reactions')).toEqual({
      optional: true,
      type: { kind: 'map', of: { kind: 'array', of: { kind: 'string' } } },
    });
  });

  it('throws on a model the SDK does not have', () => {
    expect(() => sdkModel('ChatItemm')).toThrow(/no model named ChatItemm/);
  });
});

describe('modelProblems', () => {
  const entity = (entityId: string) => ({ entityJid: `${entityId}@x`, entityId, entityType: 'User' });

  it('accepts a chat event in the official shape', () => {
    const body = {
      messageId: 'm1',
      created: '2026-01-01T00:00:00.000Z',
      actionType: 'Create',
      body: 'hi',
      from: entity('u1'),
      to: { entityJid: 'r@conference', entityId: 'g1', entityType: 'Group' },
      mentions: [entity('u2')],
      notifyAll: false,
      reactions: { '👍': ['u3'] },
    };
    expect(modelProblems(GROUP_MESSAGE, body)).toEqual([]);
  });

  it('refuses the old guess of string from/to, unknown fields, wrong types and missing required fields', () => {
    expect(modelProblems(GROUP_MESSAGE, { messageId: 'm1', from: 'u1@x', to: 'r@x' })).toEqual([
      `${GROUP_MESSAGE}.from: string, the model ${'CollaborateChatGroupMessageEventTopicCollaborateChatEntity'} is an object`,
      `${GROUP_MESSAGE}.to: string, the model CollaborateChatGroupMessageEventTopicCollaborateChatEntity is an object`,
    ]);
    expect(modelProblems(GROUP_MESSAGE, { messageId: 'm1', threadId: 't' })).toEqual([
      `${GROUP_MESSAGE}.threadId: ${GROUP_MESSAGE} has no such field`,
    ]);
    expect(modelProblems(GROUP_MESSAGE, { reactions: { x: 'u1' } })).toEqual([
      `${GROUP_MESSAGE}.reactions["x"]: string, the model says an array`,
    ]);
    expect(modelProblems('ChatItem', { id: 'c', open: true })).toEqual([
      'ChatItem.chatType: required by ChatItem, missing',
    ]);
    expect(modelProblems('ChatItem', { id: 'c', open: true }, { lenientRequired: true })).toEqual([]);
  });

  it('walks arrays and nested models, and treats null as a problem unless allowed', () => {
    const listing = { entities: [{ id: 'c', open: true, chatType: 'group', room: { id: 'g', bogus: 1 } }] };
    expect(modelProblems('ChatItemCursorListing', listing)).toEqual([
      'ChatItemCursorListing.entities[0].room.bogus: Room has no such field',
    ]);
    expect(modelProblems('ChatItem', { open: true, chatType: 'group', name: null })).toEqual([
      'ChatItem.name: null',
    ]);
    expect(
      modelProblems('ChatItem', { open: true, chatType: 'group', name: null }, { allowNull: true }),
    ).toEqual([]);
  });
});
