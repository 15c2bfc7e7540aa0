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

/** "1 turn", "2 turns". */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** The demo's one tool: list the files of a folder, like Codex's `ls -la`. */
function runTool(dir: string): string {
  return fs.readdirSync(dir).sort().join('\n');
}

async function codexLikeHttpSession(proxyBase: string, workdir: string): Promise<void> {
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
}

async function codexLikeWsSession(proxyBase: string): Promise<void> {
  const session = randomUUID();
  const ws = await openWs(`${proxyBase}/responses`, { 'session-id': session, originator: 'kx_demo' });
  const meta = (turn: string) => ({ session_id: session, turn_id: turn });
  const prewarm = await ws.create({ model: 'gpt-6.1-sol', generate: false, input: [], client_metadata: meta('') });
  const last = (events: Item[]) => (events.at(-1)?.response as { id: string }).id;
  const answer = await ws.create({ model: 'gpt-6.1-sol', previous_response_id: last(prewarm), input: [userMessage('hello over WebSocket')], client_metadata: meta('ws-turn-1') });
  void answer;
  ws.ws.close();
}

async function sdkChatSession(proxyBase: string): Promise<void> {
  await weatherAgent(proxyBase, { apiKey: 'sk-demo-not-a-real-key', city: 'Paris', weather: '18°C and sunny' });
}

/** The demo's own documents folder, so its sessions never mix with the ones you record. */
const DEMO_DOCUMENTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'demo-documents');

async function main(): Promise<void> {
  const fake = await startFakeUpstream();
  // The console URL printed at the end is the one `kx start` on this folder will answer (same port, same token).
  // demo-documents/ unless the command line names another folder (the last --documents wins).
  const served = loadConfig({ argv: ['--documents', DEMO_DOCUMENTS, ...process.argv.slice(2)] });
  const config = { ...served, port: 0, upstreamBaseUrl: new URL(fake.baseUrl), chatgptBaseUrl: new URL('/backend-api/codex', fake.url) };
  const kx = await startKx(config);
  const proxyBase = `${kx.url}/v1`;
  const workdir = path.resolve('.');
  try {
    // The folder may hold earlier runs' sessions: show only the ones this run records.
    const earlier = new Set(kx.reader.listSessions(Number.MAX_SAFE_INTEGER).map((s) => s.id));
    console.log(`fake upstream ${fake.baseUrl}  ←  kx ${proxyBase}  ←  scripted clients`);
    await codexLikeHttpSession(proxyBase, workdir);
    await codexLikeWsSession(proxyBase);
    await sdkChatSession(proxyBase);
    await kx.settle();
    const recorded = kx.reader.listSessions(Number.MAX_SAFE_INTEGER).filter((s) => !earlier.has(s.id));
    console.log('\nRecorded sessions:');
    for (const s of recorded) {
      const detail = kx.reader.getSession(s.id)!;
      console.log(`  ${s.id}  ${s.client ?? ''}  ${count(s.turnCount, 'turn')}, ${count(s.requestCount, 'request')}, ${count(s.usage.totalTokens, 'token')}`);
      for (const t of detail.turns) {
        for (const i of t.items) {
          const what = i.toolName ? `${i.toolName} ${i.arguments ?? ''}` : i.text ?? i.output ?? '';
          console.log(`      turn ${t.seq}  ${i.kind.padEnd(17)} ${what.replace(/\s+/g, ' ').slice(0, 70)}`);
        }
      }
    }
    console.log('\nArtifacts:');
    console.log(`  ${path.join(config.documentsDir, 'sessions.db')}`);
    for (const s of recorded) {
      const dir = kx.store.sessionDir(s.id);
      for (const f of fs.readdirSync(dir).sort()) console.log(`  ${path.join(dir, f)}`);
    }
    const folder = path.relative(process.cwd(), config.documentsDir) || config.documentsDir;
    console.log(`\nOpen them in the console: start kx on the demo's folder,`);
    console.log(`  npm start -- --documents ${folder}`);
    console.log(`then open  ${kxUrl(served.host, served.port)}/ui/?token=${served.uiToken}`);
    console.log(`The commands find that kx by the same flag:  npx kx sessions --documents ${folder}`);
  } finally {
    await kx.close();
    await fake.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
