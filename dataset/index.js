// stingerdb — ESM entry. Generated package file; the implementation is index.cjs (one copy, one cache).
import reader from './index.cjs';

export const { getMovie, findByTmdbId, creditScenes, search, all, info, scores, fold } = reader;
export default reader;
