// Keeps a Map or a Set within a capacity by deleting its oldest entries (insertion order: an entry
// deleted and set again counts as new), in constant time per entry deleted.
//
// Why not `for (const key of map.keys())` (or `map.keys().next()`) each time: V8 leaves a deleted
// entry as a hole in the table until the table is rebuilt, and a new iterator walks every hole
// from the start. A full map that loses its oldest entry on each insertion piles up thousands of
// holes at its front, so each eviction costs thousands of steps: 10,000 insertions into a map of
// 5,000 took 15–20 ms that way against 3 ms here, and the catch-up of a sleep does that for every
// message. An iterator made once stays valid while the collection changes (ECMAScript walks the
// entry list by position; new entries are appended, deleted ones skipped, `clear()` included), and
// every entry before its position was deleted by this trimmer, so its next key is the oldest.

export class OldestFirst<K> {
  private readonly collection: Map<K, unknown> | Set<K>;
  private readonly capacity: number;
  private cursor: Iterator<K> | undefined;

  constructor(collection: Map<K, unknown> | Set<K>, capacity: number) {
    this.collection = collection;
    this.capacity = capacity;
  }

  /**
   * Deletes the oldest entries until at most `capacity` remain. `evicting` sees each key just
   * before it goes (a Map's value can still be read then).
   */
  trim(evicting?: (key: K) => void): void {
    while (this.collection.size > this.capacity) {
      let next = this.cursor?.next();
      if (!next || next.done) {
        this.cursor = this.collection.keys();
        next = this.cursor.next();
        if (next.done) return;
      }
      evicting?.(next.value);
      this.collection.delete(next.value);
    }
  }
}
