// Terminal building blocks every text report shares: aligned columns, ANSI colour only when asked (the
// CLI asks on a TTY).
import type { RiskTier } from '../model/plan.js';

export interface TextOptions {
  color: boolean;
}

export const ANSI = { red: 31, yellow: 33, green: 32, cyan: 36, dim: 2, bold: 1 } as const;
export type Style = keyof typeof ANSI;
export type Paint = (style: Style, text: string) => string;

/** Colour by risk on a terminal: critical red, high yellow, medium cyan, low dim. */
export const RISK_STYLE: Record<RiskTier, Style> = {
  critical: 'red',
  high: 'yellow',
  medium: 'cyan',
  low: 'dim',
};

export const painter =
  (color: boolean): Paint =>
  (style, text) =>
    color ? `\u001b[${ANSI[style]}m${text}\u001b[0m` : text;

/** Pads every column but the last so rows line up. */
export function table(rows: string[][], indent = '  '): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map(
    (row) =>
      indent +
      row
        .map((cell, i) => (i < row.length - 1 ? cell.padEnd(widths[i] ?? 0) : cell))
        .join('  ')
        .trimEnd(),
  );
}
