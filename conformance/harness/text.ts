// Capping what an implementation says, so that no output of a misbehaving
// implementation can make a report unbounded.

/** Cuts a text to at most max UTF-16 units, saying how much was left out. */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

/** Keeps the last max characters of what has been appended. */
export class TailBuffer {
  #text = "";
  #dropped = 0;
  constructor(readonly max: number) {}
  append(chunk: string): void {
    this.#text += chunk;
    if (this.#text.length > this.max) {
      this.#dropped += this.#text.length - this.max;
      this.#text = this.#text.slice(this.#text.length - this.max);
    }
  }
  get text(): string {
    return this.#dropped === 0 ? this.#text : `(${this.#dropped} earlier characters left out)…${this.#text}`;
  }
}

/** Keeps the first max characters of what has been appended. */
export class HeadBuffer {
  #text = "";
  #dropped = 0;
  constructor(readonly max: number) {}
  append(chunk: string): void {
    const room = this.max - this.#text.length;
    if (room >= chunk.length) this.#text += chunk;
    else {
      this.#text += chunk.slice(0, Math.max(0, room));
      this.#dropped += chunk.length - Math.max(0, room);
    }
  }
  get length(): number {
    return this.#text.length;
  }
  get text(): string {
    return this.#dropped === 0 ? this.#text : `${this.#text}… (${this.#dropped} more characters)`;
  }
}
