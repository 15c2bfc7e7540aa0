// The link `kx start` prints for a waiting turn: it opens the console on that turn, in a browser that
// has not opened the console yet too (the token sets the console's cookie; the browser keeps the #fragment
// across the redirect that drops the token from the address bar).

export function approvalLink(kxUrl: string, uiToken: string, approvalId: string): string {
  return `${kxUrl}/ui/?token=${encodeURIComponent(uiToken)}#/approvals/${encodeURIComponent(approvalId)}`;
}
