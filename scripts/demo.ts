// npm run demo: a whole session, offline. The project's fake upstream plays the model, kx records,
// and a scripted client plays Codex (Responses over HTTP+SSE and over WebSocket, with a real tool
// call it executes) and an OpenAI SDK agent (Chat Completions with a tool call).

import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { kxUrl, loadConfig } from '../src/config/config.js';
import { startKx } from '../src/kx.js';
import { startFakeUpstream } from '../harness/fake-upstream/server.js';
import { rawRequest, userMessage } from '../harness/drivers/http-client.js';
import { openWs } from '../harness/drivers/ws-client.js';
import { weatherAgent } from '../harness/drivers/openai-agent.js';

type Item = Record<string, unknown>;


function completedOutput(events: Array<{ type?: string; data: string }>): Item[] {
  const done = events.find((e) => e.type === 'response.completed');
  return done ? ((JSON.parse(done.data) as { response: { output: Item[] } }).response.output ?? []) : [];
}

/** The demo's one tool: list the files of a folder, like Codex's `ls -la`. */
function runTool(dir: string): string {
  return fs.readdirSync(dir).sort().join('\n');
}

async function codexLikeHttpSession(proxyBase: string, workdir: string): Promise<string> {
  const session = randomUUID();
  const history: Item[] = [
    { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'You are a coding agent.' }] },
    userMessage(`<environment_context>\n  <cwd>${workdir}</cwd>\n</environment_context>`),
  ];
  const send = async (turn: string): Promise<Item[]> => {
    const res = await rawRequest(`${proxyBase}/responses`, {
      headers: { 'content-type': 'application/json', 'session-id': session, originator: 'kx_demo', authorization: 'Bearer sk-demo-not-a-real-key' },
      body: JSON.stringify({ model: 'gpt-6.1-sol', stream: true, input: history, prompt_cache_key: session, client_metadata: { session_id: session, turn_id: turn } }),
    });
    const output = completedOutput(res.events);
    history.push(...output);
    return output;
  };
  // Turn 1: the model asks for a tool; the client runs it and sends the output back.
  history.push(userMessage('list the files here'));
  const first = await send('turn-1');
  const call = first.find((i) => i.type === 'custom_tool_call' || i.type === 'function_call');
  if (call) {
    history.push({ type: `${call.type as string}_output`, call_id: call.call_id, output: `Output:\n${runTool(workdir)}` });
    await send('turn-1');
  }
  // Turn 2: a follow-up question.
  history.push(userMessage('which of those is the Python file?'));
  await send('turn-2');
  return session;
}

async function codexLikeWsSession(proxyBase: string): Promise<string> {
  const session = randomUUID();
  const ws = await openWs(`${proxyBase}/responses`, { 'session-id': session, originator: 'kx_demo' });
  const meta = (turn: string) => ({ session_id: session, turn_id: turn });
  const prewarm = await ws.create({ model: 'gpt-6.1-sol', generate: false, input: [], client_metadata: meta('') });
  const last = (events: Item[]) => (events.at(-1)?.response as { id: string }).id;
  const answer = await ws.create({ model: 'gpt-6.1-sol', previous_response_id: last(prewarm), input: [userMessage('hello over WebSocket')], client_metadata: meta('ws-turn-1') });
  void answer;
  ws.ws.close();
  return session;
}

async function sdkChatSession(proxyBase: string): Promise<void> {
  await weatherAgent(proxyBase, { apiKey: 'sk-demo-not-a-real-key', city: 'Paris', weather: '18°C and sunny' });
}

/** The demo's own documents folder, so its sessions never mix with the ones you record. */
const DEMO_DOCUMENTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'demo-documents');

async function main(): Promise<void> {
  const fake = await startFakeUpstream();
  // The console URL printed at the end is the one `kx start` on this folder will answer (same port, same token).
  const served = loadConfig({ argv: [...process.argv.slice(2), '--documents', DEMO_DOCUMENTS] });
  const config = { ...served, port: 0, upstreamBaseUrl: new URL(fake.baseUrl), chatgptBaseUrl: new URL('/backend-api/codex', fake.url) };
  const kx = await startKx(config);
  const proxyBase = `${kx.url}/v1`;
  const workdir = path.resolve('.');
  try {
    console.log(`fake upstream ${fake.baseUrl}  ←  kx ${proxyBase}  ←  scripted clients`);
    const httpSession = await codexLikeHttpSession(proxyBase, workdir);
    const wsSession = await codexLikeWsSession(proxyBase);
    await sdkChatSession(proxyBase);
    await kx.settle();
    console.log('\nRecorded sessions:');
    for (const s of kx.reader.listSessions(10)) {
      const detail = kx.reader.getSession(s.id)!;
      console.log(`  ${s.id}  ${s.client ?? ''}  ${s.turnCount} turns, ${s.requestCount} requests, ${s.usage.totalTokens} tokens`);
      for (const t of detail.turns) {
        for (const i of t.items) {
          const what = i.toolName ? `${i.toolName} ${i.arguments ?? ''}` : i.text ?? i.output ?? '';
          console.log(`      turn ${t.seq}  ${i.kind.padEnd(17)} ${what.replace(/\s+/g, ' ').slice(0, 70)}`);
        }
      }
    }
    console.log('\nArtifacts:');
    console.log(`  ${path.join(config.documentsDir, 'sessions.db')}`);
    for (const id of [httpSession, wsSession]) {
      for (const f of ['user_actions.jsonl', 'agent_actions.jsonl']) console.log(`  ${path.join(kx.store.sessionDir(id), f)}`);
    }
    console.log(`\nOpen them in the console: start kx on the demo's folder,`);
    console.log(`  npm start -- --documents ${path.relative(process.cwd(), DEMO_DOCUMENTS) || DEMO_DOCUMENTS}`);
    console.log(`then open  ${kxUrl(served.host, served.port)}/ui/?token=${served.uiToken}`);
  } finally {
    await kx.close();
    await fake.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
