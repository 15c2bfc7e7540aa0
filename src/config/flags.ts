// The one command-line parser every kx command uses: options declared with their types and ranges,
// and every mistake said in plain words ("--limit must be a whole number from 1 to 100, got "-3"").
// util.parseArgs was not enough: it refuses a value that starts with a dash and words its errors for
// programmers.

import { ConfigError } from './config-error.js';
import { closestName } from './closest-name.js';

export type OptionSpec =
  | { type: 'boolean'; help?: string }
  | { type: 'string'; value: string; help?: string; choices?: readonly string[] }
  | { type: 'integer'; value: string; min: number; max: number; help?: string }
  /** A day of the calendar (YYYY-MM-DD) or an ISO 8601 time on one; kept as typed. */
  | { type: 'date'; value: string; help?: string };

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

type ValueOf<S extends OptionSpec> = S extends { type: 'boolean' } ? boolean : S extends { type: 'integer' } ? number : string;
export type OptionValues<O extends OptionSpecs> = { [K in keyof O]?: ValueOf<O[K]> };

export interface ParsedFlags<O extends OptionSpecs> {
  values: OptionValues<O>;
  positionals: string[];
  /** -h or --help was given. */
  help: boolean;
}

export interface FlagRules {
  /** Shown under every error. */
  usage: string;
  /** Words allowed besides the options (default none); more is an error naming the first extra one. */
  maxPositionals?: number;
}

const fail = (message: string, usage: string): never => {
  throw new ConfigError(`${message}\nUsage: ${usage}`);
};

/** `2026-02-30` is no day, though Date rolls it over to March 2: the day must read back as typed. */
function isCalendarDate(raw: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:$|T)/.exec(raw);
  if (!m || Number.isNaN(new Date(raw).getTime())) return false;
  const day = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return day.toISOString().slice(0, 10) === raw.slice(0, 10);
}

/** The value of `--name` checked against its spec; a wrong one is an error that says what was expected. */
function checked(name: string, spec: OptionSpec, raw: string, usage: string): string | number {
  if (spec.type === 'integer') {
    const n = /^[+-]?\d+$/.test(raw.trim()) ? Number(raw) : NaN;
    if (Number.isSafeInteger(n) && n >= spec.min && n <= spec.max) return n;
    return fail(`--${name} must be a whole number from ${spec.min} to ${spec.max}, got ${JSON.stringify(raw)}`, usage);
  }
  if (spec.type === 'date') {
    if (isCalendarDate(raw)) return raw;
    return fail(`--${name} needs a date such as 2026-11-01 (or an ISO 8601 time on one), got ${JSON.stringify(raw)}`, usage);
  }
  if (spec.type === 'string' && spec.choices && !spec.choices.includes(raw)) {
    const list = spec.choices.length > 1 ? `${spec.choices.slice(0, -1).join(', ')} or ${spec.choices.at(-1)}` : spec.choices[0];
    return fail(`--${name} must be ${list}, got ${JSON.stringify(raw)}`, usage);
  }
  return raw;
}

/**
 * argv → typed option values and the other words. `--name value` and `--name=value` both work, and a
 * value may start with a dash (`--limit -3` is a bad limit, not a missing one); `--` ends the options.
 */
export function parseFlags<O extends OptionSpecs>(argv: readonly string[], options: O, rules: FlagRules): ParsedFlags<O> {
  const { usage } = rules;
  const values: Record<string, string | number | boolean> = {};
  const positionals: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-h' || arg === '--help') {
      help = true;
      continue;
    }
    if (!arg.startsWith('-') || arg === '-' || /^-\d/.test(arg)) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(arg.startsWith('--') ? 2 : 1, eq < 0 ? undefined : eq);
    const spec = Object.hasOwn(options, name) ? options[name] : undefined;
    if (!spec || !arg.startsWith('--')) {
      const near = closestName(name, Object.keys(options));
      fail(`unknown option ${arg.slice(0, eq < 0 ? undefined : eq)}${near ? ` (did you mean --${near}?)` : ''}`, usage);
    }
    if (spec!.type === 'boolean') {
      if (eq >= 0) fail(`--${name} takes no value`, usage);
      values[name] = true;
      continue;
    }
    let raw: string | undefined = eq >= 0 ? arg.slice(eq + 1) : argv[i + 1];
    // The next word is another option: this one was given no value.
    if (raw === undefined || (eq < 0 && raw.startsWith('--') && raw.length > 2)) fail(`--${name} needs a value`, usage);
    if (eq < 0) i++;
    values[name] = checked(name, spec!, raw!, usage);
  }
  const max = rules.maxPositionals ?? 0;
  const extra = positionals[max];
  if (extra !== undefined) fail(`unexpected argument ${extra.trim() === extra && extra !== '' ? extra : JSON.stringify(extra)}`, usage);
  return { values: values as OptionValues<O>, positionals, help };
}
