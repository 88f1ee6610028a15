import { describe, expect, it } from 'vitest';
import { formatDiagnostic, sortDiagnostics } from '../src/model/diagnostics.js';

describe('toolchain', () => {
  it('runs the tests on Node 24, the runtime action.yml declares', () => {
    expect(process.versions.node.split('.')[0]).toBe('24');
  });
});

describe('diagnostics', () => {
  it('formats as FILE:LINE:COL: severity: message and sorts by position, errors first', () => {
    const at = (line: number, column: number) => ({ file: 'p.yml', line, column });
    const sorted = sortDiagnostics([
      { severity: 'warning', message: 'w', location: at(3, 1) },
      { severity: 'error', message: 'b', location: at(2, 5) },
      { severity: 'error', message: 'a', location: at(3, 1) },
    ]);
    expect(sorted.map(formatDiagnostic)).toEqual([
      'p.yml:2:5: error: b',
      'p.yml:3:1: error: a',
      'p.yml:3:1: warning: w',
    ]);
  });
});
