// The lines of an env file that are not settings. Node's util.parseEnv reads a line without `=` as
// the start of the next key (`this is not env\nKX_HOST=x` became one key, and KX_HOST was lost), so
// such lines are found first, said by number, and blanked before the file is parsed.

/** `KEY=value`, `export KEY=value`; what follows the `=` may open a quoted value over several lines. */
const SETTING = /^\s*(?:export\s+)?[A-Za-z_][\w.-]*\s*=\s*(.*)$/;

/** The quote a value opens and does not close on its own line, if any (Node reads on to the closing one). */
function openQuote(value: string): string | undefined {
  const q = value[0];
  if (q !== '"' && q !== "'" && q !== '`') return undefined;
  return value.indexOf(q, 1) === -1 ? q : undefined;
}

export interface StrayLine {
  /** 1-based, as an editor shows it. */
  line: number;
  text: string;
}

/** The file's text with its stray lines blanked (line numbers kept), and those lines. */
export function withoutStrayLines(text: string): { text: string; stray: StrayLine[] } {
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
