// Choosing the results of an answer from the matches (spec/06-discovery.md
// §6.6, DISC-014, DISC-022): walk the matches in rank order, skip a match
// whose origin already has the per-origin limit of results, and stop at
// max_results. This computes the same list without sorting every match: only
// an origin's best `perOrigin` matches can ever be chosen, and of those only
// the best `limit`, so both steps keep bounded selections.

/** The first `limit` items in `compare` order, taking at most `perOrigin` items of any one origin. */
export function selectDiverse<T>(items: Iterable<T>, compare: (a: T, b: T) => number, originOf: (item: T) => string, perOrigin: number, limit: number): T[] {
  const best = new Map<string, T[]>();
  for (const item of items) {
    const origin = originOf(item);
    let kept = best.get(origin);
    if (kept === undefined) best.set(origin, (kept = []));
    insertBounded(kept, item, compare, perOrigin);
  }
  const chosen = new BoundedBest<T>(compare, limit);
  for (const kept of best.values()) for (const item of kept) chosen.offer(item);
  return chosen.sorted();
}

/** Inserts item into a sorted array kept to at most `bound` items. */
function insertBounded<T>(sorted: T[], item: T, compare: (a: T, b: T) => number, bound: number): void {
  if (sorted.length === bound && compare(item, sorted[bound - 1]!) >= 0) return;
  let i = sorted.length;
  while (i > 0 && compare(item, sorted[i - 1]!) < 0) i--;
  sorted.splice(i, 0, item);
  if (sorted.length > bound) sorted.pop();
}

/** The best `limit` items offered, held in a max-heap whose root is the worst kept. */
class BoundedBest<T> {
  private readonly heap: T[] = [];
  constructor(
    private readonly compare: (a: T, b: T) => number,
    private readonly limit: number,
  ) {}

  offer(item: T): void {
    const h = this.heap;
    if (h.length < this.limit) {
      h.push(item);
      this.up(h.length - 1);
    } else if (this.limit > 0 && this.compare(item, h[0]!) < 0) {
      h[0] = item;
      this.down(0);
    }
  }

  sorted(): T[] {
    return [...this.heap].sort(this.compare);
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.compare(h[i]!, h[parent]!) <= 0) return;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let worst = i;
      if (l < h.length && this.compare(h[l]!, h[worst]!) > 0) worst = l;
      if (r < h.length && this.compare(h[r]!, h[worst]!) > 0) worst = r;
      if (worst === i) return;
      [h[i], h[worst]] = [h[worst]!, h[i]!];
      i = worst;
    }
  }
}
