// Seeded mutants of policy files for the validate fuzz test (test/hardening/fuzz.test.ts) and the
// larger run of scripts/fuzz-validate.mjs: byte flips, deletions, duplications and insertions of
// hostile snippets, so every run with the same seed tests the same files.

/** mulberry32: a small deterministic PRNG; the same seed gives the same sequence on every machine. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const nest = (depth: number, open: string, close: string, inner = 'US') =>
  open.repeat(depth) + inner + close.repeat(depth);
const blockNest = (depth: number) =>
  Array.from({ length: depth }, (_, i) => `${' '.repeat(2 * i)}k${i}:`).join('\n') + ' US\n';

/** Snippets that have broken parsers before: each is inserted as UTF-8 unless it is raw bytes. */
export const HOSTILE_SNIPPETS: readonly (string | Uint8Array)[] = [
  '\u0000',
  '\u0007\u0008',
  '\u001b[31mred\u001b[0m',
  '\r',
  '\r\n',
  '\u0085',
  '\u2028',
  '\u202e',
  '\ufeff',
  '\t',
  '\t- US\n',
  '\ud800',
  '"\\u0000\\x1b[2J\\a"',
  "'\\n'",
  nest(10, '[', ']'),
  nest(70, '[', ']'),
  nest(800, '[', ']'),
  nest(5000, '[', ']'),
  nest(900, '{a: ', '}'),
  blockNest(40),
  blockNest(200),
  Array.from({ length: 300 }, (_, i) => `${' '.repeat(i)}- `).join('\n') + 'US\n',
  '&a [US, GB]',
  '*a',
  '*nowhere',
  '&x [US]\nbomb: [*x, *x, *x, *x, *x, *x, *x, *x, *x, *x]\n',
  '<<: *a\n',
  'x: &a {k: 1}\n<<: *a\n<<: *a\n',
  '<<: [*a, *a]\n',
  '<<: {sid: AC0123456789abcdef0123456789abcdef}\n',
  '<<: [x]\n',
  '  <<: 1\n',
  '? [US, GB]\n: x\n',
  '{[a]: 1}',
  '{{a: 1}: 2}',
  '~: x\n',
  'null: x\n',
  '1: x\n',
  'true: [US]\n',
  '!!binary aGVsbG8=',
  '!foo bar',
  '!!js/function "x"',
  '!<tag:yaml.org,2002:str> x',
  '---\n',
  '...\n',
  '%YAML 1.1\n---\n',
  '%TAG ! tag:example.com,2000:\n',
  '|\n  a\n  b\n',
  '>-\n  folded\n',
  'x'.repeat(10_000),
  'A'.repeat(300) + ': 1\n',
  `"${'a\\n'.repeat(200)}"`,
  '- ' + 'continent:'.repeat(50),
  'toString: x\n',
  '__proto__: {sid: x}\n',
  'constructor: 1\n',
  '.nan',
  '-.inf',
  '0x1F',
  '1e400',
  '2027-02-30',
  '@',
  '`',
  '#',
  ':',
  '- ',
  ',',
  'é漢🙂',
  new Uint8Array([0xff, 0xfe]),
  new Uint8Array([0xfe, 0xff, 0x00]),
  new Uint8Array([0xc3]),
  new Uint8Array([0xe9, 0xe8]),
  new Uint8Array([0xed, 0xa0, 0x80]),
  new Uint8Array([0x80, 0x81, 0x9b]),
];

const encoder = new TextEncoder();

type Mutation = (bytes: Uint8Array, random: () => number) => Uint8Array;

const pick = (random: () => number, n: number) => Math.floor(random() * n);

/** A position, half of the time at the start of a line, where a snippet changes the structure most. */
function position(bytes: Uint8Array, random: () => number): number {
  const at = pick(random, bytes.length + 1);
  if (random() < 0.5) return at;
  const lineStart = bytes.lastIndexOf(0x0a, at - 1) + 1;
  return lineStart;
}

function splice(bytes: Uint8Array, at: number, remove: number, insert: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length - remove + insert.length);
  out.set(bytes.subarray(0, at), 0);
  out.set(insert, at);
  out.set(bytes.subarray(at + remove), at + insert.length);
  return out;
}

const MUTATIONS: readonly Mutation[] = [
  function flipByte(bytes, random) {
    if (bytes.length === 0) return bytes;
    const out = bytes.slice();
    const at = pick(random, out.length);
    out[at] = random() < 0.5 ? pick(random, 256) : out[at]! ^ (1 << pick(random, 8));
    return out;
  },
  function deleteSpan(bytes, random) {
    const at = pick(random, bytes.length + 1);
    return splice(bytes, at, Math.min(bytes.length - at, 1 + pick(random, 40)), new Uint8Array());
  },
  function duplicateSpan(bytes, random) {
    const at = position(bytes, random);
    const end = Math.min(bytes.length, at + 1 + pick(random, 120));
    return splice(bytes, end, 0, bytes.slice(at, end));
  },
  function insertSnippet(bytes, random) {
    const snippet = HOSTILE_SNIPPETS[pick(random, HOSTILE_SNIPPETS.length)]!;
    const raw = typeof snippet === 'string' ? encoder.encode(snippet) : snippet;
    return splice(bytes, position(bytes, random), 0, raw);
  },
  function replaceValue(bytes, random) {
    // A snippet in place of the value after a colon, where the schema looks at it.
    const text = new TextDecoder().decode(bytes);
    const colons = [...text.matchAll(/: /g)].map((m) => m.index);
    if (colons.length === 0) return bytes;
    const at = encoder.encode(text.slice(0, colons[pick(random, colons.length)]! + 2)).length;
    const snippet = HOSTILE_SNIPPETS[pick(random, HOSTILE_SNIPPETS.length)]!;
    const raw = typeof snippet === 'string' ? encoder.encode(snippet) : snippet;
    const end = bytes.indexOf(0x0a, at);
    return splice(bytes, at, (end < 0 ? bytes.length : end) - at, raw);
  },
  function asYaml11(bytes) {
    // A %YAML 1.1 directive switches on merge keys (<<), timestamps, sexagesimal numbers and yes/no.
    return splice(bytes, 0, 0, encoder.encode('%YAML 1.1\n---\n'));
  },
  function reencode(bytes, random) {
    // UTF-16 with and without a BOM, or Latin-1: what an editor on another system may save.
    const text = new TextDecoder().decode(bytes);
    const choice = pick(random, 3);
    if (choice === 2) return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
    const utf16 = new Uint8Array(Buffer.from(text, 'utf16le'));
    return choice === 0 ? splice(utf16, 0, 0, new Uint8Array([0xff, 0xfe])) : utf16;
  },
];

export interface Mutant {
  /** Which seed file, the mutant's index and the mutations applied, to reproduce a failure. */
  name: string;
  bytes: Uint8Array;
}

/**
 * `count` mutants of `seeds`, each 1 to 3 mutations of one seed file, the same for the same `seed`.
 * Re-encoding is rare (it hides every other mutation behind the encoding error).
 */
export function mutants(
  seeds: readonly { name: string; text: string }[],
  count: number,
  seed: number,
): Mutant[] {
  const random = prng(seed);
  const out: Mutant[] = [];
  for (let i = 0; i < count; i++) {
    const source = seeds[pick(random, seeds.length)]!;
    let bytes: Uint8Array = encoder.encode(source.text);
    const applied: string[] = [];
    const rounds = 1 + pick(random, 3);
    for (let r = 0; r < rounds; r++) {
      const mutation =
        random() < 0.04 ? MUTATIONS[MUTATIONS.length - 1]! : MUTATIONS[pick(random, MUTATIONS.length - 1)]!;
      bytes = mutation(bytes, random);
      applied.push(mutation.name);
    }
    out.push({ name: `#${i} ${source.name}: ${applied.join(', ')}`, bytes });
  }
  return out;
}
