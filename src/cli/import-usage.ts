// The import command's usage and options, apart from the importer so `kx --help` does not load it.
import type { OptionSpecs } from '../config/flags.js';

export const IMPORT_USAGE = 'kx import codex [PATH...] [--since YYYY-MM-DD] [--no-insight] [--documents DIR] [--env-file F]';

export const IMPORT_OPTIONS = {
  since: { type: 'date', value: 'YYYY-MM-DD', help: 'only sessions active since that day (or ISO 8601 time)' },
  'no-insight': { type: 'boolean', help: 'record only; queue no insight jobs' },
  documents: { type: 'string', value: 'DIR', help: 'the documents folder to record into' },
  'env-file': { type: 'string', value: 'F', help: 'settings from this file instead of kx’s proxy.env' },
} as const satisfies OptionSpecs;
