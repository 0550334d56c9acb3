// stingerdb-records — generated package file; do not edit. The type of `import movies from 'stingerdb-records/movies.json' with { type: 'json' }`.
import type { Movie } from './index.cjs';

/** Every record, sorted by id. */
declare const movies: Movie[];
export = movies;
