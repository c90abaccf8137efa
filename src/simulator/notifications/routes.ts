// HTTP routes for notification channels and their topic subscriptions.
import type { ApiRequest, ApiRoute } from '../context.ts';
import { noContent, ok } from '../context.ts';
import { badRequest, notFound } from '../http/errors.ts';
import { boolParam } from '../api/query.ts';
import { parseWith, topicsSchema } from '../api/schemas.ts';
import type { ChannelTopic } from '../types.ts';
import type { Channel } from './channels.ts';
import { MAX_TOPICS_PER_CHANNEL } from './channels.ts';
import { topicRejection, type Rejection } from './topics.ts';

const BASE = '/api/v2/notifications/channels';

function ownChannel(r: ApiRequest): Channel {
  const id = r.params.channelId as string;
  const channel = r.core.channels.get(id);
  if (!channel || !r.core.channels.ownedBy(channel, r.caller)) {
    throw notFound(`Channel '${id}' was not found.`, 'notification.channel.not.found');
  }
  return channel;
}

/** `ChannelTopicEntityListing` of the channel's subscribed topics (all Permitted). */
function topicsListing(channel: Channel): { entities: ChannelTopic[] } {
  return { entities: [...channel.topics].map((id) => ({ id, state: 'Permitted' })) };
}

/** Why the caller may not have `topic` (null when permitted): the extra families first, then chat. */
function topicDecision(r: ApiRequest, topic: string): Rejection | null {
  for (const policy of r.core.topicPolicies) {
    const decision = policy(r.caller, topic);
    if (decision !== undefined) return decision === null ? null : { reason: decision };
  }
  return topicRejection(r.core.store, r.caller.userId, topic, r.core.faults.refusedRooms);
}

/**
 * Judges each requested topic for the caller. Without `ignoreErrors=true` a rejected topic makes
 * the whole request a 400 naming the reasons; with it, the answer lists EVERY requested topic with
 * its `state` (Permitted, or Rejected with a `rejectionReason`), and only the permitted ones are
 * subscribed.
 */
function judgeTopics(r: ApiRequest): ChannelTopic[] {
  const requested = parseWith(topicsSchema, r.body).map((t) => t.id);
  const judged: ChannelTopic[] = [];
  for (const topic of new Set(requested)) {
    const rejection = topicDecision(r, topic);
    judged.push(
      rejection
        ? {
            id: topic,
            state: 'Rejected',
            rejectionReason: rejection.reason,
            ...(rejection.missingPermissions ? { missingPermissions: rejection.missingPermissions } : {}),
          }
        : { id: topic, state: 'Permitted' },
    );
  }
  const rejected = judged.filter((t) => t.state === 'Rejected');
  if (rejected.length > 0 && boolParam(r.query, 'ignoreErrors') !== true) {
    throw badRequest(
      `Topics not permitted for this user: ${rejected.map((t) => `${t.id} (${t.rejectionReason})`).join(', ')}`,
      'notification.topic.invalid',
    );
  }
  return judged;
}

function applyTopics(r: ApiRequest, mode: 'add' | 'replace'): ReturnType<typeof ok> {
  const channel = ownChannel(r);
  const judged = judgeTopics(r);
  const permitted = judged.filter((t) => t.state === 'Permitted').map((t) => t.id);
  try {
    r.core.channels.subscribe(channel, permitted, mode);
  } catch (err) {
    if (err instanceof RangeError) {
      throw badRequest(
        `A channel can have at most ${MAX_TOPICS_PER_CHANNEL} topics. ${err.message}`,
        'notification.topic.limit',
      );
    }
    throw err;
  }
  // A POST adds: the answer lists the channel's topics afterwards, plus what was rejected now.
  const listed = new Set(judged.map((t) => t.id));
  const others = mode === 'add' ? topicsListing(channel).entities.filter((t) => !listed.has(t.id)) : [];
  return ok({ entities: [...others, ...judged] });
}

export const notificationRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: BASE,
    handler: (r) => ok(r.core.channels.toJson(r.core.channels.create(r.caller))),
  },
  {
    method: 'GET',
    path: BASE,
    handler: (r) => {
      const scope = r.query.get('includechannels') ?? 'token';
      if (scope !== 'token' && scope !== 'oauthclient') {
        throw badRequest(
          `Invalid 'includechannels' value '${scope.slice(0, 40)}': use token or oauthclient.`,
        );
      }
      const channels = r.core.channels.listFor(r.caller, scope);
      return ok({ entities: channels.map((c) => r.core.channels.toJson(c)) });
    },
  },
  {
    method: 'HEAD',
    path: `${BASE}/:channelId`,
    handler: (r) => {
      ownChannel(r);
      return { status: 200 };
    },
  },
  {
    method: 'GET',
    path: `${BASE}/:channelId/subscriptions`,
    handler: (r) => ok(topicsListing(ownChannel(r))),
  },
  {
    method: 'POST',
    path: `${BASE}/:channelId/subscriptions`,
    body: 'json',
    handler: (r) => applyTopics(r, 'add'),
  },
  {
    method: 'PUT',
    path: `${BASE}/:channelId/subscriptions`,
    body: 'json',
    handler: (r) => applyTopics(r, 'replace'),
  },
  {
    method: 'DELETE',
    path: `${BASE}/:channelId/subscriptions`,
    handler: (r) => {
      r.core.channels.clear(ownChannel(r));
      return noContent();
    },
  },
];
