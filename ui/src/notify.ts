// While turns wait for approval: their count in the tab title, and a desktop notification for each new one
// (permission is asked on the person's first click or key press, as browsers require).

import { href } from './route.js';

export function titleWithPending(base: string, pending: number): string {
  return pending > 0 ? `(${pending}) ${base}` : base;
}

let asked = false;

/** Asks for notification permission on the first interaction with the page, once. */
export function askNotificationsOnce(): void {
  if (asked || typeof Notification === 'undefined' || Notification.permission !== 'default') return;
  asked = true;
  const ask = () => {
    window.removeEventListener('pointerdown', ask, true);
    window.removeEventListener('keydown', ask, true);
    void Notification.requestPermission().catch(() => undefined);
  };
  window.addEventListener('pointerdown', ask, true);
  window.addEventListener('keydown', ask, true);
}

export function notifyWaitingTurn(approvalId: string, sessionId: string): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  try {
    const n = new Notification('kx: a turn waits for your approval', { body: `Session ${sessionId}`, tag: approvalId });
    n.onclick = () => {
      window.focus();
      location.hash = href.approvals(approvalId);
      n.close();
    };
  } catch {
    // Some browsers allow notifications only from a service worker: the title count still shows.
  }
}
