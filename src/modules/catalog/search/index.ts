// Catalogue search, as the rest of the catalogue module (and, through ../index.ts, other
// modules) uses it.
export { CatalogSearch, refreshSearchIndex, reindexAll, PAGE_SIZE as SEARCH_PAGE_SIZE, type SearchParams, type SearchResponse, type SearchResult } from './service.ts';
export { searchRoutes } from './routes.ts';
export { normalise as normaliseQuery } from './text.ts';
