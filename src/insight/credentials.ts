// Credentials borrowed from the session's own live traffic, for insight calls when no key is
// configured. Held in this process's memory only: never written, logged or returned by the API.
// The proxy strips Authorization before capture sees headers; this is the one narrow hand-off.

import { LRUCache } from 'lru-cache';

export interface BorrowedCredentials {
  /** The bearer token, without "Bearer ". */
  token: string;
  /** ChatGPT login sends its workspace in this header; the backend refuses calls without it. */
  accountId: string | undefined;
  /** Where the session's own calls went: insight calls go there too. */
  baseURL: string;
}

export interface CredentialOffer {
  authorization: string | undefined;
  accountId: string | undefined;
  sessionId: string | undefined;
  baseURL: string;
}

const MAX_SESSIONS = 200;

const sameCredentials = (a: BorrowedCredentials, b: BorrowedCredentials): boolean => a.token === b.token && a.accountId === b.accountId && a.baseURL === b.baseURL;

export class CredentialVault {
  private readonly bySession = new LRUCache<string, BorrowedCredentials>({ max: MAX_SESSIONS });
  private latest: BorrowedCredentials | undefined;
  private readonly arrivedListeners = new Set<() => void>();

  /** Whether the offer changed what is held: only then does the worker need it (every request offers). */
  offer(offer: CredentialOffer): boolean {
    const m = /^Bearer\s+(\S+)$/i.exec(offer.authorization ?? '');
    if (!m) return false;
    const creds: BorrowedCredentials = { token: m[1]!, accountId: offer.accountId, baseURL: offer.baseURL };
    const isNew = !this.latest || this.latest.token !== creds.token || this.latest.baseURL !== creds.baseURL;
    const latestChanged = isNew || this.latest?.accountId !== creds.accountId;
    this.latest = creds;
    let sessionChanged = false;
    if (offer.sessionId) {
      const held = this.bySession.get(offer.sessionId);
      sessionChanged = !held || !sameCredentials(held, creds);
      if (sessionChanged) this.bySession.set(offer.sessionId, creds);
    }
    if (isNew) for (const l of this.arrivedListeners) l();
    return latestChanged || sessionChanged;
  }

  /** The session's own credentials; else the most recent ones seen (the same person's kx). */
  forSession(sessionId: string | undefined): BorrowedCredentials | undefined {
    return (sessionId ? this.bySession.get(sessionId) : undefined) ?? this.latest;
  }

  /** Called when credentials not seen before arrive, so jobs waiting for a key can run. */
  onArrival(listener: () => void): () => void {
    this.arrivedListeners.add(listener);
    return () => void this.arrivedListeners.delete(listener);
  }

  /** What is held, as offers, to hand to another thread (the insight worker) after it starts. */
  offers(): CredentialOffer[] {
    const asOffer = (c: BorrowedCredentials, sessionId: string | undefined): CredentialOffer => ({ authorization: `Bearer ${c.token}`, accountId: c.accountId, sessionId, baseURL: c.baseURL });
    const out = [...this.bySession].map(([id, c]) => asOffer(c, id));
    // The latest last, so it stays the latest over there too.
    if (this.latest) out.push(asOffer(this.latest, undefined));
    return out;
  }

  forget(): void {
    this.bySession.clear();
    this.latest = undefined;
  }
}
