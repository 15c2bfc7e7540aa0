// The project rule lives with capture (src/capture/project.ts), which decides it first; the insight
// engine uses the same one.

export { clientProject, cwdOfContext, cwdOfInput, decideProject, projectSlug, statesCwd, type ProjectChoice, type ProjectFacts } from '../capture/project.js';
