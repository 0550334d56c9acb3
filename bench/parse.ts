/**
 * Parse throughput: each source's real page parser (the `parse` of the request a page answers) on every
 * corpus page of that source, many rounds, beside baselines on the same bytes — for HTML sources the default
 * `cheerio.load` (parse5), `cheerio/slim` (htmlparser2 backend), htmlparser2's `Parser` and its bare
 * `Tokenizer` with no-op callbacks; for JSON sources `JSON.parse`. Each parser's output is compared with the
 * values `index.json` expects and must be the same in every round.
 *
 * Prints one JSON object (`ParseResult`); `bench/run.ts` runs it in a child process of its own. Each reader
 * runs three trials of 0.4 s (`--quick`: 70 ms) and its median trial is reported.
 */
import { load as cheerioLoad } from 'cheerio';
import { load as cheerioSlimLoad } from 'cheerio/slim';
import { Parser, Tokenizer } from 'htmlparser2';
import { stableStringify } from '../src/lib/json.ts';
import { isMain } from './child.ts';
import { HTML_SOURCES, checkExpected, corpusPages, observationsOf, type CorpusPage } from './corpus.ts';

/** Throughput of one reader over a source's pages. */
export interface Throughput {
  mbPerSecond: number;
  pagesPerSecond: number;
}

/** One source's row. */
export interface SourceParseResult {
  source: string;
  html: boolean;
  pages: number;
  bytes: number;
  parser: Throughput;
  /** Baselines on the same bytes, by name. */
  baselines: Record<string, Throughput>;
  /** Parser throughput ÷ default `cheerio.load` throughput (HTML sources). */
  vsCheerio?: number;
  /** Expected values (index.json) found in the output with the same value, and those found with another. */
  expected: { matched: number; mismatched: string[] };
  /** Every round gave the same observations, and every page gave some. */
  stable: boolean;
}

export interface ParseResult {
  sources: SourceParseResult[];
  /** Corpus pages no parser reads today (left out), with why. */
  skipped: string[];
}

const noop = () => undefined;
const TOKENIZER_CALLBACKS = {
  onattribdata: noop,
  onattribentity: noop,
  onattribend: noop,
  onattribname: noop,
  oncdata: noop,
  onclosetag: noop,
  oncomment: noop,
  ondeclaration: noop,
  onend: noop,
  onopentagend: noop,
  onopentagname: noop,
  onprocessinginstruction: noop,
  onselfclosingtag: noop,
  ontext: noop,
  ontextentity: noop,
};

const BASELINES: Record<'html' | 'json', Record<string, (text: string) => unknown>> = {
  html: {
    'cheerio.load': (text) => cheerioLoad(text),
    'cheerio/slim': (text) => cheerioSlimLoad(text),
    'htmlparser2 Parser': (text) => new Parser({}).end(text),
    'htmlparser2 Tokenizer': (text) => {
      const tokenizer = new Tokenizer({}, TOKENIZER_CALLBACKS);
      tokenizer.write(text);
      tokenizer.end();
    },
  },
  json: { 'JSON.parse': (text) => JSON.parse(text) },
};

/** Trials per reader: the median is reported (the machine is shared; one slow trial is noise, not the parser). */
const TRIALS = 3;

/** Runs `read` over every page for at least `minMs`, `TRIALS` times (after a warm-up round); the median trial. */
function measure(pages: readonly CorpusPage[], read: (page: CorpusPage) => unknown, minMs: number): Throughput {
  for (const page of pages) read(page);
  const bytes = pages.reduce((n, p) => n + p.bytes.length, 0);
  const trials: Throughput[] = [];
  for (let trial = 0; trial < TRIALS; trial++) {
    let rounds = 0;
    const started = performance.now();
    let elapsed = 0;
    do {
      for (const page of pages) read(page);
      rounds++;
      elapsed = performance.now() - started;
    } while (elapsed < minMs);
    const seconds = elapsed / 1000;
    trials.push({ mbPerSecond: (bytes * rounds) / 1e6 / seconds, pagesPerSecond: (pages.length * rounds) / seconds });
  }
  return trials.sort((a, b) => a.mbPerSecond - b.mbPerSecond)[Math.floor(TRIALS / 2)]!;
}

export function runParseBench(options: { quick: boolean }): ParseResult {
  const minMs = options.quick ? 70 : 400;
  const { pages, skipped } = corpusPages();
  const bySource = new Map<string, CorpusPage[]>();
  for (const page of pages) bySource.set(page.source, [...(bySource.get(page.source) ?? []), page]);
  const sources: SourceParseResult[] = [];
  for (const [source, list] of bySource) {
    const html = HTML_SOURCES.includes(list[0]!.source);
    const reference = list.map((p) => stableStringify(observationsOf(p.request.parse(p.text, p.url))));
    let stable = reference.every((r) => r !== '[]');
    const parser = measure(
      list,
      (page) => {
        const output = page.request.parse(page.text, page.url);
        // One page in seven is compared in full each round: a parser whose output drifts is caught, cheaply.
        if (page.bytes.length % 7 === 0 && stableStringify(observationsOf(output)) !== reference[list.indexOf(page)]) stable = false;
        return output;
      },
      minMs,
    );
    const baselines: Record<string, Throughput> = {};
    for (const [name, read] of Object.entries(BASELINES[html ? 'html' : 'json'])) baselines[name] = measure(list, (page) => read(page.text), minMs);
    const expected = { matched: 0, mismatched: [] as string[] };
    list.forEach((page) => {
      const check = checkExpected(page, observationsOf(page.request.parse(page.text, page.url)));
      expected.matched += check.matched;
      expected.mismatched.push(...check.mismatched.map((m) => `${page.entry.file}: ${m}`));
    });
    sources.push({
      source,
      html,
      pages: list.length,
      bytes: list.reduce((n, p) => n + p.bytes.length, 0),
      parser,
      baselines,
      ...(html && { vsCheerio: parser.mbPerSecond / baselines['cheerio.load']!.mbPerSecond }),
      expected,
      stable,
    });
  }
  sources.sort((a, b) => Number(b.html) - Number(a.html) || a.source.localeCompare(b.source));
  return { sources, skipped };
}

if (isMain(import.meta.url)) {
  process.stdout.write(`${JSON.stringify(runParseBench({ quick: process.argv.includes('--quick') }))}\n`);
}
