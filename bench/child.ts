/**
 * Child processes of the benchmark: every measurement runs in a process of its own, so that one does not
 * warm up, fill or fragment the heap of the next, and its peak memory is its own (`maxRSS`).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** The peak resident set size of this process so far, in MB. */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Whether the module at `moduleUrl` is the script this process was started with. */
export function isMain(moduleUrl: string): boolean {
  return Boolean(process.argv[1]) && moduleUrl === pathToFileURL(path.resolve(process.argv[1]!)).href;
}

/** What a child printed on its last stdout line (JSON), and how long it ran. */
export interface ChildResult<T> {
  result: T;
  wallMs: number;
}

/**
 * Runs `node [--import tsx] <script> ...args` and parses its last stdout line as JSON. Rejects with the
 * child's stderr when it exits non-zero. `timeoutMs` ends a child that hangs (a benchmark stops by itself).
 */
export function runChild<T>(script: string, args: readonly string[], options: { typescript?: boolean; timeoutMs?: number; cwd?: string } = {}): Promise<ChildResult<T>> {
  const node = [...(options.typescript === false ? [] : ['--import', 'tsx']), script, ...args];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, node, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20 * 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const wallMs = performance.now() - started;
      if (code !== 0) {
        reject(new Error(`${path.basename(script)} ${args.join(' ')} ${signal ? `killed (${signal})` : `exited ${code}`}:\n${stderr.trim().slice(-2000)}`));
        return;
      }
      const last = stdout.trim().split('\n').at(-1) ?? '';
      try {
        resolve({ result: JSON.parse(last) as T, wallMs });
      } catch {
        reject(new Error(`${path.basename(script)} printed no result:\n${stdout.slice(-500)}\n${stderr.slice(-1000)}`));
      }
    });
  });
}
