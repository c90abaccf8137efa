// Room topics in the documented Room.id form, the other spelling only after a rejection, and topic
// names made safe to show (no ids, no jid domains).
import { describe, expect, it } from 'vitest';
import { topicTemplate } from '../../../src/main/engine/push/topic-names.ts';
import { planTopics, roomTopicCandidates } from '../../../src/main/engine/watch/topics.ts';
import type { RosterEntry } from '../../../src/main/genesys/mappers.ts';

const group: RosterEntry = {
  chat: { id: 'g@conference.x', kind: 'room', jid: 'g@conference.x', name: 'G' },
  room: { id: 'gid-1', type: 'group' },
  lastMessageAt: 2,
  open: true,
};
const adhoc: RosterEntry = {
  chat: { id: 'adhoc-a@conference.x', kind: 'room', jid: 'adhoc-a@conference.x', name: 'A' },
  room: { id: 'aid-1', type: 'adhoc' },
  lastMessageAt: 1,
  open: true,
};
const t = (type: string, ref: string): string => `v2.detail.events.collaboratechat.${type}.${ref}.messages`;

describe('room topics', () => {
  it('name a group room by its id and an adhoc room by its jid, the other spelling second', () => {
    expect(roomTopicCandidates(group)).toEqual([t('group', 'gid-1'), t('group', 'g@conference.x')]);
    expect(roomTopicCandidates(adhoc)).toEqual([t('adhoc', 'adhoc-a@conference.x'), t('adhoc', 'aid-1')]);
    const { room: _, ...noRoom } = group;
    expect(roomTopicCandidates(noRoom)).toEqual([]);
    expect(roomTopicCandidates({ ...group, room: { type: 'group' } })).toEqual([
      t('group', 'g@conference.x'),
    ]);
  });

  it('plan the documented spelling, the other one once it is Rejected, and settle when both are', () => {
    const plan = planTopics('me', [adhoc, group]);
    expect(plan.topics).toEqual([
      'v2.users.me.badges.chats',
      t('group', 'gid-1'),
      t('adhoc', 'adhoc-a@conference.x'),
    ]);
    expect(plan.byChat.get(group.chat.id)).toBe(t('group', 'gid-1'));
    expect(plan.chats.get(t('group', 'gid-1'))).toBe(group.chat);
    const once = planTopics('me', [adhoc, group], new Set([t('group', 'gid-1')]));
    expect(once.topics).toContain(t('group', 'g@conference.x'));
    const both = planTopics(
      'me',
      [adhoc, group],
      new Set([t('group', 'gid-1'), t('group', 'g@conference.x')]),
    );
    expect(both.topics).toEqual(plan.topics);
  });

  it('templates keep the vocabulary and hide every id, jid and domain', () => {
    expect(topicTemplate('v2.users.b7c1e5d2-3f4a-4b6c-9d8e-0a1b2c3d4e5f.conversations')).toBe(
      'v2.users.{id}.conversations',
    );
    expect(topicTemplate(t('adhoc', 'adhoc-3e9a@conference.northwind.orgspan.com'))).toBe(
      'v2.detail.events.collaboratechat.adhoc.{id}.messages',
    );
    expect(topicTemplate('v2.users.deadbeefcafe.presence')).toBe('v2.users.{id}.presence');
  });
});
