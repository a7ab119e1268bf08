// The pagination helper behind views/partials/pagination.eta: which page links to show.

export type PageItem = { kind: 'page'; number: number; href: string; current: boolean } | { kind: 'gap' };

export interface Pagination {
  page: number;
  pageCount: number;
  total: number;
  /** 1-based positions of the first and last item on this page (0 when empty). */
  from: number;
  to: number;
  prev: string | null;
  next: string | null;
  items: PageItem[];
}

/**
 * Clamps `page` into range and lists the links: first, last, and two either side of the
 * current page, with gaps between (1 … 4 5 [6] 7 8 … 20).
 */
export function paginate(total: number, requestedPage: number, pageSize: number, href: (page: number) => string): Pagination {
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, Math.trunc(requestedPage) || 1), pageCount);
  const shown = new Set([1, pageCount]);
  for (let n = page - 2; n <= page + 2; n++) if (n >= 1 && n <= pageCount) shown.add(n);
  const items: PageItem[] = [];
  let last = 0;
  for (const n of [...shown].sort((a, b) => a - b)) {
    if (n - last === 2) items.push({ kind: 'page', number: n - 1, href: href(n - 1), current: false });
    else if (n - last > 2) items.push({ kind: 'gap' });
    items.push({ kind: 'page', number: n, href: href(n), current: n === page });
    last = n;
  }
  return {
    page,
    pageCount,
    total,
    from: total === 0 ? 0 : (page - 1) * pageSize + 1,
    to: Math.min(total, page * pageSize),
    prev: page > 1 ? href(page - 1) : null,
    next: page < pageCount ? href(page + 1) : null,
    items,
  };
}

/** The items of the current page. */
export function pageSlice<T>(list: readonly T[], pagination: Pagination, pageSize: number): T[] {
  return list.slice((pagination.page - 1) * pageSize, pagination.page * pageSize);
}
