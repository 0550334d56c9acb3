/**
 * The package's `LICENSE`: the code under MIT (the repository's own LICENSE), and the data under the terms of
 * the sources this snapshot carries data of — each value comes from a source every record names — with what that
 * means for the package as a whole.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SourceTermsRef } from '../schema/sources.ts';

const CODE_LICENCE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'LICENSE');

/** Sources whose terms allow non-commercial use only (their values make the whole non-commercial). */
const NON_COMMERCIAL = new Set(['tmdb', 'omdb']);

export function packageLicence(sources: readonly SourceTermsRef[]): string {
  const nonCommercial = sources.filter((s) => NON_COMMERCIAL.has(s.id));
  return [
    'stingerdb dataset package — licences',
    '',
    '1. The code: index.js, index.cjs and the .d.ts / .d.cts files',
    '',
    readFileSync(CODE_LICENCE, 'utf8').trimEnd(),
    '',
    '2. The data: movies.json, movies.compact.json, movies.index.json, movies.titles.json, scores.json, changes.json',
    '   and CHANGES.md (and movies.sqlite, in the companion package stingerdb-sqlite)',
    '',
    'The data is not the project\'s to licence: each value comes under the terms of the source it was read from, and',
    'every record names that source (`sources`, each score\'s `source`, each piece of credit-scene `evidence`).',
    'This snapshot carries data of these sources:',
    '',
    ...sources.flatMap((s) => [`- ${s.name} (\`${s.id}\`): ${s.licence} — ${s.termsUrl}`, ...(s.attribution ? [`  Attribution: ${s.attribution}`] : [])]),
    '',
    nonCommercial.length
      ? `As a whole the package is for non-commercial use: its records carry values of ${nonCommercial.map((s) => s.name).join(' and ')}, whose terms ` +
        'allow non-commercial use only. Commercial use needs the agreements those sources offer, or only the values ' +
        'whose source\'s terms allow it.'
      : 'No source whose terms allow only non-commercial use contributed to this snapshot.',
    'Whoever redistributes the data or shows it gives the attributions above.',
    '',
  ].join('\n');
}
