// The exposure model: what a cell change opens or closes and how dangerous that is. One rule for the
// plan (the cell goes from `from` to `to`) and for drift (live `from` against the policy's `to`, framed
// from the live side), and for the effective cells an inheritance flip changes. Pure.
import type { Guards } from '../model/desired.js';
import type {
  CellCategory,
  CellChange,
  Direction,
  EffectiveCell,
  Exposure,
  ExposureCounts,
  RiskTier,
} from '../model/plan.js';

export const RISK_ORDER: readonly RiskTier[] = ['critical', 'high', 'medium', 'low'];

/** The guard lists an exposure reads: what may never open, and what may never close. */
export type ExposureGuards = Pick<Guards, 'neverDisable' | 'neverEnable'>;

/** The facts about one cell that decide its exposure. */
export interface CellFacts {
  category: Exclude<CellCategory, 'voice.inherit'>;
  country: string;
  /** The wider side is the target (plan) or the live value (drift). */
  opens: boolean;
  /** Opened through a `continent:` entry of the policy. */
  viaContinent: boolean;
  /** Closing it leaves the account no enabled country in its family (voice, or messaging). */
  lastRoute: boolean;
}

/** The exposure of one per-country cell. */
export function cellExposure(facts: CellFacts, guards: ExposureGuards): Exposure {
  if (facts.opens) {
    if (facts.country in guards.neverEnable)
      return { direction: 'opens', risk: 'critical', note: 'never_enable' };
    if (facts.category === 'voice.high_risk_tollfraud')
      return { direction: 'opens', risk: 'critical', note: null };
    if (facts.category === 'voice.high_risk_special') return { direction: 'opens', risk: 'high', note: null };
    if (facts.viaContinent) return { direction: 'opens', risk: 'high', note: 'continent' };
    return { direction: 'opens', risk: 'medium', note: null };
  }
  if (facts.country in guards.neverDisable)
    return { direction: 'closes', risk: 'high', note: 'never_disable' };
  if (facts.lastRoute) return { direction: 'closes', risk: 'high', note: 'last_route' };
  return { direction: 'closes', risk: 'low', note: null };
}

const rank = (r: RiskTier): number => RISK_ORDER.indexOf(r);

/** The riskier of two exposures; on a tie, the one that opens. */
function riskier(a: Exposure, b: Exposure): Exposure {
  if (rank(a.risk) !== rank(b.risk)) return rank(a.risk) < rank(b.risk) ? a : b;
  return a.direction === 'opens' ? a : b;
}

/**
 * An inheritance flip's own exposure, from the effective cells it changes: it opens when any of them
 * opens, with the risk of the riskiest opening; otherwise it closes, with the risk of the riskiest close.
 * Unknown cells (the parent could not be read) count as a high opening.
 */
export function flipExposure(effective: readonly EffectiveCell[] | null): Exposure {
  if (effective === null) return { direction: 'opens', risk: 'high', note: 'unknown_parent' };
  const opening = effective.filter((c) => c.direction === 'opens');
  const pool = opening.length > 0 ? opening : effective;
  const pick = (e: Exposure): Exposure => ({ direction: e.direction, risk: e.risk, note: e.note });
  const [first, ...rest] = pool;
  if (!first) return { direction: 'closes', risk: 'low', note: null };
  return pick(rest.reduce<Exposure>(riskier, first));
}

/**
 * The same cell framed from the live side (drift): live wider than the policy opens, with the risk of
 * what is open; live narrower closes (service impact). `from` is live, `to` the policy.
 */
export function driftExposure(
  cell: { category: Exclude<CellCategory, 'voice.inherit'>; country: string; from: boolean; to: boolean },
  guards: ExposureGuards,
): Exposure {
  return cellExposure(
    {
      category: cell.category,
      country: cell.country,
      opens: cell.from && !cell.to,
      viaContinent: false,
      lastRoute: false,
    },
    guards,
  );
}

/** Whether a change is an inheritance flip that joins (false -> true). */
export const isJoin = (c: Pick<CellChange, 'category' | 'to'>): boolean =>
  c.category === 'voice.inherit' && c.to;

/**
 * The effective cells a list of changes stands for, each once: every per-country cell, each join's
 * effective cells (the plan has no per-country cell for them), and a flip with unknown effect as itself.
 * A leave's effective cells are the account's per-country voice cells, so the flip adds nothing.
 */
export function exposureUnits(changes: readonly CellChange[]): Exposure[] {
  return changes.flatMap((c): Exposure[] => {
    if (c.category !== 'voice.inherit') return [c];
    if (c.effective === null || c.effective === undefined) return [c];
    return isJoin(c) ? c.effective : [];
  });
}

const zero = (): Record<RiskTier, number> => ({ critical: 0, high: 0, medium: 0, low: 0 });

/** Opening and closing cells, by risk. */
export function countExposure(units: readonly Exposure[]): ExposureCounts {
  const counts: ExposureCounts = { opens: 0, closes: 0, byRisk: zero(), opensByRisk: zero() };
  for (const u of units) {
    counts.byRisk[u.risk]++;
    if (u.direction === 'opens') {
      counts.opens++;
      counts.opensByRisk[u.risk]++;
    } else counts.closes++;
  }
  return counts;
}

/** Sort key of a direction: what opens comes first. */
export const DIRECTION_ORDER: readonly Direction[] = ['opens', 'closes'];
