// Rows are checked as they leave SQLite: a query and the type the code reads it as can drift apart (a column
// renamed, a NULL where none was expected), and a cast would let the wrong shape travel on to the console or
// a prompt. A check fails at the query instead, naming it.

import type Database from 'better-sqlite3';
import type { z } from 'zod';

export class RowShapeError extends Error {
  constructor(what: string, issue: z.ZodIssue | undefined) {
    super(`kx's store: a ${what} row is not what kx expects${issue ? ` (${issue.path.join('.') || 'value'}: ${issue.message})` : ''}`);
  }
}

function checked<S extends z.ZodTypeAny>(schema: S, what: string, row: unknown): z.output<S> {
  const parsed = schema.safeParse(row);
  if (!parsed.success) throw new RowShapeError(what, parsed.error.issues[0]);
  return parsed.data;
}

/** The first row of a statement, checked, or undefined when there is none. */
export function oneRow<S extends z.ZodTypeAny>(schema: S, what: string, stmt: Database.Statement, ...params: unknown[]): z.output<S> | undefined {
  const row: unknown = stmt.get(...params);
  return row === undefined ? undefined : checked(schema, what, row);
}

/** Every row of a statement, checked. */
export function allRows<S extends z.ZodTypeAny>(schema: S, what: string, stmt: Database.Statement, ...params: unknown[]): Array<z.output<S>> {
  return (stmt.all(...params) as unknown[]).map((row) => checked(schema, what, row));
}
