/**
 * Pure parsers for IMDb title pages (five markup generations) and crazy-credits pages, `(body, url)` in,
 * typed values and observations out; and the classifier that turns a crazy credit into credit-scene evidence.
 *
 * Generations of the title page (see ../shared/corpus/README.md), tried newest first:
 * - `imdb-nextjs-2023`: `script#__NEXT_DATA__` → `aboveTheFoldData` (ratingsSummary, metacritic, titleText,
 *   originalTitleText, releaseYear, runtime.seconds, review totals) and `mainColumnData` (releaseDate with its
 *   country, crazyCredits).
 * - `imdb-jsonld-2020` / `imdb-jsonld-2026`: JSON-LD `aggregateRating` ("9.3" a string in 2020, a number
 *   later; `ratingCount` missing from trimmed 2026 pages → votes absent, not null), `.metacriticScore span`
 *   (2020), og meta (2026: year in og:title, runtime only in og:description "1h 43m | PG-13").
 * - `imdb-2017`: microdata `span[itemprop=ratingValue]`, `[itemprop=ratingCount]` "245,937",
 *   `time[itemprop=duration][datetime]`, `.metacriticScore span`.
 * - `imdb-reference-2023` (`/reference`): the first `.ipl-rating-star__rating`, `.ipl-rating-star__total-votes`
 *   "(1,989,998)"; later star widgets read "0"/"Rate".
 * Pages follow the visitor's country whatever Accept-Language says: the visible title ("A remény rabjai",
 * "Matrix"), numbers ("9,3", "2 181 187") and, since 2023, the JSON-LD `datePublished`/`contentRating` are
 * local. So rating and votes come from structured data; the title is the original title when the shown one
 * is localised; a release date or certificate is kept only when the page says it is the US one (or, for the
 * 2020 JSON-LD and a JSON-LD-only page without a localised name, when its generation wrote the original).
 * Cheerio (htmlparser2 backend) reads only a bounded fragment of old pages, never the whole page.
 */
import type { CheerioAPI } from 'cheerio/slim';
import { LayoutChangedError, UnexpectedContentError } from '../../errors.ts';
import { IMDB_ID, type MovieIds } from '../../schema/ids.ts';
import { type CreditScene, type SceneKind, type ScenePosition } from '../../schema/movie.ts';
import { parseCount, parseDate, parseNumber, parseRuntime, parseYear, plainText, plainTitle } from '../../lib/text.ts';
import type { ParsedObservation } from '../../schema/observation.ts';
import { canonicalUrl, jsonLdObjects, jsonLdOfType, loadFragment, looksLikeHtml, metaContent, noContentError, scriptJsonById } from '../html.ts';
import type { ParseOutput } from '../source.ts';
import { ImdbCrazyCreditNode, ImdbJsonLdMovie, ImdbNextData, type ImdbReleaseDate } from './schema.ts';
import { scoreOnScale } from '../scales.ts';
import { carriesJsonLdMovie, wholePage, type Site } from '../page.ts';

const SOURCE = 'imdb';

/** Title-page markup generations, in the order they are tried. */
export const TITLE_GENERATIONS = ['imdb-nextjs-2023', 'imdb-jsonld-2020', 'imdb-jsonld-2026', 'imdb-2017', 'imdb-reference-2023'] as const;
/** A title-page markup generation. */
export type ImdbTitleGeneration = (typeof TITLE_GENERATIONS)[number];
/** Crazy-credits page generations, in the order they are tried. */
export const CRAZY_CREDITS_GENERATIONS = ['imdb-nextjs-2023', 'imdb-2017'] as const;
/** A crazy-credits page generation. */
export type ImdbCrazyCreditsGeneration = (typeof CRAZY_CREDITS_GENERATIONS)[number];

type Parsed<K extends ParsedObservation['kind']> = Extract<ParsedObservation, { kind: K }>;
type ObservationBase = { source: 'imdb'; url: string; ids: MovieIds };

// ---------------------------------------------------------------------------------------------------------
// Page checks

function pageTitle(html: string): string | null {
  const m = /<title\b[^>]*>([\s\S]*?)<\/title\s*>/i.exec(html);
  return m ? plainText(m[1]) : null;
}

/** IMDb for the page guard (`../page.ts`): its pages always say "IMDb" in their title or site name. */
const IMDB_SITE: Site = {
  source: SOURCE,
  name: 'IMDb',
  domain: 'imdb.com',
  isContentPage: carriesJsonLdMovie,
  claims: ({ title, siteName }) => /\bIMDb\b/.test(title ?? '') || siteName === 'IMDb',
};

/** Refuses what is not a whole IMDb HTML page (see `../page.ts`). */
function checkPage(body: string, url: string): string {
  return wholePage(body, url, IMDB_SITE).html;
}

/** The longest fragment cheerio is given when none of its end markers is found. */
const MAX_FRAGMENT = 120_000;

/**
 * The part of a page from the tag holding `start` to the first of `ends` after it (or `MAX_FRAGMENT`
 * characters), so that cheerio parses kilobytes instead of a whole page. Null when `start` is absent.
 */
function fragment(html: string, start: string, ends: readonly string[]): string | null {
  const at = html.indexOf(start);
  if (at === -1) return null;
  const from = Math.max(0, html.lastIndexOf('<', at));
  const stops = ends.map((end) => html.indexOf(end, at)).filter((i) => i !== -1);
  return html.slice(from, stops.length > 0 ? Math.min(...stops) : Math.min(html.length, from + MAX_FRAGMENT));
}

// ---------------------------------------------------------------------------------------------------------
// Values

/** The IMDb id in a URL or path ("/title/tt0111161/", "https://…/title/tt0133093/reference") or a bare id. */
export function imdbIdIn(value: string | null | undefined): string | null {
  const m = /(?:^|\/title\/)(tt\d{7,10})(?=$|[/?#])/.exec(value?.trim() ?? '');
  return m && IMDB_ID.test(m[1]!) ? m[1]! : null;
}

/** The page's own IMDb id: the first of its candidates (canonical link, structured data, URL) that is one. */
function resolveImdbId(...candidates: (string | null | undefined)[]): string | null {
  for (const candidate of candidates) {
    const id = imdbIdIn(candidate);
    if (id) return id;
  }
  return null;
}

/** An IMDb rating 0-10 (../scales.ts). */
function ratingValue(value: unknown, url: string): number | null {
  return scoreOnScale(value, 'tenPoint', { source: SOURCE, url, field: 'rating' });
}

/** The Metascore IMDb shows: an integer 0-100 (../scales.ts). */
function metascoreValue(value: unknown, url: string): number | null {
  return scoreOnScale(value, 'percent', { source: SOURCE, url, field: 'metascore' });
}

/**
 * Rating and votes. `count` undefined = the page gives no count: the key stays absent. 0 votes = no score
 * (both null). A count that does not read as a number is left out rather than guessed.
 */
function ratingWithVotes(rating: unknown, count: unknown, url: string): { rating: number | null; votes?: number | null } {
  const value = ratingValue(rating, url);
  if (count === undefined) return { rating: value };
  const votes = parseCount(count);
  if (votes === null) return { rating: value };
  return votes === 0 ? { rating: null, votes: null } : { rating: value, votes };
}

/** The year in a title such as "Ferris Bueller's Day Off (1986) ⭐ 7.8" or "Matrix (TV Movie 1999)". */
function yearInTitle(text: string | null | undefined): number | null {
  const m = /\((?:[A-Za-z][A-Za-z ]* )?(\d{4})(?:[–-]\d{0,4})?\)/.exec(text ?? '');
  return m ? parseYear(m[1]) : null;
}

/** Whether a release shown as "16 July 2015 (Czech Republic)" is the US one. */
function isUsRelease(text: string): boolean {
  const country = /\(([^()]+)\)\s*$/.exec(text.trim())?.[1]?.trim();
  return country !== undefined && /^(USA|US|United States(?: of America)?)$/i.test(country);
}

/** A GraphQL release date as ISO, when all its parts are there. */
function isoOfReleaseDate(date: ImdbReleaseDate): string | null {
  if (!date.year || !date.month || !date.day) return null;
  return parseDate(`${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`);
}

/** Text of the first match without its child elements' text ("A remény rabjai" of `<h1>A remény rabjai <span>(1994)</span></h1>`). */
function ownText($: CheerioAPI, selector: string): string | null {
  const element = $(selector).first();
  return element.length === 0 ? null : plainTitle(element.clone().children().remove().end().text());
}

/** User and critic review counts from texts such as "503 user", "7 200 user", "4,970 User", "261 Critic". */
function reviewCounts(texts: readonly string[]): { userReviewCount?: number | null; criticReviewCount?: number | null } {
  const counts: { userReviewCount?: number | null; criticReviewCount?: number | null } = {};
  for (const text of texts) {
    const m = /^\s*([\d\s,.\u00a0\u202f]+?)\s*(user|critic)/i.exec(text);
    if (!m) continue;
    const count = parseCount(m[1]);
    if (m[2]!.toLowerCase() === 'user') counts.userReviewCount = count;
    else counts.criticReviewCount = count;
  }
  return counts;
}

// ---------------------------------------------------------------------------------------------------------
// Crazy credits → credit-scene evidence

/** Where a crazy credit plays: during or after the end credits, or "other" (no placement, or not a credit scene). */
export type CrazyCreditPosition = ScenePosition | 'other';
/** What a crazy credit is: what plays (a scene kind), or a disclaimer, or trivia about the credits themselves. */
export type CrazyCreditKind = SceneKind | 'disclaimer' | 'credits-trivia';

/** A crazy credit classified. `isScene`: a scene (or bloopers) in a credit slot, the only thing that makes a slot true. */
export type CrazyCreditClass =
  | { position: ScenePosition; kind: SceneKind; isScene: boolean }
  | { position: 'other'; kind: CrazyCreditKind; isScene: false };

const CREDITS = String.raw`(?:end |closing |final |ending |main )?credits`;
/** Placements within the credits: a mid-credits scene, or a scene the credits run over. */
const DURING = new RegExp(
  [
    String.raw`\bmid[- ]?credits?\b`,
    String.raw`\b(?:during|midway through|halfway through|part ?way through|in the middle of|interrupting|interrupts?|between|over) the ${CREDITS}\b`,
    String.raw`\bafter the (?:first|initial|animated|stylized|stylised|main[- ]on[- ]end) (?:part of the |portion of the |half of the |set of )?${CREDITS}\b`,
    String.raw`\bas the ${CREDITS} (?:roll|run|scroll|play|begin|start)s?\b`,
    String.raw`\bthe ${CREDITS} (?:are|is) interrupted\b`,
  ].join('|'),
);
/** Placements once the credits have finished. */
const AFTER = new RegExp(
  [
    String.raw`\bpost[- ]?credits?\b`,
    String.raw`\bafter (?:all (?:of )?)?(?:the )?${CREDITS}\b`,
    String.raw`\bat the (?:very )?end of (?:all )?the ${CREDITS}\b`,
    String.raw`\b(?:once|when) the ${CREDITS} (?:have |has )?(?:finished|ended|end|are over|stop|conclude)\b`,
    String.raw`\bfollowing the ${CREDITS}\b`,
  ].join('|'),
);
/** "There is no scene after the credits": says nothing plays — not a scene, and no claim either way here. */
const NEGATION = /\bno (?:additional |extra |bonus |hidden |further )?(?:post[- ]?credits? |mid[- ]?credits? |end[- ]credits? )?(?:scenes?|stingers?)\b|\bnothing (?:happens )?(?:after|during|at the end of) the\b/;
const DISCLAIMER = /\bnot intended\b|\bno animals?\b[^.]*\b(?:harmed|hurt|injured|killed)\b|\bany (?:similarity|resemblance)\b|\bfictitious\b|\bpurely coincidental\b|\btrademarks?\b|\bdisclaimer\b|\bdoes not (?:endorse|reflect)\b|\bis a product of\b|\bamerican humane\b/;
const CREDITS_TRIVIA = /\b(?:is|are|was|were) (?:listed|credited|billed)\b|\b(?:credited|listed|billed) as\b|\b(?:names?|credits)\b[^.]{0,40}?\b(?:are|is) (?:written|shown|displayed|presented|printed|spelled)\b|\bfont\b|\btypeface\b|\bopening credits\b/;
const BLOOPERS = /\bbloopers?\b|\bouttakes?\b|\bgag reel\b|\bflubbed\b/;
const SCENE = /\bscenes?\b|\bsequences?\b|\bclips?\b|\bstingers?\b|\bteasers?\b|\bepilogue\b|\bcameos?\b|\bcoda\b|\bvignettes?\b/;
const STILLS = /\bstill (?:images?|photos?|photographs?|pictures?|frames?)\b|\bphotographs?\b|\bphotos?\b|\bsnapshots?\b|\bpolaroids?\b|\bstoryboards?\b|\bconcept art\b/;
const DEDICATION = /\bdedicated to\b|\bin (?:loving )?memory of\b|\bin memoriam\b|\bdedication\b|\btribute to\b/;
const TEXT_CARD = /\bwill return\b|\bwill be back\b|\bstatement\b|\btitle card\b|\btext card\b|\bcaption\b|\bon-?screen text\b|\b(?:text|message|words?) (?:reads?|reading|appears?|saying)\b/;
const AUDIO = /\bcan be heard\b|\byou (?:can )?hear\b|\bwe hear\b|\bis heard\b|\bvoice[- ]?over\b|\baudio\b|\bsound of\b|\bvoice of\b/;

/**
 * Classifies a crazy credit by its words (IMDb's editors write "SPOILER: Mid credits scene: …" and "There is
 * a scene at the end of the closing credits: …"; submitters add their own phrasings).
 *
 * - Placement: "mid-credits", "during / halfway through / over the credits", "after the first part of the
 *   credits", "as the credits roll" → during; "post-credits", "after the (end) credits", "at the end of the
 *   closing credits", "once the credits end" → after; otherwise, and for a scene before the credits, other.
 *   When both appear, the first mentioned wins.
 * - Kind, first match: bloopers/outtakes; a scene (scene, sequence, clip, stinger, teaser, epilogue, cameo);
 *   stills; a dedication; a text card ("X will return", a statement, a caption); audio only; trivia about the
 *   credits ("is credited as", fonts, opening credits); an item placed in the credits with none of these
 *   describes what plays there, so it counts as a scene.
 * - Disclaimers ("not intended to be used as shown"), credits trivia and "there is no scene…" have no
 *   placement. Only a scene or bloopers in a credit slot is a scene.
 */
export function classifyCrazyCredit(text: string): CrazyCreditClass {
  const t = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2010-\u2015]/g, '-')
    .replace(/\s+/g, ' ');
  if (NEGATION.test(t)) return { position: 'other', kind: 'credits-trivia', isScene: false };
  if (DISCLAIMER.test(t)) return { position: 'other', kind: 'disclaimer', isScene: false };
  const during = DURING.exec(t)?.index;
  const after = AFTER.exec(t)?.index;
  const position: CrazyCreditPosition =
    during !== undefined && (after === undefined || during <= after) ? 'during' : after !== undefined ? 'after' : 'other';
  const kind: CrazyCreditKind | undefined = BLOOPERS.test(t)
    ? 'bloopers'
    : SCENE.test(t)
      ? 'scene'
      : STILLS.test(t)
        ? 'stills'
        : DEDICATION.test(t)
          ? 'dedication'
          : TEXT_CARD.test(t)
            ? 'text'
            : AUDIO.test(t)
              ? 'audio'
              : CREDITS_TRIVIA.test(t)
                ? 'credits-trivia'
                : undefined;
  if (position === 'other' || kind === 'credits-trivia') return { position: 'other', kind: kind ?? 'credits-trivia', isScene: false };
  const sceneKind: SceneKind = kind ?? 'scene';
  return { position, kind: sceneKind, isScene: sceneKind === 'scene' || sceneKind === 'bloopers' };
}

/** One crazy credit: its IMDb id (`cz…`, when the page gives it), its text, and its classification. */
export type CrazyCreditItem = CrazyCreditClass & {
  id: string | null;
  /** The item as plain text (a spoiler), without IMDb's "SPOILER:" label. */
  text: string;
};

/** An item from its HTML; null when it holds no text. */
function crazyCreditItem(id: string | null | undefined, html: string | null | undefined): CrazyCreditItem | null {
  const text = plainText(html)?.replace(/^spoiler\s*:\s*/i, '');
  if (!text) return null;
  return { id: id && /^cz\d+$/.test(id) ? id : null, text, ...classifyCrazyCredit(text) };
}

/**
 * Crazy credits as credit-scene evidence: a slot is true when an item places a scene there, else null — IMDb
 * lists what submitters noticed, so a missing item is not evidence of no scene. Every placed item is listed
 * (text cards and audio too, with their kind). No placed item → no observation.
 */
function creditScenesObservation(items: readonly CrazyCreditItem[], base: ObservationBase): Parsed<'creditScenes'> | null {
  const placed = items.filter((i): i is CrazyCreditItem & { position: ScenePosition; kind: SceneKind } => i.position !== 'other');
  if (placed.length === 0) return null;
  const claims = (position: ScenePosition) => (placed.some((i) => i.position === position && i.isScene) ? true : null);
  const scenes: CreditScene[] = placed.map((i) => ({ position: i.position, kind: i.kind, description: i.text }));
  return {
    ...base,
    kind: 'creditScenes',
    during: claims('during'),
    after: claims('after'),
    strength: 'strong',
    scenes,
    detail: `IMDb crazy credits (${items.length} item${items.length === 1 ? '' : 's'}): ${placed.map((i) => `${i.position} ${i.kind}`).join(', ')}`,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Title page

/** A title page read (any generation). */
export interface ImdbTitlePage {
  generation: ImdbTitleGeneration;
  /** From the canonical link, the structured data, or the URL. */
  imdbId: string | null;
  /** The original title when the shown one is localised to the visitor's country, else the shown title. */
  title: string | null;
  /** The original title, where the page gives it. */
  originalTitle?: string | null;
  /** The title shown to the visitor, when localised ("A remény rabjai"). */
  localizedTitle?: string;
  year: number | null;
  /** Absent: not shown; null: the page shows only another country's release (geo-localised). */
  releaseDate?: string | null;
  runtimeMinutes: number | null;
  /** Absent: not shown; null: the page shows only another country's certificate. */
  contentRating?: string | null;
  /** IMDb rating 0-10; null when unrated. */
  rating: number | null;
  /** Votes; absent when the page gives no count; null for 0 votes. */
  votes?: number | null;
  /** Metascore as IMDb shows it; absent when the page shows none. */
  metascore?: number | null;
  userReviewCount?: number | null;
  criticReviewCount?: number | null;
  /**
   * Crazy credits the page shows (a 2023+ title page shows the first one only), classified; absent when the
   * page has none. Not turned into credit-scene evidence here: see `titlePageObservations`.
   */
  crazyCredits?: CrazyCreditItem[];
}

/** `imdb-nextjs-2023`: the GraphQL answers in `__NEXT_DATA__`. Null when the page has no ratings summary there. */
function fromNextData(html: string, url: string): ImdbTitlePage | null {
  const read = scriptJsonById(html, '__NEXT_DATA__');
  if (read === null) return null;
  if (!read.ok) throw new UnexpectedContentError(SOURCE, url, `__NEXT_DATA__ is not JSON (${read.error})`);
  const parsed = ImdbNextData.safeParse(read.value);
  if (!parsed.success) return null;
  const { tconst, aboveTheFoldData: top, mainColumnData: main } = parsed.data.props.pageProps;
  // Unrated films carry `aggregateRating: null`; a summary without the key is not this generation's rating.
  if (!top?.ratingsSummary || top.ratingsSummary.aggregateRating === undefined) return null;
  const summary = top.ratingsSummary;
  const shown = plainTitle(top.titleText?.text);
  const original = plainTitle(top.originalTitleText?.text);
  // IMDb shows the visitor's country's release: its country is the one clue to where the page was served.
  const release = main?.releaseDate ?? top.releaseDate ?? null;
  const country = release?.country?.id?.trim().toUpperCase() ?? null;
  const localized = shown !== null && original !== null && shown !== original && country !== 'US';
  const page: ImdbTitlePage = {
    generation: 'imdb-nextjs-2023',
    imdbId: resolveImdbId(top.id, tconst, canonicalUrl(html), url),
    title: localized ? original : (shown ?? original),
    year: parseYear(top.releaseYear?.year),
    releaseDate: release && country === 'US' ? isoOfReleaseDate(release) : null,
    runtimeMinutes: typeof top.runtime?.seconds === 'number' ? parseRuntime(Math.round(top.runtime.seconds / 60)) : null,
    contentRating: country === 'US' ? plainText(top.certificate?.rating, { maxLength: 50 }) : null,
    ...ratingWithVotes(summary.aggregateRating, summary.voteCount ?? undefined, url),
  };
  if (top.originalTitleText !== undefined) page.originalTitle = original;
  if (localized) page.localizedTitle = shown;
  if (top.metacritic != null) page.metascore = metascoreValue(top.metacritic.metascore?.score, url);
  if (top.reviews != null) page.userReviewCount = parseCount(top.reviews.total);
  if (top.criticReviewsTotal != null) page.criticReviewCount = parseCount(top.criticReviewsTotal.total);
  if (main?.crazyCredits) {
    page.crazyCredits = main.crazyCredits.edges
      .map(({ node }) => crazyCreditItem(node.id, node.text.plaidHtml ?? node.text.plainText))
      .filter((i): i is CrazyCreditItem => i !== null);
  }
  return page;
}

/** The fragment of a 2017/2020 title page that holds the title block, ratings and Metascore. */
function titleOverview(html: string, url: string): CheerioAPI | null {
  const overview = fragment(html, 'id="title-overview-widget"', ['id="titleAwardsRanks"', 'id="titleCast"', 'id="titleStoryLine"']);
  return overview === null ? null : loadFragment(overview, SOURCE, url);
}

/**
 * The title block of 2017/2020 pages:
 *
 * ```html
 * <div class="title_wrapper"><h1 class="">A remény rabjai&nbsp;<span id="titleYear">(<a href="/year/1994/">1994</a>)</span></h1>
 *   <div class="originalTitle">The Shawshank Redemption<span class="description"> (original title)</span></div>
 * …<div class="metacriticScore score_favorable titleReviewBarSubItem"><span>80</span></div>
 * ```
 */
function overviewTitles($: CheerioAPI): { shown: string | null; original: string | null; year: number | null } {
  return {
    shown: ownText($, '.title_wrapper h1, h1[itemprop=name]'),
    original: ownText($, '.title_wrapper .originalTitle'),
    year: parseYear($('#titleYear a').first().text().trim()),
  };
}

function overviewMetascore($: CheerioAPI, url: string): { metascore?: number | null } {
  const score = $('.metacriticScore span').first();
  return score.length === 0 ? {} : { metascore: metascoreValue(score.text().trim(), url) };
}

/** `imdb-jsonld-2020` / `imdb-jsonld-2026`: the JSON-LD `Movie`. Null when the page has no rating there. */
function fromJsonLd(html: string, url: string): ImdbTitlePage | null {
  const { objects, errors } = jsonLdObjects(html);
  const object = jsonLdOfType(objects, 'Movie');
  if (!object) {
    if (errors.length > 0) throw new UnexpectedContentError(SOURCE, url, `unreadable JSON-LD (${errors[0]})`);
    return null;
  }
  const parsed = ImdbJsonLdMovie.safeParse(object);
  // A rating block without its value says nothing: this generation has no rating (it is not "unrated").
  if (!parsed.success || !parsed.data.aggregateRating || parsed.data.aggregateRating.ratingValue === undefined) return null;
  const movie = parsed.data;
  const rating = movie.aggregateRating!;
  const name = plainTitle(movie.name);
  const imdbId = resolveImdbId(canonicalUrl(html), movie.url, url);
  const score = ratingWithVotes(rating.ratingValue, rating.ratingCount ?? undefined, url);

  const $ = html.includes('class="title_wrapper"') ? titleOverview(html, url) : null;
  if ($) {
    // 2020: the JSON-LD still carried the original release and US certificate; the visible block is local.
    const { shown, original, year } = overviewTitles($);
    const page: ImdbTitlePage = {
      generation: 'imdb-jsonld-2020',
      imdbId,
      title: original ?? name ?? shown,
      year: year ?? yearInTitle(pageTitle(html)),
      releaseDate: parseDate(movie.datePublished),
      runtimeMinutes: parseRuntime(movie.duration),
      contentRating: plainText(movie.contentRating, { maxLength: 50 }),
      ...score,
      ...overviewMetascore($, url),
      ...reviewCounts($('[itemprop=reviewCount]').map((_, e) => $(e).text()).get()),
    };
    if (original !== null) page.originalTitle = original;
    if (original !== null && shown !== null && shown !== original) page.localizedTitle = shown;
    return page;
  }

  // 2026 (JSON-LD and og meta only): a localised `alternateName` marks a geo-localised page, whose
  // datePublished and contentRating are the visitor's country's.
  const alternate = plainTitle(movie.alternateName);
  const localized = alternate !== null && alternate !== name;
  const ogTitle = metaContent(html, 'og:title');
  const page: ImdbTitlePage = {
    generation: 'imdb-jsonld-2026',
    imdbId,
    title: name,
    year: yearInTitle(ogTitle) ?? yearInTitle(pageTitle(html)),
    releaseDate: localized ? null : parseDate(movie.datePublished),
    runtimeMinutes: parseRuntime(movie.duration) ?? parseRuntime(metaContent(html, 'og:description')?.split('|')[0]),
    contentRating: localized ? null : plainText(movie.contentRating, { maxLength: 50 }),
    ...score,
  };
  if (localized) page.localizedTitle = alternate;
  return page;
}

/**
 * `imdb-2017`: microdata of the title block. Null when the page has no `itemprop=ratingValue`.
 *
 * ```html
 * <div class="ratingValue"><strong title="7.4 based on 245,937 user ratings"><span itemprop="ratingValue">7.4</span></strong>…</div>
 * <a href="/title/tt0478970/ratings"><span class="small" itemprop="ratingCount">245,937</span></a>
 * <span itemprop="reviewCount">503 user</span> <span itemprop="reviewCount">500 critic</span>
 * <meta itemprop="contentRating" content="PG-13">PG-13 | <time itemprop="duration" datetime="PT117M">1h 57min</time>
 * <a href="/title/tt0478970/releaseinfo" title="See more release dates">16 July 2015 (Czech Republic)<meta itemprop="datePublished" content="2015-07-16" /></a>
 * ```
 */
function from2017(html: string, url: string): ImdbTitlePage | null {
  const $ = titleOverview(html, url);
  const ratingElement = $?.('[itemprop=ratingValue]').first();
  if (!$ || !ratingElement || ratingElement.length === 0) return null;
  // Microdata is this generation's structured data; a visitor abroad gets it with a decimal comma ("9,3").
  const ratingText = ratingElement.text().trim().replace(/^(\d{1,2}),(\d)$/, '$1.$2');
  const countElement = $('[itemprop=ratingCount]').first();
  const { shown, original, year } = overviewTitles($);
  const page: ImdbTitlePage = {
    generation: 'imdb-2017',
    imdbId: resolveImdbId(canonicalUrl(html), metaContent(html, 'pageId'), url),
    title: original ?? shown,
    year,
    runtimeMinutes: parseRuntime($('time[itemprop=duration]').first().attr('datetime')),
    ...ratingWithVotes(ratingText, countElement.length > 0 ? countElement.text() : undefined, url),
    ...overviewMetascore($, url),
    ...reviewCounts($('[itemprop=reviewCount]').map((_, e) => $(e).text()).get()),
  };
  if (original !== null) page.originalTitle = original;
  if (original !== null && shown !== null && shown !== original) page.localizedTitle = shown;
  const certificate = $('meta[itemprop=contentRating]').first().attr('content');
  if (certificate !== undefined) page.contentRating = plainText(certificate, { maxLength: 50 });
  const release = $('a[title="See more release dates"]').first();
  if (release.length > 0) {
    page.releaseDate = isUsRelease(release.text()) ? parseDate(release.find('meta[itemprop=datePublished]').attr('content')) : null;
  }
  return page;
}

/**
 * `imdb-reference-2023`: the Reference View (`/reference`). Null when it has no rating star.
 *
 * ```html
 * <h3 itemprop="name">Matrix <span class="titlereference-title-year">(<a href="/search/title?year=1999">1999</a>)</span></h3>
 *     The Matrix <span class="titlereference-original-title-label"> (original title)</span>
 * <ul class="ipl-inline-list"><li class="ipl-inline-list__item">R</li><li …>2h 16min</li> …
 *   <li …><a href="/title/tt0133093/releaseinfo">25 Jun 1999 (Portugal)</a></li></ul>
 * <span class="ipl-rating-star__rating">8.7</span><span class="ipl-rating-star__total-votes">(1,989,998)</span>
 * Reviews: <ul class="… titlereference-overview-review-list"><li><a href="/title/tt0133093/reviews">4,970 User</a></li>
 *   <li><a href="/title/tt0133093/externalreviews">261 Critic</a></li></ul>
 * ```
 */
function fromReference(html: string, url: string): ImdbTitlePage | null {
  const start = html.indexOf('class="titlereference-header"');
  if (start === -1) return null;
  const from = html.lastIndexOf('<', start);
  // The header through the review counts: the rating, titles, details list and reviews sit in this stretch.
  const reviews = html.indexOf('titlereference-overview-review-list', start);
  const end = reviews === -1 ? -1 : html.indexOf('</ul>', reviews);
  const block = html.slice(from, end === -1 ? Math.min(html.length, from + MAX_FRAGMENT) : end + '</ul>'.length);
  const $ = loadFragment(block, SOURCE, url);
  // The rating widgets after the real star also carry `.ipl-rating-star__rating` ("0", "Rate", 1-10).
  const star = $('.ipl-rating-star__rating')
    .filter((_, e) => $(e).closest('.ipl-rating-interactive').length === 0)
    .first();
  if (star.length === 0 || parseNumber(star.text().trim()) === null) return null;
  const votes = star.siblings('.ipl-rating-star__total-votes').first();
  const shown = ownText($, 'h3[itemprop=name]');
  const original = plainTitle(/<\/h3>\s*([^<]+?)\s*<span class="titlereference-original-title-label"/.exec(block)?.[1]);
  const details = $('.titlereference-header ul.ipl-inline-list').first().find('li');
  const runtime = details.map((_, li) => parseRuntime(plainText($(li).text()))).get().find((m: number | null) => m !== null) ?? null;
  const page: ImdbTitlePage = {
    generation: 'imdb-reference-2023',
    imdbId: resolveImdbId(canonicalUrl(html), url),
    title: original ?? shown,
    year: parseYear($('.titlereference-title-year a').first().text().trim()),
    runtimeMinutes: runtime,
    ...ratingWithVotes(star.text().trim(), votes.length > 0 ? votes.text() : undefined, url),
    ...reviewCounts($('.titlereference-overview-review-list a').map((_, e) => $(e).text()).get()),
  };
  if (original !== null) page.originalTitle = original;
  if (original !== null && shown !== null && shown !== original) page.localizedTitle = shown;
  const release = details.find('a[href*="releaseinfo"]').first();
  if (release.length > 0) page.releaseDate = isUsRelease(release.text()) ? parseDate(release.text().replace(/\([^()]*\)\s*$/, '')) : null;
  return page;
}

/**
 * Reads a title page (or the Reference View) of any known generation, newest first. A page that is not a
 * whole IMDb page → `UnexpectedContentError`; a page where no generation finds a rating →
 * `LayoutChangedError` naming them all.
 */
export function parseTitlePage(body: string, url: string): ImdbTitlePage {
  const html = checkPage(body, url);
  const page = fromNextData(html, url) ?? fromJsonLd(html, url) ?? from2017(html, url) ?? fromReference(html, url);
  if (!page) throw noContentError(SOURCE, url, html, new LayoutChangedError(SOURCE, url, [...TITLE_GENERATIONS], 'IMDb rating'));
  return page;
}

/**
 * A title page read as observations: `score` (group imdb; group metacritic where the page shows a
 * Metascore), `details`, `ids`. No `creditScenes`, although 2023+ pages show a crazy credit: the store keeps
 * one `creditScenes` observation per film and source, and the crazy-credits page (refreshed monthly, often
 * answering 304) holds the full list — a daily title page showing its first item would replace that list.
 */
export function titlePageObservations(page: ImdbTitlePage, url: string): ParsedObservation[] {
  const ids: MovieIds = page.imdbId ? { imdb: page.imdbId } : {};
  const base: ObservationBase = { source: SOURCE, url, ids };
  const score: Extract<ParsedObservation, { kind: 'score'; group: 'imdb' }> = { ...base, kind: 'score', group: 'imdb', rating: page.rating };
  if (page.votes !== undefined) score.votes = page.votes;
  const details: Parsed<'details'> = { ...base, kind: 'details', title: page.title, year: page.year, runtimeMinutes: page.runtimeMinutes };
  if (page.originalTitle !== undefined) details.originalTitle = page.originalTitle;
  if (page.localizedTitle !== undefined) details.localizedTitle = page.localizedTitle;
  if (page.releaseDate !== undefined) details.releaseDate = page.releaseDate;
  if (page.contentRating !== undefined) details.contentRating = page.contentRating;
  const observations: ParsedObservation[] = [score];
  if (page.metascore !== undefined) observations.push({ ...base, kind: 'score', group: 'metacritic', metascore: page.metascore });
  observations.push(details, { ...base, kind: 'ids' });
  return observations;
}

/** A title page (`/title/tt…/` or `/reference`) as observations. */
export function parseTitle(body: string, url: string): ParsedObservation[] {
  return titlePageObservations(parseTitlePage(body, url), url);
}

// ---------------------------------------------------------------------------------------------------------
// Crazy-credits page

/** A crazy-credits page read. */
export interface ImdbCrazyCreditsPage {
  generation: ImdbCrazyCreditsGeneration;
  imdbId: string | null;
  /** Every item, in page order. */
  items: CrazyCreditItem[];
  /** The count the page states ("Showing all 4 items"), when it states one. */
  statedCount: number | null;
}

/** Every object of a JSON tree, depth first, document order. */
function* jsonObjects(root: unknown): Generator<Record<string, unknown>> {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (value === null || typeof value !== 'object') continue;
    const members = Array.isArray(value) ? value : Object.values(value);
    if (!Array.isArray(value)) yield value as Record<string, unknown>;
    for (let i = members.length - 1; i >= 0; i--) stack.push(members[i]);
  }
}

/**
 * Reads a crazy-credits page. 2023+ pages: every GraphQL `CrazyCredit` node in `__NEXT_DATA__` (the type the
 * title page's `mainColumnData.crazyCredits` carries; no 2023+ crazy-credits page is recorded). 2017 pages:
 *
 * ```html
 * <div id="crazycredits_content" class="header"> … <div class="desc">Showing all 4 items</div> …
 *   <div class="list"><div id="cz0033005" data-cz-item="cz0033005" class="soda sodavote odd">
 *     <div class="sodatext">SPOILER: There is a scene at the end of the closing credits: …<br/></div> …
 * ```
 *
 * A 2017 page with the list container but no item is a film without crazy credits; a page with neither
 * shape → `LayoutChangedError`.
 */
export function parseCrazyCreditsPage(body: string, url: string): ImdbCrazyCreditsPage {
  const html = checkPage(body, url);
  const next = scriptJsonById(html, '__NEXT_DATA__');
  if (next !== null) {
    if (!next.ok) throw new UnexpectedContentError(SOURCE, url, `__NEXT_DATA__ is not JSON (${next.error})`);
    const items: CrazyCreditItem[] = [];
    for (const object of jsonObjects(next.value)) {
      if (object.__typename !== 'CrazyCredit') continue;
      const node = ImdbCrazyCreditNode.safeParse(object);
      const item = node.success ? crazyCreditItem(node.data.id, node.data.text.plaidHtml ?? node.data.text.plainText) : null;
      if (item) items.push(item);
    }
    if (items.length > 0) {
      const tconst = (next.value as { props?: { pageProps?: { tconst?: unknown } } }).props?.pageProps?.tconst;
      return { generation: 'imdb-nextjs-2023', imdbId: resolveImdbId(canonicalUrl(html), typeof tconst === 'string' ? tconst : null, url), items, statedCount: null };
    }
  }
  const content = fragment(html, 'id="crazycredits_content"', ['id="see_also"', 'id="sidebar"', 'class="article contribute"']);
  if (content === null) throw noContentError(SOURCE, url, html, new LayoutChangedError(SOURCE, url, [...CRAZY_CREDITS_GENERATIONS], 'crazy-credits list'));
  const $ = loadFragment(content, SOURCE, url);
  const items = $('.list > div.soda[id^=cz]')
    .map((_, element) => crazyCreditItem($(element).attr('id'), $(element).find('.sodatext').first().html()))
    .get()
    .filter((i: CrazyCreditItem | null): i is CrazyCreditItem => i !== null);
  const stated = /showing all (\d+) items?/i.exec($('.desc').first().text());
  return {
    generation: 'imdb-2017',
    imdbId: resolveImdbId(canonicalUrl(html), metaContent(html, 'pageId'), url),
    items,
    statedCount: stated ? Number(stated[1]) : null,
  };
}

/**
 * A crazy-credits page as observations: `ids`, and `creditScenes` when an item places something in the
 * credits (zero items, or only disclaimers and trivia, claim nothing). A stated count that differs from the
 * items found is reported as a problem.
 */
export function parseCrazyCredits(body: string, url: string): ParseOutput {
  const page = parseCrazyCreditsPage(body, url);
  const ids: MovieIds = page.imdbId ? { imdb: page.imdbId } : {};
  const base: ObservationBase = { source: SOURCE, url, ids };
  const observations: ParsedObservation[] = [{ ...base, kind: 'ids' }];
  const scenes = creditScenesObservation(page.items, base);
  if (scenes) observations.push(scenes);
  const problems =
    page.statedCount !== null && page.statedCount !== page.items.length
      ? [`the page says ${page.statedCount} crazy credits, ${page.items.length} were read`]
      : [];
  return { observations, problems };
}
