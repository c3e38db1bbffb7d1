// The few SVG pieces the charts share: an element builder (attributes and text nodes only, never markup from data),
// the hatch pattern that marks what is lost (readable without colour) and a linear scale.

const NS = "http://www.w3.org/2000/svg";

type SvgChild = SVGElement | string | null | undefined | false | SvgChild[];

export function s<K extends keyof SVGElementTagNameMap>(tag: K, attrs?: Record<string, string | number | null | undefined> | null, ...children: SvgChild[]): SVGElementTagNameMap[K] {
  const el = document.createElementNS(NS, tag);
  for (const [key, value] of Object.entries(attrs ?? {})) if (value !== null && value !== undefined) el.setAttribute(key, String(value));
  add(el, children);
  return el;
}

function add(parent: SVGElement, children: SvgChild[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) add(parent, child);
    else parent.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
  }
}

/** An <svg> that scales with its box, labelled for screen readers (the figures are also in the text beside it). */
export function chartSvg(width: number, height: number, label: string, ...children: SvgChild[]): SVGSVGElement {
  return s("svg", { viewBox: `0 0 ${width} ${height}`, width: "100%", role: "img", "aria-label": label, class: "chart-svg", preserveAspectRatio: "xMidYMid meet" }, ...children);
}

/** Diagonal hatching in the given colour: marks a loss (contraction, churn, downside) without relying on colour. */
export function hatch(id: string, colour: string): SVGPatternElement {
  return s(
    "pattern",
    { id, width: 6, height: 6, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" },
    s("rect", { width: 6, height: 6, fill: colour, "fill-opacity": 0.28 }),
    s("line", { x1: 0, y1: 0, x2: 0, y2: 6, stroke: colour, "stroke-width": 3 }),
  );
}

/** Dots in the given colour: the third fill (upside, medium risk) beside solid and hatched. */
export function dots(id: string, colour: string): SVGPatternElement {
  return s(
    "pattern",
    { id, width: 5, height: 5, patternUnits: "userSpaceOnUse" },
    s("rect", { width: 5, height: 5, fill: colour, "fill-opacity": 0.35 }),
    s("circle", { cx: 2.5, cy: 2.5, r: 1.3, fill: colour }),
  );
}

/** Maps [d0, d1] onto [r0, r1]. */
export function linear(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const span = d1 - d0 || 1;
  return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}

/** A "nice" rounded step for about `ticks` ticks over `span`. */
export function niceStep(span: number, ticks: number): number {
  const raw = span / Math.max(1, ticks);
  const power = Math.pow(10, Math.floor(Math.log10(raw || 1)));
  const f = raw / power;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * power;
}
