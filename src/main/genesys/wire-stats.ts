// Surprises from the wire, counted and described, never dropped in silence. Nobody building this
// app could reach Genesys Cloud, so the first real org is the first real test: every frame or
// response that fails validation is counted per kind and logged once per kind with its SHAPE
// (field names and value types, never values), and the counts and the latest shapes feed the
// diagnostics a user can copy for us.

/** A value's shape: field names and the types of their values, nested, without a single value. */
export type Shape = string | { [field: string]: Shape } | Shape[];

const MAX_DEPTH = 4;
const MAX_FIELDS = 40;

/** Describes `value` by structure only: `{ from: 'string', mentions: [{ entityId: 'string' }] }`. */
export function shapeOf(value: unknown, depth = 0): Shape {
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    if (value.length === 0) return [];
    return depth >= MAX_DEPTH ? 'array' : [shapeOf(value[0], depth + 1)];
  }
  if (typeof value !== 'object') return typeof value;
  if (depth >= MAX_DEPTH) return 'object';
  const out: { [field: string]: Shape } = {};
  const keys = Object.keys(value);
  for (const key of keys.slice(0, MAX_FIELDS)) {
    // Field names are the model's vocabulary; a key that looks like data (an id, an emoji, an
    // email) is replaced so that no value leaks through a map's keys.
    out[safeKey(key)] = shapeOf((value as Record<string, unknown>)[key], depth + 1);
  }
  if (keys.length > MAX_FIELDS) out['…'] = `${keys.length - MAX_FIELDS} more fields`;
  return out;
}

function safeKey(key: string): string {
  const word = /^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(key);
  // Ids can be words too (hex, base62): many digits or a long hex run make a key data, not a name.
  const idLike = (key.match(/\d/g)?.length ?? 0) > 3 || /[0-9a-f]{8,}/i.test(key);
  return word && !idLike ? key : '<key>';
}

export interface Surprise {
  /** What failed, for example `push: chat event` or `GET /api/v2/users/chats/me`. No ids in it. */
  kind: string;
  count: number;
  /** The shape of the latest surprise of this kind. */
  shape: Shape;
  /** Epoch ms of the latest one. */
  lastAt: number;
}

export class WireStats {
  private readonly byKind = new Map<string, Surprise>();
  private readonly log: (message: string) => void;
  private readonly now: () => number;
  /** Kinds kept at most; further new kinds are folded into one `other` entry. */
  private readonly maxKinds: number;

  constructor(deps: { log?: (message: string) => void; now?: () => number; maxKinds?: number } = {}) {
    this.log = deps.log ?? (() => {});
    this.now = deps.now ?? Date.now;
    this.maxKinds = deps.maxKinds ?? 64;
  }

  /**
   * Records one value that failed validation. `kind` must say what was expected without any id or
   * value in it. The first surprise of a kind is logged with its shape; later ones only count.
   */
  surprise(kind: string, value: unknown, detail?: string): void {
    const key = this.byKind.has(kind) || this.byKind.size < this.maxKinds ? kind : 'other';
    const shape = shapeOf(value);
    const known = this.byKind.get(key);
    if (known) {
      known.count++;
      known.shape = shape;
      known.lastAt = this.now();
      return;
    }
    this.byKind.set(key, { kind: key, count: 1, shape, lastAt: this.now() });
    this.log(`wire surprise (${key})${detail ? `: ${detail}` : ''}; shape ${JSON.stringify(shape)}`);
  }

  /** Every kind seen, most frequent first. */
  snapshot(): Surprise[] {
    return [...this.byKind.values()]
      .map((s) => ({ ...s }))
      .sort((a, b) => b.count - a.count || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
  }

  total(): number {
    let sum = 0;
    for (const s of this.byKind.values()) sum += s.count;
    return sum;
  }
}
