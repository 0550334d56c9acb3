/**
 * Title folding for search: lower case, accents and punctuation removed, so "Amélie!" and "amelie" match.
 * The package reader (`package/index.cjs`) folds queries the same way; keep the two in step.
 */

/** `text` folded for matching: NFD without combining marks, lower case, runs of non-letters/digits as one space. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
