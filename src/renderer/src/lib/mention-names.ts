// The names recognised after `@` (`@Full Name` as one mention), as a trie of lower-cased UTF-16
// units: finding the longest known name at a position reads at most MAX_NAME characters, however
// many names there are. Names holding an `@` are left out (they still match as `@word`), so a walk
// from one `@` never passes the next: all the walks of a message together read it once. (Lower-
// casing the rest of the message at every `@`, once per name, froze the popup for seconds on a
// body of 19 000 `@`.)

/** Longer names are not matched as a whole (the `@word` rule still applies to them). */
export const MAX_NAME = 100;

interface Node {
  next: Map<string, Node>;
  /** A name ends here; `me` when it is one of the user's own names. */
  end?: { me: boolean };
}

export interface NameMatch {
  /** Length of the name in the source (without the `@`). */
  length: number;
  me: boolean;
}

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

export class MentionNames {
  private readonly root: Node = { next: new Map() };
  /** The lower-cased names that are the user's own, for `@word` mentions. */
  readonly mine: ReadonlySet<string>;

  constructor(myNames: readonly string[], names: readonly string[]) {
    this.mine = new Set(myNames.map((n) => n.toLowerCase()));
    for (const n of myNames) this.add(n, true);
    for (const n of names) this.add(n, false);
  }

  private add(name: string, me: boolean): void {
    if (name.trim().length === 0 || name.length > MAX_NAME || name.includes('@')) return;
    let node = this.root;
    for (let k = 0; k < name.length; k++) {
      const key = (name[k] as string).toLowerCase();
      let child = node.next.get(key);
      if (!child) node.next.set(key, (child = { next: new Map() }));
      node = child;
    }
    node.end = { me: me || (node.end?.me ?? false) };
  }

  /**
   * The longest known name starting at `from` and ending before `end` that is not followed by a
   * letter or digit. `count` is told how many characters were read.
   */
  longest(s: string, from: number, end: number, count: (n: number) => void): NameMatch | null {
    let node: Node | undefined = this.root;
    let best: NameMatch | null = null;
    let k = from;
    while (k < end && k - from < MAX_NAME) {
      node = node.next.get((s[k] as string).toLowerCase());
      if (!node) break;
      k++;
      if (node.end && !(k < end && LETTER_OR_DIGIT.test(s.charAt(k)))) {
        best = { length: k - from, me: node.end.me };
      }
    }
    count(k - from + 1);
    return best;
  }
}

const cache = new WeakMap<object, MentionNames>();

/** One trie per options object: a conversation renders every message with the same options. */
export function mentionNames(
  key: object,
  myNames: readonly string[] = [],
  names: readonly string[] = [],
): MentionNames {
  let found = cache.get(key);
  if (!found) cache.set(key, (found = new MentionNames(myNames, names)));
  return found;
}
