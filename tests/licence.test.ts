/**
 * The licences are stated, and agree with the code: LICENSE is the MIT licence of the code, and the README's
 * Licence section gives, per source of the registry and in its order, the terms its unit declares and the
 * attribution it asks for, word for word — and what that means for the package as a whole.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SOURCE_TERMS } from '../src/scrapers/index.ts';
import { REPO_ROOT } from './helpers/corpus.ts';

const read = (name: string) => readFileSync(path.join(REPO_ROOT, name), 'utf8');

/** The README's section under `## <title>`, up to the next `## ` heading. */
function section(title: string): string {
  const readme = read('README.md');
  const start = readme.indexOf(`\n## ${title}\n`);
  expect(start, `README.md has a "## ${title}" section`).toBeGreaterThan(-1);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

describe('LICENSE', () => {
  it('is the MIT licence of the stingerdb contributors, as package.json says', () => {
    const licence = read('LICENSE');
    expect(licence.split('\n')[0]).toBe('MIT License');
    expect(licence).toContain('Copyright (c) 2026 the stingerdb contributors');
    expect(licence).toContain('THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND');
    expect(JSON.parse(read('package.json')).license).toBe('MIT');
  });
});

describe('README.md, Licence', () => {
  it('names the code licence and LICENSE', () => {
    expect(section('Licence').replace(/\s+/g, ' ')).toMatch(/\*\*The code\*\*[^*]*MIT licence: \[LICENSE\]\(LICENSE\)/);
  });

  it('gives every source of the registry, in order, with the terms and attribution its unit declares', () => {
    const rows = section('Licence')
      .split('\n')
      .filter((line) => /^\| `/.test(line))
      .map((line) => line.slice(2, -2).split(' | '));
    expect(rows.map((r) => r[0])).toEqual(SOURCE_TERMS.map((s) => `\`${s.id}\``));
    for (const [row, terms] of rows.map((r, i) => [r, SOURCE_TERMS[i]!] as const)) {
      expect(row[1], `${terms.id}: the terms its unit declares`).toBe(terms.licence);
      expect(row[3], `${terms.id}: the attribution it asks for`).toBe(terms.attribution ?? '—');
      expect(row[2]!.length, `${terms.id}: what may be done with its data`).toBeGreaterThan(20);
    }
  });

  it('says what may be done per source: non-commercial TMDB and OMDb, CC0 Wikidata, MIT feeds — and so for the package', () => {
    const text = section('Licence');
    const allowed = (id: string) => text.split('\n').find((line) => line.startsWith(`| \`${id}\``))!.split(' | ')[2]!;
    expect(allowed('tmdb')).toMatch(/non-commercial use only.*commercial agreement/);
    expect(allowed('omdb')).toMatch(/non-commercial.*CC BY-NC 4\.0/);
    expect(allowed('wikidata')).toMatch(/commercial use included; no attribution required/);
    expect(allowed('aftercredits')).toMatch(/commercial use included, keeping its MIT notice/);
    expect(allowed('mcuapi')).toMatch(/commercial use included/);
    expect(text).toMatch(/\*\*The package as a whole\*\* is therefore for \*\*non-commercial use by default\*\*/);
  });
});
