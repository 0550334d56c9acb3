import { describe, expect, it } from 'vitest';
import { canonicalUrl, jsonLdObjects, jsonLdOfType, looksLikeHtml, metaContent, scriptJsonById } from '../../src/scrapers/html.ts';
import { corpusText } from '../helpers/corpus.ts';

describe('structured data without a DOM', () => {
  it('finds the JSON-LD Movie of a real page (Metacritic 2026)', () => {
    const html = corpusText('metacritic/metacritic_movie_the-dark-knight_2008_2026_jsonld_TRIMMED.html');
    const { objects, errors } = jsonLdObjects(html);
    expect(errors).toEqual([]);
    const movie = jsonLdOfType(objects, 'Movie');
    expect(movie?.name).toBe('The Dark Knight');
    expect((movie?.aggregateRating as { ratingValue: number }).ratingValue).toBe(85);
  });

  it('reads a script block by id (RT #media-scorecard-json, padded with whitespace)', () => {
    const html = corpusText('rottentomatoes/rt_m_the_dark_knight_2008_2026_media-scorecard-json_TRIMMED.html');
    const read = scriptJsonById(html, 'media-scorecard-json');
    expect(read?.ok).toBe(true);
    expect(read?.ok && (read.value as { criticsScore: { score: string } }).criticsScore.score).toBe('94');
    expect(scriptJsonById(html, 'no-such-id')).toBeNull();
  });

  it('reports a broken JSON-LD block instead of throwing', () => {
    const html = '<script type="application/ld+json">{"@type":"Movie",</script><script type="application/ld+json">{"@type":"Movie","name":"X"}</script>';
    const { objects, errors } = jsonLdObjects(html);
    expect(objects).toHaveLength(1);
    expect(errors).toHaveLength(1);
  });

  it('reads meta tags and the canonical link, entities decoded', () => {
    const html = '<head><meta property="og:title" content="Ferris Bueller&apos;s Day Off (1986)"><link rel="canonical" href="https://www.imdb.com/title/tt0091042/"></head>';
    expect(metaContent(html, 'og:title')).toBe("Ferris Bueller's Day Off (1986)");
    expect(canonicalUrl(html)).toBe('https://www.imdb.com/title/tt0091042/');
  });

  it('keeps __proto__ keys out of parsed JSON', () => {
    const read = scriptJsonById('<script id="d">{"__proto__":{"polluted":1},"a":1}</script>', 'd');
    expect(read?.ok && read.value).toEqual({ a: 1 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('tells an HTML page from JSON', () => {
    expect(looksLikeHtml('<!DOCTYPE html><html>')).toBe(true);
    expect(looksLikeHtml('  <html lang="en">')).toBe(true);
    expect(looksLikeHtml('{"a":1}')).toBe(false);
  });
});

describe('hostile nesting in JSON-LD', () => {
  it('deeply nested arrays (as a block or as @type) are neither walked nor stringified into a stack overflow', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const html = `<script type="application/ld+json">${deep}</script><script type="application/ld+json">{"@type":${deep},"name":"X"}</script><script type="application/ld+json">{"@type":"Movie","name":"Y"}</script>`;
    const { objects } = jsonLdObjects(html);
    expect(jsonLdOfType(objects, 'Movie')?.name).toBe('Y');
  });
});
