// Topic names as the one notification channel sees them, whatever source asked for them.

/** Genesys allows 1000 topics per channel: the budget every source shares (see push-hub.ts). */
export const MAX_TOPICS = 1000;

/**
 * A topic with every part that could be an id replaced by `{id}`
 * (`v2.users.{id}.conversations`): what diagnostics and surprise kinds may say about a topic.
 */
export function topicTemplate(topic: string): string {
  const parts = topic.slice(0, 200).split('.');
  const out: string[] = [];
  let inJid = false;
  parts.forEach((part, i) => {
    // A jid's domain runs on after its `@`: everything up to the last part goes with it.
    inJid ||= part.includes('@');
    const word = /^(v\d{1,2}|[a-z][a-z_]{0,31})$/i.test(part) && !/^[a-f]{8,}$/i.test(part);
    const keep = word && !(inJid && i < parts.length - 1);
    const next = keep ? part : '{id}';
    if (!(next === '{id}' && out.at(-1) === '{id}')) out.push(next);
  });
  return out.join('.');
}

export function sameTopics(a: Iterable<string>, b: Iterable<string>): boolean {
  const x = new Set(a);
  const y = new Set(b);
  return x.size === y.size && [...x].every((t) => y.has(t));
}
