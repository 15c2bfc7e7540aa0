// The console's CSP allows no eval. zod 4 builds its object parsers with `new Function` where it can, and
// even its probe for that is reported as a CSP violation; imported first (main.ts), before any schema
// exists, this makes every parser plain code.
import { z } from 'zod';

z.config({ jitless: true });
