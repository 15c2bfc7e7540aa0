// Where kx's own files are, wherever it runs from (src/ through tsx, or dist/ compiled: both sit one
// level below the package root).

import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const PROMPTS_DIR = path.join(PACKAGE_ROOT, 'prompts');
export const UI_DIST = path.join(PACKAGE_ROOT, 'ui', 'dist');
/** PostgreSQL migrations of team memory (src/team/); read from src/ whether kx runs from src/ or dist/. */
export const TEAM_MIGRATIONS_DIR = path.join(PACKAGE_ROOT, 'src', 'team', 'migrations');
export const PACKAGE_JSON = path.join(PACKAGE_ROOT, 'package.json');
