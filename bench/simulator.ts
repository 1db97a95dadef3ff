// Benchmark 5: simulator events per second. The network simulator is not
// built yet; this reports so, and the JSON records null.
import { line } from "./lib.js";

export function benchSimulator(): { eventsPerSecond: null; status: string } {
  line("5. Simulator events/s: not yet built");
  return { eventsPerSecond: null, status: "not yet built" };
}
