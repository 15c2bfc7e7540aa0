// Sessions written straight into SQLite, for tests and the console bench that need many of them
// (10,000 sessions, a 500-turn timeline, a large search corpus) faster than traffic through kx could make them.

import type Database from 'better-sqlite3';

export interface SeedOptions {
  sessions: number;
  turnsPerSession: number;
  /** Characters of tool output per turn. */
  outputChars?: number;
  /** First session's start; each next one starts a minute later. */
  start?: Date;
  client?: (session: number) => string;
  humanText?: (session: number, turn: number) => string;
  idPrefix?: string;
}

const WORDS = 'vite build config import module react hook state effect server route token cache schema migration query index test deploy docker compose python pandas frame column'.split(' ');

/** Deterministic filler with real words, so search has something to find and rank. */
export function filler(seed: number, chars: number): string {
  const out: string[] = [];
  let n = 0;
  let x = seed * 2654435761;
  while (n < chars) {
    x = (x * 1103515245 + 12345) >>> 0;
    const w = WORDS[x % WORDS.length]!;
    out.push(w);
    n += w.length + 1;
  }
  return out.join(' ').slice(0, chars);
}

export function seedSessions(db: Database.Database, o: SeedOptions): string[] {
  const start = (o.start ?? new Date('2026-01-01T00:00:00Z')).getTime();
  const iso = (ms: number) => new Date(ms).toISOString();
  const ins = {
    session: db.prepare(`INSERT INTO sessions (id, identified_by, client, user_agent, started_at) VALUES (?, 'header', ?, 'seed/1', ?)`),
    turn: db.prepare(`INSERT INTO turns (id, session_id, seq, started_at, ended_at, status) VALUES (?, ?, ?, ?, ?, 'completed')`),
    request: db.prepare(
      `INSERT INTO requests (id, session_id, turn_id, transport, api, method, path, model, request_kind, started_at, first_byte_ms, duration_ms,
         status_code, outcome, input_tokens, cached_tokens, output_tokens, reasoning_tokens, total_tokens, ended_at)
       VALUES (?, ?, ?, 'http', 'responses', 'POST', '/v1/responses', 'gpt-6.1-sol', 'turn', ?, ?, ?, 200, 'completed', ?, 0, ?, 0, ?, ?)`,
    ),
    item: db.prepare(
      `INSERT INTO items (id, session_id, turn_id, request_id, seq, direction, kind, item_type, role, call_id, tool_name, text, arguments, output, dedup_key, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
  };
  const ids: string[] = [];
  const prefix = o.idPrefix ?? 'seed';
  db.transaction(() => {
    for (let s = 0; s < o.sessions; s++) {
      const sid = `${prefix}-${String(s).padStart(6, '0')}`;
      ids.push(sid);
      const t0 = start + s * 60_000;
      ins.session.run(sid, o.client?.(s) ?? (s % 3 === 0 ? 'codex_exec' : 'codex_cli_rs'), iso(t0));
      let seq = 0;
      for (let t = 1; t <= o.turnsPerSession; t++) {
        const at = t0 + t * 1000;
        const tid = `t_${sid}_${t}`;
        const rid = `r_${sid}_${t}`;
        const input = 1000 + ((s * 7 + t * 13) % 900);
        const output = 50 + ((s * 3 + t * 11) % 400);
        ins.turn.run(tid, sid, t, iso(at), iso(at + 900));
        ins.request.run(rid, sid, tid, iso(at), 120 + (t % 50), 400 + ((t * 37) % 800), input, output, input + output, iso(at + 900));
        const item = (kind: string, type: string, fields: { role?: string; call?: string; tool?: string; text?: string; args?: string; out?: string }, dir: string) =>
          ins.item.run(`i_${sid}_${++seq}`, sid, tid, rid, seq, dir, kind, type, fields.role ?? null, fields.call ?? null, fields.tool ?? null,
            fields.text ?? null, fields.args ?? null, fields.out ?? null, `k${seq}`, iso(at));
        item('human_message', 'message', { role: 'user', text: o.humanText?.(s, t) ?? `question ${t}: ${filler(s * 1000 + t, 80)}` }, 'input');
        item('tool_call', 'function_call', { call: `call_${t}`, tool: 'exec_command', args: JSON.stringify({ cmd: `ls -la src/${WORDS[t % WORDS.length]}` }) }, 'output');
        item('tool_output', 'function_call_output', { call: `call_${t}`, out: filler(s * 7 + t, o.outputChars ?? 200) }, 'input');
        item('assistant_message', 'message', { role: 'assistant', text: `answer ${t}: ${filler(s + t * 31, 160)}` }, 'output');
      }
    }
  })();
  return ids;
}
