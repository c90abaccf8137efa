// Asks Genesys for a new notification channel and checks where its socket points. A refusal that
// no retry can fix (a 4xx answer other than 408, a socket address not allowed) is a ChannelRefused.
import type { ChatApi } from '../../genesys/chat-api.ts';
import { GenesysError } from '../../genesys/http.ts';
import { refuseConnectUri } from './socket-policy.ts';

export class ChannelRefused extends Error {}

type NewChannel = Awaited<ReturnType<ChatApi['createChannel']>>;

/** The new channel, or null when the caller stopped (`running()` false) while it was made. */
export async function newChannel(
  api: Pick<ChatApi, 'createChannel'>,
  allowedSocketHosts: readonly string[],
  running: () => boolean,
): Promise<NewChannel | null> {
  const channel = await api.createChannel().catch((err: unknown) => {
    if (err instanceof GenesysError && err.kind === 'http' && !err.retryable && err.status !== 408)
      throw new ChannelRefused(`channel creation refused (HTTP ${err.status}, ${err.code || err.message})`);
    throw err;
  });
  if (!running()) return null;
  const refusal = refuseConnectUri(channel.connectUri, allowedSocketHosts);
  if (refusal) throw new ChannelRefused(refusal);
  return channel;
}
