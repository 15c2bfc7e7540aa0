// The import command's usage line, apart from the importer so `kx --help` does not load it.
export const IMPORT_USAGE = 'kx import codex [PATH] [--since YYYY-MM-DD] [--no-insight] [--documents DIR]';
