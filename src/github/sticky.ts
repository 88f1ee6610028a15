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

/**
 * The logins, other than `ownLogin`, of comments carrying `marker`: a copied marker, or the action run with
 * another token (a GitHub App's, a user's). Such a comment is never taken as the action's own.
 */
export function foreignMarkerAuthors(
  comments: readonly Pick<IssueComment, 'author' | 'body'>[],
  marker: string,
  ownLogin: string,
): string[] {
  return [
    ...new Set(comments.filter((c) => c.author !== ownLogin && c.body.includes(marker)).map((c) => c.author)),
  ];
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
