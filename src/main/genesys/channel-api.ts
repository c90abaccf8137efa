// The notification channel's REST calls: create a channel, and replace its topics (which also
// extends its life). ChatApi offers them to the push channel (engine/push/push-channel.ts).
import { z } from 'zod';
import type { GenesysHttp } from './http.ts';
import { enc } from './paths.ts';
import { ChannelWire, readTopicListing, type TopicListing } from './push-wire.ts';

export async function createChannel(
  http: GenesysHttp,
): Promise<{ id: string; connectUri: string; expiresAt?: number }> {
  const c = await http.request({
    method: 'POST',
    path: '/api/v2/notifications/channels',
    schema: ChannelWire,
    retryUnsafe: true,
  });
  const expiresAt = c.expires ? Date.parse(c.expires) : NaN;
  return { id: c.id, connectUri: c.connectUri, ...(Number.isFinite(expiresAt) ? { expiresAt } : {}) };
}

/**
 * Replaces the channel's topics (PUT, which also extends its life) and returns what the answer
 * says of each topic (`ChannelTopic.state`: only Permitted ones are subscribed). With
 * `ignoreErrors`, topics the server does not permit come back Rejected instead of failing the
 * whole request. The answer is read leniently (see `readTopicListing`): its surprises are returned.
 */
export async function replaceTopics(
  http: GenesysHttp,
  channelId: string,
  topics: string[],
  opts: { ignoreErrors?: boolean } = {},
): Promise<TopicListing> {
  const res = await http.request({
    method: 'PUT',
    path: `/api/v2/notifications/channels/${enc(channelId)}/subscriptions`,
    ...(opts.ignoreErrors ? { query: { ignoreErrors: true } } : {}),
    body: topics.map((id) => ({ id })),
    schema: z.unknown(),
  });
  return readTopicListing(res);
}
