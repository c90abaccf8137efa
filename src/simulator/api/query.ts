// Query-string helpers: booleans and integers with Genesys-style 400s for bad values.
import { badRequest } from '../http/errors.ts';

export function boolParam(query: URLSearchParams, name: string): boolean | undefined {
  const value = query.get(name);
  if (value === null || value === '') return undefined;
  const lower = value.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  throw badRequest(`Invalid '${name}' value '${value.slice(0, 40)}': use true or false.`);
}

export function intParam(
  query: URLSearchParams,
  name: string,
  def: number,
  min: number,
  max: number,
): number {
  const value = query.get(name);
  if (value === null || value === '') return def;
  if (!/^\d{1,9}$/.test(value))
    throw badRequest(`Invalid '${name}' value '${value.slice(0, 40)}': use an integer.`);
  const n = Number(value);
  if (n < min || n > max)
    throw badRequest(`Invalid '${name}' value ${n}: it must be between ${min} and ${max}.`);
  return n;
}

/** Values of a list parameter given repeated and/or comma-separated. */
export function listParam(query: URLSearchParams, name: string): string[] {
  return query
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}
