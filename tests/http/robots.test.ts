import { describe, expect, it } from 'vitest';
import { ALLOW_ALL, DISALLOW_ALL, isAllowed, parseRobots, robotsUrl } from '../../src/http/robots.ts';

const site = 'https://www.example.org';

describe('robots.txt', () => {
  const robots = `
# a comment
User-agent: *
Disallow: /search
Allow: /search/about
Disallow: /*.json$
Crawl-delay: 2

User-agent: stingerdb
User-agent: otherbot
Disallow: /private/
Allow: /private/ok
Crawl-delay: 5
`;

  it('uses the group naming our product token rather than "*"', () => {
    const rules = parseRobots(robots);
    expect(rules.crawlDelaySeconds).toBe(5);
    expect(isAllowed(rules, `${site}/search?q=x`)).toBe(true);
    expect(isAllowed(rules, `${site}/private/page`)).toBe(false);
    expect(isAllowed(rules, `${site}/private/ok/page`)).toBe(true);
  });

  it('falls back to the "*" group; the longest rule wins and Allow wins a tie', () => {
    const rules = parseRobots(robots, 'somebot');
    expect(rules.crawlDelaySeconds).toBe(2);
    expect(isAllowed(rules, `${site}/search?search=The+Matrix`)).toBe(false);
    expect(isAllowed(rules, `${site}/search/about`)).toBe(true);
    expect(isAllowed(rules, `${site}/m/matrix`)).toBe(true);
    expect(isAllowed(parseRobots('User-agent: *\nDisallow: /a\nAllow: /a'), `${site}/a`)).toBe(true);
  });

  it('supports * and $ in patterns', () => {
    const rules = parseRobots(robots, 'somebot');
    expect(isAllowed(rules, `${site}/data/movies.json`)).toBe(false);
    expect(isAllowed(rules, `${site}/data/movies.json?x=1`)).toBe(true);
  });

  it('an empty Disallow and a missing file allow everything; an unreachable one disallows everything', () => {
    expect(isAllowed(parseRobots('User-agent: *\nDisallow:'), `${site}/anything`)).toBe(true);
    expect(isAllowed(ALLOW_ALL, `${site}/anything`)).toBe(true);
    expect(isAllowed(DISALLOW_ALL, `${site}/anything`)).toBe(false);
  });

  it('caps an absurd Crawl-delay at a minute and ignores an unreadable one', () => {
    expect(parseRobots('User-agent: *\nCrawl-delay: 86400').crawlDelaySeconds).toBe(60);
    expect(parseRobots('User-agent: *\nCrawl-delay: soon').crawlDelaySeconds).toBeNull();
  });

  it('knows where robots.txt lives', () => {
    expect(robotsUrl('https://www.rottentomatoes.com/m/matrix?x=1')).toBe('https://www.rottentomatoes.com/robots.txt');
  });
});
