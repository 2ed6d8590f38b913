/**
 * Just enough of a DOM for react-dom's client renderer to draw the GUI's charts outside a browser.
 * recharts 3 lays a chart out in effects (its parts register with a store after mounting), so
 * react-dom/server's single pass gives an empty wrapper (recharts issues #5997, #6139); a real
 * client render runs those effects. Nothing here is laid out: sizes are 0, except the legend
 * box, whose height is estimated so the plot leaves room for it. Serialises to markup.
 */
const HTML_NS = 'http://www.w3.org/1999/xhtml';
const VOID = new Set(['area', 'br', 'col', 'hr', 'img', 'input', 'link', 'meta', 'source', 'wbr']);

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttr(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;');
}

/** Inline styles as react-dom sets them: camel-case properties and setProperty for custom ones. */
class Style {
  private readonly values = new Map<string, string>();

  setProperty(name: string, value: string): void {
    this.values.set(name, value);
  }

  removeProperty(name: string): void {
    this.values.delete(name);
  }

  get cssText(): string {
    return [...this.values].filter(([, v]) => v !== '').map(([k, v]) => `${k}:${v}`).join(';');
  }

  /** Proxied property writes (`style.width = '10px'`) land here, in CSS spelling. */
  static create(): Style {
    const style = new Style();
    return new Proxy(style, {
      set(target, key, value) {
        if (typeof key === 'string' && !(key in target)) {
          const css = key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
          if (value === '' || value === null || value === undefined) target.values.delete(css);
          else target.values.set(css, String(value));
          return true;
        }
        return Reflect.set(target, key, value);
      },
      get(target, key, receiver) {
        if (typeof key === 'string' && !(key in target)) return target.values.get(key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)) ?? '';
        const v = Reflect.get(target, key, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
  }
}

export class MiniNode {
  childNodes: MiniNode[] = [];
  parentNode: MiniNode | null = null;

  constructor(
    readonly nodeType: number,
    readonly ownerDocument: MiniDocument | null,
  ) {}

  get firstChild(): MiniNode | null {
    return this.childNodes[0] ?? null;
  }

  get lastChild(): MiniNode | null {
    return this.childNodes[this.childNodes.length - 1] ?? null;
  }

  get nextSibling(): MiniNode | null {
    const siblings = this.parentNode?.childNodes;
    return siblings ? (siblings[siblings.indexOf(this) + 1] ?? null) : null;
  }

  appendChild<T extends MiniNode>(child: T): T {
    child.parentNode?.removeChild(child);
    this.childNodes.push(child);
    child.parentNode = this;
    return child;
  }

  insertBefore<T extends MiniNode>(child: T, before: MiniNode | null): T {
    if (before === null) return this.appendChild(child);
    child.parentNode?.removeChild(child);
    this.childNodes.splice(this.childNodes.indexOf(before), 0, child);
    child.parentNode = this;
    return child;
  }

  removeChild<T extends MiniNode>(child: T): T {
    const i = this.childNodes.indexOf(child);
    if (i >= 0) this.childNodes.splice(i, 1);
    child.parentNode = null;
    return child;
  }

  addEventListener(): void {}
  removeEventListener(): void {}

  get textContent(): string {
    return this.childNodes.map((c) => c.textContent).join('');
  }

  set textContent(text: string) {
    for (const c of this.childNodes) c.parentNode = null;
    this.childNodes = [];
    if (text !== '') this.appendChild(new MiniText(text, this.ownerDocument));
  }
}

export class MiniText extends MiniNode {
  constructor(
    public nodeValue: string,
    doc: MiniDocument | null,
  ) {
    super(3, doc);
  }

  override get textContent(): string {
    return this.nodeValue;
  }

  override set textContent(text: string) {
    this.nodeValue = text;
  }

  get data(): string {
    return this.nodeValue;
  }

  set data(text: string) {
    this.nodeValue = text;
  }
}

export class MiniElement extends MiniNode {
  private readonly attrs = new Map<string, string>();
  readonly style = Style.create();

  constructor(
    readonly localName: string,
    readonly namespaceURI: string,
    doc: MiniDocument | null,
  ) {
    super(1, doc);
  }

  get tagName(): string {
    return this.namespaceURI === HTML_NS ? this.localName.toUpperCase() : this.localName;
  }

  get nodeName(): string {
    return this.tagName;
  }

  setAttribute(name: string, value: string): void {
    this.attrs.set(name, String(value));
  }

  setAttributeNS(_ns: string | null, name: string, value: string): void {
    this.attrs.set(name, String(value));
  }

  getAttribute(name: string): string | null {
    return this.attrs.get(name) ?? null;
  }

  hasAttribute(name: string): boolean {
    return this.attrs.has(name);
  }

  removeAttribute(name: string): void {
    this.attrs.delete(name);
  }

  removeAttributeNS(_ns: string | null, name: string): void {
    this.attrs.delete(name);
  }

  /** Descendant elements in document order. */
  *descendants(): Generator<MiniElement> {
    for (const c of this.childNodes) {
      if (c instanceof MiniElement) {
        yield c;
        yield* c.descendants();
      }
    }
  }

  getElementsByClassName(name: string): MiniElement[] {
    return [...this.descendants()].filter((e) => (e.getAttribute('class') ?? '').split(/\s+/).includes(name));
  }

  querySelector(): null {
    return null;
  }

  querySelectorAll(): MiniElement[] {
    return [];
  }

  getBoundingClientRect(): { x: number; y: number; top: number; left: number; right: number; bottom: number; width: number; height: number } {
    const height = this.estimatedHeight();
    return { x: 0, y: 0, top: 0, left: 0, right: 0, bottom: height, width: 0, height };
  }

  get offsetWidth(): number {
    return 0;
  }

  get offsetHeight(): number {
    return this.estimatedHeight();
  }

  get clientWidth(): number {
    return 0;
  }

  get clientHeight(): number {
    return 0;
  }

  /**
   * A legend's height, as a browser would lay it out: items (icon 14 px, text about 6.5 px per
   * character, 10 px apart) flow in rows of the legend's width, 20 px per row. Everything else: 0.
   */
  private estimatedHeight(): number {
    if (!(this.getAttribute('class') ?? '').split(/\s+/).includes('recharts-legend-wrapper')) return 0;
    const width = Number.parseFloat(this.style.cssText.match(/(?:^|;)width:([\d.]+)px/)?.[1] ?? '0') || 600;
    let x = 0;
    let rows = 0;
    for (const item of this.getElementsByClassName('recharts-legend-item')) {
      const w = 14 + 4 + Math.ceil(item.textContent.length * 6.5) + 10;
      if (rows === 0 || x + w > width) {
        rows++;
        x = 0;
      }
      x += w;
    }
    return rows * 20;
  }

  get outerHTML(): string {
    const attrs = [...this.attrs].filter(([k]) => k !== 'style');
    const style = this.style.cssText;
    if (style !== '') attrs.push(['style', style]);
    const open = `<${this.localName}${attrs.map(([k, v]) => ` ${k}="${escapeAttr(v)}"`).join('')}`;
    if (this.namespaceURI === HTML_NS && VOID.has(this.localName)) return `${open}>`;
    const inner = this.innerHTML;
    // SVG elements without content close themselves, as in a standalone .svg file.
    if (inner === '' && this.namespaceURI !== HTML_NS) return `${open}/>`;
    return `${open}>${inner}</${this.localName}>`;
  }

  get innerHTML(): string {
    return this.childNodes.map((c) => (c instanceof MiniElement ? c.outerHTML : c instanceof MiniText ? escapeText(c.nodeValue) : '')).join('');
  }
}

export class MiniDocument extends MiniNode {
  readonly documentElement: MiniElement;
  readonly body: MiniElement;
  /** What react-dom reads through `ownerDocument.defaultView` (focus and selection handling). */
  readonly defaultView: { document: MiniDocument; HTMLIFrameElement: new () => object; getComputedStyle: () => { fontSize: string; letterSpacing: string } };

  constructor() {
    super(9, null);
    this.documentElement = new MiniElement('html', HTML_NS, this);
    this.body = new MiniElement('body', HTML_NS, this);
    this.documentElement.appendChild(this.body);
    this.appendChild(this.documentElement);
    this.defaultView = { document: this, HTMLIFrameElement: class {}, getComputedStyle: () => ({ fontSize: '', letterSpacing: '' }) };
  }

  createElement(tag: string): MiniElement {
    return new MiniElement(tag.toLowerCase(), HTML_NS, this);
  }

  createElementNS(ns: string, tag: string): MiniElement {
    return new MiniElement(tag, ns, this);
  }

  createTextNode(text: string): MiniText {
    return new MiniText(text, this);
  }

  createComment(): MiniNode {
    return new MiniNode(8, this);
  }

  get activeElement(): null {
    return null;
  }
}
