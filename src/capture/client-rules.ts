// How each known agent client talks, in one table: how to recognise it, which header carries its
// session id, which of its calls are background work, what context it writes into user messages,
// and where it states its working directory. Adding a client is adding a row (docs/clients.md).
// Every client, in the table or not, also gets the general rules at the bottom: a row adds to them,
// never turns one off. Pure: no I/O, no state.

import type { ParsedRequest } from '../protocol/items.js';
import { header, type HeaderBag } from '../protocol/request-meta.js';

export interface ClientRule {
  /** The name kx records and the console shows. */
  name: string;
  /** How a request is told to come from this client: user agent first, then a header, then the system prompt. */
  recognise: { userAgent?: RegExp; header?: string; systemPrompt?: RegExp };
  /** The header carrying the client's own session id (null: none; kx falls back to its fingerprint). */
  sessionHeader: string | null;
  /** System prompts (their start) of the client's background calls: titles, summaries, compaction, memory. */
  background: readonly RegExp[];
  /** Background calls with no system prompt, by their first user message (Continue's title call). */
  backgroundPrompt?: readonly RegExp[];
  /** The session header of a background call is the conversation's id with this prefix (Kilo Code's `title-<id>`). */
  backgroundSessionPrefix?: string;
  /** User-role text parts the client writes itself (whole part, open and close). */
  context: readonly (readonly [open: RegExp, close: RegExp])[];
  /** Where it states its working directory, for the docs; `cwdOfText` reads every form. */
  cwdWhere: string;
  /** The client names itself in the header that recognises it (Codex's originator: codex_exec, codex_cli_rs): kx records that name, not the row's. */
  namedByHeader?: boolean;
}

const part = (tag: string): readonly [RegExp, RegExp] => [new RegExp(`^<${tag}>`), new RegExp(`</${tag}>$`)];

export const CLIENT_RULES: readonly ClientRule[] = [
  {
    name: 'codex',
    recognise: { userAgent: /^codex/i, header: 'originator' },
    sessionHeader: 'session-id',
    // Codex marks its own background work with x-openai-subagent (request-meta.ts), not by prompt.
    background: [],
    context: [part('environment_context'), part('user_instructions'), part('skill')],
    cwdWhere: 'user message <environment_context><cwd>…</cwd>',
    namedByHeader: true,
  },
  {
    name: 'opencode',
    recognise: { userAgent: /^opencode\//i },
    sessionHeader: 'x-session-id',
    background: [/^You are a title generator/, /^You are a context summarization agent/, /^Summarize what was done in this conversation/],
    context: [],
    cwdWhere: 'system prompt <env> block, "Working directory: …"',
  },
  {
    name: 'qwen-code',
    recognise: { userAgent: /^QwenCode\//i },
    sessionHeader: null,
    background: [
      /^You are now acting as the managed memory extraction subagent/,
      /^You are performing a managed memory dream/,
      /^You are saving one explicit durable memory/,
      /^You are the component that summarizes a conversation/,
      /^You are a specialized context summarizer/,
    ],
    // Its Gemini-style preamble, skills, tools and date arrive as <system-reminder> parts of the user message.
    context: [part('system-reminder')],
    cwdWhere: 'user message preamble, "I\'m currently working in the directory: …"',
  },
  {
    name: 'kilo-code',
    recognise: { userAgent: /^Kilo-Code\//i },
    sessionHeader: 'x-session-id',
    background: [/^You are a title generator/],
    backgroundSessionPrefix: 'title-',
    // Every user message ends with a part of its own: message time, working directory, workspace root.
    context: [part('environment_details')],
    cwdWhere: 'user message <environment_details> block, "Working directory: …"',
  },
  {
    name: 'continue',
    // Continue's OpenAI adapter sends `ls/JS <version>`; its title call has no system prompt to go by.
    recognise: { userAgent: /^ls\/JS\b/, systemPrompt: /^You are an agent in the Continue CLI/ },
    sessionHeader: null,
    background: [],
    backgroundPrompt: [/please reply with a title for the chat/],
    context: [],
    cwdWhere: 'none',
  },
  {
    name: 'grok',
    // Grok CLI sends the OpenAI SDK's user agent; its system prompt names it.
    recognise: { systemPrompt: /^You are Grok CLI\b/ },
    sessionHeader: null,
    background: [],
    context: [],
    cwdWhere: 'system prompt, "Current working directory: …"',
  },
  {
    name: 'pi',
    // pi sends the OpenAI SDK's user agent; its system prompt names it.
    recognise: { systemPrompt: /operating inside pi, a coding agent harness/ },
    sessionHeader: null,
    background: [/^You are a context summarization assistant/],
    context: [],
    cwdWhere: 'system prompt, "Current working directory: …"',
  },
];

export interface RequestView {
  headers: HeaderBag;
  /** The system (or developer) prompt's text, if any. */
  system?: string;
  /** Whether the request offers the model any tools. */
  hasTools: boolean;
  /** The first user message's text, for background calls known by it (`backgroundPrompt`). */
  firstUser?: string;
}

/** The table's row for this request, if the client is known. */
export function ruleFor(headers: HeaderBag, system?: string): ClientRule | undefined {
  const ua = header(headers, 'user-agent') ?? '';
  return (
    CLIENT_RULES.find((r) => r.recognise.userAgent?.test(ua)) ??
    CLIENT_RULES.find((r) => r.recognise.header !== undefined && header(headers, r.recognise.header) !== undefined) ??
    (system ? CLIENT_RULES.find((r) => r.recognise.systemPrompt?.test(system)) : undefined)
  );
}

/** The client's own session id, from the header its row names; a background call's names the conversation it serves. */
export function clientSessionId(rule: ClientRule | undefined, headers: HeaderBag): string | undefined {
  const id = rule?.sessionHeader ? header(headers, rule.sessionHeader) : undefined;
  const prefix = rule?.backgroundSessionPrefix;
  return prefix && id?.startsWith(prefix) && id.length > prefix.length ? id.slice(prefix.length) : id;
}

/**
 * General rule: a call with no tools whose system prompt opens by asking for a title or a summary
 * ("Write a short title…", "Summarize the conversation…", "You are a title generator") is background.
 * A prompt that only mentions a summary somewhere (a tutor that ends each answer with one) is not.
 */
const GENERAL_BACKGROUND = /^(?:(?:write|generate|create|give|produce|suggest)\b[^.\n]{0,40}\btitles?\b|summari[sz]e\b|you are an? [\w -]{0,40}\b(?:title|summary|summari[sz]ation|summari[sz]er)\b)/i;

/** Codex's sub-agents that are background work (`x-openai-subagent`); others (`review`) carry the human's instructions. */
const BACKGROUND_SUBAGENTS = /^(?:compact|memory[_-]?consolidation)$/i;

export function isBackgroundSubagent(subagent: string | undefined): boolean {
  return subagent !== undefined && BACKGROUND_SUBAGENTS.test(subagent.trim());
}

/** Whether a call is the client's background work, never a human turn: the table first, then the general rule. */
export function isBackgroundCall(rule: ClientRule | undefined, req: RequestView): boolean {
  const system = (req.system ?? '').trimStart();
  if (rule?.background.some((re) => re.test(system))) return true;
  if (!req.system && req.firstUser !== undefined && rule?.backgroundPrompt?.some((re) => re.test(req.firstUser!))) return true;
  const sid = rule?.sessionHeader ? header(req.headers, rule.sessionHeader) : undefined;
  if (rule?.backgroundSessionPrefix && sid?.startsWith(rule.backgroundSessionPrefix)) return true;
  return !req.hasTools && GENERAL_BACKGROUND.test(system);
}

/** Whether a user-role text part is context this client wrote (on top of Codex's markers, human-text.ts). */
export function isClientContext(rule: ClientRule | undefined, text: string): boolean {
  const t = text.trim();
  return (rule?.context ?? []).some(([open, close]) => open.test(t) && close.test(t));
}

// Every form in which a known client states its working directory. A path is one line.
const CWD_STATEMENTS: readonly RegExp[] = [
  /<environment_context>[\s\S]*?<cwd>([^<\n]+)<\/cwd>/, // Codex
  /<env>[\s\S]*?Working directory:[ \t]*([^\n<]+)/, // opencode
  /<environment_details>[\s\S]*?Working directory:[ \t]*([^\n<]+)/, // Kilo Code
  /I'm currently working in the directory:[ \t]*([^\n<]+)/, // Gemini CLI, Qwen Code
  /Current working directory:[ \t]*([^\n<]+)/, // pi, Grok CLI
];

/** The working directory a client states in this text (a system prompt or a context message), if any. */
export function cwdOfText(text: string | undefined): string | undefined {
  if (!text) return undefined;
  for (const re of CWD_STATEMENTS) {
    const cwd = re.exec(text)?.[1]?.trim();
    if (cwd) return cwd;
  }
  return undefined;
}

/**
 * General rule for a prefilled exchange: user messages before an assistant message kx never received
 * from the upstream are context the client wrote (Gemini CLI's "Got it. Thanks for the context!"),
 * not the human. Returns how many leading items of `input` that covers (0: none). `received` says
 * whether an assistant message came from the upstream (or was stored before, so is not new).
 */
export function prefilledContextEnd<T extends { kind: string }>(input: readonly T[], received: (item: T, index: number) => boolean): number {
  let end = 0;
  input.forEach((item, i) => {
    if (item.kind === 'assistant_message' && !received(item, i)) end = i;
  });
  return end;
}

/** What the client rules (client-rules.ts) say of one request. */
export interface ClientFacts {
  /** The known client's name, for the session row and the console. */
  client?: string;
  sessionId?: string;
  background?: boolean;
  prefilledContext?: boolean;
}

/**
 * The table's facts for one parsed request (capture and learn mode's hook both ask). A row adds to the
 * general rules, never turns them off: the prefilled-exchange rule holds for every Chat Completions client.
 */
export function clientFacts(headers: HeaderBag, request: ParsedRequest, top: Record<string, unknown>): ClientFacts {
  const system = request.input.find((i) => i.kind === 'instructions')?.text;
  const rule = ruleFor(headers, system);
  const sessionId = clientSessionId(rule, headers);
  const hasTools = Array.isArray(top.tools) && top.tools.length > 0;
  const firstUser = request.input.find((i) => i.kind === 'human_message' || (i.kind === 'injected_context' && i.role === 'user'))?.text;
  const view: RequestView = { headers, hasTools, ...(system !== undefined ? { system } : {}), ...(firstUser !== undefined ? { firstUser } : {}) };
  return {
    ...(rule && !rule.namedByHeader ? { client: rule.name } : {}),
    ...(sessionId ? { sessionId } : {}),
    ...(isBackgroundCall(rule, view) ? { background: true } : {}),
    ...(request.api === 'chat' ? { prefilledContext: true } : {}),
  };
}
