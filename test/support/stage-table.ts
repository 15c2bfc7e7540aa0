// The stage table of docs/architecture.md, and the imports that run up it: a folder may import only
// from its own row and the rows above.

import fs from 'node:fs';
import path from 'node:path';

export interface StageRow {
  /** `contracts/` (a folder of src/, else of the repository: `ui/`, `bench/`), or `kx.ts` (a file of src/). */
  names: string[];
  never: string;
}

/** The rows of the first table whose header starts with "| folder |". */
export function stageTable(markdown: string): StageRow[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.startsWith('| folder |'));
  const rows: StageRow[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const cells = line.split(' | ');
    rows.push({ names: [...cells[0]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!), never: line.slice(line.lastIndexOf(' | ') + 3).replace(/\|\s*$/, '').trim() });
  }
  return rows;
}

/** The row index of a repository file, or undefined when no row names it. */
export function rowOf(file: string, rows: readonly StageRow[]): number | undefined {
  const [top, second] = file.split('/');
  const name = top === 'src' ? (second!.endsWith('.ts') ? second! : `${second}/`) : `${top}/`;
  const i = rows.findIndex((r) => r.names.includes(name));
  return i < 0 ? undefined : i;
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The repository files a file imports (relative imports only), `.js` read as the `.ts` beside it. */
export function importsOf(root: string, file: string): string[] {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  return [...text.matchAll(IMPORT)]
    .map((m) => m[1] ?? m[2] ?? m[3]!)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => path.relative(root, path.resolve(root, path.dirname(file), spec)).replace(/\.(m?)js$/, '.$1ts'));
}

export function sourceFiles(root: string, dirs: readonly string[]): string[] {
  const walk = (d: string): string[] =>
    fs.existsSync(path.join(root, d))
      ? fs.readdirSync(path.join(root, d), { withFileTypes: true }).flatMap((e) =>
          e.isDirectory() ? (['node_modules', 'dist', 'results', 'migrations'].includes(e.name) ? [] : walk(`${d}/${e.name}`)) : /\.(ts|mts|mjs)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [`${d}/${e.name}`] : [],
        )
      : [];
  return dirs.flatMap(walk);
}

/** What breaks the table: an import up it, a file no row names, and an import a row's "never" forbids. */
export function stageViolations(root: string, rows: readonly StageRow[], files: readonly string[]): string[] {
  const out: string[] = [];
  for (const file of files) {
    const from = rowOf(file, rows);
    if (from === undefined) {
      out.push(`${file}: in no row of the table`);
      continue;
    }
    // "imports anything (else) from kx", "imports anything but zod": nothing from another row.
    const alone = /imports anything (else )?from kx|imports anything but zod/.test(rows[from]!.never);
    // "reads the store": nothing from that folder.
    const unread = [...rows[from]!.never.matchAll(/reads the (\w+)/g)].map((m) => `${m[1]}/`);
    for (const target of importsOf(root, file)) {
      const to = rowOf(target, rows);
      if (to === undefined || to === from) continue;
      if (to > from) out.push(`${file} -> ${target}: runs up the table (${rows[from]!.names[0]} is above ${rows[to]!.names[0]})`);
      else if (alone) out.push(`${file} -> ${target}: ${rows[from]!.names[0]} never ${rows[from]!.never}`);
      else if (unread.some((n) => rows[to]!.names.includes(n))) out.push(`${file} -> ${target}: ${rows[from]!.names[0]} never ${rows[from]!.never}`);
    }
  }
  return out;
}
