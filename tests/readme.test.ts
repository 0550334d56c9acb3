/**
 * The README says what the code does: its source table is the registry's (`sourceTable`), row for row.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SOURCES, sourceTable } from '../src/scrapers/index.ts';
import { REPO_ROOT } from './helpers/corpus.ts';
import { readSnapshot, withCounts } from '../scripts/readme-counts.ts';

const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');

describe('README.md', () => {
  it('holds the source table the registry gives (else paste the expected table below into "Sources and terms")', () => {
    const table = sourceTable();
    expect(table.split('\n')).toHaveLength(SOURCES.length + 2);
    expect(readme.includes(`\n${table}\n`), `expected in README.md:\n${table}`).toBe(true);
  });

  it('says what the committed snapshot holds (else run npx tsx scripts/readme-counts.ts; commit:snapshot does it with each data commit)', () => {
    expect(readme).toBe(withCounts(readme, readSnapshot()));
    expect(readme).toMatch(/\*\*\d[\d,]* films\*\*, every one with an answer per slot/);
  });
});
