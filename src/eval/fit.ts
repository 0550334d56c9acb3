/**
 * Fits the answer model (`src/normalize/answers.ts`): every number it uses, measured on labelled films, with the
 * counts behind it. Pure: the inputs are read by `fit-data.ts`; `fitModel` can leave films out, which is how
 * the evaluation cross-validates (a film is never answered by a model fitted on it).
 *
 * Labels:
 * - hand-checked: the truth file (`../shared/truth/credit-truth-dev.csv`: strict contract, cited evidence) and
 *   the MCU API's strong claims (per-scene records by one maintainer); the truth file wins where both judge;
 * - TMDB keywords (three snapshots, 2017–2023, `../shared/datasets/derived/`): "yes" where a snapshot tags the
 *   slot, "no" where one tags only the other slot; a slot the MCU API contradicts is not judged. Crowd tags
 *   copied in part from the very list being measured, so they only set a class's prior (`alpha`), and they
 *   have no film without a scene, so they never measure a "no" for an unlisted film.
 *
 * Per slot and class: P = (hand yes + alpha·m) / (hand judged + alpha), m = the class's TMDB rate ((k+1)/(n+2))
 * for the classes TMDB can judge and that it judges ≥ 10 times, else 0.5. The list's recall r = listed / all of
 * the positives of both label sets. Unlisted, per year band, over the well-known population (the 2,630 most
 * voted TMDB films to 2023-08): P = Σ_classes share·P_class / r · (1 − r) / share unlisted — the scenes the list
 * missed among the films it did not list. MCU API: (agreeing + 1) / (checked + 2) over the slots TMDB's keywords
 * or the truth file judge (3 TMDB errors adjudicated in `credits.ts` count as agreeing). TMDB likelihood ratios:
 * recall / false-positive rate of its keywords on hand-checked films with a keyword list (+0.5 smoothing), per
 * slot and `KeywordGroup` (the list reports the slot, or not): measured over all films at once, a keyword's
 * ratio would mostly repeat what the listing already says.
 */
import type { ScenePosition, SlotReadings } from '../schema/movie.ts';
import {
  KEYWORD_GROUPS,
  LISTED_CLASSES,
  POSITIONS,
  YEAR_BANDS,
  keywordGroup,
  slotClass,
  yearBand,
  type AnswerModel,
  type KeywordGroup,
  type ListedClass,
  type Rate,
  type SlotClass,
  type YearBand,
} from '../normalize/answers.ts';

type Slots<T> = Record<ScenePosition, T>;

/** One labelled film: a value per slot, null = not judged. */
export type Label = Slots<boolean | null>;

/** Everything the fit reads. */
export interface FitInputs {
  /** The hand-checked truth file's films. */
  truth: ReadonlyMap<string, Label & { year: number | null }>;
  /** The list's (AfterCredits') newest reading of every film it ever listed. */
  listings: ReadonlyMap<string, SlotReadings>;
  /** The MCU API's strong claims. */
  mcu: ReadonlyMap<string, Label>;
  /** TMDB keyword snapshots, films with a keyword list: whether any snapshot tags each slot. */
  keywords: ReadonlyMap<string, Slots<boolean>>;
  /** Release years known from the datasets and the records. */
  years: ReadonlyMap<string, number>;
  /** The well-known population (IMDb ids), with their years. */
  population: readonly string[];
}

/** Fit options: films to leave out, the prior's weight, the thresholds to ship. */
export interface FitOptions {
  exclude?: ReadonlySet<string>;
  alpha?: number;
  thresholds: AnswerModel['thresholds'];
}

export const ALPHA = 8;
/** Classes the TMDB keyword truth can judge (for the others its keywords are copied from the list, or absent). */
const TMDB_INFORMATIVE: ReadonlySet<ListedClass> = new Set(['single', 'both', 'silent', 'untagged']);
/** The three slots where TMDB's keywords and the MCU API disagree, adjudicated as TMDB's errors (`credits.ts`). */
const TMDB_ERRORS_VS_MCU = new Set(['tt2250912 during', 'tt9032400 during', 'tt10872600 after']);

/** TMDB's keywords as a truth: yes where tagged, no where only the other slot is; the MCU API vetoes. */
export function keywordTruth(keywords: ReadonlyMap<string, Slots<boolean>>, mcu: ReadonlyMap<string, Label>): Map<string, Label> {
  const truth = new Map<string, Label>();
  for (const [imdb, k] of keywords) {
    if (!k.during && !k.after) continue;
    const label: Label = { during: k.during, after: k.after };
    const veto = mcu.get(imdb);
    for (const s of POSITIONS) if (veto && veto[s] !== null && veto[s] !== label[s]) label[s] = null;
    if (label.during !== null || label.after !== null) truth.set(imdb, label);
  }
  return truth;
}

/** The hand-checked labels: the MCU API's strong claims, then the truth file's (which win). */
export function handLabels(inputs: FitInputs, exclude: ReadonlySet<string> = new Set()): Map<string, Label> {
  const labels = new Map<string, Label>();
  for (const [imdb, claim] of inputs.mcu) if (!exclude.has(imdb)) labels.set(imdb, claim);
  for (const [imdb, row] of inputs.truth) if (!exclude.has(imdb)) labels.set(imdb, { during: row.during, after: row.after });
  return labels;
}

/** A film's year: the truth file's, else the datasets' and records'. */
export function yearOf(inputs: FitInputs, imdb: string): number | null {
  return inputs.truth.get(imdb)?.year ?? inputs.years.get(imdb) ?? null;
}

function classOf(inputs: FitInputs, imdb: string, slot: ScenePosition): SlotClass {
  return slotClass(inputs.listings.get(imdb)?.[slot] ?? null, yearOf(inputs, imdb));
}

/** Every parameter of the answer model, measured on the films not in `exclude`. */
export function fitModel(inputs: FitInputs, options: FitOptions): AnswerModel {
  const exclude = options.exclude ?? new Set<string>();
  const alpha = options.alpha ?? ALPHA;
  const hand = handLabels(inputs, exclude);
  const keywordLabels = new Map([...keywordTruth(inputs.keywords, inputs.mcu)].filter(([imdb]) => !exclude.has(imdb)));

  const count = () => ({ handYes: 0, handNo: 0, tmdbYes: 0, tmdbNo: 0 });
  const counts = Object.fromEntries(POSITIONS.map((s) => [s, Object.fromEntries(LISTED_CLASSES.map((c) => [c, count()]))])) as Slots<Record<ListedClass, ReturnType<typeof count>>>;
  for (const [set, labels] of [['hand', hand], ['tmdb', keywordLabels]] as const) {
    for (const [imdb, label] of labels) {
      for (const s of POSITIONS) {
        const value = label[s];
        const cls = classOf(inputs, imdb, s);
        if (value === null || cls === 'unlisted') continue;
        counts[s][cls][`${set}${value ? 'Yes' : 'No'}`]++;
      }
    }
  }
  const classes = {} as AnswerModel['classes'];
  for (const s of POSITIONS) {
    classes[s] = {} as AnswerModel['classes'][ScenePosition];
    for (const c of LISTED_CLASSES) {
      const k = counts[s][c];
      const handRate = { k: k.handYes, n: k.handYes + k.handNo };
      const tmdbRate = { k: k.tmdbYes, n: k.tmdbYes + k.tmdbNo };
      const prior = TMDB_INFORMATIVE.has(c) && tmdbRate.n >= 10 ? (tmdbRate.k + 1) / (tmdbRate.n + 2) : 0.5;
      classes[s][c] = { p: (handRate.k + alpha * prior) / (handRate.n + alpha), hand: handRate, tmdb: tmdbRate, prior };
    }
  }

  const recall = {} as Slots<Rate>;
  for (const s of POSITIONS) {
    const positives = new Set([...keywordLabels, ...hand].filter(([, l]) => l[s] === true).map(([imdb]) => imdb));
    recall[s] = { k: [...positives].filter((imdb) => inputs.listings.has(imdb)).length, n: positives.size };
  }

  const unlisted = {} as AnswerModel['unlisted'];
  const population = inputs.population.filter((imdb) => !exclude.has(imdb));
  for (const s of POSITIONS) {
    const r = recall[s].k / recall[s].n;
    unlisted[s] = {} as AnswerModel['unlisted'][ScenePosition];
    for (const band of YEAR_BANDS) {
      const films = band === 'year unknown' ? population : population.filter((imdb) => yearBand(yearOf(inputs, imdb)) === band);
      let listedScene = 0;
      let notListed = 0;
      for (const imdb of films) {
        const cls = classOf(inputs, imdb, s);
        if (cls === 'unlisted') notListed++;
        else listedScene += classes[s][cls].p;
      }
      const n = films.length;
      // P(listed and a scene) / r = P(a scene); its (1 − r) share is the scenes among the unlisted films.
      const p = n === 0 || notListed === 0 ? 0.5 : ((listedScene / n / r) * (1 - r)) / (notListed / n);
      unlisted[s][band as YearBand] = { p, films: n, listed: n - notListed };
    }
  }

  let agreed = 0;
  let checked = 0;
  for (const [imdb, claim] of inputs.mcu) {
    if (exclude.has(imdb)) continue;
    const k = inputs.keywords.get(imdb);
    for (const s of POSITIONS) {
      const other = s === 'during' ? 'after' : 'during';
      const references: boolean[] = [];
      if (k && (k[s] || k[other])) references.push(k[s]);
      const truthValue = inputs.truth.get(imdb)?.[s];
      if (truthValue !== undefined && truthValue !== null) references.push(truthValue);
      for (const reference of references) {
        checked++;
        if (reference === claim[s] || TMDB_ERRORS_VS_MCU.has(`${imdb} ${s}`)) agreed++;
      }
    }
  }

  const tmdb = {} as AnswerModel['tmdb'];
  for (const s of POSITIONS) {
    const cells = Object.fromEntries(KEYWORD_GROUPS.map((g) => [g, { tp: 0, fn: 0, fp: 0, tn: 0 }])) as Record<KeywordGroup, { tp: number; fn: number; fp: number; tn: number }>;
    for (const [imdb, label] of hand) {
      const k = inputs.keywords.get(imdb);
      if (!k || label[s] === null) continue;
      const c = cells[keywordGroup(classOf(inputs, imdb, s))];
      if (label[s]) k[s] ? c.tp++ : c.fn++;
      else k[s] ? c.fp++ : c.tn++;
    }
    tmdb[s] = {} as AnswerModel['tmdb'][ScenePosition];
    for (const g of KEYWORD_GROUPS) {
      const { tp, fn, fp, tn } = cells[g];
      const rec = (tp + 0.5) / (tp + fn + 1);
      const fpr = (fp + 0.5) / (fp + tn + 1);
      tmdb[s][g] = { lrPresent: rec / fpr, lrAbsent: (1 - rec) / (1 - fpr), tp, fn, fp, tn };
    }
  }

  return {
    fittedOn:
      `${hand.size} hand-checked films (${[...inputs.truth.keys()].filter((i) => !exclude.has(i)).length} of the truth file, the rest MCU API strong claims), ` +
      `${keywordLabels.size} films judged by TMDB keywords, ${population.length} well-known films (TMDB's most voted to 2023-08), ` +
      `${inputs.listings.size} films AfterCredits ever listed`,
    alpha,
    classes,
    recall,
    unlisted,
    mcu: { p: (agreed + 1) / (checked + 2), agreed: { k: agreed, n: checked } },
    tmdb,
    thresholds: options.thresholds,
  };
}
