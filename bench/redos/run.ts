/**
 * bench/redos: how long one citizen's form post can block the event loop when a council admin
 * gave a field the classic catastrophic pattern `^([a-zA-Z]+ ?)+$` (issue 13 item 6). Prints, in
 * milliseconds of synchronous (event-loop) time:
 *  - the admin's pattern run by the platform's engine (RE2JS, linear) on 10,000 characters that
 *    almost match: first call in this process (engine not yet optimised by V8), first call of a
 *    freshly compiled pattern once the engine is warm (a running server), and warm;
 *  - the whole form validation of such a value (refused by the length check before the pattern);
 *  - for scale, JavaScript's backtracking RegExp on the same pattern with BENCH_REGEXP_CHARS
 *    (default 22) characters: its time doubles with each character.
 * Target: under 50 ms for the 10,000-character cases. A figure, not a timed test.
 * Usage: npm run bench:redos
 */
import { buildFormSchema } from "../../server/catalog/build-form-schema.ts";
import { matchesFieldPattern } from "../../server/catalog/field-pattern.ts";

const EVIL = "^([a-zA-Z]+ ?)+$";
const CHARS = 10_000;
const TARGET_MS = 50;
const almost = (n: number) => `${"a".repeat(n - 1)}!`;

/**
 * Wall time of the synchronous call (how long the event loop is blocked) and the CPU time it
 * took: on a machine shared with other work the wall time includes waiting for a core, the CPU
 * time is what the call blocks a loop for on a core of its own.
 */
function timed<T>(fn: () => T): { ms: number; cpuMs: number; result: T } {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = fn();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, result };
}

const rows: Array<[string, { ms: number; cpuMs: number }, string]> = [];
const cold = timed(() => matchesFieldPattern(EVIL, almost(CHARS)));
rows.push([`RE2JS, ${CHARS} chars, first call in the process`, cold, String(cold.result)]);

// A running server has matched other patterns and validated other forms already: warm the
// engine and zod on unrelated ones.
for (let i = 0; i < 300; i++) {
  const pattern = `^[A-Z]{${(i % 7) + 1}}[0-9/ -]*(x|y)?$`;
  matchesFieldPattern(pattern, `AB12 3/${"4".repeat(i * 10)}`);
  buildFormSchema({
    fields: [{ name: "f", label: "F", type: "text", required: true, pattern }],
    subjectTemplate: "{{f}}",
  }).safeParse({ f: "A".repeat(i * 2) });
}
const fresh = timed(() => matchesFieldPattern(`${EVIL.slice(0, -1)}(?:)$`, almost(CHARS)));
rows.push([`RE2JS, ${CHARS} chars, new pattern, engine warm`, fresh, String(fresh.result)]);
const warm = Array.from({ length: 21 }, () => timed(() => matchesFieldPattern(EVIL, almost(CHARS)))).sort(
  (a, b) => a.cpuMs - b.cpuMs,
)[10]!;
rows.push([`RE2JS, ${CHARS} chars, warm (median of 21)`, warm, String(warm.result)]);
const mixed = timed(() => matchesFieldPattern(EVIL, `${"ab ".repeat(CHARS / 3)}!`));
rows.push([`RE2JS, ${CHARS} chars "ab ab ab … !", warm`, mixed, String(mixed.result)]);

const form = buildFormSchema({
  fields: [{ name: "nome", label: "Nome", type: "text", required: true, pattern: EVIL }],
  subjectTemplate: "{{nome}}",
});
const validation = timed(() => form.safeParse({ nome: almost(CHARS) }));
rows.push([
  `form validation, ${CHARS} chars`,
  validation,
  validation.result.success ? "accepted" : validation.result.error.issues[0]!.message,
]);

const regexpChars = Number(process.env.BENCH_REGEXP_CHARS ?? 22);
const backtracking = timed(() => new RegExp(EVIL, "u").test(almost(regexpChars)));
rows.push([`RegExp (backtracking), ${regexpChars} chars`, backtracking, String(backtracking.result)]);

const width = Math.max(...rows.map((r) => r[0].length));
process.stdout.write(`${"".padEnd(width)}  ${"wall ms".padStart(9)}  ${"cpu ms".padStart(9)}\n`);
for (const [name, t, result] of rows)
  process.stdout.write(
    `${name.padEnd(width)}  ${t.ms.toFixed(2).padStart(9)}  ${t.cpuMs.toFixed(2).padStart(9)}  ${result}\n`,
  );
const worst = [fresh, warm, mixed, validation].reduce((a, b) => (b.cpuMs > a.cpuMs ? b : a));
process.stdout.write(
  `\nworst ${CHARS}-character case with the engine warm: ${worst.cpuMs.toFixed(2)} ms of CPU, ${worst.ms.toFixed(2)} ms wall ` +
    `(target < ${TARGET_MS} ms: ${worst.cpuMs < TARGET_MS ? "met" : "NOT met"}); RegExp took ${backtracking.cpuMs.toFixed(0)} ms of CPU for ${regexpChars} characters\n`,
);
