// Defeats CSRF on every state-changing route (learn mode's approve/edit, resolve, mode switches):
// a browser sends Origin (or Sec-Fetch-Site) with a POST, and only the console's own origin passes.
// Scripts without a browser send neither and must use the Bearer token, which a cross-site page cannot.

import type { MiddlewareHandler } from 'hono';
import { apiError } from './api-error.js';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export function sameOriginOnly(): MiddlewareHandler {
  return async (c, next) => {
    if (SAFE.has(c.req.method)) return next();
    const origin = c.req.header('origin');
    const fetchSite = c.req.header('sec-fetch-site');
    const host = c.req.header('host');
    const sameOrigin = origin !== undefined ? host !== undefined && originMatches(origin, host) : fetchSite === undefined || fetchSite === 'same-origin';
    const browserless = origin === undefined && fetchSite === undefined;
    if (!sameOrigin || (browserless && !/^Bearer\s/i.test(c.req.header('authorization') ?? ''))) {
      return c.json(apiError('forbidden_origin', 'kx: cross-site request refused'), 403);
    }
    return next();
  };
}

/** An Origin header that names the kx the request reached (the console's own page). */
export function originMatches(origin: string, host: string): boolean {
  try {
    const o = new URL(origin);
    return (o.protocol === 'http:' || o.protocol === 'https:') && o.host.toLowerCase() === host.toLowerCase();
  } catch {
    return false;
  }
}
