/**
 * robots.txt (RFC 9309, plus the common `Crawl-delay` extension): HTML sources read a host's robots.txt
 * before their first request to it and obey it.
 *
 * - The group for our product token (`stingerdb`) applies, else the `*` group, else nothing is disallowed.
 * - Rules match URL paths (with the query) by prefix; `*` matches any run of characters and a final `$`
 *   anchors the end. The longest matching rule wins; on a tie `Allow` wins.
 * - A 4xx robots.txt (none published) allows everything; an unreachable one (5xx, network error) disallows
 *   everything for this run, as the RFC asks.
 * - `Crawl-delay: n` raises the host's minimum interval to n seconds (capped at a minute).
 */

export interface RobotsRules {
  /** Rules of the group that applies to us, in file order. */
  rules: { allow: boolean; pattern: string }[];
  /** Seconds between requests the host asks for, if any. */
  crawlDelaySeconds: number | null;
  /** Everything allowed (no robots.txt) or disallowed (unreachable). */
  blanket?: 'allow' | 'disallow';
}

export const ROBOTS_PRODUCT_TOKEN = 'stingerdb';
const MAX_CRAWL_DELAY_SECONDS = 60;
/** RFC 9309 asks crawlers to parse at least 500 KiB; more is ignored. */
const MAX_ROBOTS_BYTES = 512 * 1024;

export const ALLOW_ALL: RobotsRules = { rules: [], crawlDelaySeconds: null, blanket: 'allow' };
export const DISALLOW_ALL: RobotsRules = { rules: [], crawlDelaySeconds: null, blanket: 'disallow' };

interface Group {
  agents: string[];
  rules: { allow: boolean; pattern: string }[];
  crawlDelaySeconds: number | null;
}

/** Reads a robots.txt body into the rules that apply to `token`. */
export function parseRobots(body: string, token = ROBOTS_PRODUCT_TOKEN): RobotsRules {
  const groups: Group[] = [];
  let current: Group | null = null;
  let lastWasAgent = false;
  for (const rawLine of body.slice(0, MAX_ROBOTS_BYTES).split(/\r\n|\r|\n/)) {
    const line = rawLine.replace(/#.*$/, '').trim();
    const m = /^([A-Za-z-]+)\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    const field = m[1]!.toLowerCase();
    const value = m[2]!.trim();
    if (field === 'user-agent') {
      if (!current || !lastWasAgent) {
        current = { agents: [], rules: [], crawlDelaySeconds: null };
        groups.push(current);
      }
      current.agents.push(value.toLowerCase());
      lastWasAgent = true;
      continue;
    }
    lastWasAgent = false;
    if (!current) continue;
    if (field === 'allow' || field === 'disallow') {
      // An empty Disallow allows everything; an empty Allow says nothing.
      if (value === '') continue;
      current.rules.push({ allow: field === 'allow', pattern: value });
    } else if (field === 'crawl-delay') {
      const seconds = Number(value);
      if (Number.isFinite(seconds) && seconds >= 0) current.crawlDelaySeconds = Math.min(seconds, MAX_CRAWL_DELAY_SECONDS);
    }
  }
  const ours = token.toLowerCase();
  const matching = groups.filter((g) => g.agents.some((a) => a !== '*' && ours.startsWith(a.split('/')[0]!)));
  const chosen = matching.length ? matching : groups.filter((g) => g.agents.includes('*'));
  if (chosen.length === 0) return { rules: [], crawlDelaySeconds: null };
  // Several groups for the same agent are combined (RFC 9309 §2.2.1).
  return {
    rules: chosen.flatMap((g) => g.rules),
    crawlDelaySeconds: chosen.map((g) => g.crawlDelaySeconds).find((d) => d !== null) ?? null,
  };
}

/** Whether `url` may be fetched under these rules. */
export function isAllowed(rules: RobotsRules, url: string): boolean {
  if (rules.blanket) return rules.blanket === 'allow';
  const u = new URL(url);
  const target = `${u.pathname}${u.search}`;
  if (target === '/robots.txt') return true;
  let best: { length: number; allow: boolean } | null = null;
  for (const rule of rules.rules) {
    if (!matches(rule.pattern, target)) continue;
    const length = rule.pattern.length;
    if (!best || length > best.length || (length === best.length && rule.allow)) best = { length, allow: rule.allow };
  }
  return best ? best.allow : true;
}

function matches(pattern: string, target: string): boolean {
  const anchored = pattern.endsWith('$');
  const body = anchored ? pattern.slice(0, -1) : pattern;
  const source = body
    .split('*')
    .map((part) => escapeRegExp(normalizePercent(part)))
    .join('.*');
  return new RegExp(`^${source}${anchored ? '$' : ''}`).test(normalizePercent(target));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

/** Percent-escapes compare case-insensitively and unreserved characters compare decoded. */
function normalizePercent(text: string): string {
  return text.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => {
    const char = String.fromCharCode(parseInt(hex, 16));
    return /[A-Za-z0-9\-._~]/.test(char) ? char : `%${hex.toUpperCase()}`;
  });
}

/** The robots.txt URL of the host of `url`. */
export function robotsUrl(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}/robots.txt`;
}
