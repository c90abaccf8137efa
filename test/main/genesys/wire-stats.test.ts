import { describe, expect, it } from 'vitest';
import { shapeOf, WireStats } from '../../../src/main/genesys/wire-stats.ts';

describe('shapeOf', () => {
  it('keeps field names and types and never a value', () => {
    const value = {
      messageId: 'secret-id-123',
      body: 'the text a user wrote',
      from: 'alice@example.com',
      mentions: [{ entityId: 'u-1', entityType: 'User' }],
      reactions: { '👍': ['u-2'], 'u-3@jid': [] },
      counts: { a1b2c3d4e5f60718293a4b5c: 1, Xk29dLq8Zp41: 2 },
      notifyAll: false,
      count: 3,
      nothing: null,
    };
    const shape = shapeOf(value);
    expect(shape).toEqual({
      messageId: 'string',
      body: 'string',
      from: 'string',
      mentions: [{ entityId: 'string', entityType: 'string' }],
      reactions: { '<key>': [] },
      counts: { '<key>': 'number' },
      notifyAll: 'boolean',
      count: 'number',
      nothing: 'null',
    });
    const text = JSON.stringify(shape);
    for (const secret of [
      'secret-id-123',
      'the text',
      'alice',
      'u-1',
      'User',
      '👍',
      'u-3',
      'a1b2c3',
      'Xk29',
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('stays small for deep and wide values', () => {
    const deep = { a: { b: { c: { d: { e: { f: 1 } } } } } };
    expect(shapeOf(deep)).toEqual({ a: { b: { c: { d: 'object' } } } });
    const wide = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`f${i}`, i]));
    const shape = shapeOf(wide) as Record<string, unknown>;
    expect(Object.keys(shape)).toHaveLength(41);
    expect(shape['…']).toBe('60 more fields');
  });
});

describe('WireStats', () => {
  it('counts per kind and logs each kind once, with its shape', () => {
    const lines: string[] = [];
    const stats = new WireStats({ log: (m) => lines.push(m), now: () => 1000 });
    stats.surprise('push: chat event', { from: 'x@y' });
    stats.surprise('push: chat event', { from: 'z@y' });
    stats.surprise('GET roster', [1]);
    expect(stats.total()).toBe(3);
    expect(stats.snapshot()).toEqual([
      { kind: 'push: chat event', count: 2, shape: { from: 'string' }, lastAt: 1000 },
      { kind: 'GET roster', count: 1, shape: ['number'], lastAt: 1000 },
    ]);
    expect(lines).toEqual([
      'wire surprise (push: chat event); shape {"from":"string"}',
      'wire surprise (GET roster); shape ["number"]',
    ]);
  });

  it('folds kinds past its limit into one "other" entry', () => {
    const stats = new WireStats({ maxKinds: 2 });
    for (const kind of ['a', 'b', 'c', 'd']) stats.surprise(kind, {});
    expect(stats.snapshot().map((s) => [s.kind, s.count])).toEqual([
      ['other', 2],
      ['a', 1],
      ['b', 1],
    ]);
  });
});
