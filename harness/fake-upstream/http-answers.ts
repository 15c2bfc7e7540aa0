// The fake upstream's answers over HTTP: Responses (streamed or whole), Chat Completions, the insight
// engine's structured calls and learn mode's rewrite calls, each as the real API shapes them.

import type http from 'node:http';
import { chatChunks, chatCompletion } from './chat.js';
import { defaultInsightOutput, type InsightScenario } from './insight.js';
import { defaultRewrite, rewriteResponse, type RewriteScenario } from './rewrite.js';
import { decideOutput, previousResponseNotFound, responseEvents, responseFailed, shapedEvents, sseFrame, type AnswerContext } from './script.js';
import { sendEvents, sseSink, stallFor, write } from './send-events.js';
import type { FakeState, Scenario } from './state.js';
import type { Json } from '../../src/protocol/json-guards.js';

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** The events to send for a Responses request, with the scenario that shapes how they are sent. */
export function* answerEvents(state: FakeState, body: Json, scenario: Scenario | undefined, ctx: AnswerContext): Generator<Json> {
  const model = typeof body.model === 'string' ? body.model : 'gpt-6.1-sol';
  if (scenario?.kind === 'previous-response-not-found') {
    yield previousResponseNotFound(typeof body.previous_response_id === 'string' ? body.previous_response_id : 'resp_unknown');
    return;
  }
  if (scenario?.kind === 'response-failed') {
    const pending = { id: ctx.responseId, object: 'response', created_at: ctx.createdAt, status: 'in_progress', model, output: [] };
    yield { type: 'response.created', response: pending };
    yield responseFailed(ctx, model, scenario.code ?? 'server_error', scenario.message ?? 'The fake upstream failed this response.');
    return;
  }
  if (state.shape && body.generate !== false) {
    yield* shapedEvents(body, state.shape, ctx);
    return;
  }
  const output =
    scenario?.kind === 'answer'
      ? [{ id: `msg_fake_${ctx.n}`, type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: scenario.text, annotations: [] }] }]
      : decideOutput(body, ctx);
  yield* responseEvents(body, output, ctx);
}

export async function streamResponses(state: FakeState, res: http.ServerResponse, body: Json, scenario: Scenario | undefined): Promise<void> {
  const ctx = state.nextCtx();
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'x-request-id': `req_fake_${ctx.n}`,
    'openai-model': String(body.model ?? 'gpt-6.1-sol'),
    'x-codex-turn-state': `ts_fake_${ctx.n}`,
  });
  if (await sendEvents(sseSink(res), answerEvents(state, body, scenario, ctx), scenario, state.shape?.paceMs ?? 0)) res.end();
}

export function responsesJson(state: FakeState, res: http.ServerResponse, body: Json, scenario: Scenario | undefined): void {
  const events = [...answerEvents(state, body, scenario, state.nextCtx())];
  const last = events.at(-1);
  if (last?.type === 'error') return sendJson(res, Number(last.status ?? 400), { error: last.error });
  sendJson(res, 200, last?.response ?? {});
}

export async function chat(state: FakeState, res: http.ServerResponse, body: Json, scenario: Scenario | undefined): Promise<void> {
  const ctx = state.nextCtx();
  if (body.stream !== true) return sendJson(res, 200, chatCompletion(body, ctx.n, ctx.createdAt));
  res.writeHead(200, { 'content-type': 'text/event-stream', 'x-request-id': `req_fake_${ctx.n}` });
  // A Chat Completions stream is cut between chunks, not inside one.
  const sink = { ...sseSink(res, (chunk) => `data: ${JSON.stringify(chunk)}\n\n`), garbage: undefined, cut: () => void res.socket?.destroy() };
  if (!(await sendEvents(sink, chatChunks(body, ctx.n, ctx.createdAt) as Iterable<Json>, scenario))) return;
  await write(res, 'data: [DONE]\n\n');
  res.end();
}

export async function answerInsight(state: FakeState, res: http.ServerResponse, body: Json, schema: string, scenario: InsightScenario | undefined): Promise<void> {
  if (scenario?.kind === 'http-error') {
    return sendJson(res, scenario.status, scenario.body ?? { error: { message: `fake insight error ${scenario.status}`, type: 'server_error' } }, scenario.headers);
  }
  if (scenario?.kind === 'stall') await stallFor(scenario);
  if (scenario?.kind === 'huge') return sendHuge(res, scenario.bytes);
  const text = scenario?.kind === 'invalid' ? '{"summary": "not the schema"' : JSON.stringify(scenario?.kind === 'answer' || (scenario?.kind === 'stall' && scenario.output !== undefined) ? scenario.output : defaultInsightOutput(schema, body));
  const ctx = state.nextCtx();
  const events = responseEvents(body, [{ id: `msg_fake_${ctx.n}`, type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] }], ctx);
  if (body.stream !== true) {
    const response = events.at(-1)!.response as Json;
    if (scenario?.kind === 'cut') {
      const full = JSON.stringify(response);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(full) });
      await new Promise<void>((resolve) => res.write(full.slice(0, full.length >> 1), () => resolve()));
      res.socket?.destroy();
      return;
    }
    return sendJson(res, 200, response);
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'x-request-id': `req_fake_${ctx.n}` });
  const sink = { ...sseSink(res), cut: () => void res.socket?.destroy() };
  if (await sendEvents(sink, events, scenario?.kind === 'cut' ? { kind: 'cut', afterEvents: 3 } : undefined)) res.end();
}

/** A JSON answer whose text runs to `bytes`, written as the client reads; stops when it hangs up. */
async function sendHuge(res: http.ServerResponse, bytes: number): Promise<void> {
  res.writeHead(200, { 'content-type': 'application/json' });
  const chunk = 'a'.repeat(64 * 1024);
  await write(res, '{"id":"resp_huge","object":"response","status":"completed","output_text":"');
  for (let sent = 0; sent < bytes && !res.destroyed; sent += chunk.length) await write(res, chunk);
  if (!res.destroyed) res.end('"}');
}

/** Learn mode's rewrite call: its own queue, so Codex's turns never take a rewrite script. */
export async function answerRewrite(state: FakeState, res: http.ServerResponse, body: Json): Promise<void> {
  let s = state.take((x) => x.kind.startsWith('rewrite')) as RewriteScenario | undefined;
  if (s?.kind === 'rewrite-stall') {
    await stallFor(s);
    if (res.destroyed) return;
    s = state.take((x) => x.kind === 'rewrite') as RewriteScenario | undefined;
  }
  if (s?.kind === 'rewrite-fail') {
    return sendJson(res, s.status, { error: { message: s.message ?? 'The fake upstream failed the rewrite.', type: 'server_error', code: null } });
  }
  const ctx = state.nextCtx();
  const response = rewriteResponse(body, s?.kind === 'rewrite' ? s.answer : defaultRewrite(body), ctx.n, ctx.createdAt);
  if (body.stream !== true) return sendJson(res, 200, response);
  // The ChatGPT dialect: the same answer as a Responses stream.
  res.writeHead(200, { 'content-type': 'text/event-stream', 'x-request-id': `req_fake_${ctx.n}` });
  for (const event of responseEvents(body, response.output as Json[], ctx)) await write(res, sseFrame(event));
  res.end();
}
