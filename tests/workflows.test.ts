/**
 * The GitHub workflows are code too: valid YAML, actions pinned by commit, least permissions, and every
 * pipeline step an npm script that exists (so what CI runs can be run locally).
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/corpus.ts';

interface Step {
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  concurrency?: { group: string };
  jobs: Record<string, { if?: string; permissions?: Record<string, string>; steps: Step[] }>;
}

const dir = path.join(REPO_ROOT, '.github', 'workflows');
const scripts = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const workflows = Object.fromEntries(readdirSync(dir).map((name) => [name, parse(readFileSync(path.join(dir, name), 'utf8')) as Workflow]));
/** Steps that prepare the machine rather than do the project's work. */
const INFRASTRUCTURE = [/^mv shared-fixtures \.\.\/shared$/, /^sudo apt-get install /, /^exit 1$/];

describe.each(Object.keys(workflows))('%s', (name) => {
  const workflow = workflows[name]!;
  const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);

  it('pins every action to a full commit SHA', () => {
    for (const step of steps.filter((s) => s.uses)) expect(step.uses).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
  });

  it('reads only by default; a job asks for more itself', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
  });

  it('runs npm scripts that exist (and nothing else but machine set-up)', () => {
    for (const step of steps.filter((s) => s.run)) {
      const command = step.run!.trim();
      const npm = /^npm (?:run ([\w:-]+)|(ci|test))\b/.exec(command);
      if (npm) {
        if (npm[1]) expect(scripts, `${name}: npm run ${npm[1]}`).toHaveProperty(npm[1]);
        continue;
      }
      expect(INFRASTRUCTURE.some((pattern) => pattern.test(command)), `${name}: "${command}" is not an npm script`).toBe(true);
    }
  });
});

describe('nightly.yml', () => {
  const nightly = workflows['nightly.yml']!;
  const job = nightly.jobs.refresh!;

  it('runs on a schedule at an off-minute, and by hand', () => {
    const cron = (nightly.on.schedule as { cron: string }[])[0]!.cron;
    expect(cron.split(' ')[0]).not.toMatch(/^(0|00|30)$/);
    expect(nightly.on).toHaveProperty('workflow_dispatch');
  });

  it('never overlaps itself, never runs in a fork, asks only for what it uses', () => {
    expect(nightly.concurrency?.group).toBe('nightly');
    expect(job.if).toMatch(/github\.repository == /);
    expect(job.permissions).toEqual({ contents: 'write', 'id-token': 'write' });
  });

  it('takes keys from secrets, keeps the run state between runs, publishes with provenance only when the snapshot changed', () => {
    const pipeline = job.steps.find((s) => s.run?.startsWith('npm run pipeline'))!;
    expect(pipeline.env).toMatchObject({ TMDB_API_KEY: '${{ secrets.TMDB_API_KEY }}', OMDB_API_KEY: '${{ secrets.OMDB_API_KEY }}' });
    expect(job.steps.some((s) => s.uses?.startsWith('actions/cache/restore@') && s.with?.path === '.stingerdb')).toBe(true);
    expect(job.steps.some((s) => s.uses?.startsWith('actions/cache/save@') && s.if === 'always()')).toBe(true);
    const publish = job.steps.find((s) => s.run === 'npm run publish:dataset')!;
    expect(publish.if).toMatch(/dataset-changed == 'true'/);
    expect(scripts['publish:dataset']).toMatch(/--provenance/);
  });
});

describe('ci.yml', () => {
  it('installs exactly, typechecks, tests and checks the committed dataset for drift', () => {
    const runs = Object.values(workflows['ci.yml']!.jobs).flatMap((j) => j.steps).map((s) => s.run).filter(Boolean);
    expect(runs).toEqual(expect.arrayContaining(['npm ci', 'npm run typecheck', 'npm test', 'npm run check:dataset']));
  });
});
