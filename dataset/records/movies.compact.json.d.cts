// stingerdb-records — generated package file; do not edit. The type of `import films from 'stingerdb-records/movies.compact.json' with { type: 'json' }`.
import type { CompactMovie } from './index.cjs';

/** Every film in compact form (verdict and scores), sorted by id. */
declare const films: CompactMovie[];
export = films;
