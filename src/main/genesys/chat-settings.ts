// The user's personal chat settings (`/api/v2/chats/users/me/settings`, model UserSettingsForChat).
// A PATCH carries only what the user changed: never `mobile`, the user's own mobile choice, which a
// full body would silently overwrite.
import type { ServerSettings } from '../engine/model.ts';
import type { GenesysHttp } from './http.ts';
import { ChatSettingsWire } from './wire.ts';

const PATH = '/api/v2/chats/users/me/settings';

export async function readSettings(http: GenesysHttp): Promise<ServerSettings> {
  const s = await http.request({ method: 'GET', path: PATH, schema: ChatSettingsWire, priority: 'user' });
  return {
    muted: s.muted ?? false,
    mentionsOnly: s.mentionsOnly ?? false,
    notifyOnReactions: s.notifyOnReactions ?? true,
  };
}

/**
 * Sends the fields of `change` (nothing when it is empty) and returns the settings as they now are:
 * the answer's fields, else the change, else `before`.
 */
export async function patchSettings(
  http: GenesysHttp,
  change: Partial<ServerSettings>,
  before: ServerSettings,
): Promise<ServerSettings> {
  const body: Partial<ServerSettings> = {};
  if (change.muted !== undefined) body.muted = change.muted;
  if (change.mentionsOnly !== undefined) body.mentionsOnly = change.mentionsOnly;
  if (change.notifyOnReactions !== undefined) body.notifyOnReactions = change.notifyOnReactions;
  const next = { ...before, ...body };
  if (Object.keys(body).length === 0) return next;
  const s = await http.request({
    method: 'PATCH',
    path: PATH,
    body,
    // The SDK declares the answer a UserSettingsForChat; an empty answer is taken as the change.
    schema: ChatSettingsWire.nullish(),
    priority: 'user',
    retryUnsafe: true, // setting the same values again is harmless
  });
  return {
    muted: s?.muted ?? next.muted,
    mentionsOnly: s?.mentionsOnly ?? next.mentionsOnly,
    notifyOnReactions: s?.notifyOnReactions ?? next.notifyOnReactions,
  };
}
