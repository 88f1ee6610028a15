import { editDistanceWithin } from './edit-distance.js';

/**
 * How much edit-distance work one policy's did-you-mean searches may do together, in cells (one
 * character of the misspelt word against one of a candidate). A search is charged its worst case up
 * front. Spending it all takes under 50 ms; one mistake costs a few thousand cells (a misspelt country
 * name about 5,000, a misspelt group among 5,000 groups under a million), so a policy of a normal size
 * never reaches it, while a 1 MiB policy of mistakes would need billions: searching its own growing
 * group and account names for each mistake is what made validating it quadratic.
 */
export const SUGGESTION_BUDGET = 10_000_000;

/** Names to search, sorted by length once (listed order kept within a length). */
export class Candidates {
  private readonly names: readonly string[];
  private readonly order: readonly number[];

  constructor(names: readonly string[]) {
    const order = names.map((_, i) => i).sort((x, y) => names[x]!.length - names[y]!.length || x - y);
    this.order = order;
    this.names = order.map((i) => names[i]!);
  }

  /** The slice [from, to) of names whose length is within [shortest, longest]. */
  window(shortest: number, longest: number): { from: number; to: number } {
    return { from: this.firstLonger(shortest - 1), to: this.firstLonger(longest) };
  }

  name(at: number): string {
    return this.names[at]!;
  }

  /** Where the name was listed, for "ties go to the first listed". */
  listedAt(at: number): number {
    return this.order[at]!;
  }

  private firstLonger(length: number): number {
    let lo = 0;
    let hi = this.names.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.names[mid]!.length <= length) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** One list's did-you-mean, indexed once and searched under the budget it came from. */
export interface NameSuggester {
  nearest(input: string, maxDistance: number, exclude?: string): string | null;
}

/**
 * The one did-you-mean search: every "did you mean" asks it. Searches whose number grows with the policy
 * (country names, groups, parent accounts, continents) share one per load, so together they cost at
 * most SUGGESTION_BUDGET cells however many mistakes the policy holds; an unknown key is searched among
 * its schema's few keys, a constant cost, with a search of its own.
 *
 * A search whose worst case the remaining budget cannot cover is skipped. That drops only the "did you
 * mean" part: the caller still reports the error, with its no-suggestion wording. A search that runs
 * answers exactly what a search over every candidate would.
 */
export class SuggestionSearch {
  private spentCells = 0;
  private searchCount = 0;
  private skippedCount = 0;
  private evaluationCount = 0;

  constructor(private readonly budget: number = SUGGESTION_BUDGET) {}

  /** Cells charged so far (worst cases; never more than the budget). */
  get spent(): number {
    return this.spentCells;
  }

  /** Searches that ran. */
  get searches(): number {
    return this.searchCount;
  }

  /** Searches skipped because the budget could not cover them. */
  get skipped(): number {
    return this.skippedCount;
  }

  /** Edit distances computed. */
  get evaluations(): number {
    return this.evaluationCount;
  }

  /** Index `names` once, for a list searched many times (names that grow with the policy). */
  among(names: readonly string[]): NameSuggester {
    const candidates = new Candidates(names);
    return {
      nearest: (input, maxDistance, exclude) => this.nearest(input, candidates, maxDistance, exclude),
    };
  }

  /**
   * The candidate nearest to `input` within `maxDistance` edits (ties: first listed), never `exclude`;
   * null when none is that close or the budget cannot cover the search.
   */
  nearest(
    input: string,
    candidates: Candidates | readonly string[],
    maxDistance: number,
    exclude?: string,
  ): string | null {
    const index = candidates instanceof Candidates ? candidates : new Candidates(candidates);
    // Only a name whose length is within maxDistance of the input's can be within maxDistance edits.
    const { from, to } = index.window(input.length - maxDistance, input.length + maxDistance);
    const worstCase = (to - from) * Math.max(1, input.length * (2 * maxDistance + 1));
    if (worstCase > this.budget - this.spentCells) {
      this.skippedCount++;
      return null;
    }
    this.spentCells += worstCase;
    this.searchCount++;
    let best: string | null = null;
    let bestDistance = maxDistance + 1;
    let bestListedAt = Infinity;
    for (let at = from; at < to; at++) {
      const name = index.name(at);
      const listedAt = index.listedAt(at);
      // A tie wins only over a name listed after it, so later names must be strictly closer.
      const limit = Math.min(maxDistance, listedAt < bestListedAt ? bestDistance : bestDistance - 1);
      if (name === exclude || limit < 0) continue;
      this.evaluationCount++;
      const distance = editDistanceWithin(input, name, limit);
      if (distance <= limit) {
        best = name;
        bestDistance = distance;
        bestListedAt = listedAt;
      }
    }
    return best;
  }
}
