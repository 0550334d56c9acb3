/**
 * AfterCredits — the Kometa-Team daily YAML feed of aftercredits.com tags by IMDb id (MIT; the tags are
 * aftercredits.com's content).
 *
 * Format: one YAML flow mapping per line, `tt0478970: {rating: 0, votes: 0, tags: [Bonus Scene, Both During
 * & After Credits, Sequel Setup]}`; tags are unquoted and may contain "&" and "/". Quirks:
 * - positives only: a film absent from the feed is unknown, never "no scene";
 * - "During Credits" is broad: stills, dedication cards and audio count, so the qualifiers decide what
 *   actually plays (Endgame: "After Credits" + "Audio" is a sound, not a scene);
 * - "Bonus Scene" is on most entries, Endgame's included: it does not prove a story scene;
 * - every `rating`/`votes` is 0 in current snapshots: a rating with no votes is missing;
 * - scrape runs are often partial — on more than half of 192 recorded nights (2025-07 → 2026-03) the feed shrank
 *   from ~1,960 films to 1–1,122 — so the feed says what it listed (`listing`) and the pipeline judges the night
 *   (`src/pipeline/listings.ts`): a film that drops out of a broken night keeps its last observation.
 * A malformed line is reported with its line number and skipped; the rest of the feed still counts.
 */
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { UnexpectedContentError, quoted } from '../errors.ts';
import { IMDB_ID } from '../schema/ids.ts';
import { type CreditScene, type SceneKind, type ScenePosition, type SlotReading, type SlotReadings } from '../schema/movie.ts';
import { plainText } from '../lib/text.ts';
import type { CreditScenesObservation, ParsedObservation } from '../schema/observation.ts';
import { defineSource, type ParseOutput, type SourceRequest } from './source.ts';

export const AFTERCREDITS_FEED_URL = 'https://raw.githubusercontent.com/Kometa-Team/AfterCredits/master/aftercredits.yml';

/** One feed line as the feed states it (before stingerdb's reading of the tags). */
export interface AfterCreditsEntry {
  imdb: string;
  /** Line number in the feed (1-based). */
  line: number;
  tags: string[];
  /** The feed's own slot claims: "During Credits"/"Both…" and "After Credits"/"Both…"; null = not tagged. */
  duringCredits: boolean | null;
  afterCredits: boolean | null;
  /** The site's stinger rating; null when nobody voted (every row of current snapshots). */
  rating: number | null;
  votes: number;
}

const LineValue = z.object({
  rating: z.number().finite().nullable().optional(),
  votes: z.number().int().min(0).nullable().optional(),
  tags: z.array(z.union([z.string(), z.number()]).nullable()).nullable().optional(),
});

const DURING = 'During Credits';
const AFTER = 'After Credits';
const BOTH = 'Both During & After Credits';

/**
 * What each qualifier says plays in a tagged slot. Scene kinds make a slot true; the others are listed but
 * never do. Tags not listed here describe the site's post, not the film: polls, "Informative", and the media
 * of a "Mega Post" ("Behind the Scenes" featurettes, "Posters", "Stills", "Synopses", "Trailers" — Pirates of
 * the Caribbean: Dead Men Tell No Tales carries all of them beside a real after-credits scene).
 */
const QUALIFIER_KINDS: Readonly<Record<string, SceneKind>> = {
  'Sequel Setup': 'scene',
  Musical: 'scene',
  'Fourth Wall': 'scene',
  Blooper: 'bloopers',
  Outtake: 'bloopers',
  Audio: 'audio',
  'Still Images': 'stills',
  'Dedications/In Memoriam': 'dedication',
  'Humorous Credit': 'text',
  'Sunset Credit': 'text',
};

const SCENE_KINDS: ReadonlySet<SceneKind> = new Set(['scene', 'bloopers']);
/** Scene qualifiers that show something: a sequel can be set up by a sound (It: Pennywise's laugh), a blooper cannot. */
const VISUAL_QUALIFIERS: ReadonlySet<string> = new Set(['Musical', 'Fourth Wall', 'Blooper', 'Outtake']);

/**
 * Non-scene items that can be, alone, why a single slot was tagged. Measured on the feed against the TMDB
 * keyword snapshots (films of 2010 on with a keyword list; share tagged with the slot's keyword): "During
 * Credits" alone 38% (149/395); with "Still Images" 7% (3/44), "Audio" 4% (1/26), "Sunset Credit" 0/9 → any
 * of them may be all that plays while the credits run (a dedication or joke credit too: the pipeline keeps
 * them as lone items). "After Credits" with "Dedications" 56%, with "Audio" 20% → only a sound (Endgame) or
 * stills can be all that plays after them; a dedication card or a joke credit sits in the credits and does
 * not explain the tag.
 */
const LONE_ITEMS: Readonly<Record<ScenePosition, ReadonlySet<SceneKind>>> = {
  during: new Set(['audio', 'stills', 'dedication', 'text']),
  after: new Set(['audio', 'stills']),
};
/** Where a non-scene item of a "Both" entry is listed. */
const USUAL_POSITION: Readonly<Partial<Record<SceneKind, ScenePosition>>> = {
  audio: 'after',
  stills: 'during',
  dedication: 'during',
  text: 'during',
};

/** Parses the whole feed: entries plus one problem per malformed line. */
export function parseAfterCreditsFeed(body: string, url = AFTERCREDITS_FEED_URL): { entries: AfterCreditsEntry[]; problems: string[] } {
  if (body.trim() === '') throw new UnexpectedContentError('aftercredits', url, 'empty feed');
  if (/^\s*</.test(body)) throw new UnexpectedContentError('aftercredits', url, 'an HTML page where the YAML feed was expected');
  const entries: AfterCreditsEntry[] = [];
  const problems: string[] = [];
  const lines = body.split(/\r?\n/);
  lines.forEach((text, index) => {
    const line = index + 1;
    if (text.trim() === '' || text.trimStart().startsWith('#')) return;
    const entry = parseAfterCreditsLine(text, line);
    if (typeof entry === 'string') problems.push(`line ${line}: ${entry}`);
    else entries.push(entry);
  });
  if (entries.length === 0) {
    throw new UnexpectedContentError('aftercredits', url, `no feed entries found${problems.length ? ` (${problems.length} malformed lines; first: ${problems[0]})` : ''}`);
  }
  return { entries, problems };
}

/** One line → an entry, or the reason it is malformed. */
export function parseAfterCreditsLine(text: string, line: number): AfterCreditsEntry | string {
  let doc: unknown;
  try {
    // Warnings (a collection used as a key) would print for every such line: the line is reported instead.
    doc = parseYaml(text, { maxAliasCount: 0, uniqueKeys: true, logLevel: 'error' });
  } catch (error) {
    return `not a YAML mapping (${(error as Error).message.split('\n')[0]})`;
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return 'not a mapping "ttNNN: {…}"';
  const keys = Object.keys(doc);
  if (keys.length !== 1) return `expected one IMDb id per line, found ${keys.length} keys`;
  const imdb = keys[0]!;
  if (!IMDB_ID.test(imdb)) return `${quoted(imdb, 40)} is not an IMDb id`;
  const value = LineValue.safeParse((doc as Record<string, unknown>)[imdb]);
  if (!value.success) return `unexpected value for ${imdb}: ${value.error.issues[0]?.message ?? 'invalid'}`;
  // Tags reach the dataset (in the evidence's detail): plain text only, whatever a line carries.
  const tags = [
    ...new Set(
      (value.data.tags ?? [])
        .filter((t): t is string | number => t != null)
        .map((t) => plainText(String(t), { maxLength: 100 }))
        .filter((t): t is string => t !== null),
    ),
  ].sort();
  const has = (tag: string) => tags.includes(tag);
  const votes = value.data.votes ?? 0;
  return {
    imdb,
    line,
    tags,
    duringCredits: has(DURING) || has(BOTH) ? true : has(AFTER) ? false : null,
    afterCredits: has(AFTER) || has(BOTH) ? true : has(DURING) ? false : null,
    rating: votes > 0 && value.data.rating != null ? value.data.rating : null,
    votes,
  };
}

/**
 * How an entry tags each slot (`SlotReading`), from its slot tag and its qualifiers:
 * - no slot tag ("During Credits", "After Credits", "Both…"), or no tags at all → `unplaced`;
 * - the other slot tagged alone → `not-mentioned`;
 * - "Informative" with neither "Bonus Scene" nor a scene qualifier → `non-scene` (see `readSlots`);
 * - "Audio" without a qualifier that shows something (musical, fourth wall, blooper, outtake) → `non-scene`
 *   for each tagged slot: a sound is what plays, even with "Sequel Setup" (It, Endgame), and in a "Both"
 *   entry the sound accounts for one slot while the other rarely holds a scene (TMDB's during keyword on 4 of 16
 *   "Both" + "Audio" films, against 66 of 138 other "Both" films);
 * - "Both": the during slot with "Still Images" and no scene qualifier → `non-scene` (the stills are shown
 *   while the credits run); otherwise `scene-of-both` — a tag measured to hold less often than a single one;
 * - one slot tagged: a non-scene item that can alone explain the tag (`LONE_ITEMS`) and no scene qualifier →
 *   `non-scene`; otherwise `scene`.
 */
export function readSlots(tags: readonly string[]): SlotReadings {
  const has = (tag: string) => tags.includes(tag);
  const tagged: Record<ScenePosition, boolean> = { during: has(DURING) || has(BOTH), after: has(AFTER) || has(BOTH) };
  if (!tagged.during && !tagged.after) return { during: 'unplaced', after: 'unplaced' };
  const both = tagged.during && tagged.after;
  const kinds = new Set(tags.map((t) => QUALIFIER_KINDS[t]).filter((k): k is SceneKind => k !== undefined));
  const sceneQualified = [...kinds].some((k) => SCENE_KINDS.has(k));
  const visual = tags.some((t) => VISUAL_QUALIFIERS.has(t));
  // "Informative" with nothing saying a scene plays ("Bonus Scene", a scene qualifier): the post informs about
  // the credits (The Matrix: "After Credits, Informative", nothing plays). TMDB's keyword on 1 of 4 such "After
  // Credits" films and 2 of 5 "During Credits" ones, against 69% and 38% for the tags alone.
  const informativeOnly = has('Informative') && !has('Bonus Scene') && !sceneQualified;
  const read = (slot: ScenePosition): SlotReading => {
    if (!tagged[slot]) return 'not-mentioned';
    if (informativeOnly) return 'non-scene';
    if (kinds.has('audio') && !visual) return 'non-scene';
    if (both) return slot === 'during' && kinds.has('stills') && !sceneQualified ? 'non-scene' : 'scene-of-both';
    return !sceneQualified && [...kinds].some((k) => LONE_ITEMS[slot].has(k)) ? 'non-scene' : 'scene';
  };
  return { during: read('during'), after: read('after') };
}

/** Whether a reading claims a scene in the slot. */
const CLAIMS_SCENE: ReadonlySet<SlotReading> = new Set(['scene', 'scene-of-both']);

/**
 * stingerdb's reading of an entry (`readSlots`): a slot read as a scene is claimed, with the scene kinds its
 * qualifiers name (bloopers when only blooper/outtake qualifiers say what plays); the non-scene items are
 * listed — where the single slot tag puts them, or, in a "Both" entry, at their usual position
 * (`USUAL_POSITION`). The feed never says "nothing plays": it makes no `false` claim. Listed without tags, the
 * film gets an observation without a claim: it is what the feed now says, so it replaces what an earlier
 * listing said (the feed's "Stingers" and "Now Showing" categories were dropped in July 2025, leaving some
 * entries bare).
 */
export function creditScenesFromEntry(entry: AfterCreditsEntry): Omit<CreditScenesObservation, 'url' | 'observedAt' | 'movie'> {
  const reading = readSlots(entry.tags);
  const base = { source: 'aftercredits', kind: 'creditScenes', ids: { imdb: entry.imdb }, strength: 'strong', reading } as const;
  if (entry.tags.length === 0) return { ...base, during: null, after: null, scenes: [], detail: 'AfterCredits lists it with no tags' };
  const slots = (['during', 'after'] as const).filter((slot) => reading[slot] !== 'not-mentioned' && reading[slot] !== 'unplaced');
  const kinds = [...new Set(entry.tags.map((t) => QUALIFIER_KINDS[t]).filter((k): k is SceneKind => k !== undefined))];
  const sceneKinds = kinds.filter((k) => SCENE_KINDS.has(k));
  const otherKinds = kinds.filter((k) => !SCENE_KINDS.has(k));
  // Bloopers only when no story-scene qualifier says more.
  const sceneKind: SceneKind = sceneKinds.length > 0 && !sceneKinds.includes('scene') ? 'bloopers' : 'scene';
  const scenes: CreditScene[] = [];
  const claim: Record<ScenePosition, boolean | null> = { during: null, after: null };
  for (const slot of slots) {
    if (CLAIMS_SCENE.has(reading[slot])) {
      claim[slot] = true;
      for (const kind of slots.length === 1 && sceneKinds.length ? sceneKinds : [sceneKind]) scenes.push({ position: slot, kind });
    }
    for (const kind of slots.length === 1 ? otherKinds : otherKinds.filter((k) => USUAL_POSITION[k] === slot)) scenes.push({ position: slot, kind });
  }
  return { ...base, during: claim.during, after: claim.after, scenes, detail: `AfterCredits tags: ${entry.tags.join(', ')}` };
}

export const aftercredits = defineSource({
  id: 'aftercredits',
  name: 'AfterCredits (Kometa feed)',
  homepage: 'https://github.com/Kometa-Team/AfterCredits',
  hosts: ['raw.githubusercontent.com'],
  limits: { concurrency: 1, minIntervalMs: 1000 },
  refresh: { default: 1 },
  terms: {
    licence: 'MIT (the feed); the tags are aftercredits.com content',
    attribution: 'Credit-scene tags from aftercredits.com via the Kometa-Team/AfterCredits feed (MIT).',
    termsUrl: 'https://github.com/Kometa-Team/AfterCredits/blob/master/LICENSE',
  },
  kind: 'YAML feed',
  gives: 'IMDb id → During / After / Both credit tags with qualifiers (audio, stills, bloopers, dedication), positives only',
  discover: () => [feedRequest()],
  requestOf: (recorded) => (recorded.url === AFTERCREDITS_FEED_URL ? { request: feedRequest(), discovery: true } : null),
});

/** The feed: every film it lists (a whole catalogue each night), one observation per listed film. */
function feedRequest(): SourceRequest {
  return {
    label: 'feed',
    url: AFTERCREDITS_FEED_URL,
    parse: (body: string, url: string): ParseOutput => {
      const { entries, problems } = parseAfterCreditsFeed(body, url);
      const observations: ParsedObservation[] = [];
      for (const entry of entries) observations.push({ ...creditScenesFromEntry(entry), url });
      return { observations, problems, listing: { entries: entries.length, films: entries.map((e) => e.imdb) } };
    },
  };
}
