// Whether the CLI colours its output, decided once per run in the order the common conventions agree
// on: the flag, then FORCE_COLOR (Node and most CLIs let it override NO_COLOR), then NO_COLOR
// (no-color.org: any non-empty value), then TERM=dumb, then whether stdout is a terminal.

/** FORCE_COLOR values that turn colour off rather than force it (as Node reads the variable). */
const FORCE_OFF = new Set(['0', 'false']);

export function colorOf(
  noColorFlag: boolean,
  env: Readonly<Record<string, string | undefined>>,
  tty: boolean,
) {
  if (noColorFlag) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !FORCE_OFF.has(force.trim().toLowerCase());
  if (env.NO_COLOR) return false;
  if (env.TERM === 'dumb') return false;
  return tty;
}
