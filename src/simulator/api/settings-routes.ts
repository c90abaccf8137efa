// Chat settings routes: the caller's notification settings, a user's mobile settings, org settings.
import type { ApiRequest, ApiRoute } from '../context.ts';
import { noContent, ok, requireUserId } from '../context.ts';
import { forbidden } from '../http/errors.ts';
import {
  orgSettingsSchema,
  parseWith,
  patchMySettingsSchema,
  postMySettingsSchema,
  userSettingsSchema,
} from './schemas.ts';
import { defaultOrgSettings } from '../store.ts';

const ME = '/api/v2/chats/users/me/settings';

/** A user token may only address its own user; a client-credentials token any user. */
function settingsUser(r: ApiRequest): string {
  const userId = r.params.userId as string;
  r.core.store.requireUser(userId);
  if (r.caller.userId !== null && r.caller.userId !== userId) {
    throw forbidden('You can only access your own chat settings.', 'chat.settings.forbidden');
  }
  return userId;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

export const settingsRoutes: ApiRoute[] = [
  { method: 'GET', path: ME, handler: (r) => ok(clone(r.core.store.settingsOf(requireUserId(r.caller)))) },
  {
    method: 'PATCH',
    path: ME,
    body: 'json',
    handler: (r) => {
      const input = parseWith(patchMySettingsSchema, r.body);
      const settings = r.core.store.settingsOf(requireUserId(r.caller));
      if (input.muted !== undefined) settings.muted = input.muted;
      if (input.mentionsOnly !== undefined) settings.mentionsOnly = input.mentionsOnly;
      if (input.notifyOnReactions !== undefined) settings.notifyOnReactions = input.notifyOnReactions;
      if (input.mobile !== undefined) settings.mobile = clone(input.mobile);
      return ok(clone(settings));
    },
  },
  {
    method: 'POST',
    path: ME,
    body: 'json',
    handler: (r) => {
      const input = parseWith(postMySettingsSchema, r.body);
      const userId = requireUserId(r.caller);
      r.core.store.resetSettings(userId);
      const settings = r.core.store.settingsOf(userId);
      settings.muted = input.muted;
      if (input.mentionsOnly !== undefined) settings.mentionsOnly = input.mentionsOnly;
      if (input.notifyOnReactions !== undefined) settings.notifyOnReactions = input.notifyOnReactions;
      if (input.mobile !== undefined) settings.mobile = clone(input.mobile);
      return noContent();
    },
  },
  {
    method: 'DELETE',
    path: ME,
    handler: (r) => {
      r.core.store.resetSettings(requireUserId(r.caller));
      return noContent();
    },
  },
  {
    method: 'GET',
    path: '/api/v2/chats/users/:userId/settings',
    handler: (r) => ok({ mobile: clone(r.core.store.settingsOf(settingsUser(r)).mobile) }),
  },
  {
    method: 'PATCH',
    path: '/api/v2/chats/users/:userId/settings',
    body: 'json',
    handler: (r) => {
      const input = parseWith(userSettingsSchema, r.body);
      const settings = r.core.store.settingsOf(settingsUser(r));
      settings.mobile = clone(input.mobile);
      return ok({ mobile: clone(settings.mobile) });
    },
  },
  { method: 'GET', path: '/api/v2/chats/settings', handler: (r) => ok({ ...r.core.store.orgSettings }) },
  {
    method: 'PATCH',
    path: '/api/v2/chats/settings',
    body: 'json',
    handler: (r) => {
      const input = parseWith(orgSettingsSchema, r.body);
      Object.assign(r.core.store.orgSettings, input);
      return ok({ ...r.core.store.orgSettings });
    },
  },
  {
    // PUT replaces the settings: fields left out return to their defaults.
    method: 'PUT',
    path: '/api/v2/chats/settings',
    body: 'json',
    handler: (r) => {
      const input = parseWith(orgSettingsSchema, r.body);
      Object.assign(r.core.store.orgSettings, defaultOrgSettings(), input);
      return ok({ ...r.core.store.orgSettings });
    },
  },
];
