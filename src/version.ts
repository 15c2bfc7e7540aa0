import fs from 'node:fs';
import { PACKAGE_JSON } from './package-paths.js';

export const VERSION: string = (JSON.parse(fs.readFileSync(PACKAGE_JSON, 'utf8')) as { version: string }).version;
