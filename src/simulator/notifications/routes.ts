// HTTP routes for notification channels and their topic subscriptions.
import type { ApiRequest, ApiRoute } from '../context.ts';
import { noContent, ok } from '../context.ts';
import { badRequest, notFound } from '../http/errors.ts';
import { boolParam } from '../api/query.ts';
import { parseWith, topicsSchema } from '../api/schemas.ts';
import type { Channel } from './channels.ts';
import { MAX_TOPICS_PER_CHANNEL } from './channels.ts';
import { topicRejection } from './topics.ts';

const BASE = '/api/v2/notifications/channels';

function ownChannel(r: ApiRequest): Channel {
  const id = r.params.channelId as string;
  const channel = r.core.channels.get(id);
  if (!channel || !r.core.channels.ownedBy(channel, r.caller)) {
    throw notFound(`Channel '${id}' was not found.`, 'notification.channel.not.found');
  }
  return channel;
}

function topicsListing(channel: Channel): { entities: { id: string }[] } {
  return { entities: [...channel.topics].map((id) => ({ id })) };
}

/** Why the caller may not have `topic` (null when permitted): the extra families first, then chat. */
function topicDecision(r: ApiRequest, topic: string): string | null {
  for (const policy of r.core.topicPolicies) {
    const decision = policy(r.caller, topic);
    if (decision !== undefined) return decision;
  }
  return topicRejection(r.core.store, r.caller.userId, topic);
}

/**
 * Validates requested topics for the caller. Rejected topics make the whole request a 400 naming
 * them, unless `ignoreErrors=true`, in which case only the permitted ones are kept.
 */
function permittedTopics(r: ApiRequest): string[] {
  const requested = parseWith(topicsSchema, r.body).map((t) => t.id);
  const rejected: string[] = [];
  const permitted: string[] = [];
  for (const topic of new Set(requested)) {
    const reason = topicDecision(r, topic);
    if (reason) rejected.push(`${topic} (${reason})`);
    else permitted.push(topic);
  }
  if (rejected.length > 0 && boolParam(r.query, 'ignoreErrors') !== true) {
    throw badRequest(
      `Topics not permitted for this user: ${rejected.join(', ')}`,
      'notification.topic.invalid',
    );
  }
  return permitted;
}

function applyTopics(r: ApiRequest, mode: 'add' | 'replace'): ReturnType<typeof ok> {
  const channel = ownChannel(r);
  const topics = permittedTopics(r);
  try {
    r.core.channels.subscribe(channel, topics, mode);
  } catch (err) {
    if (err instanceof RangeError) {
      throw badRequest(
        `A channel can have at most ${MAX_TOPICS_PER_CHANNEL} topics. ${err.message}`,
        'notification.topic.limit',
      );
    }
    throw err;
  }
  return ok(topicsListing(channel));
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
