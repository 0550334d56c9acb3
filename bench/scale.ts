/**
 * One scale point: `build` (normalize + publish) over a synthetic observation store, as `npm run build`
 * runs it (`runPipeline` with the build step only), in this process alone. Prints the wall time of the build,
 * the records it published and this process's peak RSS.
 *
 * `tsx bench/scale.ts --observations <dir> --out <dir>`
 */
import { parseArgs } from 'node:util';
import { runPipeline } from '../src/pipeline/run.ts';
import { isMain, peakRssMb } from './child.ts';

/** What one build gave. */
export interface ScaleBuild {
  observations: number;
  records: number;
  buildMs: number;
  peakRssMb: number;
  version: string | null;
  /** Why nothing was published, if it was refused. */
  refused?: string[];
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({ options: { observations: { type: 'string' }, out: { type: 'string' } } });
  if (!values.observations || !values.out) throw new Error('usage: tsx bench/scale.ts --observations <dir> --out <dir>');
  const started = performance.now();
  const report = await runPipeline({
    steps: { collect: false, build: true },
    observationsDir: values.observations,
    outDir: values.out,
    date: new Date('2026-11-27T00:00:00Z'),
  });
  const result: ScaleBuild = {
    observations: report.observations,
    records: report.build?.movies ?? 0,
    buildMs: performance.now() - started,
    peakRssMb: peakRssMb(),
    version: report.publish?.version ?? null,
    ...(report.refused && { refused: report.refused }),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
