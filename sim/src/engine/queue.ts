// The future event list: a binary min-heap over event slots, ordered by
// (time, seq) so that events at the same time run in the order they were
// scheduled (first in, first out), as OMNeT++, ns-3 and SimPy order them.
// Events are small integers with their payload in typed arrays: no object or
// closure is made per event.

/** An event queue. Times are numbers (the simulator uses integer microseconds). */
export class EventQueue {
  private time: Float64Array;
  private seq: Float64Array;
  private kinds: Uint8Array;
  private as: Int32Array;
  private bs: Int32Array;
  private xs: Float64Array;
  /** heap[i] is a slot index; slots below `used` not on the free list hold events. */
  private heap: Int32Array;
  private free: Int32Array;
  private freeCount = 0;
  private used = 0;
  private n = 0;
  private nextSeq = 0;

  /** The event just popped. */
  t = 0;
  kind = 0;
  a = 0;
  b = 0;
  x = 0;

  constructor(capacity = 1024) {
    this.time = new Float64Array(capacity);
    this.seq = new Float64Array(capacity);
    this.kinds = new Uint8Array(capacity);
    this.as = new Int32Array(capacity);
    this.bs = new Int32Array(capacity);
    this.xs = new Float64Array(capacity);
    this.heap = new Int32Array(capacity);
    this.free = new Int32Array(capacity);
  }

  /** Events waiting. */
  get size(): number {
    return this.n;
  }

  /** Events scheduled so far. */
  get scheduled(): number {
    return this.nextSeq;
  }

  /** Schedules an event of `kind` (0..255) at time `t` with payload a, b (int32) and x (number). */
  push(t: number, kind: number, a: number, b: number, x = 0): void {
    let slot: number;
    if (this.freeCount > 0) slot = this.free[--this.freeCount]!;
    else {
      if (this.used === this.time.length) this.grow();
      slot = this.used++;
    }
    this.time[slot] = t;
    this.seq[slot] = this.nextSeq++;
    this.kinds[slot] = kind;
    this.as[slot] = a;
    this.bs[slot] = b;
    this.xs[slot] = x;
    // Sift up.
    const heap = this.heap;
    const time = this.time;
    const seq = this.seq;
    let i = this.n++;
    const s = seq[slot]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const ps = heap[p]!;
      const pt = time[ps]!;
      if (pt < t || (pt === t && seq[ps]! < s)) break;
      heap[i] = ps;
      i = p;
    }
    heap[i] = slot;
  }

  /** Removes the earliest event into t, kind, a, b, x; false if there is none. */
  pop(): boolean {
    if (this.n === 0) return false;
    const heap = this.heap;
    const time = this.time;
    const seq = this.seq;
    const top = heap[0]!;
    this.t = time[top]!;
    this.kind = this.kinds[top]!;
    this.a = this.as[top]!;
    this.b = this.bs[top]!;
    this.x = this.xs[top]!;
    this.free[this.freeCount++] = top;
    const last = heap[--this.n]!;
    if (this.n > 0) {
      // Sift the last slot down from the root.
      const lt = time[last]!;
      const ls = seq[last]!;
      let i = 0;
      const n = this.n;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        let cs = heap[c]!;
        const r = c + 1;
        if (r < n) {
          const rs = heap[r]!;
          const ct = time[cs]!;
          const rt = time[rs]!;
          if (rt < ct || (rt === ct && seq[rs]! < seq[cs]!)) {
            c = r;
            cs = rs;
          }
        }
        const ct = time[cs]!;
        if (lt < ct || (lt === ct && ls < seq[cs]!)) break;
        heap[i] = cs;
        i = c;
      }
      heap[i] = last;
    }
    return true;
  }

  private grow(): void {
    const cap = this.time.length * 2;
    const g = <T extends Float64Array | Int32Array | Uint8Array>(old: T, make: (n: number) => T): T => {
      const next = make(cap);
      next.set(old);
      return next;
    };
    this.time = g(this.time, (n) => new Float64Array(n));
    this.seq = g(this.seq, (n) => new Float64Array(n));
    this.kinds = g(this.kinds, (n) => new Uint8Array(n));
    this.as = g(this.as, (n) => new Int32Array(n));
    this.bs = g(this.bs, (n) => new Int32Array(n));
    this.xs = g(this.xs, (n) => new Float64Array(n));
    this.heap = g(this.heap, (n) => new Int32Array(n));
    this.free = g(this.free, (n) => new Int32Array(n));
  }
}
