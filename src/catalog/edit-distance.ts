/** Levenshtein distance: the definition `editDistanceWithin` computes within a bound, for suggestions. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}

// Two rows reused by every call (grown when needed), so a search allocates nothing per candidate.
let rowA = new Int32Array(64);
let rowB = new Int32Array(64);

/**
 * `editDistance(a, b)` when it is at most `max`, else `max + 1`, in at most `a.length * (2 * max + 1)`
 * steps: only cells within `max` of the diagonal can stay within `max` (Ukkonen's band), and it stops
 * at the first row that is over `max` everywhere.
 */
export function editDistanceWithin(a: string, b: string, max: number): number {
  const over = max + 1;
  if (Math.abs(a.length - b.length) > max) return over;
  if (max === 0) return a === b ? 0 : over;
  if (rowA.length <= b.length) {
    rowA = new Int32Array(b.length + 1);
    rowB = new Int32Array(b.length + 1);
  }
  let prev = rowA;
  let row = rowB;
  for (let j = 0; j <= b.length; j++) prev[j] = Math.min(j, over);
  for (let i = 1; i <= a.length; i++) {
    const lo = Math.max(1, i - max);
    const hi = Math.min(b.length, i + max);
    const ai = a.charCodeAt(i - 1);
    // Cells just outside the band count as over, so the next row never reads a stale value.
    row[lo - 1] = lo === 1 ? Math.min(i, over) : over;
    let rowMin = row[lo - 1]!;
    for (let j = lo; j <= hi; j++) {
      const substitute = prev[j - 1]! + (ai === b.charCodeAt(j - 1) ? 0 : 1);
      const cell = Math.min(prev[j]! + 1, row[j - 1]! + 1, substitute, over);
      row[j] = cell;
      if (cell < rowMin) rowMin = cell;
    }
    if (hi < b.length) row[hi + 1] = over;
    if (rowMin > max) return over;
    [prev, row] = [row, prev];
  }
  return prev[b.length]!;
}
