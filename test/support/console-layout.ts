// Geometry checks for the console at a given width: what a person would see as broken, measured in the
// page rather than judged from a screenshot. Text is measured per line box (Range.getClientRects), clipped
// by every ancestor that hides its overflow (shadow roots crossed), so an ellipsis-cut title or a table
// scrolled inside its own box counts only for what shows. A form control counts as one box.

import type { Page } from 'playwright-core';

export interface LayoutReport {
  /** The document's width beyond the viewport (0 when nothing scrolls sideways). */
  overflowPx: number;
  /** Pairs of visible texts of different elements drawn on top of each other. */
  overlaps: string[];
  /** Visible texts that reach past the viewport's left or right edge. */
  offscreen: string[];
}

export function layoutReport(page: Page): Promise<LayoutReport> {
  return page.evaluate(() => {
    type Box = { l: number; t: number; r: number; b: number };
    type Shown = { owner: Element; text: string; box: Box };
    const CONTROLS = ['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON'];
    const width = window.innerWidth;
    const parentOf = (n: Node): Element | null => {
      const p = n.parentNode;
      if (!p) return null;
      if (p instanceof ShadowRoot) return p.host;
      return p instanceof Element ? p : null;
    };
    // The box an element's content shows through: its own, if it hides overflow, cut by its ancestors' (memoised: long pages).
    const clips = new Map<Element, Box>();
    const clipOfElement = (el: Element | null): Box => {
      if (!el) return { l: -Infinity, t: -Infinity, r: Infinity, b: Infinity };
      const known = clips.get(el);
      if (known) return known;
      const outer = clipOfElement(parentOf(el));
      const st = getComputedStyle(el);
      let box = outer;
      if (st.overflowX !== 'visible' || st.overflowY !== 'visible') {
        const r = el.getBoundingClientRect();
        box = { l: Math.max(outer.l, r.left), t: Math.max(outer.t, r.top), r: Math.min(outer.r, r.right), b: Math.min(outer.b, r.bottom) };
      }
      clips.set(el, box);
      return box;
    };
    const clipOf = (node: Node): Box => clipOfElement(parentOf(node));
    const shown: Shown[] = [];
    const add = (owner: Element, text: string, rects: DOMRect[], clip: Box): void => {
      // Hidden, transparent, or inside a closed <details> (whose content still has stale boxes): not seen.
      if (!owner.checkVisibility({ opacityProperty: true, visibilityProperty: true })) return;
      for (const r of rects) {
        const box = { l: Math.max(r.left, clip.l), t: Math.max(r.top, clip.t), r: Math.min(r.right, clip.r), b: Math.min(r.bottom, clip.b) };
        if (box.r - box.l >= 2 && box.b - box.t >= 2) shown.push({ owner, text: text.trim().slice(0, 40), box });
      }
    };
    const walk = (node: Node): void => {
      if (node.nodeType === Node.TEXT_NODE) {
        const owner = parentOf(node);
        if (!owner || !(node.textContent ?? '').trim()) return;
        const range = document.createRange();
        range.selectNodeContents(node);
        add(owner, node.textContent ?? '', Array.from(range.getClientRects()), clipOf(node));
        return;
      }
      const el = node as Element;
      if (el.nodeType === Node.ELEMENT_NODE) {
        if (['STYLE', 'SCRIPT', 'TEMPLATE'].includes(el.tagName)) return;
        if (CONTROLS.includes(el.tagName)) {
          const label = el instanceof HTMLSelectElement ? (el.selectedOptions[0]?.text ?? '') : (el as HTMLInputElement).value || el.textContent || el.tagName;
          return add(el, label, [el.getBoundingClientRect()], clipOf(el));
        }
      }
      if (el.shadowRoot) walk(el.shadowRoot);
      for (const child of Array.from(node.childNodes)) walk(child);
    };
    walk(document.body);
    const overlaps: string[] = [];
    const slack = 2;
    // Top to bottom, each box against those that start above its bottom: no pair of far-apart lines is compared.
    shown.sort((a, b) => a.box.t - b.box.t);
    for (let i = 0; i < shown.length; i++) {
      for (let j = i + 1; j < shown.length && shown[j]!.box.t + slack < shown[i]!.box.b; j++) {
        const [x, y] = [shown[i]!, shown[j]!];
        // One element's own line boxes (a wrapped line, a right-to-left path's runs) never count against each other.
        if (x.owner === y.owner) continue;
        const [a, b] = [x.box, y.box];
        if (a.l + slack < b.r && b.l + slack < a.r && a.t + slack < b.b && b.t + slack < a.b) overlaps.push(`"${x.text}" × "${y.text}"`);
      }
    }
    const offscreen = shown.filter((s) => s.box.r > width + 1 || s.box.l < -1).map((s) => `"${s.text}" spans ${Math.round(s.box.l)}–${Math.round(s.box.r)} px`);
    return { overflowPx: Math.max(0, document.documentElement.scrollWidth - width), overlaps, offscreen };
  });
}

/** The visible width of the first element matching `selector` in the shadow root of a `host` anywhere in the page, clipped by its ancestors. */
export function visibleWidth(page: Page, host: string, selector: string): Promise<number> {
  return page.evaluate(
    ([h, sel]) => {
      const find = (root: Document | ShadowRoot): Element | null => {
        for (const e of Array.from(root.querySelectorAll('*'))) {
          if (!e.shadowRoot) continue;
          const hit = e.matches(h!) ? e.shadowRoot.querySelector(sel!) : find(e.shadowRoot);
          if (hit) return hit;
        }
        return null;
      };
      const el = find(document);
      if (!el) return 0;
      const r = el.getBoundingClientRect();
      let right = Math.min(r.right, window.innerWidth);
      let left = Math.max(r.left, 0);
      for (let p: Element | null = el.parentElement; p; p = p.parentElement) {
        const st = getComputedStyle(p);
        if (st.overflowX !== 'visible') {
          const pr = p.getBoundingClientRect();
          right = Math.min(right, pr.right);
          left = Math.max(left, pr.left);
        }
      }
      return Math.max(0, right - left);
    },
    [host, selector],
  );
}
