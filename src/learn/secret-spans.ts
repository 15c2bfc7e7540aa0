// What the human approves is what is sent, and secrets never reach disk: texts are shown and kept
// redacted, and a `[REDACTED:kind]` marker in an approved text stands for the secret it replaced in
// the human's own message. One rule rebuilds it, for accept, for an edit and after a restart (from
// the original the client resends). Where the marker cannot be tied to one secret, it is not guessed.

import { redact } from '../capture/redact.js';

const MARKER = /\[REDACTED(?::[a-z0-9-]+)?\]/g;

export interface SecretSpan {
  marker: string;
  secret: string;
}

/** The secrets redact() took out of `original`, each with the marker that replaced it, in order; undefined when they cannot be told apart. */
export function secretSpans(original: string): SecretSpan[] | undefined {
  const redacted = redact(original);
  if (redacted === original) return [];
  const markers = [...redacted.matchAll(MARKER)].map((m) => m[0]);
  const segments = redacted.split(MARKER);
  if (!original.startsWith(segments[0]!)) return undefined;
  const out: string[] = [];
  let budget = 200; // backtracking bound: a text built to confuse this costs little, then gives up
  const place = (i: number, pos: number): boolean => {
    if (budget-- <= 0) return false;
    if (i === markers.length) return pos === original.length;
    const next = segments[i + 1]!;
    const last = i + 1 === markers.length;
    const candidates: number[] = [];
    if (last) {
      if (original.endsWith(next) && original.length - next.length > pos) candidates.push(original.length - next.length);
    } else if (next === '') {
      return false; // two markers side by side: where one secret ends is unknowable
    } else {
      for (let q = original.indexOf(next, pos + 1); q >= 0; q = original.indexOf(next, q + 1)) candidates.push(q);
      // A secret is one unbroken run of characters in most patterns: the longest such split first.
      const run = (q: number) => !/\s/.test(original.slice(pos, q));
      candidates.sort((a, b) => (run(a) === run(b) ? (run(a) ? b - a : a - b) : run(a) ? -1 : 1));
    }
    for (const q of candidates) {
      out[i] = original.slice(pos, q);
      if (place(i + 1, q + next.length)) return true;
    }
    return false;
  };
  if (!place(0, segments[0]!.length)) return undefined;
  return markers.map((marker, i) => ({ marker, secret: out[i]! }));
}

export interface Restored {
  text: string;
  /** Markers that could not be tied to one secret of the original (left as they are). */
  unresolved: number;
}

/**
 * `text` with each marker replaced by the secret it stands for in `original`: the only secret behind
 * that marker, or, when the original has several, the one in the same place in order (when the text
 * has as many of that marker as the original).
 */
export function restoreSecrets(text: string, original: string): Restored {
  if (text.search(MARKER) < 0) return { text, unresolved: 0 };
  const spans = secretSpans(original) ?? [];
  const byMarker = new Map<string, string[]>();
  for (const s of spans) byMarker.set(s.marker, [...(byMarker.get(s.marker) ?? []), s.secret]);
  const inText = new Map<string, number>();
  for (const m of text.matchAll(MARKER)) inText.set(m[0], (inText.get(m[0]) ?? 0) + 1);
  const seen = new Map<string, number>();
  let unresolved = 0;
  const out = text.replace(MARKER, (marker) => {
    const nth = seen.get(marker) ?? 0;
    seen.set(marker, nth + 1);
    const secrets = byMarker.get(marker) ?? [];
    const distinct = new Set(secrets);
    if (distinct.size === 1) return secrets[0]!;
    if (distinct.size > 1 && inText.get(marker) === secrets.length) return secrets[nth]!;
    unresolved++;
    return marker;
  });
  return { text: out, unresolved };
}
