// Which project a request belongs to: one pure rule, used by capture (the session's project as it is
// stored), the insight engine and learn mode's hook, so all three agree from a session's first request.
// The working directory Codex reports in <environment_context> (fixtures:
// test/fixtures/codex-0.169/http-sse/01-request.json) in this request, or in an earlier frame of the
// same WebSocket connection; else the project the session already has; else the client. Gaps and the
// profile page are kept per project, so what one repository teaches does not leak into another.

import crypto from 'node:crypto';
import path from 'node:path';
import type { ParsedItem } from '../protocol/items.js';
import { cwdOfText } from './client-rules.js';
import { gitRemoteOf } from './git-remote.js';
import { clientProject } from '../store/placeholder-projects.js';

/** The working directory a client states in a context message or system prompt (every form: client-rules.ts). */
export function cwdOfContext(text: string | undefined): string | undefined {
  return cwdOfText(text);
}

/** Items where clients state their working directory: context messages (Codex, Qwen Code) and system prompts (opencode, pi). */
export const statesCwd = (kind: string): boolean => kind === 'injected_context' || kind === 'instructions';

/**
 * The working directory a request's input reports: its first context item that names one. With
 * `prefilled` (client-rules.ts), user messages before a prefilled answer are read as context too
 * (Gemini CLI's and Qwen Code 0.15's opening states the directory).
 */
export function cwdOfInput(input: readonly ParsedItem[], prefilled = false): string | undefined {
  let lastAnswer = -1;
  if (prefilled) input.forEach((item, i) => item.kind === 'assistant_message' && (lastAnswer = i));
  for (const [i, item] of input.entries()) {
    if (!statesCwd(item.kind) && !(i < lastAnswer && item.kind === 'human_message')) continue;
    const cwd = cwdOfContext(item.text);
    if (cwd) return cwd;
  }
  return undefined;
}

/**
 * A readable, stable id: the folder's own name as a slug plus a short hash of the whole path, e.g.
 * `codemie-code-907f20` for `/home/ana/src/codemie-ai/codemie-code`: a person knows a project by its
 * folder, not by the folders above it. Ids already stored keep their older shape (`ProjectFacts.storedId`).
 */
export function projectSlug(name: string): string {
  const hash = crypto.createHash('sha256').update(name).digest('hex').slice(0, 6);
  const slug = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '');
  const folders = name.split(/[\\/]+/).filter(Boolean);
  const last = folders.length > 1 || name.startsWith('/') ? slug(folders.at(-1) ?? '') : slug(name);
  const words = last.length > 40 ? last.slice(0, 40).replace(/-+$/, '') : last;
  return `${words || 'project'}-${hash}`;
}

export interface ProjectFacts {
  /** The working directory this request reports, or an earlier frame of its WebSocket connection did. */
  cwd?: string | undefined;
  /** The project the store already gives the session. */
  recorded?: string | null | undefined;
  client?: string | null | undefined;
  /** The id the store already gives a project of this name (a folder first seen by an older kx keeps its id). */
  storedId?: (name: string) => string | undefined;
}

export interface ProjectChoice {
  id: string;
  /** What a person reads (`kx notes`, the console): the working directory or `client: …`; undefined for a recorded id. */
  name: string | undefined;
  source: 'cwd' | 'recorded' | 'client';
}

/**
 * The id of the project at a working directory: from its repository's git remote when it has one (two
 * checkouts of one remote, on one machine or two, are one project: src/team/ shares by it), else from the path.
 */
export function projectIdOfCwd(cwd: string): string {
  return projectSlug(gitRemoteOf(cwd) ?? cwd);
}

/**
 * The known project of a folder, as capture files its sessions: the deepest project whose folder holds it, else
 * the one of that folder's id (by its git remote, so a teammate's checkout of one repository is the team project).
 * The CLI and the API name a project by folder through this, so both give one answer.
 */
export function projectOfFolder<P extends { id: string; name: string }>(projects: readonly P[], folder: string): P | undefined {
  const dir = path.resolve(folder);
  const inside = (p: string) => dir === p || dir.startsWith(p.endsWith(path.sep) ? p : p + path.sep);
  const holder = projects.filter((p) => path.isAbsolute(p.name) && inside(p.name)).sort((a, b) => b.name.length - a.name.length)[0];
  if (holder) return holder;
  const id = projectIdOfCwd(dir);
  return projects.find((p) => p.id === id);
}

export function decideProject(f: ProjectFacts): ProjectChoice {
  if (f.cwd) return { id: f.storedId?.(f.cwd) ?? projectIdOfCwd(f.cwd), name: f.cwd, source: 'cwd' };
  if (f.recorded) return { id: f.recorded, name: undefined, source: 'recorded' };
  const name = clientProject(f.client);
  return { id: f.storedId?.(name) ?? projectSlug(name), name, source: 'client' };
}
