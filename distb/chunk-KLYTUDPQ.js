import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  PACKAGE_JSON
} from "./chunk-UZUECKVP.js";

// dist/version.js
import fs from "node:fs";
var VERSION = JSON.parse(fs.readFileSync(PACKAGE_JSON, "utf8")).version;

export {
  VERSION
};
