import { TwilioFault } from './fleet.js';

/** Twilio's list paging: the window a request asks for and the two envelopes (v1 and v2010). */

const PAGE_SIZE_DEFAULT = 50;
const PAGE_SIZE_MAX = 1000;

/** The page a list request asks for: PageSize 1..1000 (default 50, lowered to `cap`), Page, PageToken. */
function pageWindow(q: URLSearchParams, cap: number | null) {
  const sizeText = q.get('PageSize');
  const asked = sizeText === null ? PAGE_SIZE_DEFAULT : Number(sizeText);
  if (!Number.isInteger(asked) || asked < 1 || asked > PAGE_SIZE_MAX)
    throw new TwilioFault(400, 20001, `PageSize must be between 1 and ${PAGE_SIZE_MAX}`);
  const size = cap === null ? asked : Math.min(asked, cap);
  const pageNumber = Number(q.get('Page') ?? '0');
  const token = q.get('PageToken');
  const offset = token?.startsWith('PT') ? Number(token.slice(2)) : pageNumber * size;
  if (!Number.isInteger(offset) || offset < 0) throw new TwilioFault(400, 20001, 'invalid PageToken');
  return { size, offset, current: Number.isInteger(pageNumber) ? pageNumber : 0 };
}

/** The query of another page of the same list (the other parameters kept). */
function pageQuery(q: URLSearchParams, size: number, p: number, o: number): string {
  const next = new URLSearchParams(q);
  next.set('PageSize', String(size));
  next.set('Page', String(p));
  if (o > 0) next.set('PageToken', `PT${o}`);
  else next.delete('PageToken');
  return next.toString();
}

/**
 * The v2010 list envelope: the items under `key` beside flat paging fields whose links are paths
 * (`next_page_uri`, not the v1 `meta.next_page_url`).
 */
export function v2010Page(items: unknown[], url: URL, cap: number | null, key: string): unknown {
  const q = url.searchParams;
  const { size, offset, current } = pageWindow(q, cap);
  const link = (p: number, o: number) => `${url.pathname}?${pageQuery(q, size, p, o)}`;
  const slice = items.slice(offset, offset + size);
  return {
    [key]: slice,
    end: offset + Math.max(0, slice.length - 1),
    first_page_uri: link(0, 0),
    next_page_uri: offset + size < items.length ? link(current + 1, offset + size) : null,
    page: current,
    page_size: size,
    previous_page_uri: offset > 0 ? link(Math.max(0, current - 1), Math.max(0, offset - size)) : null,
    start: offset,
    uri: link(current, offset),
  };
}

/** Twilio's v1 list envelope: `content` (or `key`) plus `meta`, its links on the product's `host`. */
export function page(items: unknown[], url: URL, host: string, cap: number | null, key = 'content'): unknown {
  const q = url.searchParams;
  const { size, offset, current } = pageWindow(q, cap);
  const link = (p: number, o: number) => `${host}${url.pathname}?${pageQuery(q, size, p, o)}`;
  return {
    [key]: items.slice(offset, offset + size),
    meta: {
      first_page_url: link(0, 0),
      key,
      next_page_url: offset + size < items.length ? link(current + 1, offset + size) : null,
      page: current,
      page_size: size,
      previous_page_url: offset > 0 ? link(Math.max(0, current - 1), Math.max(0, offset - size)) : null,
      url: link(current, offset),
    },
  };
}
