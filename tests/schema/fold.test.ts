/**
 * One title fold: the pipeline's (`lib/fold.ts`, which keys `movies.titles.json` and the title lookups'
 * matcher) and the package reader's (`fold`, which folds search queries and which the example site uses for its
 * own search) give the same key for every title the corpus and the dataset hold, and for titles written to
 * catch a difference (accents, compatibility forms, ligatures, punctuation, other scripts).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fold } from '../../src/lib/fold.ts';
import { REPO_ROOT, corpusIndex } from '../helpers/corpus.ts';

const reader = createRequire(import.meta.url)(path.join(REPO_ROOT, 'src/publish/package/index.cjs')) as { fold(text: string): string; search(text: string): unknown[] };
const dataset = createRequire(import.meta.url)(path.join(REPO_ROOT, 'dataset/records/movies.json')) as { title: string | null; originalTitle?: string }[];

const WRITTEN = [
  'Amélie!',
  'Le Fabuleux Destin d’Amélie Poulain',
  'Spider-Man: No Way Home',
  'ＦＵＬＬ ＷＩＤＴＨ',
  'ﬁnding ﬂoating',
  'Ⅱ Ⅲ ½',
  'Ｗ.Ｅ.',
  '  Deadpool & Wolverine  ',
  'Crouching Tiger, Hidden Dragon (臥虎藏龍)',
  'Смерть Кощея',
  'Ça va ? Ğ Ş İ',
  'A\u0301\u0328\u0308 combining',
  '',
];

describe('the title fold', () => {
  it('is the same in the pipeline and in the package reader, for every title of the corpus and the dataset', () => {
    const titles = new Set(WRITTEN);
    for (const m of dataset) for (const t of [m.title, m.originalTitle]) if (t) titles.add(t);
    for (const e of corpusIndex()) {
      const movie = (e.movie ?? {}) as { title?: string };
      if (movie.title) titles.add(movie.title);
    }
    expect(titles.size).toBeGreaterThan(100);
    const differ = [...titles].filter((t) => fold(t) !== reader.fold(t));
    expect(differ).toEqual([]);
  });

  it('folds case, accents, compatibility forms and punctuation away', () => {
    expect(fold('Amélie!')).toBe('amelie');
    expect(fold('ＦＵＬＬ ＷＩＤＴＨ')).toBe('full width');
    expect(fold('ﬁnding')).toBe('finding');
    expect(fold('Spider-Man: No Way Home')).toBe('spider man no way home');
  });
});
