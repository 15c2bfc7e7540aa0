// A Codex-like client over HTTP+SSE, scripted: each human message is sent with the whole history (as Codex
// does), and when the fake model asks for the shell tool the client really lists the work folder and sends
// the output back. Used by the console's browser tests and `npm run demo`.

import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { rawRequest, userMessage } from '../../harness/drivers/http-client.js';

type Item = Record<string, unknown>;

export interface ScriptedSession {
  sessionId: string;
  /** Sends one more human turn (and the tool round trip it leads to). */
  say(text: string): Promise<void>;
}

function completedOutput(events: Array<{ type?: string; data: string }>): Item[] {
  const done = events.find((e) => e.type === 'response.completed');
  return done ? ((JSON.parse(done.data) as { response: { output: Item[] } }).response.output ?? []) : [];
}

export function scriptedSession(proxyBase: string, opts: { workdir: string; sessionId?: string; originator?: string }): ScriptedSession {
  const sessionId = opts.sessionId ?? randomUUID();
  const history: Item[] = [
    { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'You are a coding agent.' }] },
    userMessage(`<environment_context>\n  <cwd>${opts.workdir}</cwd>\n</environment_context>`),
  ];
  let turn = 0;
  const send = async (turnId: string): Promise<Item[]> => {
    const res = await rawRequest(`${proxyBase}/responses`, {
      headers: { 'content-type': 'application/json', 'session-id': sessionId, originator: opts.originator ?? 'codex_exec', authorization: 'Bearer sk-test-not-a-real-key-0000000000' },
      body: JSON.stringify({ model: 'gpt-6.1-sol', stream: true, input: history, prompt_cache_key: sessionId, client_metadata: { session_id: sessionId, turn_id: turnId } }),
    });
    const output = completedOutput(res.events);
    history.push(...output);
    return output;
  };
  return {
    sessionId,
    async say(text) {
      const turnId = `turn-${++turn}`;
      history.push(userMessage(text));
      const output = await send(turnId);
      const call = output.find((i) => i.type === 'custom_tool_call' || i.type === 'function_call');
      if (!call) return;
      const listing = fs.readdirSync(opts.workdir).sort().map((f) => `-rw-r--r-- 1 dev dev 120 Nov 27 12:00 ${f}`).join('\n');
      history.push({ type: `${call.type as string}_output`, call_id: call.call_id, output: `Exit code: 0\nWall time: 0.2 seconds\nOutput:\n${listing}` });
      await send(turnId);
    },
  };
}
