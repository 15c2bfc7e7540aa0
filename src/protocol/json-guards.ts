// Untrusted JSON: parsing it without a throw, and the two checks every reader needs before it looks
// inside a value.

/** A JSON object, its fields not yet checked. */
export type Json = Record<string, unknown>;

/** The value `text` holds, or undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
