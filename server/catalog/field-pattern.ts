import { RE2JS, RE2JSException } from "re2js";

// A council admin's field `pattern` runs on anonymous input. JavaScript's RegExp backtracks:
// `^([a-zA-Z]+ ?)+$` on 40 characters blocks the event loop for hours, freezing every tenant.
// RE2JS (a pure-JS port of RE2, no native build) matches in time linear in the input, whatever
// the pattern; what RE2 cannot do in linear time (backreferences, lookaround) it refuses to
// compile, and the admin is told so when saving.

const compiled = new Map<string, RE2JS>();
const MAX_CACHED = 500;

/** Italian explanation of why `pattern` cannot be used, or null when it can. */
export function fieldPatternProblem(pattern: string): string | null {
  try {
    RE2JS.compile(pattern);
    return null;
  } catch (err) {
    const detail = err instanceof RE2JSException ? `: ${err.message}` : "";
    return `espressione regolare non valida o non supportata (sintassi RE2: niente riferimenti all'indietro né lookahead/lookbehind)${detail}`;
  }
}

/**
 * Whether `value` contains a match of `pattern` (unanchored, like RegExp.prototype.test: the
 * admin writes `^…$` to match the whole value), in linear time. A pattern that does not compile
 * (only possible for data saved before patterns were checked) matches nothing, so the field fails
 * closed. Compiled patterns are remembered (bounded), since a form is validated on every post.
 */
export function matchesFieldPattern(pattern: string, value: string): boolean {
  let re = compiled.get(pattern);
  if (!re) {
    try {
      re = RE2JS.compile(pattern);
    } catch {
      return false;
    }
    if (compiled.size >= MAX_CACHED) compiled.delete(compiled.keys().next().value!);
    compiled.set(pattern, re);
  }
  return re.test(value);
}
