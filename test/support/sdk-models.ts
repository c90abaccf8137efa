// The official Genesys Cloud models, read from the `purecloud-platform-client-v2` package's own
// `index.d.ts` (its `Models` namespace: every REST body and every notification event body), and a
// checker that says where a JSON value departs from one of them. This is how the fixtures in
// test/fixtures/genesys/ and the simulator's answers are held to Genesys's shapes rather than to our
// own guesses: the SDK is the reference, so nothing here is hand-copied from it.
//
// What `index.d.ts` cannot say: enum values (every enum is declared `string`) and whether a field
// is ever null on the wire. Enum checks stay with the tests that know the enum's source.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type ModelType =
  | { kind: 'string' | 'number' | 'boolean' | 'object' }
  | { kind: 'model'; name: string }
  | { kind: 'array'; of: ModelType }
  | { kind: 'map'; of: ModelType };

export interface ModelField {
  optional: boolean;
  type: ModelType;
}

export type Model = ReadonlyMap<string, ModelField>;

let cache: ReadonlyMap<string, Model> | undefined;

/** Every model of the SDK's `Models` namespace, by name (for example `ChatItem`). */
export function sdkModels(): ReadonlyMap<string, Model> {
  if (cache) return cache;
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('purecloud-platform-client-v2/package.json');
  const source = readFileSync(join(dirname(pkg), 'index.d.ts'), 'utf8');
  const start = source.indexOf('declare namespace Models {');
  if (start < 0) throw new Error('index.d.ts has no Models namespace: the SDK changed its layout');
  const models = new Map<string, Model>();
  const iface = /^\texport interface (\w+) \{\s*\n([\s\S]*?)^\t\}/gm;
  iface.lastIndex = start;
  for (let m = iface.exec(source); m; m = iface.exec(source)) {
    const fields = new Map<string, ModelField>();
    for (const line of m[2]!.split('\n')) {
      const f = /^\s+"([^"]+)"(\??): (.+);\s*$/.exec(line);
      if (f) fields.set(f[1]!, { optional: f[2] === '?', type: parseType(f[3]!.trim()) });
    }
    models.set(m[1]!, fields);
  }
  if (models.size < 1000) throw new Error(`only ${models.size} models read from index.d.ts`);
  cache = models;
  return models;
}

function parseType(text: string): ModelType {
  if (text === 'string' || text === 'number' || text === 'boolean' || text === 'object')
    return { kind: text };
  const model = /^Models\.(\w+)$/.exec(text);
  if (model) return { kind: 'model', name: model[1]! };
  const array = /^Array<(.+)>$/.exec(text);
  if (array) return { kind: 'array', of: parseType(array[1]!.trim()) };
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(text);
  if (map) return { kind: 'map', of: parseType(map[1]!.trim()) };
  throw new Error(`index.d.ts type not understood: ${text}`);
}

/** One model by name; throws when the SDK has no such model (a typo must not pass). */
export function sdkModel(name: string): Model {
  const model = sdkModels().get(name);
  if (!model) throw new Error(`the SDK has no model named ${name}`);
  return model;
}

export interface CheckOptions {
  /** Fields the model declares required may be absent (the SDK marks some required that Genesys omits). */
  lenientRequired?: boolean;
  /** `null` is accepted where a value of the declared type would be. */
  allowNull?: boolean;
}

/**
 * Where `value` departs from model `name`: fields the model lacks, values of the wrong type, and
 * (unless lenient) required fields that are missing. Empty when it conforms. Paths look like
 * `participants[0].messages[2].state`.
 */
export function modelProblems(name: string, value: unknown, options: CheckOptions = {}): string[] {
  const problems: string[] = [];
  checkValue({ kind: 'model', name }, value, name, options, problems);
  return problems;
}

function checkValue(type: ModelType, value: unknown, path: string, opts: CheckOptions, out: string[]): void {
  if (value === null) {
    if (!opts.allowNull) out.push(`${path}: null`);
    return;
  }
  switch (type.kind) {
    case 'string':
    case 'number':
    case 'boolean':
      if (typeof value !== type.kind) out.push(`${path}: ${describe(value)}, the model says ${type.kind}`);
      return;
    case 'object':
      if (typeof value !== 'object' || Array.isArray(value))
        out.push(`${path}: ${describe(value)}, the model says object`);
      return;
    case 'array':
      if (!Array.isArray(value)) {
        out.push(`${path}: ${describe(value)}, the model says an array`);
        return;
      }
      value.forEach((item, i) => checkValue(type.of, item, `${path}[${i}]`, opts, out));
      return;
    case 'map':
      if (!isRecord(value)) {
        out.push(`${path}: ${describe(value)}, the model says a map`);
        return;
      }
      for (const [key, item] of Object.entries(value))
        checkValue(type.of, item, `${path}[${JSON.stringify(key)}]`, opts, out);
      return;
    case 'model': {
      if (!isRecord(value)) {
        out.push(`${path}: ${describe(value)}, the model ${type.name} is an object`);
        return;
      }
      const model = sdkModel(type.name);
      for (const [key, item] of Object.entries(value)) {
        const field = model.get(key);
        if (!field) out.push(`${path}.${key}: ${type.name} has no such field`);
        else checkValue(field.type, item, `${path}.${key}`, opts, out);
      }
      if (!opts.lenientRequired) {
        for (const [key, field] of model) {
          if (!field.optional && !(key in value))
            out.push(`${path}.${key}: required by ${type.name}, missing`);
        }
      }
      return;
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  return Array.isArray(value) ? 'an array' : typeof value;
}
