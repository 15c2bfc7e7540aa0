// proxy.env and the file --env-file or KX_ENV_FILE names: read with Node's own parser, after the
// lines that are not settings are said and blanked. util.parseEnv reads a line without `=` as the
// start of the next key (`this is not env\nKX_HOST=x` became one key, and KX_HOST was lost).

import fs from 'node:fs';
import { parseEnv } from 'node:util';
import { ConfigError } from './config-error.js';

/** `KEY=value`, `export KEY=value`; what follows the `=` may open a quoted value over several lines. */
const SETTING = /^\s*(?:export\s+)?[A-Za-z_][\w.-]*\s*=\s*(.*)$/;

/** The quote a value opens and does not close on its own line, if any (Node reads on to the closing one). */
function openQuote(value: string): string | undefined {
  const q = value[0];
  if (q !== '"' && q !== "'" && q !== '`') return undefined;
  return value.indexOf(q, 1) === -1 ? q : undefined;
}

interface StrayLine {
  /** 1-based, as an editor shows it. */
  line: number;
  text: string;
}

/** The file's text with its stray lines blanked (line numbers kept), and those lines. */
function withoutStrayLines(text: string): { text: string; stray: StrayLine[] } {
  const lines = text.split(/\r?\n/);
  const stray: StrayLine[] = [];
  let quote: string | undefined;
  for (const [i, line] of lines.entries()) {
    if (quote) {
      if (line.includes(quote)) quote = undefined;
      continue;
    }
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const m = SETTING.exec(line);
    if (m) quote = openQuote(m[1]!.trim());
    else {
      stray.push({ line: i + 1, text: trimmed });
      lines[i] = '';
    }
  }
  return { text: lines.join('\n'), stray };
}

/**
 * An env file read by Node's own parser (util.parseEnv, Node 20.12+): `KEY=value # comment` is
 * `value`, a quoted value keeps its `#`, `export` and blank lines are fine.
 */
export function parseEnvFile(text: string): Record<string, string> {
  const parsed = parseEnv(text);
  return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/**
 * The settings file asked for: --env-file, else KX_ENV_FILE. Node itself checks every --env-file on
 * its command line, even after the script's name, and stops at a missing one before kx runs
 * (docs/settings.md); the variable is the spelling it leaves alone.
 */
export function chosenEnvFile(flag: string | undefined, variable: string | undefined): { path: string; from: string } | undefined {
  if (flag !== undefined) return { path: flag, from: '--env-file' };
  if (variable === '') throw new ConfigError('KX_ENV_FILE must not be empty');
  return variable !== undefined ? { path: variable, from: 'KX_ENV_FILE' } : undefined;
}

/** An env file's settings; each line that is not one is said (by number) and left out, so it cannot swallow the next. */
export function readEnvFile(file: string, warn: ((line: string) => void) | undefined): Record<string, string> {
  const { text, stray } = withoutStrayLines(fs.readFileSync(file, 'utf8'));
  for (const s of stray) warn?.(`${file} line ${s.line}: ${JSON.stringify(s.text)} is not a setting (KEY=value); it is ignored`);
  return parseEnvFile(text);
}
