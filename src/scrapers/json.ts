/**
 * Reading a JSON API's bodies, the same way for every JSON source: an empty body, an HTML page or a body cut
 * short is an `UnexpectedContentError`; an error body (which some APIs send with HTTP 200) is the source's
 * own `SourceApiError`; a body of the wrong shape names what was expected. `__proto__`/`constructor` keys
 * never reach an object (`safeJsonParse`).
 */
import type { z } from 'zod';
import { SourceApiError, UnexpectedContentError, formatIssues } from '../errors.ts';
import type { SourceId } from '../schema/sources.ts';
import { safeJsonParse } from '../lib/json.ts';

export interface JsonApi {
  /** The body's JSON; throws `UnexpectedContentError`, or the API's error as a `SourceApiError`. */
  read(body: string, url: string): unknown;
  /** `json` as `schema` says, or an `UnexpectedContentError` naming `what` was expected and the first issues. */
  validate<S extends z.ZodType>(schema: S, json: unknown, url: string, what: string): z.infer<S>;
  /** An error body (any status) as a `SourceApiError`; null for anything else. For `Source.apiError`. */
  parseApiError(status: number, body: string, url: string): SourceApiError | null;
}

/**
 * @param source the source id errors name
 * @param article the API's name with its article, for messages ("a TMDB", "an OMDb")
 * @param errorFromJson reads the API's error bodies; null when a body is not one
 */
export function jsonApi(
  source: SourceId,
  article: string,
  errorFromJson: (json: unknown, status: number, url: string) => SourceApiError | null = () => null,
): JsonApi {
  const parse = (body: string): unknown => safeJsonParse(body.replace(/^\uFEFF/, ''));
  return {
    read(body, url) {
      const text = body.replace(/^\uFEFF/, '');
      if (text.trim() === '') throw new UnexpectedContentError(source, url, 'empty body where JSON was expected');
      if (/^\s*</.test(text)) throw new UnexpectedContentError(source, url, 'HTML (or XML) where JSON was expected');
      let json: unknown;
      try {
        json = parse(text);
      } catch (e) {
        throw new UnexpectedContentError(source, url, `body is not JSON, or is cut short (${e instanceof Error ? e.message : String(e)})`);
      }
      const apiError = errorFromJson(json, 200, url);
      if (apiError) throw apiError;
      return json;
    },
    validate(schema, json, url, what) {
      const result = schema.safeParse(json);
      if (!result.success) throw new UnexpectedContentError(source, url, `not ${article} ${what}:\n${formatIssues(result.error.issues, 5).join('\n')}`);
      return result.data;
    },
    parseApiError(status, body, url) {
      let json: unknown;
      try {
        json = parse(body);
      } catch {
        return null;
      }
      return errorFromJson(json, status, url);
    },
  };
}
