// The first message of a new session in learn mode, end to end over HTTP+SSE (codex-first-message.ts).

import { firstMessageEndToEnd } from './codex-first-message.js';

firstMessageEndToEnd('http');
