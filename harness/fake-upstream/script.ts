// What the fake model says: pure functions from a request body to the events of its answer.
// Shaped like the captured fixtures (test/fixtures/codex-0.169/README.md): a request that asks to
// list files gets reasoning and a shell tool call, a tool output gets a final answer that quotes it,
// a compaction trigger gets one compaction item, anything else a short echo.

export type Item = Json;
import type { Json } from '../../src/protocol/json-guards.js';

export interface StreamShape {
  /** Number of output_text.delta events. */
  events: number;
  /** Bytes of text in each delta. */
  eventBytes: number;
  /** Pause between events; 0 sends as fast as the socket drains. */
  paceMs: number;
}

export interface AnswerContext {
  responseId: string;
  /** Suffix shared by every item id of this response, e.g. "07". */
  n: string;
  createdAt: number;
}

const SHELL_SCRIPT = 'const r = await tools.exec_command({ cmd: "ls -la", login: false });\ntext(r.output);';

/**
 * Code mode's way to an MCP tool (docs/protocol.md, "MCP tools"): find kx's search tool in ALL_TOOLS by
 * name, call it, print what it answered. A message "recall: <words>" asks for it.
 */
export function memoryScript(query: string): string {
  return [
    `const t = ALL_TOOLS.find((x) => /kx/.test(x.name) && /search$/.test(x.name));`,
    `if (!t) { text("no kx search tool in ALL_TOOLS: " + ALL_TOOLS.map((x) => x.name).join(", ")); }`,
    `else { const r = await tools[t.name]({ query: ${JSON.stringify(query)} }); text(typeof r === "string" ? r : JSON.stringify(r)); }`,
  ].join('\n');
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((p) => (p && typeof p === 'object' && typeof (p as Json).text === 'string' ? ((p as Json).text as string) : ''))
    .join('');
}

/** The output Codex sends back for a tool call: a string, or a list of text parts. */
export function toolOutputText(item: Item): string {
  const out = item.output;
  if (typeof out === 'string') return out;
  if (Array.isArray(out)) return textOf(out);
  if (out && typeof out === 'object') return textOf((out as Json).content) || JSON.stringify(out);
  return '';
}

/** The request's input items. A plain string is valid Responses input: one user message. */
function inputItems(input: unknown): Item[] {
  if (typeof input === 'string') return [{ type: 'message', role: 'user', content: input }];
  return Array.isArray(input) ? (input as Item[]) : [];
}

/** Decides the output items of a Responses request, the way the fixtures' fake did. */
export function decideOutput(body: Json, ctx: AnswerContext): Item[] {
  const input = inputItems(body.input);
  const last = input.at(-1);
  const model = typeof body.model === 'string' ? body.model : 'gpt-6.1-sol';
  if (body.generate === false) return [];
  if (last?.type === 'compaction_trigger') {
    return [{ id: `cmp_fake_${ctx.n}`, type: 'compaction', encrypted_content: `gAAAAFAKE-compaction-summary-${ctx.n}` }];
  }
  if (typeof last?.type === 'string' && last.type.endsWith('_call_output')) {
    const printed = toolOutputText(last).trim();
    // Names read from the real `ls -la` output prove the client ran the tool, and stay stable across runs.
    const names = lsNames(printed);
    const text = names.length ? `The directory contains: ${names.join(', ')}.` : `The command printed:\n${printed.slice(0, 2000)}`;
    return [assistantMessage(ctx.n, text)];
  }
  const lastText = last?.type === 'message' || last?.role ? textOf(last.content) : '';
  const recall = /\brecall:\s*(.+)/i.exec(lastText)?.[1]?.trim();
  if (recall) return [{ id: `ctc_fake_${ctx.n}`, type: 'custom_tool_call', status: 'completed', call_id: `call_fake_${ctx.n}`, name: 'exec', input: memoryScript(recall) }];
  if (/\b(list|files)\b/i.test(lastText)) {
    const reasoning: Item = {
      id: `rs_fake_${ctx.n}`,
      type: 'reasoning',
      summary: [{ type: 'summary_text', text: 'Listing the directory to answer the user.' }],
      encrypted_content: `gAAAAFAKE-encrypted-reasoning-${ctx.n}`,
    };
    // Codex 0.169's default model runs in code mode (one `exec` custom tool); others get exec_command.
    const call: Item = model.startsWith('gpt-6')
      ? { id: `ctc_fake_${ctx.n}`, type: 'custom_tool_call', status: 'completed', call_id: `call_fake_${ctx.n}`, name: 'exec', input: SHELL_SCRIPT }
      : {
          id: `fc_fake_${ctx.n}`,
          type: 'function_call',
          status: 'completed',
          call_id: `call_fake_${ctx.n}`,
          name: 'exec_command',
          arguments: JSON.stringify({ cmd: 'ls -la', login: false }),
        };
    return [reasoning, call];
  }
  return [assistantMessage(ctx.n, `You said: ${lastText.trim().slice(0, 500) || '(nothing)'}`)];
}

/** File names from `ls -la` lines, without . and .. */
export function lsNames(output: string): string[] {
  const names: string[] = [];
  for (const line of output.split('\n')) {
    const m = /^[-dlcbps][-rwxsStT]{9}[.+@]?\s+\d+\s+\S+\s+\S+\s+\d+\s+\S+\s+\S+\s+\S+\s+(.+)$/.exec(line.trim());
    if (m && m[1] !== '.' && m[1] !== '..') names.push(m[1]!);
  }
  return names.sort();
}

export function assistantMessage(n: string, text: string): Item {
  return {
    id: `msg_fake_${n}`,
    type: 'message',
    role: 'assistant',
    status: 'completed',
    content: [{ type: 'output_text', text, annotations: [] }],
  };
}

export function usageFor(body: Json, output: Item[]): Json {
  const inputTokens = Math.max(1, Math.round(JSON.stringify(body.input ?? []).length / 4));
  const outputTokens = Math.round(JSON.stringify(output).length / 4);
  return {
    input_tokens: inputTokens,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: outputTokens,
    output_tokens_details: { reasoning_tokens: output.some((o) => o.type === 'reasoning') ? 16 : 0 },
    total_tokens: inputTokens + outputTokens,
  };
}

function responseObject(ctx: AnswerContext, model: string, status: string, output: Item[], extra: Json = {}): Json {
  return { id: ctx.responseId, object: 'response', created_at: ctx.createdAt, status, model, output, ...extra };
}

/** Splits text into at most `parts` pieces, as deltas arrive. */
function chunks(text: string, parts: number): string[] {
  if (!text) return [];
  const size = Math.max(1, Math.ceil(text.length / parts));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** The streamed events of one output item, from output_item.added to output_item.done. */
function itemEvents(item: Item, index: number): Json[] {
  const base = { output_index: index };
  const id = item.id;
  switch (item.type) {
    case 'message': {
      const text = textOf(item.content);
      const part = { type: 'output_text', text: '', annotations: [] };
      return [
        { type: 'response.output_item.added', ...base, item: { ...item, status: 'in_progress', content: [] } },
        { type: 'response.content_part.added', item_id: id, ...base, content_index: 0, part },
        ...chunks(text, 2).map((delta) => ({ type: 'response.output_text.delta', item_id: id, ...base, content_index: 0, delta })),
        { type: 'response.output_text.done', item_id: id, ...base, content_index: 0, text },
        { type: 'response.content_part.done', item_id: id, ...base, content_index: 0, part: { ...part, text } },
        { type: 'response.output_item.done', ...base, item },
      ];
    }
    case 'reasoning': {
      const text = textOf(item.summary);
      const sum = { item_id: id, ...base, summary_index: 0 };
      return [
        { type: 'response.output_item.added', ...base, item: { ...item, summary: [], encrypted_content: null } },
        { type: 'response.reasoning_summary_part.added', ...sum, part: { type: 'summary_text', text: '' } },
        ...chunks(text, 2).map((delta) => ({ type: 'response.reasoning_summary_text.delta', ...sum, delta })),
        { type: 'response.reasoning_summary_text.done', ...sum, text },
        { type: 'response.reasoning_summary_part.done', ...sum, part: { type: 'summary_text', text } },
        { type: 'response.output_item.done', ...base, item },
      ];
    }
    case 'custom_tool_call':
    case 'function_call': {
      // The two differ only in the field that streams and the name of its events.
      const [field, stem] = item.type === 'function_call' ? ['arguments', 'function_call_arguments'] : ['input', 'custom_tool_call_input'];
      const value = String(item[field] ?? '');
      return [
        { type: 'response.output_item.added', ...base, item: { ...item, status: 'in_progress', [field]: '' } },
        ...chunks(value, 2).map((delta) => ({ type: `response.${stem}.delta`, item_id: id, ...base, delta })),
        { type: `response.${stem}.done`, item_id: id, ...base, [field]: value },
        { type: 'response.output_item.done', ...base, item },
      ];
    }
    default:
      return [
        { type: 'response.output_item.added', ...base, item },
        { type: 'response.output_item.done', ...base, item },
      ];
  }
}

/** Every event of a streamed response, response.created to response.completed. */
export function responseEvents(body: Json, output: Item[], ctx: AnswerContext): Json[] {
  const model = typeof body.model === 'string' ? body.model : 'gpt-6.1-sol';
  const pending = responseObject(ctx, model, 'in_progress', []);
  if (body.generate === false) {
    return [
      { type: 'response.created', response: pending },
      { type: 'response.completed', response: responseObject(ctx, model, 'completed', [], { usage: usageFor(body, []) }) },
    ];
  }
  return [
    { type: 'response.created', response: pending },
    { type: 'response.in_progress', response: pending },
    ...output.flatMap((item, i) => itemEvents(item, i)),
    { type: 'response.completed', response: responseObject(ctx, model, 'completed', output, { usage: usageFor(body, output) }) },
  ];
}

/** A response whose text arrives as `shape.events` deltas of `shape.eventBytes` bytes each (for benchmarks). */
export function* shapedEvents(body: Json, shape: StreamShape, ctx: AnswerContext): Generator<Json> {
  const model = typeof body.model === 'string' ? body.model : 'gpt-6.1-sol';
  const pending = responseObject(ctx, model, 'in_progress', []);
  const id = `msg_fake_${ctx.n}`;
  yield { type: 'response.created', response: pending };
  const delta = 'x'.repeat(Math.max(0, shape.eventBytes - 1)) + ' ';
  yield { type: 'response.output_item.added', output_index: 0, item: { id, type: 'message', role: 'assistant', status: 'in_progress', content: [] } };
  for (let i = 0; i < shape.events; i++) {
    yield { type: 'response.output_text.delta', item_id: id, output_index: 0, content_index: 0, delta };
  }
  // The final item carries a digest rather than the whole text, so a 20 MB stream stays 20 MB on the wire.
  const item = assistantMessage(ctx.n, `streamed ${shape.events} deltas of ${shape.eventBytes} bytes`);
  yield { type: 'response.output_item.done', output_index: 0, item };
  yield { type: 'response.completed', response: responseObject(ctx, model, 'completed', [item], { usage: usageFor(body, [item]) }) };
}

export function sseFrame(event: Json): string {
  return `event: ${String(event.type)}\ndata: ${JSON.stringify(event)}\n\n`;
}

export function previousResponseNotFound(previousId: string): Json {
  return {
    type: 'error',
    status: 400,
    error: {
      type: 'invalid_request_error',
      code: 'previous_response_not_found',
      message: `Previous response with id '${previousId}' not found.`,
      param: 'previous_response_id',
    },
  };
}

export function responseFailed(ctx: AnswerContext, model: string, code: string, message: string): Json {
  return { type: 'response.failed', response: responseObject(ctx, model, 'failed', [], { error: { code, message } }) };
}
