// Learn mode end to end: the real Codex CLI over HTTP+SSE, decided through the API.

import { learnThroughTheApi } from './codex-learn-api.js';

learnThroughTheApi('http');
