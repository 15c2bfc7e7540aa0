// Where kx's own files are, wherever it runs from (src/ through tsx, or dist/ compiled: both sit one
// level below the package root).

import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const PROMPTS_DIR = path.join(PACKAGE_ROOT, 'prompts');
export const UI_DIST = path.join(PACKAGE_ROOT, 'ui', 'dist');
export const PACKAGE_JSON = path.join(PACKAGE_ROOT, 'package.json');
