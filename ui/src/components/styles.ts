// Styles every view shares: type, links, buttons, code, lists. Colours come from theme.css variables.

import { css } from 'lit';

export const shared = css`
  :host { display: block; color: var(--fg); }
  a { color: var(--accent); }
  h1, h2, h3 { line-height: 1.25; margin: 0.2em 0 0.5em; }
  h1 { font-size: 1.35rem; }
  h2 { font-size: 1.1rem; }
  h3 { font-size: 1rem; }
  .muted { color: var(--fg-soft); }
  .small { font-size: 0.85rem; }
  button, select, input, textarea {
    font: inherit; color: var(--fg); background: var(--bg); border: 1px solid var(--border); border-radius: 6px; padding: 0.3rem 0.6rem;
  }
  /* A select sized by its longest option (a long project path) must not widen the page. */
  select, input { max-width: 100%; box-sizing: border-box; }
  label { min-width: 0; max-width: 100%; }
  form select { max-width: min(100%, 24rem); }
  button { cursor: pointer; background: var(--bg-soft); }
  button.primary { background: var(--accent); color: var(--accent-fg); border-color: var(--accent); }
  button:focus-visible, a:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible, [tabindex]:focus-visible {
    outline: 2px solid var(--accent); outline-offset: 2px;
  }
  pre, code { font-family: var(--mono); font-size: 0.85rem; }
  pre { background: var(--bg-code); border-radius: 6px; padding: 0.5rem 0.7rem; margin: 0.3rem 0; white-space: pre-wrap; word-break: break-word; }
  .empty { border: 1px dashed var(--border); border-radius: 8px; padding: 1.2rem; color: var(--fg-soft); }
  .empty strong { color: var(--fg); }
  .error { color: var(--bad); }
  .chip { display: inline-block; border: 1px solid var(--border); border-radius: 999px; padding: 0 0.5rem; font-size: 0.8rem; white-space: nowrap; }
  .chip.live { color: var(--ok); border-color: var(--ok); }
  .chip.idle { color: var(--fg-soft); border-style: dashed; }
  .chip.gap { color: var(--bad); border-color: var(--bad); }
  .chip.success { color: var(--ok); border-color: var(--ok); }
  .chip.confusion, .chip.follow-up { color: var(--warn); border-color: var(--warn); }
  .chip.decision { color: var(--accent); border-color: var(--accent); }
  mark { background: var(--mark); color: inherit; border-radius: 2px; }
  .selected { outline: 2px solid var(--accent); outline-offset: -2px; }
  ul.plain { list-style: none; padding: 0; margin: 0; }
  .row { display: flex; gap: 0.6rem; align-items: center; flex-wrap: wrap; }
  .card { border: 1px solid var(--border); border-radius: 8px; padding: 0.8rem 1rem; margin: 0 0 0.8rem; background: var(--bg); }
  /* Keyboard hints ("a accept"): nothing to press on a touch screen, and a phone needs the room. */
  @media (hover: none), (max-width: 600px) { .keys { display: none; } }
`;

/**
 * A table that turns into one card per row on a narrow screen (a phone, a tablet held upright): the cells flow
 * under the row's first cell, each after its column's name (a `.label` span, hidden while the table is a table).
 * Nothing scrolls sideways and no column is squeezed to nothing.
 */
export const stackedTable = css`
  td .label { display: none; }
  @media (max-width: 900px) {
    table.stack, table.stack tbody { display: block; width: 100%; }
    table.stack colgroup, table.stack thead { display: none; }
    table.stack tr { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.15rem 1rem; padding: 0.55rem 0.1rem; border-bottom: 1px solid var(--border); }
    table.stack td { display: block; min-width: 0; max-width: 100%; padding: 0; border: 0; text-align: left; }
    table.stack td:first-child { flex: 1 0 100%; }
    table.stack td .label { display: inline; font-size: 0.8rem; color: var(--fg-soft); }
  }
`;
