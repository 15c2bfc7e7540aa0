// Reads the Codex 0.169 captures copied into test/fixtures (see its README).

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'codex-0.169');

export interface FixtureRequest {
  headers: Record<string, string>;
  body: Record<string, unknown>;
  url: string;
}

export function fixtureRequest(dir: string, n: string): FixtureRequest {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, dir, `${n}-request.json`), 'utf8')) as FixtureRequest;
}

export function fixtureBytes(dir: string, file: string): Buffer {
  return fs.readFileSync(path.join(FIXTURES, dir, file));
}

export interface WsFrame {
  i: number;
  dir: 'client->server' | 'server->client';
  kind: 'text' | 'close' | 'ping';
  data: unknown;
}

export function fixtureFrames(dir: string, n: string): WsFrame[] {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, dir, `${n}-ws-frames.json`), 'utf8')) as WsFrame[];
}

/** The body as Codex put it on the wire (fixtures store parsed JSON; Codex's serialiser is compact). */
export function wireBody(req: FixtureRequest): Buffer {
  return Buffer.from(JSON.stringify(req.body));
}
