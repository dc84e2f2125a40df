// Adds up the test runners' own summaries in a `npm test` log into one closing line:
// Vitest ("Tests  N passed | M failed") and @web/test-runner ("N passed, M failed").
import { readFileSync } from "node:fs";

// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping terminal colour codes
const log = readFileSync(process.argv[2], "utf8").replace(/\x1b\[[0-9;]*m/g, "");
let passed = 0;
let failed = 0;
// @web/test-runner prints progress snapshots of one run, and its final one twice: only the
// last snapshot before the next Vitest summary (or the end) counts.
let wtr = null;
const flush = () => {
  if (wtr) {
    passed += wtr.passed;
    failed += wtr.failed;
  }
  wtr = null;
};
for (const line of log.split("\n")) {
  const vitest = /^\s*Tests\s+(.*)$/.exec(line);
  if (vitest) {
    flush();
    passed += Number(/(\d+) passed/.exec(vitest[1])?.[1] ?? 0);
    failed += Number(/(\d+) failed/.exec(vitest[1])?.[1] ?? 0);
    continue;
  }
  const snapshot = /(\d+) passed, (\d+) failed/.exec(line);
  if (snapshot) wtr = { passed: Number(snapshot[1]), failed: Number(snapshot[2]) };
}
flush();
console.log(`${passed} passed, ${failed} failed`);
