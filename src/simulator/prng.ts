// Seeded pseudo-random numbers and id helpers, so the demo org is identical for a given seed.

const HEX_CODES = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const UUID_BYTES = new Uint8Array(36);
const LATIN1 = new TextDecoder('latin1');

/** A small deterministic random source (sfc32 seeded through splitmix32). */
export class Prng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.#a = next();
    this.#b = next();
    this.#c = next();
    this.#d = next();
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  uint32(): number {
    const t = (((this.#a + this.#b) >>> 0) + this.#d) >>> 0;
    this.#d = (this.#d + 1) >>> 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) >>> 0;
    this.#c = ((this.#c << 21) | (this.#c >>> 11)) >>> 0;
    this.#c = (this.#c + t) >>> 0;
    return t;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** An integer in [min, max] (inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with the given probability. */
  chance(probability: number): boolean {
    return this.next() < probability;
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Up to `count` distinct elements, in random order. */
  sample<T>(items: readonly T[], count: number): T[] {
    const copy = [...items];
    const out: T[] = [];
    while (out.length < count && copy.length > 0) {
      const index = Math.floor(this.next() * copy.length);
      out.push(copy.splice(index, 1)[0] as T);
    }
    return out;
  }

  /** Lower-case hex string of `length` characters. */
  hex(length: number): string {
    let out = '';
    while (out.length < length) out += this.uint32().toString(16).padStart(8, '0');
    return out.slice(0, length);
  }

  /**
   * A version-4-shaped UUID built from this stream. Written into a byte buffer and decoded once, so
   * the result is one flat string (concatenation would leave a tree of string pieces, which costs a
   * lot of memory with millions of messages).
   */
  uuid(): string {
    const out = UUID_BYTES;
    let pos = 0;
    for (let word = 0; word < 4; word++) {
      let n = this.uint32();
      if (word === 1) n = ((n & 0xffff0fff) | 0x4000) >>> 0;
      if (word === 2) n = ((n & 0x3fffffff) | 0x80000000) >>> 0;
      for (let shift = 28; shift >= 0; shift -= 4) {
        if (pos === 8 || pos === 13 || pos === 18 || pos === 23) out[pos++] = 45;
        out[pos++] = HEX_CODES[(n >>> shift) & 15] as number;
      }
    }
    return LATIN1.decode(out);
  }

  /** A child stream, independent of later draws from this one. */
  fork(salt: number): Prng {
    return new Prng((this.uint32() ^ Math.imul(salt, 0x27d4eb2d)) >>> 0);
  }
}
