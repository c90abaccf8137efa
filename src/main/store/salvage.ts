// Makes a current-version document out of whatever a (possibly hand-edited) file held: each field of
// each section that validates is kept, each that does not is reset to its default and reported.
import type { z } from 'zod';
import { isObject, type RawDocument } from './migrations.ts';
import { STORE_VERSION, sectionSchemas, type SectionName, type StoreDocument } from './schema.ts';

export interface Salvaged {
  doc: StoreDocument;
  /** One line per field reset or dropped, naming the field and why (never its value). */
  problems: string[];
}

export function salvage(raw: RawDocument): Salvaged {
  const problems: string[] = [];
  for (const key of Object.keys(raw)) {
    if (key !== 'version' && !(key in sectionSchemas)) problems.push(`${key}: unknown section, dropped`);
  }
  const prefs = salvageSection('prefs', raw.prefs, problems);
  const engine = salvageSection('engine', raw.engine, problems);
  return { doc: { version: STORE_VERSION, prefs, engine }, problems };
}

function salvageSection<K extends SectionName>(
  name: K,
  value: unknown,
  problems: string[],
): StoreDocument[K] {
  const schema = sectionSchemas[name];
  if (value !== undefined && !isObject(value)) problems.push(`${name}: not an object, reset to defaults`);
  const source = isObject(value) ? value : {};
  const shape = schema.shape as Record<string, z.ZodType>;
  const result: Record<string, unknown> = {};
  for (const [field, fieldSchema] of Object.entries(shape)) {
    const parsed = fieldSchema.safeParse(source[field]);
    if (parsed.success) {
      result[field] = parsed.data;
    } else {
      result[field] = fieldSchema.parse(undefined);
      const issue = parsed.error.issues[0];
      const where = [name, field, ...(issue?.path ?? []).map(String)].join('.');
      problems.push(`${where}: ${issue?.message ?? 'invalid'}, reset to default`);
    }
  }
  for (const field of Object.keys(source)) {
    if (!(field in shape)) problems.push(`${name}.${field}: unknown field, dropped`);
  }
  return schema.parse(result) as StoreDocument[K];
}
