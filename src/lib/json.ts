/**
 * JSON as stingerdb writes and reads it: sorted keys, so the same data always gives the same bytes; and a
 * parse that never lets `__proto__` or `constructor` keys reach a prototype.
 */

/** Sorted-keys JSON (deterministic output: the same data always serializes to the same bytes). */
export function stableStringify(value: unknown, indent?: number): string {
  return JSON.stringify(sortKeys(value), null, indent);
}

export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/**
 * JSON.parse that never lets `__proto__` or `constructor` keys reach an object's prototype: such keys are
 * dropped while parsing.
 */
export function safeJsonParse(text: string): unknown {
  // The reviver costs a call per value: only texts that could hold such a key pay it.
  if (!/__proto__|constructor|prototype/.test(text)) return JSON.parse(text);
  return JSON.parse(text, function reviver(key, value) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') return undefined;
    return value;
  });
}
