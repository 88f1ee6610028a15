// The escapers themselves: each hostile string, escaped, reads back as exactly the string (one line,
// controls shown as \uXXXX, a zero-width space inside what GitHub would link) and opens nothing.
import { describe, expect, it } from 'vitest';
import { jsonText, mdCode, mdText, oneLine, tableCell, termText } from '../../src/report/escape.js';
import { visibleMarkdown } from '../../src/report/markdown.js';
import { HOSTILE } from '../support/hostile.js';
import { CONTROL, readInline, readMarkdown, tableCells } from '../support/markdown-check.js';

const ZWSP = /\u200b/g;

describe.each(HOSTILE.map((s, i) => [i, s] as const))('hostile string #%i', (_i, s) => {
  it('mdText reads back as the string on one line and opens nothing, alone on a line too', () => {
    const md = mdText(s);
    const read = readInline(md);
    expect(read.tokens).toEqual([]);
    expect(read.text.replace(ZWSP, '')).toBe(oneLine(s));
    // At the start of a line or of a list item it starts no block either.
    for (const line of [md, `- ${md}`, `1. ${md}`]) {
      const [block] = readMarkdown(line);
      expect(['paragraph', 'bullet', 'ordered', 'blank']).toContain(block!.kind);
      expect(block!.inline.tokens).toEqual([]);
    }
  });

  it('mdCode is one code span holding the string, and stays one cell in a table', () => {
    const code = mdCode(s);
    for (const line of [code, `- ${code}`]) {
      const [block] = readMarkdown(line);
      expect(block!.inline.tokens).toEqual(['code']);
      expect(block!.kind).not.toBe('fence');
    }
    expect(tableCells(`| ${tableCell(code)} | x |`)).toHaveLength(2);
    expect(tableCells(`| ${tableCell(mdText(s))} | x |`)).toHaveLength(2);
  });

  it('termText and jsonText leave no control character; jsonText keeps the value', () => {
    expect(termText(s)).not.toMatch(CONTROL);
    const json = jsonText(JSON.stringify({ s }));
    expect(json).not.toMatch(CONTROL);
    expect(JSON.parse(json)).toEqual({ s });
  });
});

describe('the escapers on ordinary names', () => {
  it('leave names, IPs, dates, file lines and snake_case categories as they are', () => {
    for (const name of [
      'production',
      'support-eu',
      'Côte d’Ivoire',
      '203.0.113.7',
      '2026-11-25T11:00:48.665Z',
      'geo-permissions.yml:12',
      'voice.high_risk_special',
      'EUROPE',
      'NORTH_AMERICA',
    ])
      expect(mdText(name)).toBe(name);
    expect(mdCode('geo-permissions.yml')).toBe('`geo-permissions.yml`');
    expect(termText('production')).toBe('production');
  });

  it('shows what it escaped', () => {
    expect(mdText('support <!-- ')).toBe('support &lt;!-- ');
    expect(mdText('@octocat')).toBe('@&#8203;octocat');
    expect(mdText('fixes #1')).toBe('fixes #&#8203;1');
    expect(mdText('# x')).toBe('\\# x');
    expect(mdText('a\nb')).toBe('a b');
    expect(termText('red \u001b[31m')).toBe('red \\u001b[31m');
    expect(mdCode('a`b')).toBe('``a`b``');
    expect(tableCell('`a|b`')).toBe('`a\\|b`');
    expect(tableCell('a\\|b')).toBe('a\\|b');
  });
});

describe('visibleMarkdown', () => {
  it('hides comments as GitHub does, but not a `<!--` inside a code span', () => {
    expect(visibleMarkdown('a <!-- x --> b')).toBe('a  b');
    expect(visibleMarkdown('a <!-- x\n\nall of it')).toBe('a ');
    expect(visibleMarkdown('a <!--> b <!---> c')).toBe('a  b  c');
    expect(visibleMarkdown('a <!-- x --!> b')).toBe('a  b');
    expect(visibleMarkdown('`<!--` b')).toBe('`<!--` b');
    // A span that does not close on its line is not taken as one: the comment hides the rest.
    expect(visibleMarkdown('`<!-- b\nc` d')).toBe('`');
  });
});
