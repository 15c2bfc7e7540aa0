// What kx's memory tools (MCP, src/mcp/) add to the console's wire shapes.

import { z } from 'zod';

/** Calls the agent made to kx's memory tools in one session. */
export const memoryLookups = z.number().int().nonnegative();
