// A tiny element builder: h("div", { class: "x", "data-id": id, onclick }, child, ...).
// Attribute values are set with setAttribute and text with text nodes, so tool data is never parsed as HTML.

type Child = Node | string | number | null | undefined | false | Child[];
type Props = Record<string, unknown>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props?: Props | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props) {
    for (const [key, value] of Object.entries(props)) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") el.className = String(value);
      else if (key.toLowerCase().startsWith("on")) {
        // Handlers are listeners, never inline handler attributes (the page's CSP forbids those, and rightly).
        if (typeof value !== "function") throw new TypeError(`h(): ${key} must be a function, not ${typeof value}`);
        el.addEventListener(key.slice(2), value as EventListener);
      }
      else el.setAttribute(key, value === true ? "" : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
  }
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing #${id} in the page template`);
  return el as T;
}

export function one<T extends Element = HTMLElement>(selector: string, root: ParentNode = document): T {
  const el = root.querySelector<T>(selector);
  if (!el) throw new Error(`missing ${selector} in the page template`);
  return el;
}
