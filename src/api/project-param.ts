// `project=` on every /api route that takes one (the session list, search, gaps), read one way: the CLI, the
// console and a script name a project as they would anywhere else in kx, and one kx does not know is a 404
// that names the known ones, never an empty answer that reads as "nothing was found".

import path from 'node:path';
import { projectOfFolder } from '../capture/project.js';
import type { ApiErrorBody } from '../contracts/api-error.js';
import { apiError } from './api-error.js';

export interface KnownProject {
  id: string;
  /** Its working directory, or `client: …` for a client's placeholder. */
  name: string;
}

/** The project's id; undefined for every project. */
export type ProjectParam = { project: string | undefined } | { error: ApiErrorBody };

const LISTED = 10;

/**
 * The project `given` names: an absolute path names the project the CLI finds for that folder (the deepest
 * known project folder holding it, else its git remote's, so a teammate's checkout names the team project);
 * anything else is a project's id or name, exactly.
 */
export function projectNamed<P extends KnownProject>(given: string, projects: readonly P[]): P | undefined {
  if (path.isAbsolute(given)) return projectOfFolder(projects, given);
  return projects.find((p) => p.id === given) ?? projects.find((p) => p.name === given);
}

/** `asked` as a project: absent, empty or `all` is every project; else projectNamed's, or a 404 naming the known ones. */
export function projectParam(asked: string | undefined, known: () => readonly KnownProject[]): ProjectParam {
  const given = asked?.trim() ?? '';
  if (given === '' || given === 'all') return { project: undefined };
  const projects = known();
  const hit = projectNamed(given, projects);
  return hit ? { project: hit.id } : { error: apiError('not_found', unknownProject(given, projects)) };
}

function unknownProject(given: string, projects: readonly KnownProject[]): string {
  const names = projects.slice(0, LISTED).map((p) => (p.name === p.id ? p.id : `${p.id} (${p.name})`));
  const more = projects.length > LISTED ? `, and ${projects.length - LISTED} more (GET /api/projects)` : '';
  return `no project ${JSON.stringify(given)}: give its id, its name or a folder in it, or all for every project; known: ${names.join(', ') || 'none yet'}${more}`;
}
