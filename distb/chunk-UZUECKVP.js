import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);

// dist/package-paths.js
import path from "node:path";
import { fileURLToPath } from "node:url";
var PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
var PROMPTS_DIR = path.join(PACKAGE_ROOT, "prompts");
var UI_DIST = path.join(PACKAGE_ROOT, "ui", "dist");
var PACKAGE_JSON = path.join(PACKAGE_ROOT, "package.json");

export {
  PACKAGE_ROOT,
  PROMPTS_DIR,
  UI_DIST,
  PACKAGE_JSON
};
