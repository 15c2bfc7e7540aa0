// How a session's title shows in the sessions list: whether any of it is cut (an ellipsis or a line clamp),
// on how many lines, and the share of the table's width its column gets.

import type { Page } from 'playwright-core';

export interface TitleFit {
  /** Part of the title is hidden: cut with an ellipsis or clamped. */
  cut: boolean;
  /** Lines the title's text takes. */
  lines: number;
  /** The title cell's width over the table's. */
  share: number;
}

export function titleFit(page: Page, title: string): Promise<TitleFit> {
  return page.locator('kx-sessions-view').evaluate((view, text) => {
    const a = Array.from(view.shadowRoot!.querySelectorAll('td.title a')).find((x) => x.textContent === text);
    if (!a) throw new Error(`no title "${text}" in the list`);
    const range = document.createRange();
    range.selectNodeContents(a);
    const lines = new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top))).size;
    const cut = a.scrollWidth > a.clientWidth + 1 || a.scrollHeight > a.clientHeight + 1;
    const share = a.closest('td')!.getBoundingClientRect().width / a.closest('table')!.getBoundingClientRect().width;
    return { cut, lines, share };
  }, title);
}
