/** The same lookups as the named exports, as one object (the ESM default export). */
declare const stingerdb: {
  getMovie: typeof getMovie;
  findByTmdbId: typeof findByTmdbId;
  creditScenes: typeof creditScenes;
  search: typeof search;
  all: typeof all;
  info: typeof info;
  scores: typeof scores;
  fold: typeof fold;
};
export default stingerdb;
