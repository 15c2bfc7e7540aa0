// How the fake upstream answers kx's own insight calls, told apart from agent traffic by the
// structured-output schema they name (`text.format.name`). By default it answers from what it is
// sent, deterministically, so end-to-end runs get real notes; tests script answers and faults.

import type { Json } from '../../src/protocol/json-guards.js';

export const INSIGHT_SCHEMAS = new Set(['turn_insight', 'session_summary']);

export type InsightScenario =
  | { kind: 'answer'; output: unknown }
  /** Text that is not the schema's JSON. */
  | { kind: 'invalid' }
  | { kind: 'http-error'; status: number; body?: unknown; headers?: Record<string, string> }
  /** The connection drops half-way through the answer. */
  | { kind: 'cut' }
  /** No answer for `ms`, or until `release` settles; then `output` if given, else the default answer. */
  | { kind: 'stall'; ms: number; release?: Promise<unknown>; output?: unknown }
  /** A broken model server: an answer of `bytes` bytes, sent as fast as the client reads. */
  | { kind: 'huge'; bytes: number };

export function insightSchemaOf(body: unknown): string | undefined {
  const name = (body as { text?: { format?: { name?: unknown } } } | undefined)?.text?.format?.name;
  return typeof name === 'string' && INSIGHT_SCHEMAS.has(name) ? name : undefined;
}

/** The text of the call's input (one user message with one input_text part, as kx sends it). */
export function insightInputText(body: Json): string {
  const input = body.input;
  if (typeof input === 'string') return input;
  if (!Array.isArray(input)) return '';
  return input
    .flatMap((m) => (Array.isArray((m as Json).content) ? ((m as Json).content as Json[]) : []))
    .map((c) => (typeof c.text === 'string' ? c.text : ''))
    .join('');
}

/**
 * `text` cut to about `max` characters where a model would stop: after a sentence that ends past a
 * third of the room, else at a word's end, never inside a word (`StripeSignatureVerificationE`).
 */
export function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const head = flat.slice(0, max + 1);
  const sentence = Math.max(...['. ', '? ', '! '].map((end) => head.lastIndexOf(end)));
  if (sentence >= max / 3) return flat.slice(0, sentence + 1);
  const space = head.lastIndexOf(' ');
  const word = space > 0 ? space : flat.indexOf(' ', max) < 0 ? flat.length : flat.indexOf(' ', max);
  return `${flat.slice(0, word).replace(/[\s,;:(-]+$/, '')}…`;
}

const between = (text: string, tag: string): string[] => [...text.matchAll(new RegExp(`<${tag}[^>]*>\\n?([\\s\\S]*?)\\n?</${tag}>`, 'g'))].map((m) => m[1]!);

/** A turn note made from the turn itself: a "what is X?" in the human's words becomes a gap. */
export function defaultTurnInsight(input: string): Json {
  const human = between(input, 'human')[0]?.trim() ?? '';
  const answered = between(input, 'assistant').length > 0;
  const openGaps = (between(input, 'open_gaps')[0] ?? '')
    .split('\n')
    .map((l) => l.split(' | '))
    .filter((p) => p.length >= 3 && p[0]!.startsWith('g_'));
  const ask = /what (?:is|are|does) ([^?]+)\?/i.exec(human);
  const gaps: Json[] = [];
  if (ask) {
    const topic = ask[1]!.replace(/[`'"]/g, '').replace(/\s+do$/i, '').trim();
    const known = openGaps.find((g) => g[1]!.toLowerCase() === topic.toLowerCase());
    gaps.push({ topic, question: ask[0], evidence: clip(human, 200), confidence: 0.9, existing_gap_id: known?.[0] ?? null });
  }
  const resolve = /\bgot it\b|\bnow I understand\b/i.test(human) ? openGaps.slice(0, 1).map((g) => ({ gap_id: g[0]!, how: 'The developer said they understood.' })) : [];
  // Function-call JSON ("cmd": "ls") and code-mode scripts (cmd: "ls") alike.
  const commands = between(input, 'tool_call').map((args) => /\bcmd"?\s*:\s*"([^"]+)"/.exec(args)?.[1] ?? null).filter((c): c is string => c !== null);
  return {
    summary: `Asked: ${clip(human, 100) || '(no message)'}`,
    action: commands.length ? `Ran ${commands.join(', ')} and answered.` : answered ? 'Answered in text.' : 'Did not answer.',
    outcome: answered ? 'succeeded' : 'unclear',
    gaps,
    confusion: between(input, 'error').map((e) => ({ what: 'The model call failed.', evidence: clip(e, 120) })),
    decisions: [],
    successes: commands.map((c) => `\`${c}\` worked.`),
    follow_ups: [],
    resolved_gaps: resolve,
    next_time: commands.length ? `Run \`${commands[0]}\` yourself first.` : null,
    playbook_steps: commands.map((c) => ({ step: 'Run the command', command: c })),
    search_terms: defaultSearchTerms(input),
  };
}

/** Other words for a few everyday symptoms: the fake's stand-in for the model's synonyms. */
const SYNONYMS: Array<[RegExp, string[]]> = [
  [/\blog(?:ged)? ?out\b|\bsign(?:ed)? ?out\b/i, ['signed out', 'session expired', 'logged out']],
  [/\bsame time\b|\bconcurrent/i, ['race condition', 'at the same time']],
  [/\btwice\b|\bduplicat/i, ['duplicate', 'runs twice', 'double']],
  [/\bout of memory\b|\boom/i, ['out of memory', 'oom killed', 'memory limit']],
  [/\btimes? ?out\b|\btimed out\b/i, ['timeout', 'hangs', 'too slow']],
  [/\brotated\b|\bsideways\b/i, ['rotated', 'sideways', 'orientation']],
];

/**
 * The turn as a model reads it: what was said, run and printed, without kx's tags and labels
 * (`<tool_call label="tool call exec_command">`) and with a tool call as its command, not its JSON keys.
 */
function turnWords(input: string): string {
  const turn = between(input, 'turn')[0] ?? input;
  return turn
    .replace(/<tool_call[^>]*>([\s\S]*?)<\/tool_call>/g, (_, args: string) => ` ${/\bcmd"?\s*:\s*"([^"]+)"/.exec(args)?.[1] ?? ''} `)
    .replace(/<\/?[a-z_]+(?:\s[^>]*)?>/g, ' ');
}

/** Search terms from the turn itself, deterministically: error names and identifiers as printed, and synonyms of known symptoms. */
export function defaultSearchTerms(input: string): string[] {
  const turn = turnWords(input);
  const names = turn.match(/\b[A-Za-z]*(?:Error|Exception)\b|\b[a-z]+_[a-z_]+\b|\b[A-Z][A-Z0-9]+_[A-Z0-9_]+\b/g) ?? [];
  const synonyms = SYNONYMS.filter(([re]) => re.test(turn)).flatMap(([, words]) => words);
  return [...new Set([...names, ...synonyms])].slice(0, 15);
}

export function defaultSessionSummary(input: string): Json {
  const turns = between(input, 'assistant');
  const summaries = turns.map((t) => /summary: (.*)/.exec(t)?.[1] ?? /human: (.*)/.exec(t)?.[1] ?? '').filter(Boolean);
  const commands = turns.flatMap((t) => [...t.matchAll(/: (\S.*)$/gm)].map((m) => m[1]!)).filter((c) => /^[a-z]+ -/.test(c));
  const open = (between(input, 'gaps')[0] ?? '').split('\n').filter((l) => l.includes('| open |'));
  return {
    title: `Session of ${turns.length} turn${turns.length === 1 ? '' : 's'}`,
    highlights: summaries,
    unresolved_questions: open.map((l) => l.split(' | ')[3] ?? '').filter(Boolean),
    next_repetitions: commands.length ? [`Run \`${commands[0]}\` without the agent`] : [],
    playbook: [...new Set(commands)].map((c) => ({ step: 'Run the command', command: c, why: null })),
  };
}

export function defaultInsightOutput(schema: string, body: Json): unknown {
  const input = insightInputText(body);
  return schema === 'turn_insight' ? defaultTurnInsight(input) : defaultSessionSummary(input);
}
