// A request path is stored as sent, except the values of query parameters that carry credentials
// (`?api_key=sk-…`, a signed URL's `sig`): clients do put keys there, and the path lands in the database.

import { redact } from './redact.js';

const CREDENTIAL_PARAM = /^(?:(?:api[-_]?)?key|apikey|(?:access[-_]|refresh[-_]|id[-_])?token|auth|authorization|sig|signature|secret|client[-_]secret|password|passwd|pwd|x-amz-signature|x-amz-credential|x-amz-security-token)$/i;

/** Whether a query parameter name (decoded) looks like it carries a credential. */
function isCredentialName(name: string): boolean {
  let decoded = name;
  try {
    decoded = decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    // a malformed escape: judge the name as sent
  }
  return CREDENTIAL_PARAM.test(decoded) || /(?:secret|password|token|api[-_]?key)/i.test(decoded);
}

/** The path with the values of credential-like query parameters replaced by `[REDACTED]`. */
export function redactPath(path: string): string {
  const q = path.indexOf('?');
  if (q < 0) return redact(path);
  const query = path.slice(q + 1).split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const name = eq < 0 ? pair : pair.slice(0, eq);
    return eq >= 0 && isCredentialName(name) ? `${name}=[REDACTED]` : pair;
  });
  // A key under any other name (`?q=sk-proj-…`) is caught by the content patterns.
  return redact(`${path.slice(0, q)}?${query.join('&')}`);
}
