/**
 * The one "whole page of this site" guard of the HTML sources (IMDb, Metacritic, Rotten Tomatoes). What a
 * parser is given is refused — an `UnexpectedContentError` naming the source and the URL, never a layout
 * change — when it is not a whole HTML page of the site asked for:
 * - empty, JSON, or not HTML at all;
 * - a bot challenge or block page served with HTTP 200 (Cloudflare, AWS WAF, Akamai, Imperva, PerimeterX), known
 *   by its title or its challenge script — unless the site's real pages carry such markers (Rotten Tomatoes
 *   embeds reCAPTCHA keys), when only a page without the site's content blocks is tested;
 * - cut short: no closing `</html>` in its last 4 KB (trailers some servers add after it stay within them);
 * - another site's page: its canonical link or `og:url` names another host, or its `og:site_name` another site;
 * - a page that does not say it is the site's, for a site whose pages always do (IMDb's title).
 * Head-only facts (canonical link, og: tags, title) are read in the head, never in the whole page.
 */
import { UnexpectedContentError } from '../errors.ts';
import { plainText } from '../lib/text.ts';
import type { SourceId } from '../schema/sources.ts';
import { canonicalUrl, looksLikeHtml, metaContent } from './html.ts';

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
}

const CHALLENGE_TITLES = /^(just a moment|attention required|access denied|robot check|are you a robot|pardon our interruption|security check|verifying you are human)\b/i;
const CHALLENGE_SCRIPTS = [
  /challenges\.cloudflare\.com|\/cdn-cgi\/challenge-platform\/|_cf_chl_opt|\bcf-chl-/i,
  /captcha-delivery\.com|\bpx-captcha\b|_Incapsula_Resource/i,
  /window\.gokuProps|awsWafCookieDomainList|\.awswaf\.com\//,
];

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
  const challenge = (title !== null && CHALLENGE_TITLES.test(title)) || CHALLENGE_SCRIPTS.some((script) => script.test(html));
  if (challenge && !site.isContentPage?.(html)) throw refuse(`a bot challenge or block page ("${title ?? 'no title'}"), not the page asked for`);
  if (!/<\/html\s*>/i.test(html.slice(-4096))) throw refuse('truncated page (no closing </html>)');
  const own = (host: string) => host === site.domain || host.endsWith(`.${site.domain}`);
  const hosts = [canonicalUrl(head), metaContent(head, 'og:url')].flatMap((href) => (href && URL.canParse(href, url) ? [new URL(href, url).hostname.toLowerCase()] : []));
  const foreign = hosts.find((host) => !own(host));
  if (foreign) throw refuse(`a page of ${foreign}, not of ${site.name}`);
  const siteName = plainText(metaContent(head, 'og:site_name') ?? null);
  if (siteName && !siteName.toLowerCase().includes(site.name.toLowerCase())) throw refuse(`a page of ${siteName}, not of ${site.name}`);
  const page = { html, head, title };
  if (site.claims && hosts.length === 0 && !site.claims(page)) throw refuse(`not a ${site.name} page (title "${title ?? ''}")`);
  return page;
}
