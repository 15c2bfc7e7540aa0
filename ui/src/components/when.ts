// A stored time as a table cell shows it: the date and the clock each kept whole (class `nw`, nowrap in the
// view's styles), so a narrow column breaks between them instead of spilling into the next one.

import { html } from 'lit';
import { formatTimeParts } from '../format.js';

export function when(iso: string) {
  const [date, time] = formatTimeParts(iso);
  return html`<span class="nw">${date}</span> <span class="nw">${time}</span>`;
}
