// The first message of a new session in learn mode, end to end over WebSocket (codex-first-message.ts).

import { firstMessageEndToEnd } from './codex-first-message.js';

firstMessageEndToEnd('ws');
