/**
 * Points sources at a loopback server without changing them: an undici dispatcher that sends requests for
 * the given origins (`https://api.themoviedb.org`) to another (`http://127.0.0.1:<port>`). The pipeline and
 * its sources keep their real URLs, hosts and parsers; only the socket goes elsewhere.
 */
import { Agent, type Dispatcher } from 'undici';

export function mirrorDispatcher(routes: Readonly<Record<string, string>>): Dispatcher {
  return new Agent({ connect: { timeout: 5_000 } }).compose(
    (dispatch) => (options, handler) => {
      const target = routes[String(options.origin)];
      return dispatch(target ? { ...options, origin: target } : options, handler);
    },
  );
}
