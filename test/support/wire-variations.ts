// Variations of a wire value that the official model allows and a tolerant client must read the
// same way: every optional field sent as null, every optional field left out, and fields the model
// does not have (yet) added everywhere.
import { sdkModel, type ModelType } from './sdk-models.ts';

type Mode = 'null-optionals' | 'drop-optionals' | 'extra-fields';

/** `value` (of SDK model `model`) changed as `mode` says; fields in `keep` are left as they are. */
export function vary(
  model: string,
  value: unknown,
  mode: Mode,
  keep: ReadonlySet<string> = new Set(),
): unknown {
  return walk({ kind: 'model', name: model }, value, mode, keep);
}

function walk(type: ModelType, value: unknown, mode: Mode, keep: ReadonlySet<string>): unknown {
  if (value === null || value === undefined) return value;
  if (type.kind === 'array')
    return Array.isArray(value) ? value.map((v) => walk(type.of, v, mode, keep)) : value;
  if (type.kind === 'map') {
    if (typeof value !== 'object' || Array.isArray(value)) return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(type.of, v, mode, keep)]));
  }
  if (type.kind !== 'model' || typeof value !== 'object' || Array.isArray(value)) return value;
  const fields = sdkModel(type.name);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const field = fields.get(key);
    if (field?.optional && !keep.has(key)) {
      if (mode === 'null-optionals') {
        out[key] = null;
        continue;
      }
      if (mode === 'drop-optionals') continue;
    }
    out[key] = field ? walk(field.type, item, mode, keep) : item;
  }
  if (mode === 'extra-fields') {
    out.addedLater = { nested: [1, 'two', null] };
    out.zFlag = true;
  }
  return out;
}
