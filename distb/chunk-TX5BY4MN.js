import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);

// dist/cli/terminal-text.js
var UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
var UNSAFE_ONE_LINE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
var NAMED = { "\n": "\\n", "\r": "\\r", "	": "\\t", "\x1B": "\\e", "\0": "\\0" };
var escapeChar = (c) => {
  const code = c.codePointAt(0);
  return NAMED[c] ?? (code <= 255 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u{${code.toString(16)}}`);
};
var termLine = (s) => s.replace(UNSAFE_ONE_LINE, escapeChar);
var termText = (s) => s.replace(/\r\n/g, "\n").replace(UNSAFE, escapeChar);

// dist/cli/import-usage.js
var IMPORT_USAGE = "kx import codex [PATH] [--since YYYY-MM-DD] [--no-insight] [--documents DIR]";

export {
  termLine,
  termText,
  IMPORT_USAGE
};
