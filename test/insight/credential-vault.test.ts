import { describe, expect, it } from 'vitest';
import { CredentialVault } from '../../src/insight/credentials.js';

const offer = (token: string, sessionId?: string) => ({ authorization: `Bearer ${token}`, accountId: undefined, sessionId, baseURL: 'http://upstream.test/v1' });

describe('the credential vault', () => {
  it('says an offer changed nothing when the same session offers the same credentials again', () => {
    const v = new CredentialVault();
    expect(v.offer(offer('sk-a', 's1'))).toBe(true);
    expect(v.offer(offer('sk-a', 's1'))).toBe(false);
  });

  it('says an offer changed what it holds for a new session, a new token or a new upstream', () => {
    const v = new CredentialVault();
    v.offer(offer('sk-a', 's1'));
    expect(v.offer(offer('sk-a', 's2'))).toBe(true);
    expect(v.offer(offer('sk-b', 's2'))).toBe(true);
    expect(v.offer({ ...offer('sk-b', 's2'), baseURL: 'http://other.test/v1' })).toBe(true);
    expect(v.forSession('s1')?.token).toBe('sk-a');
  });

  it('ignores what is not a bearer token', () => {
    const v = new CredentialVault();
    expect(v.offer({ ...offer('x'), authorization: 'Basic abc' })).toBe(false);
    expect(v.forSession(undefined)).toBeUndefined();
  });
});
