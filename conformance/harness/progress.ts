// Live progress in the terminal: a progress bar redrawn in place when the
// output is a terminal, and one line per vector file as it completes when it
// is not (CI logs keep every line, so a redrawn bar would only add noise).
import { FAILING_OUTCOMES, type Case, type Outcome } from "./case.js";
import type { CaseRecord } from "./runner.js";

/** How progress is shown. */
export type ProgressMode = "bar" | "lines" | "none";

/** Follows a run and prints its progress. */
export class Progress {
  readonly #totals = new Map<string, number>();
  readonly #done = new Map<string, Map<Outcome, number>>();
  readonly #started = performance.now();
  readonly #suiteStarted = new Map<string, number>();
  #count = 0;
  #failing = 0;
  #lastDraw = 0;
  readonly #total: number;

  constructor(
    cases: readonly Case[],
    readonly mode: ProgressMode,
    readonly write: (text: string) => void,
    readonly width: number = 80,
  ) {
    for (const c of cases) this.#totals.set(c.suite, (this.#totals.get(c.suite) ?? 0) + 1);
    this.#total = cases.length;
  }

  /** Takes one finished case. */
  onRecord = (r: CaseRecord): void => {
    const suite = r.case.suite;
    this.#count++;
    if (FAILING_OUTCOMES.has(r.outcome)) this.#failing++;
    const counts = this.#done.get(suite) ?? new Map<Outcome, number>();
    counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
    this.#done.set(suite, counts);
    if (!this.#suiteStarted.has(suite)) this.#suiteStarted.set(suite, performance.now() - (r.durationMs ?? 0));
    if (this.mode === "lines") {
      const done = [...counts.values()].reduce((a, b) => a + b, 0);
      if (done === this.#totals.get(suite)) this.write(`${suiteLine(suite, counts, performance.now() - this.#suiteStarted.get(suite)!)}\n`);
    } else if (this.mode === "bar") {
      const now = performance.now();
      if (now - this.#lastDraw >= 80 || this.#count === this.#total) {
        this.#lastDraw = now;
        this.#draw(suite);
      }
    }
  };

  #draw(suite: string): void {
    const cells = Math.max(10, Math.min(40, this.width - 50));
    const filled = this.#total === 0 ? cells : Math.round((this.#count / this.#total) * cells);
    const pct = this.#total === 0 ? 100 : Math.floor((this.#count / this.#total) * 100);
    const secs = ((performance.now() - this.#started) / 1000).toFixed(1);
    const line = `[${"█".repeat(filled)}${"░".repeat(cells - filled)}] ${this.#count}/${this.#total} ${pct}%  failing ${this.#failing}  ${secs} s  ${suite}`;
    this.write(`\r${line.slice(0, this.width - 1).padEnd(this.width - 1)}`);
  }

  /** Ends the display (clears the bar). */
  finish(): void {
    if (this.mode === "bar") this.write(`\r${" ".repeat(this.width - 1)}\r`);
  }
}

/** One line for a finished file: its case count and outcome counts. */
export function suiteLine(suite: string, counts: ReadonlyMap<Outcome, number>, ms: number): string {
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const parts = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([o, n]) => `${n} ${o}`);
  return `  ${suite.padEnd(22)} ${String(total).padStart(5)} cases  ${parts.join(", ")}  (${(ms / 1000).toFixed(2)} s)`;
}
