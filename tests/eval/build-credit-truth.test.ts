/**
 * `scripts/build-credit-truth.ts` as a user runs it: `--help` prints the usage, an unknown option is one line.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/corpus.ts';

const TSX = path.join(REPO_ROOT, 'node_modules/tsx/dist/loader.mjs');

describe('scripts/build-credit-truth.ts', () => {
  const script = (...args: string[]) => spawnSync(process.execPath, ['--import', TSX, path.join(REPO_ROOT, 'scripts/build-credit-truth.ts'), ...args], { cwd: REPO_ROOT, encoding: 'utf8' });

  it('--help prints its usage and exits 0; an unknown option is one line and exit 2, no stack', () => {
    const help = script('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: npx tsx scripts\/build-credit-truth\.ts --out <csv>/);
    const bogus = script('--bogus');
    expect(bogus.status).toBe(2);
    expect(bogus.stderr).toMatch(/^unknown option --bogus/);
    expect(bogus.stderr).not.toMatch(/^\s+at /m);
  });
});
