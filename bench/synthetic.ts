/**
 * The synthetic observation store for the scale benchmark: N films' worth of `observations/<source>.jsonl`,
 * written exactly as `ObservationStore.save` writes them (sorted keys, lines sorted by film, kind, group and
 * URL), from a seeded PRNG — the same seed and templates give the same bytes.
 *
 * Shapes come from real observations: `templatesDir` is the observation store of a replay of the recorded
 * corpus (`bench/run.ts` makes one), and every synthetic observation is a clone of a real one of the same
 * source and kind with its film's ids, URL, title, dates and numbers changed. The mix (see `MIX`) follows what
 * a run over TMDB's catalogue would file: every film comes from TMDB (most with a full details answer, the
 * rest as a list entry), a large minority have scores from several sites, about one in ten has credit-scene
 * evidence; some films are filed under `tmdb:<n>` by TMDB and under
 * their IMDb id by everyone else until an external-ids answer links the two; a few carry conflicts (credit
 * slots, score copies, slugs, and now and then two IMDb ids claiming one TMDB id).
 *
 * Run alone: `tsx bench/synthetic.ts --films 10000 --templates <replay obs dir> --out <dir> [--seed 1]`.
 */
import { closeSync, mkdirSync, openSync, readFileSync, readdirSync, writeSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { stableStringify } from '../src/lib/json.ts';
import type { Observation } from '../src/schema/observation.ts';
import { isMain } from './child.ts';

/** Share of films with each kind of data (documented in the README's benchmark section). */
export const MIX = {
  /** Films known only by their TMDB id (no IMDb id anywhere). */
  tmdbOnly: 0.1,
  /**
   * Films with a full TMDB details answer (synopsis, genres, companies; credits, releases and keywords for
   * most); the others come from a TMDB list (title, original title, release date, score).
   */
  tmdbDetails: 0.6,
  /** Of films with both: TMDB files them under `tmdb:<n>`, the others under the IMDb id, linked by external ids. */
  linkedLater: 0.05,
  /** OMDb title answers: details, credits, ids, IMDb score, and relayed Metacritic / Rotten Tomatoes scores. */
  omdb: 0.25,
  rottentomatoes: 0.15,
  metacritic: 0.08,
  imdb: 0.05,
  wikidata: 0.1,
  /** AfterCredits feed entries (credit scenes of every kind the feed's qualifiers give). */
  aftercredits: 0.08,
  mcuapi: 0.003,
  /** IMDb crazy credits (described scenes), among films with IMDb pages. */
  imdbCrazyCredits: 0.2,
  /** A strong "no" from another source against an AfterCredits "yes". */
  creditConflict: 0.05,
  /** A relayed score far from the direct one. */
  scoreDisagreement: 0.1,
  /** A Rotten Tomatoes slug that Wikidata gives otherwise. */
  idDisagreement: 0.05,
  /** Two IMDb ids claiming one TMDB id (reported, never merged). */
  identityConflict: 0.0002,
} as const;

/** What was written. */
export interface SyntheticStore {
  films: number;
  observations: number;
  bytes: number;
  bySource: Record<string, number>;
}

type Template = Record<string, unknown>;

/** Real observations grouped by `source/kind[/group]`, plus pools of real titles, names and synopses. */
interface Templates {
  byKey: Map<string, Template[]>;
  titles: string[];
  names: string[];
  characters: string[];
  synopses: string[];
  genres: string[][];
  companies: string[][];
}

function loadTemplates(dir: string): Templates {
  const byKey = new Map<string, Template[]>();
  const titles = new Set<string>();
  const names = new Set<string>();
  const characters = new Set<string>();
  const synopses = new Set<string>();
  const genres: string[][] = [];
  const companies: string[][] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.jsonl')) continue;
    for (const line of readFileSync(path.join(dir, name), 'utf8').split('\n')) {
      if (!line) continue;
      const o = JSON.parse(line) as Template & Observation;
      const key = `${o.source}/${o.kind}${o.kind === 'score' ? `/${o.group}` : ''}`;
      byKey.set(key, [...(byKey.get(key) ?? []), o]);
      if (o.kind === 'details') {
        if (o.title) titles.add(o.title);
        if (o.synopsis) synopses.add(o.synopsis);
        if (o.genres?.length) genres.push(o.genres);
        if (o.companies?.length) companies.push(o.companies);
      }
      if (o.kind === 'credits') {
        for (const c of o.cast) {
          names.add(c.name);
          if (c.character) characters.add(c.character);
        }
        for (const d of o.directors) names.add(d);
      }
    }
  }
  const need = ['tmdb/details', 'tmdb/score/tmdb', 'aftercredits/creditScenes', 'omdb/details', 'rottentomatoes/score/rottenTomatoes'];
  for (const key of need) if (!byKey.get(key)?.length) throw new Error(`synthetic: no ${key} observation in ${dir} (is it a replay of the corpus?)`);
  return { byKey, titles: [...titles].sort(), names: [...names].sort(), characters: [...characters].sort(), synopses: [...synopses].sort(), genres, companies };
}

/** sfc32: a small, fast, well-mixed 32-bit PRNG; one stream per film so that a film is the same whenever it is generated. */
function prng(seed: number, film: number): () => number {
  let a = 0x9e3779b9 ^ seed;
  let b = 0x243f6a88 ^ Math.imul(film + 1, 0x85ebca6b);
  let c = 0xb7e15162 ^ Math.imul(film + 1, 0xc2b2ae35);
  let d = 1;
  const next = () => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}


const SCORE_OBSERVED = ['2024-02', '2025-06-01', '2026-08-19T04:12:09Z', '2026-11-02T22:01:44Z'];
const FEED_OBSERVED = ['2026-08-22', '2026-08-17'];

/** Film identity: the first draws of its stream. */
interface FilmIdentity {
  /** 7-digit IMDb ids spaced 3 apart (unique, not sequential); absent for TMDB-only films. */
  imdb?: string;
  /** TMDB ids spaced 2 apart. */
  tmdb: number;
  /** A full details answer (else a list entry). */
  fullDetails: boolean;
  /** TMDB files this film under `tmdb:<n>` (its IMDb id is linked by an external-ids answer). */
  linkedLater: boolean;
}

function identityOf(i: number, random: () => number): FilmIdentity {
  const tmdbOnly = random() < MIX.tmdbOnly;
  const imdb = tmdbOnly ? undefined : `tt${String(1_000_000 + i * 3 + Math.floor(random() * 3)).padStart(7, '0')}`;
  const tmdb = 2 + i * 2 + Math.floor(random() * 2);
  const fullDetails = random() < MIX.tmdbDetails;
  const linkedLater = Boolean(imdb && random() < MIX.linkedLater);
  return { imdb, tmdb, fullDetails, linkedLater };
}

function pick<T>(list: readonly T[], random: () => number): T {
  return list[Math.floor(random() * list.length)]!;
}

function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

/** Builds film `i` (deterministic in `seed` and `i`). */
function makeFilm(i: number, seed: number, t: Templates): Observation[] {
  const random = prng(seed, i);
  const chance = (p: number) => random() < p;
  const { imdb, tmdb, fullDetails, linkedLater } = identityOf(i, random);
  const filedUnder = imdb ?? `tmdb:${tmdb}`;
  const title = chance(0.3) ? `${pick(t.titles, random)} ${pick(['II', '2', 'Returns', 'Reloaded', 'Origins', 'Forever'], random)}` : pick(t.titles, random);
  const year = 1920 + Math.floor(random() * 107);
  const releaseDate = `${year}-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`;
  const runtime = 70 + Math.floor(random() * 130);
  const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'film';
  const rtSlug = `m/${slug}_${year}`;
  const mcSlug = `movie/${slug.replace(/_/g, '-')}-${year}`;
  const wikidata = `Q${10_000 + i * 7}`;
  const cast = Array.from({ length: 2 + Math.floor(random() * 12) }, () => ({ name: pick(t.names, random), ...(chance(0.8) && { character: pick(t.characters, random) }) }));
  const directors = [pick(t.names, random)];
  const observations: Observation[] = [];
  const tomatometer = Math.floor(random() * 101);
  const metascore = Math.floor(random() * 101);
  const imdbRating = round(1 + random() * 9, 1);

  const add = (key: string, movie: string, fields: Record<string, unknown>) => {
    const template = pick(t.byKey.get(key) ?? [], random);
    if (!template) return;
    const { ids: _ids, movie: _movie, ...rest } = template;
    observations.push({ ...rest, ...fields, movie } as unknown as Observation);
  };
  const details = (source: string, movie: string, ids: Record<string, unknown>, url: string, observedAt: string, extra: Record<string, unknown> = {}) =>
    add(`${source}/details`, movie, { ids, url, observedAt, title, year, releaseDate, runtimeMinutes: runtime, ...extra });

  {
    const movie = linkedLater ? `tmdb:${tmdb}` : filedUnder;
    const url = `https://api.themoviedb.org/3/movie/${tmdb}`;
    const observedAt = pick(SCORE_OBSERVED, random);
    const ids = { tmdb, ...(imdb && !linkedLater && fullDetails && { imdb }) };
    const votes = chance(0.05) ? null : 1 + Math.floor(random() * 30_000);
    const score = { voteAverage: votes === null ? 0 : round(random() * 10, 3), voteCount: votes };
    if (!fullDetails) {
      // A list entry (changes, upcoming, discover): what a list row carries, filed under the film's id.
      const list = 'https://api.themoviedb.org/3/movie/upcoming';
      add('tmdb/details', movie, { ids: { tmdb }, url: list, observedAt, title, originalTitle: title, year, releaseDate });
      add('tmdb/score/tmdb', movie, { ids: { tmdb }, url: list, observedAt, ...score });
      if (!linkedLater) add('tmdb/ids', movie, { ids: { tmdb }, url: list, observedAt });
    } else {
      details('tmdb', movie, ids, url, observedAt, {
        originalTitle: title,
        synopsis: pick(t.synopses, random),
        genres: pick(t.genres, random),
        companies: pick(t.companies, random),
        countries: [pick(['US', 'GB', 'FR', 'DE', 'JP', 'IN', 'KR', 'IT'], random)],
        languages: [pick(['en', 'fr', 'de', 'ja', 'hi', 'ko', 'it'], random)],
        status: 'Released',
      });
      add('tmdb/score/tmdb', movie, { ids, url, observedAt, ...score });
      if (chance(0.8)) {
        add('tmdb/credits', movie, { ids: { tmdb }, url: `${url}/credits`, observedAt, cast: cast.slice(0, 10), directors });
        add('tmdb/releases', movie, { ids: { tmdb }, url: `${url}/release_dates`, observedAt, countries: 1 + Math.floor(random() * 60), usTheatricalDate: releaseDate, usCertification: pick(['G', 'PG', 'PG-13', 'R', null], random) });
        const stinger = chance(0.08);
        const during = stinger && chance(0.6);
        add('tmdb/creditScenes', movie, {
          ids: { tmdb },
          url: `${url}/keywords`,
          observedAt,
          during,
          after: stinger && !during,
          strength: 'weak',
          scenes: [],
          detail: stinger ? `TMDB keywords: ${during ? 'duringcreditsstinger' : 'aftercreditsstinger'}` : `TMDB keywords (${1 + Math.floor(random() * 20)}) without stinger keywords`,
        });
      }
    }
    if (imdb && (fullDetails || linkedLater)) {
      // The external-ids answer: what links a film TMDB filed under tmdb:<n> to its IMDb id.
      const identity = chance(MIX.identityConflict) ? `tt${String(9_000_000 + i).padStart(7, '0')}` : imdb;
      add('tmdb/ids', movie, { ids: { tmdb, imdb: identity, ...(chance(0.5) && { wikidata }) }, url: `${url}/external_ids`, observedAt });
    }
  }
  if (imdb && chance(MIX.omdb / (1 - MIX.tmdbOnly))) {
    const url = `https://www.omdbapi.com/?i=${imdb}`;
    const observedAt = pick(SCORE_OBSERVED, random);
    details('omdb', imdb, { imdb }, url, observedAt, { contentRating: pick(['PG', 'PG-13', 'R'], random), genres: pick(t.genres, random) });
    add('omdb/credits', imdb, { ids: { imdb }, url, observedAt, cast: cast.slice(0, 4).map(({ name }) => ({ name })), directors });
    add('omdb/ids', imdb, { ids: { imdb }, url, observedAt });
    add('omdb/score/imdb', imdb, { ids: { imdb }, url, observedAt, rating: imdbRating, votes: 1 + Math.floor(random() * 900_000) });
    if (chance(0.7)) add('omdb/score/metacritic', imdb, { ids: { imdb }, url, observedAt, metascore: chance(MIX.scoreDisagreement) ? (metascore + 40) % 101 : metascore });
    if (chance(0.6)) add('omdb/score/rottenTomatoes', imdb, { ids: { imdb }, url, observedAt, tomatometer: chance(MIX.scoreDisagreement) ? (tomatometer + 30) % 101 : tomatometer });
  }
  if (imdb && chance(MIX.rottentomatoes / (1 - MIX.tmdbOnly))) {
    const url = `https://www.rottentomatoes.com/${rtSlug}`;
    const observedAt = pick(SCORE_OBSERVED, random);
    add('rottentomatoes/ids', imdb, { ids: { rottenTomatoes: rtSlug }, url, observedAt });
    const audience = chance(0.2) ? null : Math.floor(random() * 101);
    add('rottentomatoes/score/rottenTomatoes', imdb, {
      ids: { rottenTomatoes: rtSlug },
      url,
      observedAt,
      tomatometer,
      criticCount: 5 + Math.floor(random() * 400),
      audienceScore: audience,
      ...(audience !== null && chance(0.5) && { audienceCount: 1 + Math.floor(random() * 250_000) }),
    });
    if (chance(0.5)) details('rottentomatoes', imdb, { rottenTomatoes: rtSlug }, url, observedAt);
    if (chance(0.4)) add('rottentomatoes/credits', imdb, { ids: { rottenTomatoes: rtSlug }, url, observedAt, cast: cast.slice(0, 10).map(({ name }) => ({ name })), directors });
  }
  if (imdb && chance(MIX.metacritic / (1 - MIX.tmdbOnly))) {
    const url = `https://www.metacritic.com/${mcSlug}/`;
    const observedAt = pick(SCORE_OBSERVED, random);
    add('metacritic/ids', imdb, { ids: { metacritic: mcSlug }, url, observedAt });
    add('metacritic/score/metacritic', imdb, { ids: { metacritic: mcSlug }, url, observedAt, metascore: chance(0.1) ? null : metascore, ...(chance(0.6) && { userScore: round(random() * 10, 1) }) });
    details('metacritic', imdb, { metacritic: mcSlug }, url, observedAt, { synopsis: pick(t.synopses, random) });
    add('metacritic/credits', imdb, { ids: { metacritic: mcSlug }, url, observedAt, cast: cast.slice(0, 10).map(({ name }) => ({ name })), directors });
  }
  if (imdb && chance(MIX.imdb / (1 - MIX.tmdbOnly))) {
    const url = `https://www.imdb.com/title/${imdb}/`;
    const observedAt = pick(SCORE_OBSERVED, random);
    details('imdb', imdb, { imdb }, url, observedAt);
    add('imdb/ids', imdb, { ids: { imdb }, url, observedAt });
    add('imdb/score/imdb', imdb, { ids: { imdb }, url, observedAt, rating: imdbRating, votes: 1 + Math.floor(random() * 900_000) });
    if (chance(0.4)) add('imdb/score/metacritic', imdb, { ids: { imdb }, url, observedAt, metascore });
    if (chance(MIX.imdbCrazyCredits)) add('imdb/creditScenes', imdb, { ids: { imdb }, url: `${url}crazycredits`, observedAt });
  }
  if (imdb && chance(MIX.wikidata / (1 - MIX.tmdbOnly))) {
    const url = `https://www.wikidata.org/w/api.php?action=wbgetentities&ids=${wikidata}&format=json`;
    const wikidataSlug = chance(MIX.idDisagreement) ? `${rtSlug}_old` : rtSlug;
    add('wikidata/ids', imdb, { ids: { imdb, wikidata, tmdb, rottenTomatoes: wikidataSlug }, url, observedAt: '2018-06-09' });
    if (chance(0.5)) details('wikidata', imdb, { imdb, wikidata }, url, '2018-06-09', { releaseDate: null });
  }
  const feed = imdb && chance(MIX.aftercredits / (1 - MIX.tmdbOnly));
  if (imdb && feed) {
    add('aftercredits/creditScenes', imdb, { ids: { imdb }, observedAt: FEED_OBSERVED[0] });
    const claim = observations[observations.length - 1] as Observation & { during: boolean | null };
    if (claim.during === true && chance(MIX.creditConflict)) {
      add('mcuapi/creditScenes', imdb, { ids: { imdb }, observedAt: FEED_OBSERVED[1], during: false, after: false, strength: 'strong', scenes: [], detail: 'MCU API: post_credit_scenes 0' });
    }
  }
  if (imdb && !feed && chance(MIX.mcuapi / (1 - MIX.tmdbOnly))) {
    add('mcuapi/details', imdb, { ids: { imdb }, observedAt: FEED_OBSERVED[1], title, year, releaseDate, runtimeMinutes: runtime });
    add('mcuapi/credits', imdb, { ids: { imdb }, observedAt: FEED_OBSERVED[1], cast: [], directors });
    add('mcuapi/creditScenes', imdb, { ids: { imdb }, observedAt: FEED_OBSERVED[1] });
  }
  return observations;
}

/** The key an observation is filed and sorted under, as `ObservationStore.save` sorts lines. */
function sortKeyOf(o: Observation): string {
  return `${o.movie}\u0000${o.kind}\u0000${o.kind === 'score' ? o.group : ''}\u0000${o.url}`;
}

/** A buffered append-only file (one write call per ~1 MB). */
class LineFile {
  private readonly fd: number;
  private buffer: string[] = [];
  private size = 0;
  bytes = 0;
  lines = 0;
  constructor(file: string) {
    this.fd = openSync(file, 'w');
  }
  write(line: string): void {
    this.buffer.push(line, '\n');
    this.size += line.length + 1;
    this.lines++;
    if (this.size > 1 << 20) this.flush();
  }
  private flush(): void {
    if (this.size === 0) return;
    this.bytes += writeSync(this.fd, Buffer.from(this.buffer.join('')));
    this.buffer = [];
    this.size = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

/**
 * Writes the observation files of `films` synthetic films into `outDir` (created; files replaced). Films are
 * visited in the order of the keys they are filed under, so each file comes out sorted without holding it.
 */
export function generateStore(options: { films: number; templatesDir: string; outDir: string; seed?: number }): SyntheticStore {
  const seed = options.seed ?? 1;
  const templates = loadTemplates(options.templatesDir);
  mkdirSync(options.outDir, { recursive: true });
  // Every key a film is filed under, sorted as the files are; a film linked later has two.
  const keys: { key: string; film: number }[] = [];
  for (let i = 0; i < options.films; i++) {
    const { imdb, tmdb, linkedLater } = identityOf(i, prng(seed, i));
    keys.push({ key: imdb ?? `tmdb:${tmdb}`, film: i });
    if (linkedLater) keys.push({ key: `tmdb:${tmdb}`, film: i });
  }
  keys.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const files = new Map<string, LineFile>();
  const fileOf = (source: string) => {
    let f = files.get(source);
    if (!f) files.set(source, (f = new LineFile(path.join(options.outDir, `${source}.jsonl`))));
    return f;
  };
  for (const { key, film: index } of keys) {
    const lines = makeFilm(index, seed, templates)
      .filter((o) => o.movie === key)
      .map((o) => ({ source: o.source, sortKey: sortKeyOf(o), text: stableStringify(o) }))
      .sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
    for (const line of lines) fileOf(line.source).write(line.text);
  }
  const bySource: Record<string, number> = {};
  let observations = 0;
  let bytes = 0;
  for (const [source, file] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    file.close();
    bySource[source] = file.lines;
    observations += file.lines;
    bytes += file.bytes;
  }
  return { films: options.films, observations, bytes, bySource };
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({ options: { films: { type: 'string' }, templates: { type: 'string' }, out: { type: 'string' }, seed: { type: 'string', default: '1' } } });
  if (!values.films || !values.templates || !values.out) {
    process.stderr.write('usage: tsx bench/synthetic.ts --films N --templates <replay observations dir> --out <dir> [--seed n]\n');
    process.exit(2);
  }
  const result = generateStore({ films: Number(values.films), templatesDir: values.templates, outDir: values.out, seed: Number(values.seed) });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
