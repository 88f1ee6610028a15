// Large malformed policies for the validate benchmark (and for reproducing by hand:
// `node bench/validate-policies.mjs SHAPE BYTES > big.yml`). Every shape is full of mistakes, most of
// them misspellings that ask for a "did you mean", so nearly every line is a diagnostic:
//
// - codes:    one list holding thousands of unknown codes, misspelt country names and misspelt groups
// - accounts: thousands of accounts, each naming a misspelt parent account
// - groups:   thousands of groups, each referring to a misspelt group
// - keys:     thousands of accounts, each with a misspelt key
// - mixed:    a quarter of each of the above in one file
//
// Deterministic: the same shape and size always give the same file.

export const SHAPES = ['codes', 'accounts', 'groups', 'keys', 'mixed'];

const SID = (i) => 'AC' + i.toString(16).padStart(32, '0');
const NAMES = [
  'Germny',
  'Frnace',
  'Itlay',
  'Brazl',
  'Argentna',
  'Autsria',
  'Swedn',
  'Norwy',
  'Japn',
  'Cnada',
];
const KEYS = ['sidd', 'mesaging', 'voise', 'parnet', 'messagin'];

/** Lines from `line(i)` for i = 0, 1, ... until the next one would pass `bytes`. */
function fill(bytes, line) {
  const lines = [];
  let size = 0;
  for (let i = 0; ; i++) {
    const next = line(i);
    size += Buffer.byteLength(next) + 1;
    if (size > bytes) return lines;
    lines.push(next);
  }
}

/** A two-letter code no country has: ISO 3166 leaves QM to QZ unassigned (user-assigned range). */
const unknownCode = (i) => 'Q' + String.fromCharCode(77 + (i % 14));

function codes(bytes, prefix) {
  const head = [`  ${prefix}-core: [US, CA]`];
  const entry = (i) => {
    switch (i % 4) {
      case 0:
        return `    - ${unknownCode(i)}`;
      case 1:
        return `    - ${NAMES[i % NAMES.length]}`;
      case 2:
        return `    - ${prefix}-cor${i}`; // a misspelt group
      default:
        return `    - notacountry${i}`;
    }
  };
  const budget = bytes - Buffer.byteLength(head.join('\n')) - 40;
  return { groups: [...head, `  ${prefix}-list:`, ...fill(budget, entry)], accounts: [] };
}

function accounts(bytes, prefix, base) {
  const head = [`  ${prefix}-parent-0: {sid: ${SID(base)}}`];
  const account = (i) => `  ${prefix}-sub-${i}: {sid: ${SID(base + i + 1)}, parent: ${prefix}-parnet-${i}}`;
  return { groups: [], accounts: [...head, ...fill(bytes - 80, account)] };
}

function groups(bytes, prefix) {
  // Group i refers to "grup-i", one edit away from "group-i": every reference is a misspelling.
  const group = (i) => `  ${prefix}-group-${i}: [US, ${prefix}-grup-${i}]`;
  return { groups: fill(bytes, group), accounts: [] };
}

function keys(bytes, prefix, base) {
  const account = (i) => `  ${prefix}-acct-${i}: {sid: ${SID(base + i)}, ${KEYS[i % KEYS.length]}: [US]}`;
  return { groups: [], accounts: fill(bytes, account) };
}

const PARTS = { codes, accounts, groups, keys };

/** The policy text for `shape`, at most `bytes` bytes (filled to within a few hundred). */
export function malformedPolicy(shape, bytes) {
  const shapes = shape === 'mixed' ? Object.keys(PARTS) : [shape];
  const share = Math.floor((bytes - 200) / shapes.length);
  const parts = shapes.map((s, i) => PARTS[s](share, s, (i + 1) * 1_000_000));
  const groupLines = parts.flatMap((p) => p.groups);
  const accountLines = parts.flatMap((p) => p.accounts);
  return [
    'version: 1',
    ...(groupLines.length ? ['groups:', ...groupLines] : []),
    'accounts:',
    `  production: {sid: ${SID(1)}, messaging: [US]}`,
    ...accountLines,
    '',
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [shape = 'mixed', bytes = String(1024 * 1024)] = process.argv.slice(2);
  if (!SHAPES.includes(shape)) throw new Error(`shape must be one of ${SHAPES.join(', ')}`);
  process.stdout.write(malformedPolicy(shape, Number(bytes)));
}
