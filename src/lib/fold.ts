/**
 * The title fold: lower case, accents, compatibility forms and punctuation removed, so "Amélie!" and "amelie"
 * match. The one fold of the pipeline — search keys of the package (`movies.titles.json`) and the title lookups'
 * matcher (`scrapers/match.ts`) — and of the package reader, which folds queries the same way
 * (`tests/schema/fold.test.ts` checks that both give the same keys).
 */

/** `text` folded: NFKD without combining marks, lower case, runs of non-letters/digits as one space. */
export function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
