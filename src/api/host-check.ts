// Defeats DNS rebinding: a page on evil.example that resolves to 127.0.0.1 still sends
// `Host: evil.example`, so only loopback names and the configured host are served.

import { isLoopbackHost } from '../config/config.js';

export function hostAllowed(hostHeader: string | undefined, boundHost: string): boolean {
  if (!hostHeader) return false;
  const name = hostHeader.startsWith('[') ? hostHeader.slice(0, hostHeader.indexOf(']') + 1) : hostHeader.split(':')[0]!;
  return isLoopbackHost(name) || name.toLowerCase() === boundHost.toLowerCase();
}
