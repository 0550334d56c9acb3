// stingerdb — types of the entry for browsers, bundlers and edge runtimes. Generated package file; do not edit.
// TypeScript picks them for `stingerdb/browser`, or for `stingerdb` with `customConditions: ["browser"]`.
import type { CreditAnswer, DatasetInfo, MovieAnswer, ScoreInfo, SearchOptions } from './index.js';

export type { CreditAnswer, DatasetInfo, MovieAnswer, ScoreInfo, SearchOptions, SlotAnswer } from './index.js';

/** Where the files are read from, and with which fetch (default: the runtime's). */
export interface OpenOptions {
  fetch?: (input: URL, init?: { headers?: Record<string, string> }) => Promise<Response>;
}

/** The lookups of the Node entry, async: each reads by fetch only what it needs (one film: one Range request). */
export interface Lookups {
  getMovie(id: string): Promise<MovieAnswer | undefined>;
  findByTmdbId(tmdbId: number): Promise<MovieAnswer | undefined>;
  creditScenes(id: string): Promise<CreditAnswer | undefined>;
  search(text: string, options?: SearchOptions | null): Promise<MovieAnswer[]>;
  info(): Promise<DatasetInfo>;
  scores(): Promise<readonly ScoreInfo[]>;
  fold(text: string): string;
}

/** The lookups over the package's files at `baseUrl` (a versioned CDN folder, or where a site serves them). */
export declare function open(baseUrl: string | URL, options?: OpenOptions): Lookups;
/** Where the top-level lookups below read from (default: the folder this module was loaded from). */
export declare function configure(options: OpenOptions & { baseUrl: string | URL }): void;
export declare function getMovie(id: string): Promise<MovieAnswer | undefined>;
export declare function findByTmdbId(tmdbId: number): Promise<MovieAnswer | undefined>;
export declare function creditScenes(id: string): Promise<CreditAnswer | undefined>;
export declare function search(text: string, options?: SearchOptions | null): Promise<MovieAnswer[]>;
export declare function info(): Promise<DatasetInfo>;
export declare function scores(): Promise<readonly ScoreInfo[]>;
/** A title folded the way `search` folds it. */
export declare function fold(text: string): string;
