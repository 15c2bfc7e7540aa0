// A uPlot line chart in a shadow root: uPlot's own stylesheet is adopted by the component (no <style> element,
// so the strict CSP holds), and the chart follows its width.

import { LitElement, html, css, unsafeCSS, type PropertyValues } from 'lit';
import uPlot from 'uplot';
import uplotCss from 'uplot/dist/uPlot.min.css?inline';
import { shared } from './styles.js';

export interface ChartSeries {
  label: string;
  color: string;
  /** Which y axis: left ('y') or right ('y2'). */
  scale: 'y' | 'y2';
}

/** Tick steps: whole numbers (1, 2, 5, 10, … up to a billion), and whole days for time axes (x is in seconds). */
const WHOLE = Array.from({ length: 10 }, (_, k) => [1, 2, 5].map((m) => m * 10 ** k)).flat();
const DAYS = [1, 2, 7, 14, 30, 91, 365].map((d) => d * 86_400);

/** The left axis's ticks (uPlot lays axes out in order, so they are known) at the same heights on the right scale. */
const sharedSplits = (u: uPlot, _axis: number, min: number, max: number): number[] => {
  const left = (u.axes[1] as uPlot.Axis & { _splits?: number[] })._splits ?? [];
  const y = u.scales.y;
  if (y?.min === undefined || y.max === undefined || y.max === y.min) return [min, max];
  return left.map((v) => min + ((v - y.min!) / (y.max! - y.min!)) * (max - min));
};
const oneDecimal = (_u: uPlot, splits: number[]): string[] => splits.map((v) => (Math.abs(v) >= 10 ? v.toFixed(0) : v.toFixed(1)));

export class KxChart extends LitElement {
  static override styles = [shared, unsafeCSS(uplotCss), css`:host { min-height: 260px; } figure { margin: 0; } .u-legend { font-size: 0.8rem; color: var(--fg); }`];
  static override properties = { xKind: {}, xLabel: {}, yLabel: {}, y2Label: {}, data: { attribute: false }, series: { attribute: false }, caption: {} };
  /** 'integer' for counts such as turn numbers; 'time' for unix seconds. */
  declare xKind: 'integer' | 'time';
  declare xLabel: string;
  declare yLabel: string;
  declare y2Label: string;
  declare caption: string;
  declare data: number[][];
  declare series: ChartSeries[];
  private plot: uPlot | undefined;
  private resize = new ResizeObserver(() => this.plot?.setSize({ width: this.width(), height: 240 }));

  constructor() {
    super();
    this.xKind = 'integer';
    this.xLabel = '';
    this.yLabel = '';
    this.y2Label = '';
    this.caption = '';
    this.data = [];
    this.series = [];
  }

  private width(): number {
    return Math.max(300, this.clientWidth - 8);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.resize.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resize.disconnect();
    this.plot?.destroy();
    this.plot = undefined;
  }

  protected override updated(changed: PropertyValues): void {
    if (!changed.has('data') && !changed.has('series')) return;
    this.plot?.destroy();
    const target = this.renderRoot.querySelector('.plot') as HTMLElement;
    const axisColor = getComputedStyle(this).getPropertyValue('--fg-soft').trim() || '#888';
    // Keys left out, not set to undefined: uPlot would take an undefined scale over its default 'x'.
    const axis = (label: string, scale?: string, side?: number): uPlot.Axis => ({
      label,
      ...(scale ? { scale } : {}),
      ...(side !== undefined ? { side } : {}),
      stroke: axisColor,
      grid: { stroke: 'rgba(128,128,128,0.2)' },
      ticks: { stroke: 'rgba(128,128,128,0.3)' },
    });
    this.plot = new uPlot(
      {
        width: this.width(),
        height: 240,
        scales: { x: { time: this.xKind === 'time' } },
        axes: [
          { ...axis(this.xLabel), incrs: this.xKind === 'integer' ? WHOLE : DAYS },
          // Tokens and gaps are counted: no ticks at 0.5.
          { ...axis(this.yLabel, 'y'), incrs: WHOLE },
          // One grid: the right axis draws none and puts its ticks on the left axis's grid lines.
          ...(this.series.some((s) => s.scale === 'y2') ? [{ ...axis(this.y2Label, 'y2', 1), grid: { show: false }, splits: sharedSplits, values: oneDecimal }] : []),
        ],
        series: [{ label: this.xLabel }, ...this.series.map((s) => ({ label: s.label, stroke: s.color, width: 2, scale: s.scale, points: { show: true, size: 4 } }))],
      },
      this.data as uPlot.AlignedData,
      target,
    );
  }

  override render() {
    return html`<figure role="img" aria-label=${this.caption}><div class="plot"></div><figcaption class="muted small">${this.caption}</figcaption></figure>`;
  }
}
customElements.define('kx-chart', KxChart);
