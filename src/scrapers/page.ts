/**
 * The one "whole page of this site" guard of the HTML sources (IMDb, Metacritic, Rotten Tomatoes). What a
 * parser is given is refused — an `UnexpectedContentError` naming the source and the URL, never a layout
 * change — when it is not a whole HTML page of the site asked for:
 * - empty, JSON, or not HTML at all;
 * - a bot challenge or block page served with HTTP 200 (Cloudflare, AWS WAF, Akamai, Imperva, PerimeterX), known
 *   by its title or its challenge script — only a page without the site's content blocks is tested (Rotten
 *   Tomatoes' real pages embed reCAPTCHA keys; an IMDb or Metacritic film page carries a JSON-LD `Movie`);
 * - cut short: no closing `</html>` in its last 4 KB (trailers some servers add after it stay within them);
 * - another site's page: its canonical link or `og:url` names another host, or its `og:site_name` another site;
 * - a page that does not say it is the site's, for a site whose pages always do (IMDb's title).
 * Head-only facts (canonical link, og: tags, title) are read in the head, never in the whole page.
 */
import { UnexpectedContentError } from '../errors.ts';
import { plainText } from '../lib/text.ts';
import type { SourceId } from '../schema/sources.ts';
import { looksLikeHtml, parseAttributes } from './html.ts';

/** What the guard knows of a site. */
export interface Site {
  source: SourceId;
  /** As messages name it ("Rotten Tomatoes"). */
  name: string;
  /** Its host names (`example.com` and its subdomains). */
  domain: string;
  /** Whether the page holds the site's own content blocks: such a page is never taken for a challenge page. */
  isContentPage?: (html: string) => boolean;
  /**
   * For a site whose pages always say so: whether this one says it is the site's (its title, its site name…)
   * when its head names no host of the site.
   */
  claims?: (page: WholePage) => boolean;
}

/** A page that passed the guard. */
export interface WholePage {
  /** The page, without a byte-order mark. */
  html: string;
  /** Its head (the whole page when it has no `</head>`). */
  head: string;
  /** Its `<title>` as plain text, if any. */
  title: string | null;
  /** Its `og:site_name`, if any. */
  siteName: string | null;
}

/** The `href` of the head's `<link rel="canonical">` (only that tag is parsed: heads hold dozens of links). */
function canonicalHref(head: string): string | undefined {
  for (const m of head.matchAll(/<link\b([^>]*\bcanonical\b[^>]*)>/gi)) {
    const attributes = parseAttributes(m[1] ?? '');
    if ((attributes.rel ?? '').toLowerCase().split(/\s+/).includes('canonical')) return attributes.href;
  }
  return undefined;
}

/** The head's `og:` tags the guard reads (by `property` or `name`), read in one pass over its meta tags. */
function headMeta(head: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of head.matchAll(/<meta\b([^>]*\bog:(?:url|site_name)\b[^>]*)>/gi)) {
    const attributes = parseAttributes(m[1] ?? '');
    const key = attributes.property ?? attributes.name;
    if ((key === 'og:url' || key === 'og:site_name') && !found.has(key) && attributes.content !== undefined) found.set(key, attributes.content);
  }
  return found;
}

const CHALLENGE_TITLES = /^(just a moment|attention required|access denied|robot check|are you a robot|pardon our interruption|security check|verifying you are human)\b/i;
/** What the challenge pages of Cloudflare, DataDome, PerimeterX, Imperva and AWS WAF carry (plain substring searches: fast). */
const CHALLENGE_MARKERS = [
  'challenges.cloudflare.com',
  '/cdn-cgi/challenge-platform/',
  '_cf_chl_opt',
  'cf-chl-',
  'captcha-delivery.com',
  'px-captcha',
  '_Incapsula_Resource',
  'window.gokuProps',
  'awsWafCookieDomainList',
  '.awswaf.com/',
];
/** One pass that every marker above matches (what is then looked for one by one): ten passes over a page cost more than its parse. */
const CHALLENGE_HINT = /c(?:hallenge|f-chl|aptcha)|_chl_|Incapsula|gokuProps|aws[Ww]af/;

/** The first challenge marker the page carries, if any. */
function challengeMarker(html: string): string | undefined {
  return CHALLENGE_HINT.test(html) ? CHALLENGE_MARKERS.find((marker) => html.includes(marker)) : undefined;
}

/** Whether a page carries a JSON-LD `Movie` object: a film page of IMDb or Metacritic, never a challenge page. */
export function carriesJsonLdMovie(html: string): boolean {
  return html.includes('application/ld+json') && /"@type"\s*:\s*"Movie"/.test(html);
}

/** `body` as a whole page of `site`, or an `UnexpectedContentError` saying why it is not one. */
export function wholePage(body: string, url: string, site: Site): WholePage {
  const refuse = (reason: string) => new UnexpectedContentError(site.source, url, reason);
  const html = body.replace(/^\uFEFF/, '');
  if (html.trim() === '') throw refuse('empty body where an HTML page was expected');
  if (/^\s*[[{]/.test(html)) throw refuse('JSON where an HTML page was expected');
  if (!looksLikeHtml(html)) throw refuse('not an HTML page');
  const headEnd = html.search(/<\/head\s*>/i);
  const head = headEnd < 0 ? html : html.slice(0, headEnd);
  const titleMatch = /<title\b[^>]*>([\s\S]*?)<\/title\s*>/i.exec(head);
  const title = titleMatch ? plainText(titleMatch[1]) : null;
  // A page holding the site's own content blocks is not tested at all: the scripts' scan costs a pass over the page.
  const challenge = !site.isContentPage?.(html) && ((title !== null && CHALLENGE_TITLES.test(title)) || challengeMarker(html) !== undefined);
  if (challenge) throw refuse(`a bot challenge or block page ("${title ?? 'no title'}"), not the page asked for`);
  if (!/<\/html\s*>/i.test(html.slice(-4096))) throw refuse('truncated page (no closing </html>)');
  const own = (host: string) => host === site.domain || host.endsWith(`.${site.domain}`);
  const meta = headMeta(head);
  const hosts = [canonicalHref(head), meta.get('og:url')].flatMap((href) => (href && URL.canParse(href, url) ? [new URL(href, url).hostname.toLowerCase()] : []));
  const foreign = hosts.find((host) => !own(host));
  if (foreign) throw refuse(`a page of ${foreign}, not of ${site.name}`);
  const siteName = plainText(meta.get('og:site_name') ?? null);
  if (siteName && !siteName.toLowerCase().includes(site.name.toLowerCase())) throw refuse(`a page of ${siteName}, not of ${site.name}`);
  const page = { html, head, title, siteName };
  if (site.claims && hosts.length === 0 && !site.claims(page)) throw refuse(`not a ${site.name} page (title "${title ?? ''}")`);
  return page;
}
