// Upgrades an older persisted document one version at a time. A migration is keyed by the version it
// upgrades FROM and only renames or reshapes; whatever it cannot convert it leaves for salvage to report.

export type RawDocument = Record<string, unknown>;
export type Migration = (doc: RawDocument) => RawDocument;

/**
 * Version 1 (the first release) kept `prefs.region`, a list of muted chat ids `prefs.mutedChats`
 * (muted until unmuted) and quiet hours as `{ from, to }`. Version 2 names the region `environment`,
 * gives every mute an optional end (`chatMutes: { [chatId]: { until? } }`) and quiet hours `{ start, end, days? }`.
 */
export function v1ToV2(doc: RawDocument): RawDocument {
  const prefs = isObject(doc.prefs) ? { ...doc.prefs } : doc.prefs;
  if (isObject(prefs)) {
    if ('region' in prefs) {
      if (!('environment' in prefs)) prefs.environment = prefs.region;
      delete prefs.region;
    }
    if (Array.isArray(prefs.mutedChats) && prefs.mutedChats.every((id) => typeof id === 'string')) {
      const existing = isObject(prefs.chatMutes) ? prefs.chatMutes : {};
      prefs.chatMutes = {
        ...Object.fromEntries(prefs.mutedChats.map((id: string) => [id, {}])),
        ...existing,
      };
      delete prefs.mutedChats;
    }
    const quiet = prefs.quietHours;
    if (isObject(quiet) && 'from' in quiet && 'to' in quiet) {
      const { from, to, ...rest } = quiet;
      prefs.quietHours = { ...rest, start: from, end: to };
    }
  }
  return { ...doc, version: 2, prefs };
}

export const migrations: Readonly<Record<number, Migration>> = { 1: v1ToV2 };

/** Runs every migration from `from` up to `to`; throws if one is missing or fails. */
export function migrate(
  doc: RawDocument,
  from: number,
  to: number,
  table: Readonly<Record<number, Migration>> = migrations,
): RawDocument {
  let current = doc;
  for (let version = from; version < to; version++) {
    const step = table[version];
    if (!step) throw new Error(`no migration from version ${version}`);
    current = { ...step(current), version: version + 1 };
  }
  return current;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
