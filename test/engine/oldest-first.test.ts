import { describe, expect, it } from 'vitest';
import { OldestFirst } from '../../src/main/engine/oldest-first.ts';

describe('OldestFirst: a Map or Set kept within its capacity, oldest out first', () => {
  it('drops the first inserted entries, telling each key while its value can still be read', () => {
    const map = new Map<string, number>();
    const trim = new OldestFirst(map, 3);
    const gone: string[] = [];
    for (let i = 1; i <= 6; i++) {
      map.set(`m${i}`, i);
      trim.trim((key) => gone.push(`${key}=${map.get(key)}`));
    }
    expect([...map.keys()]).toEqual(['m4', 'm5', 'm6']);
    expect(gone).toEqual(['m1=1', 'm2=2', 'm3=3']);
  });

  it('counts an entry deleted and set again as new, and skips entries deleted by others', () => {
    const set = new Set<string>();
    const trim = new OldestFirst(set, 3);
    for (const id of ['a', 'b', 'c']) set.add(id);
    set.add('d');
    trim.trim(); // a goes
    set.delete('b');
    set.add('b'); // b is now the newest
    set.delete('c'); // someone else removed c
    set.add('e');
    set.add('f');
    trim.trim();
    expect([...set]).toEqual(['b', 'e', 'f']);
  });

  it('keeps working across a clear and many rounds of eviction (its iterator survives rehashing)', () => {
    const map = new Map<number, number>();
    const trim = new OldestFirst(map, 100);
    for (let i = 0; i < 5_000; i++) {
      map.set(i, i);
      trim.trim();
    }
    expect(map.size).toBe(100);
    expect(map.keys().next().value).toBe(4_900);
    map.clear();
    for (let i = 0; i < 250; i++) map.set(10_000 + i, i);
    trim.trim();
    expect([...map.keys()]).toEqual(Array.from({ length: 100 }, (_, i) => 10_150 + i));
  });

  it('trims a collection filled before it was first asked, in one call', () => {
    const map = new Map(Array.from({ length: 10 }, (_, i) => [i, i] as const));
    new OldestFirst(map, 4).trim();
    expect([...map.keys()]).toEqual([6, 7, 8, 9]);
  });
});
