// Learn mode end to end: the real Codex CLI over WebSocket, decided through the API.

import { learnThroughTheApi } from './codex-learn-api.js';

learnThroughTheApi('ws');
