// Learn mode end to end: the real Codex CLI over HTTP+SSE, decided on the console's approvals page.

import { learnInTheBrowser } from './codex-learn-browser.js';

learnInTheBrowser('http');
