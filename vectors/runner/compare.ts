// Comparing an implementation's outcome with a test's expectation: the rule
// every consumer of the corpus applies (vectors/README.md, "Consuming the
// corpus"). Shared by the corpus tests and the conformance harness.
import { isDeepStrictEqual } from "node:util";
import type { Json, Outcome } from "./reference-operations.js";

/** What a test expects. */
export interface Expectation {
  readonly result: "valid" | "invalid" | "acceptable";
  readonly error?: string;
  readonly output?: Json;
}

/**
 * Why an outcome disagrees with a test, or undefined if it agrees:
 * valid needs valid (and, where the test has an output, that exact output, compared as JSON values);
 * invalid needs invalid with exactly the test's error code;
 * acceptable takes either verdict.
 */
export function disagreement(expected: Expectation, got: Outcome): string | undefined {
  const shown = got.result === "valid" ? "valid" : `invalid ${got.error ?? "(no code)"}`;
  switch (expected.result) {
    case "acceptable":
      return undefined;
    case "invalid":
      return got.result === "invalid" && got.error === expected.error ? undefined : `expected invalid ${expected.error}, got ${shown}`;
    case "valid":
      if (got.result !== "valid") return `expected valid, got ${shown}`;
      if (expected.output !== undefined && !isDeepStrictEqual(got.output, expected.output)) {
        return `output differs:\n    expected ${JSON.stringify(expected.output).slice(0, 400)}\n    got      ${JSON.stringify(got.output).slice(0, 400)}`;
      }
      return undefined;
  }
}
