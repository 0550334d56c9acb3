/**
 * The answer for every film: per credit slot, "yes", "no" or "unknown", with P(a scene plays there), what it
 * rests on (`basis`) and one sentence saying why (README "The answer"). `creditScenes.during`/`after` stay what
 * sources reported; this reads the same evidence plus what the sources did *not* say.
 *
 * One documented model, every number in it measured (`AnswerModel`, fitted by `src/eval/fit.ts` and shipped in
 * `answer-model.ts`; `npm run fit:credits` re-fits it and prints where each number comes from):
 *
 * 1. The AfterCredits listing puts each slot in a class (`slotClass`): its parser's reading of the slot
 *    (`SlotReading`) and the film's year —
 *    `single` (tagged alone, with a scene), `both` (the "Both During & After Credits" tag: each half holds less
 *    often), `nonscene` (tagged, but a sound, stills or a card may be all that plays), `old` (a film from before
 *    2000: the site's retrospective posts on old films held for 1 of 4 hand-checked slots), `silent` (the other
 *    slot tagged only), `untagged` (listed without saying where), `unlisted` (never listed). Each class has its
 *    measured P(scene) per slot. For an unlisted film, P comes from the list's recall: among well-known films of
 *    the film's release-year band, the scenes the list did not catch, over the films it did not list.
 * 2. A strong claim of the MCU API (per-scene records) outweighs AfterCredits: P = its measured agreement.
 * 3. TMDB's keywords, where the film has a keyword list, multiply the odds by a measured likelihood ratio (a
 *    keyword present, or a list without it), measured among films the list placed alike (`KeywordGroup`: its
 *    tags are copied in part from the list); an absence never takes a reported "yes" below 0.5.
 * 4. An IMDb crazy-credits scene is a report of its own (weight 0.85, not measurable on the corpus).
 * 5. answer = "yes" at P ≥ thresholds.yes, "no" at P ≤ thresholds.no, else "unknown".
 *
 * basis: `reported` when a source's claim about the slot decides it (a class the list tagged, an MCU API or
 * TMDB or IMDb claim), `inferred` when it comes from what sources did not say, `none` when nothing is known —
 * a film no source reports on that is not a well-known film (the recall is measured on well-known films only),
 * or one too recent for the lists to have caught up (`LISTING_LAG_DAYS`): its probability is null. A reported
 * verdict is never overturned by inference.
 */
import type { ScenePosition, SlotAnswer, SlotReading, SlotReadings } from '../schema/movie.ts';
import type { Observation } from '../schema/observation.ts';
import { newestObservedAt } from '../lib/dates.ts';
import { currentClaims } from './credits.ts';

export { POSITIONS } from './credits.ts';

/** The class of a slot (see the module notes). */
export type SlotClass = 'single' | 'both' | 'nonscene' | 'old' | 'silent' | 'untagged' | 'unlisted';
/** The classes of a listed film, each with a measured P(scene) per slot. */
export const LISTED_CLASSES = ['single', 'both', 'nonscene', 'old', 'silent', 'untagged'] as const;
export type ListedClass = (typeof LISTED_CLASSES)[number];
/** Classes where the list's claim about the slot itself decides: a report. */
export const REPORTED_CLASSES: ReadonlySet<SlotClass> = new Set(['single', 'both', 'nonscene', 'old']);

/** Films released before this year are the list's retrospective posts (class `old`). */
export const OLD_BEFORE = 2000;

/** Release-year bands of the unlisted prior. */
export const YEAR_BANDS = ['before 2000', '2000-2009', '2010-2014', '2015-2019', '2020 on', 'year unknown'] as const;
export type YearBand = (typeof YEAR_BANDS)[number];

/** A film is given no inferred answer until this many days after its release: the lists catch up within days. */
export const LISTING_LAG_DAYS = 14;

/** The weight of an IMDb crazy-credits scene (not measurable: the corpus holds one such page). */
export const IMDB_REPORT_P = 0.85;

export function yearBand(year: number | null): YearBand {
  if (year === null) return 'year unknown';
  if (year < 2000) return 'before 2000';
  if (year <= 2009) return '2000-2009';
  if (year <= 2014) return '2010-2014';
  if (year <= 2019) return '2015-2019';
  return '2020 on';
}

/** The class of one slot, from the list's reading of it (null: the film was never listed) and the film's year. */
export function slotClass(reading: SlotReading | null, year: number | null): SlotClass {
  if (reading === null) return 'unlisted';
  if (reading === 'unplaced') return 'untagged';
  if (reading === 'not-mentioned') return 'silent';
  if (year !== null && year < OLD_BEFORE) return 'old';
  if (reading === 'non-scene') return 'nonscene';
  return reading === 'scene-of-both' ? 'both' : 'single';
}

/**
 * The groups TMDB's keyword likelihood ratios are measured in: `listed` — the list reports the slot (classes
 * single, both, nonscene, old); `other` — it does not (silent, untagged, unlisted).
 */
export const KEYWORD_GROUPS = ['listed', 'other'] as const;
export type KeywordGroup = (typeof KEYWORD_GROUPS)[number];

export function keywordGroup(cls: SlotClass): KeywordGroup {
  return REPORTED_CLASSES.has(cls) ? 'listed' : 'other';
}

/** A keyword's likelihood ratios, with the hand-checked counts they come from (tp: keyword and a scene, …). */
export interface KeywordRatio {
  lrPresent: number;
  lrAbsent: number;
  tp: number;
  fn: number;
  fp: number;
  tn: number;
}

/** k of n: a count behind a measured rate. */
export interface Rate {
  k: number;
  n: number;
}

/** Every number the answers use, with the counts it was measured from (`src/eval/fit.ts`). */
export interface AnswerModel {
  /** What it was fitted on, in words (shown by `fit:credits` and the README). */
  fittedOn: string;
  /** Prior weight, in hand-checked films, of a class's TMDB-keyword rate. */
  alpha: number;
  /** P(scene) per slot and class: (hand.k + alpha·prior) / (hand.n + alpha). */
  classes: Record<ScenePosition, Record<ListedClass, { p: number; hand: Rate; tmdb: Rate; prior: number }>>;
  /** P(the list names the film | a scene in the slot): its recall, on hand-checked and TMDB-keyword positives. */
  recall: Record<ScenePosition, Rate>;
  /** P(scene | unlisted) per slot and year band, over well-known films (`films` of them, `listed` listed). */
  unlisted: Record<ScenePosition, Record<YearBand, { p: number; films: number; listed: number }>>;
  /** P(an MCU API strong claim holds), from its agreement with checked slots. */
  mcu: { p: number; agreed: Rate };
  /**
   * TMDB keyword likelihood ratios per slot and `KeywordGroup`, from hand-checked films with a keyword list in
   * that group: TMDB's crowd tags are copied in part from the list, so what a keyword adds is measured among
   * films the list already placed alike, not over all films (where it would count the list's evidence twice).
   */
  tmdb: Record<ScenePosition, Record<KeywordGroup, KeywordRatio>>;
  /** answer = yes at P ≥ yes, no at P ≤ no. */
  thresholds: { yes: number; no: number };
}

/** What the answers read of one film. */
export interface AnswerFacts {
  year: number | null;
  releaseDate: string | null;
  /** The list's (AfterCredits') newest observation of the film; null: never listed. */
  listing: { reading: SlotReadings; tags: string[] } | null;
  /** The MCU API's strong claims (null: no record). */
  mcu: Record<ScenePosition, boolean | null> | null;
  /** TMDB's keywords: true = the slot's keyword, false = a keyword list without it; null: no keyword list. */
  tmdb: Record<ScenePosition, boolean | null> | null;
  /** An IMDb crazy-credits report of a scene per slot (null: none). */
  imdb: Record<ScenePosition, boolean | null> | null;
  /** A film the list's recall is measured for: on the watchlist, or as widely seen as the measured films. */
  wellKnown: boolean;
  /** The day the answers are given (ISO date); null: no recency test. */
  asOf: string | null;
}

/** The AfterCredits source id: the list whose classes the model measures. */
const LIST_SOURCE = 'aftercredits';

/** TMDB films with at least this many votes are "well known" like the measured population (its smallest count). */
export const WELL_KNOWN_TMDB_VOTES = 1612;

/** The facts of a film, from its observations (the newest of each source) and its merged details. */
export function answerFacts(
  observations: readonly Observation[],
  film: { year: number | null; releaseDate: string | null; onWatchlist: boolean; tmdbVotes: number | null },
  asOf: string | null,
): AnswerFacts {
  const newest = new Map(currentClaims(observations).map((o) => [o.source, o]));
  const listed = newest.get(LIST_SOURCE);
  const mcu = newest.get('mcuapi');
  const tmdb = newest.get('tmdb');
  const imdb = newest.get('imdb');
  const claims = (o: typeof mcu) => (o ? { during: o.during, after: o.after } : null);
  return {
    year: film.year,
    releaseDate: film.releaseDate,
    listing: listed ? { reading: listed.reading ?? { during: 'unplaced', after: 'unplaced' }, tags: tagsOf(listed.detail) } : null,
    mcu: mcu && mcu.strength === 'strong' ? claims(mcu) : null,
    tmdb: tmdb && (tmdb.during !== null || tmdb.after !== null) ? claims(tmdb) : null,
    imdb: claims(imdb),
    wellKnown: film.onWatchlist || (film.tmdbVotes ?? 0) >= WELL_KNOWN_TMDB_VOTES,
    asOf,
  };
}

/** The tags of an AfterCredits detail ("AfterCredits tags: A, B"). */
function tagsOf(detail: string | undefined): string[] {
  const m = /^AfterCredits tags: (.*)$/.exec(detail ?? '');
  return m ? m[1]!.split(', ').filter((t) => t !== '') : [];
}

/** How one slot's probability was reached (for the sentence). */
interface Reached {
  p: number | null;
  basis: SlotAnswer['basis'];
  cls: SlotClass;
  /** Who decided: the list, the MCU API, TMDB (first to report it), IMDb. */
  by: 'list' | 'mcuapi' | 'tmdb' | 'imdb' | 'none';
  /** TMDB's keywords moved it: agreeing, not tagging it. */
  tmdbNote: 'agrees' | 'silent' | null;
  /** Why there is nothing to infer from (basis none). */
  noneReason?: 'unknown-film' | 'recent' | 'unreleased';
  /** P before TMDB's keywords (what the class or the MCU API gave). */
  before: number | null;
}

/** Days from `from` to `to` (ISO dates). */
function daysBetween(from: string, to: string): number {
  return (Date.parse(`${to.slice(0, 10)}T00:00:00Z`) - Date.parse(`${from.slice(0, 10)}T00:00:00Z`)) / 86_400_000;
}

/** Why an unlisted film with no report gets no inferred answer, if it does not. */
function nothingToInferFrom(facts: AnswerFacts): Reached['noneReason'] {
  if (!facts.wellKnown) return 'unknown-film';
  if (facts.asOf === null) return undefined;
  if (facts.releaseDate) {
    const days = daysBetween(facts.releaseDate, facts.asOf);
    return days < 0 ? 'unreleased' : days < LISTING_LAG_DAYS ? 'recent' : undefined;
  }
  const thisYear = Number(facts.asOf.slice(0, 4));
  if (facts.year === null) return undefined;
  return facts.year > thisYear ? 'unreleased' : facts.year === thisYear ? 'recent' : undefined;
}

function reach(facts: AnswerFacts, slot: ScenePosition, model: AnswerModel): Reached {
  const cls = slotClass(facts.listing ? facts.listing.reading[slot] : null, facts.year);
  const prior = model.unlisted[slot][yearBand(facts.year)].p;
  let p: number | null;
  let basis: SlotAnswer['basis'];
  let by: Reached['by'] = 'list';
  let noneReason: Reached['noneReason'];
  if (cls === 'unlisted') {
    noneReason = nothingToInferFrom(facts);
    [p, basis, by] = noneReason ? [null, 'none', 'none'] : [prior, 'inferred', 'list'];
  } else {
    p = model.classes[slot][cls].p;
    basis = REPORTED_CLASSES.has(cls) ? 'reported' : 'inferred';
  }
  const mcu = facts.mcu?.[slot] ?? null;
  if (mcu !== null) {
    const pm = mcu ? model.mcu.p : 1 - model.mcu.p;
    p = basis === 'reported' && p !== null && p >= 0.5 === mcu ? (mcu ? Math.max(p, pm) : Math.min(p, pm)) : pm;
    [basis, by, noneReason] = ['reported', 'mcuapi', undefined];
  }
  if (facts.imdb?.[slot] === true && !(basis === 'reported' && p !== null && p >= IMDB_REPORT_P)) {
    p = Math.max(p ?? 0, IMDB_REPORT_P);
    [basis, by, noneReason] = ['reported', 'imdb', undefined];
  }
  const before = p;
  let tmdbNote: Reached['tmdbNote'] = null;
  const keyword = facts.tmdb?.[slot] ?? null;
  // A keyword list without the keyword says something only where there is a prior to lower (not for basis none).
  if (keyword === true || (keyword === false && p !== null)) {
    const start = Math.min(Math.max(p ?? prior, 1e-4), 1 - 1e-4);
    const ratio = model.tmdb[slot][keywordGroup(cls)];
    const odds = (start / (1 - start)) * (keyword ? ratio.lrPresent : ratio.lrAbsent);
    let q = odds / (1 + odds);
    const reportedYes = basis === 'reported' && p !== null && p >= 0.5;
    if (!keyword && reportedYes) q = Math.max(q, 0.5); // a report is never overturned by an absence
    if (keyword && !reportedYes) [basis, by, noneReason] = ['reported', 'tmdb', undefined];
    else tmdbNote = keyword ? 'agrees' : 'silent';
    p = q;
  }
  return { p: p === null ? null : Math.round(p * 1000) / 1000, basis, cls, by, tmdbNote, ...(noneReason && { noneReason }), before };
}

/**
 * The answer for one slot. `verdict`: the reported verdict on it (`creditScenes.during`/`after`), which the
 * answer never contradicts — a slot reported true is never answered "no", one reported false never "yes" (a
 * report measured to hold less often, like a listing of a film from before 2000, is answered "unknown").
 */
export function answerSlot(facts: AnswerFacts, slot: ScenePosition, model: AnswerModel, verdict: boolean | null = null): SlotAnswer {
  const r = reach(facts, slot, model);
  let answer: SlotAnswer['answer'] = r.p === null ? 'unknown' : r.p >= model.thresholds.yes ? 'yes' : r.p <= model.thresholds.no ? 'no' : 'unknown';
  if ((verdict === true && answer === 'no') || (verdict === false && answer === 'yes')) answer = 'unknown';
  const basis = verdict !== null && r.basis !== 'reported' ? 'reported' : r.basis;
  return { answer, probability: r.p, basis, why: whySentence(r, facts, slot, model) };
}

/** The answers for both slots (`verdicts`: the reported ones, see `answerSlot`). */
export function answerSlots(facts: AnswerFacts, model: AnswerModel, verdicts?: Record<ScenePosition, boolean | null>): Record<ScenePosition, SlotAnswer> {
  return { during: answerSlot(facts, 'during', model, verdicts?.during ?? null), after: answerSlot(facts, 'after', model, verdicts?.after ?? null) };
}

/**
 * A film's answers from its observations and merged details, as the build gives them: as of the newest thing
 * heard of the film (not the clock: the same observations give the same record) — what "too recent for the
 * lists" is measured against; "well known" when it is on the watchlist or has as many TMDB votes as the
 * measured films.
 */
export function filmAnswers(
  observations: readonly Observation[],
  details: { year?: number | null; releaseDate?: string | null; tmdbVotes?: number | null },
  model: AnswerModel,
  verdicts?: Record<ScenePosition, boolean | null>,
): Record<ScenePosition, SlotAnswer> {
  const facts = answerFacts(
    observations,
    { year: details.year ?? null, releaseDate: details.releaseDate ?? null, onWatchlist: observations.some((o) => o.source === 'watchlist'), tmdbVotes: details.tmdbVotes ?? null },
    newestObservedAt(observations.map((o) => o.observedAt))?.slice(0, 10) ?? null,
  );
  return answerSlots(facts, model, verdicts);
}

// ---------------------------------------------------------------------------------------------------------
// The sentence

const WHERE: Record<ScenePosition, string> = { during: 'during the credits', after: 'after the credits' };
const OTHER: Record<ScenePosition, string> = { during: 'after the credits', after: 'during the credits' };
/** The list's tags worth naming in a sentence (its polls and post media say nothing of the film). */
const SHOWN_TAGS = new Set([
  'During Credits',
  'After Credits',
  'Both During & After Credits',
  'Bonus Scene',
  'Sequel Setup',
  'Musical',
  'Fourth Wall',
  'Blooper',
  'Outtake',
  'Audio',
  'Still Images',
  'Dedications/In Memoriam',
  'Humorous Credit',
  'Sunset Credit',
]);
const NON_SCENE_TAGS = ['Audio', 'Still Images', 'Dedications/In Memoriam', 'Humorous Credit', 'Sunset Credit'];
const BAND_WORDS: Record<YearBand, string> = {
  'before 2000': 'from before 2000',
  '2000-2009': 'of 2000–2009',
  '2010-2014': 'of 2010–2014',
  '2015-2019': 'of 2015–2019',
  '2020 on': 'from 2020 on',
  'year unknown': '',
};

/** 0.93 → "93 in 100"; extremes as "fewer than 1 in 100" / "more than 99 in 100". */
export function inHundred(p: number): string {
  if (p < 0.01) return 'fewer than 1 in 100';
  if (p > 0.99) return 'more than 99 in 100';
  return `${Math.round(100 * p)} in 100`;
}

function tagList(tags: readonly string[]): string {
  const shown = tags.filter((t) => SHOWN_TAGS.has(t));
  return shown.length ? shown.map((t) => `“${t}”`).join(', ') : 'no tags';
}

function percent(p: number): string {
  const v = 100 * p;
  return v < 10 ? `${v.toFixed(1)}%` : `${Math.round(v)}%`;
}

function whySentence(r: Reached, facts: AnswerFacts, slot: ScenePosition, model: AnswerModel): string {
  const base = baseSentence(r, facts, slot, model);
  if (r.tmdbNote === null || r.p === null) return base;
  const together = `together ${inHundred(r.p)}`;
  return `${base.slice(0, -1)}; TMDB's keywords ${r.tmdbNote === 'agrees' ? 'agree' : 'do not tag it'} (${together}).`;
}

function baseSentence(r: Reached, facts: AnswerFacts, slot: ScenePosition, model: AnswerModel): string {
  const where = WHERE[slot];
  const p = r.before ?? r.p ?? 0;
  const tags = facts.listing?.tags ?? [];
  switch (r.by) {
    case 'mcuapi':
      return `The MCU API's scene records place ${p >= 0.5 ? 'a scene' : 'no scene'} ${where} (they held for ${model.mcu.agreed.k} of the ${model.mcu.agreed.n} checked slots).`;
    case 'imdb':
      return `IMDb's crazy credits describe a scene ${where}.`;
    case 'tmdb':
      return `TMDB's keywords tag a scene ${where}, where ${r.cls === 'unlisted' ? 'AfterCredits does not list the film' : 'AfterCredits does not'} (${inHundred(r.p ?? 0)}).`;
    case 'none':
      if (r.noneReason === 'unreleased') return `Not released yet${facts.releaseDate ? ` (${facts.releaseDate})` : ''}: nothing can be said before it is.`;
      if (r.noneReason === 'recent') return `Released ${facts.releaseDate ? `on ${facts.releaseDate}` : `in ${facts.year}`}: too recent for the lists of credit scenes to have caught up yet.`;
      // Short: most films of a large catalogue get this one (basis none: README "The answer" says the rest).
      return 'No source reports on its credits, and it is not well known.';
    case 'list':
      break;
  }
  switch (r.cls) {
    case 'single':
      return `AfterCredits tags it ${tagList(tags)}; a single slot tag like this held for ${inHundred(p)} checked films.`;
    case 'both':
      return `AfterCredits tags it “Both During & After Credits”; the ${slot} half of that tag held for ${inHundred(p)} checked films.`;
    case 'nonscene': {
      const items = tags.filter((t) => NON_SCENE_TAGS.includes(t));
      return `AfterCredits tags this slot with ${items.length ? items.map((t) => `“${t}”`).join(', ') : 'non-scene items'}: a sound, stills or a card may be all that plays (a real scene in ${inHundred(p)} checked films).`;
    }
    case 'old':
      return `AfterCredits lists this ${facts.year} film (${tagList(tags)}), but its listings of films from before ${OLD_BEFORE} held for only ${inHundred(p)} checked ones.`;
    case 'silent':
      return `AfterCredits lists a scene ${OTHER[slot]} only; ${inHundred(p)} such films also have one ${where}.`;
    case 'untagged':
      return `AfterCredits lists it (${tagList(tags)}) without saying where anything plays.`;
    case 'unlisted': {
      const recall = model.recall[slot];
      const band = BAND_WORDS[yearBand(facts.year)];
      return `Not listed by AfterCredits, which lists ${inHundred(recall.k / recall.n)} films with a scene ${where}; for a well-known film${band ? ` ${band}` : ''} that leaves a ${percent(p)} chance.`;
    }
  }
}
