/**
 * The set-up shared by the HTTP client tests: a loopback "site", a second loopback address that stands for a
 * foreign (or internal) host, one undici Agent, and a client whose backoff waits are recorded instead of slept.
 */
import { Agent } from 'undici';
import { afterAll, beforeAll } from 'vitest';
import { HttpClient, type ClientOptions, type GetOptions, type HttpEvent } from '../../src/http/client.ts';
import { startLoopback, type Loopback } from './loopback.ts';

export interface LoopbackSites {
  /** The site the client is allowed to fetch from (127.0.0.1). */
  readonly server: Loopback;
  /** Another loopback address: to the client another host, which it must never reach. */
  readonly foreign: Loopback;
  readonly agent: Agent;
}

/** Starts the sites before the file's tests and closes them after; read them inside tests. */
export function useLoopbackSites(): LoopbackSites {
  const sites = {} as { server: Loopback; foreign: Loopback; agent: Agent };
  beforeAll(async () => {
    sites.server = await startLoopback();
    sites.foreign = await startLoopback({ host: '127.0.0.2' });
    sites.foreign.on('/', (_req, res) => res.end('you should not be here'));
    sites.agent = new Agent({ connect: { timeout: 2_000 } });
  });
  afterAll(async () => {
    await sites.agent.destroy();
    await sites.server.close();
    await sites.foreign.close();
  });
  return sites;
}

/** A request of the test source, allowed on the loopback site only. */
export const GET: GetOptions = { source: 'test', allowedHosts: ['127.0.0.1'] };

/** A live client on `agent` whose backoff waits are recorded (not slept) and whose events are kept. */
export function recordingClient(agent: Agent, options: Partial<ClientOptions> = {}): { client: HttpClient; delays: number[]; events: HttpEvent[] } {
  const delays: number[] = [];
  const events: HttpEvent[] = [];
  const client = new HttpClient({
    dispatcher: agent,
    mode: 'live',
    userAgent: 'stingerdb-test/1.0 (+https://example.test/stingerdb)',
    sleep: async (ms) => {
      delays.push(ms);
    },
    onEvent: (event) => events.push(event),
    ...options,
  });
  return { client, delays, events };
}
