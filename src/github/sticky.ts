import type { IssueComment } from '../model/github-port.js';
import { sameBody } from './body.js';

export type StickyDecision =
  | { kind: 'create' }
  | { kind: 'update'; commentId: number }
  | { kind: 'unchanged'; commentId: number; url: string };

/** The action's own comment carrying `marker`: marker AND author must match (a contributor can copy a marker). */
export function findOwnComment(
  comments: readonly IssueComment[],
  marker: string,
  botLogin: string,
): IssueComment | null {
  return comments.find((c) => c.author === botLogin && c.body.includes(marker)) ?? null;
}

/** Upsert of one sticky comment: create it, update it in place, or leave it when nothing changed. */
export function decideSticky(
  comments: readonly IssueComment[],
  marker: string,
  botLogin: string,
  body: string,
): StickyDecision {
  const own = findOwnComment(comments, marker, botLogin);
  if (!own) return { kind: 'create' };
  if (sameBody(own.body, body)) return { kind: 'unchanged', commentId: own.id, url: own.url };
  return { kind: 'update', commentId: own.id };
}
