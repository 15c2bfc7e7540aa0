// The README's command table is where a new user learns what kx can do: every command in the CLI's
// table (src/cli/commands.ts), and every form its usage gives (`kx gaps resolve`, `kx gaps reopen`),
// must have a row.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** `kx <command> [<verb>]` of each usage line: the words before the first option, argument or choice. */
function commandForms(usage: string): string[] {
  return usage
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('kx '))
    .map((l) => {
      const words = l.split(/\s+/);
      const end = words.findIndex((w, i) => i > 0 && !/^[a-z][a-z-]*$/.test(w));
      return words.slice(0, end < 0 ? words.length : end).join(' ');
    });
}

/** The first cell of every row of the table under "## The `kx` command". */
function readmeRows(readme: string): string[] {
  const start = readme.indexOf('## The `kx` command');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  return section
    .split('\n')
    .filter((l) => l.startsWith('| `kx'))
    .map((l) => l.split(' | ')[0]!);
}

describe("the README's command table", () => {
  it('has a row for every command and every form of it the CLI takes', () => {
    const rows = readmeRows(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8'));
    const forms = COMMANDS.flatMap((c) => commandForms(c.usage));
    expect(forms).toContain('kx gaps resolve');
    const missing = forms.filter((form) => !rows.some((row) => new RegExp('`' + form.replace(/ /g, '\\s+') + '(?![a-z-])').test(row)));
    expect(missing).toEqual([]);
  });

  it('says, while kx has no search command, where a person searches memory instead', () => {
    expect(COMMANDS.map((c) => c.name)).not.toContain('search');
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const line = readme.split('\n').find((l) => l.includes('no `kx search`'));
    expect(line).toBeDefined();
    expect(line).toMatch(/console/);
    expect(line).toMatch(/MCP/);
  });

  it('reads a command and its verb from a usage line, up to the first option or argument', () => {
    expect(commandForms('kx gaps [--project P]\n       kx gaps resolve GAP [--note TEXT]')).toEqual(['kx gaps', 'kx gaps resolve']);
    expect(commandForms('kx import codex [PATH...]')).toEqual(['kx import codex']);
    expect(commandForms('kx start [--host H]\n         [--ui-token T]')).toEqual(['kx start']);
  });
});
