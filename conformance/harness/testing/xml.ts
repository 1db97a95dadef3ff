// A small, strict XML 1.0 reader for the tests: enough to prove that
// junit.xml is well-formed (one root, matched tags, quoted attributes, only
// the predefined entities and character references, no characters XML
// cannot hold) and to walk its elements.

/** An element. */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Record<string, string>;
  readonly children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_:][A-Za-z0-9_.:-]*/;
const ENTITY = /^&(?:lt|gt|amp|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/;

function decode(raw: string, where: string): string {
  let out = "";
  for (let i = 0; i < raw.length; ) {
    const ch = raw[i]!;
    if (ch === "<") throw new Error(`${where}: a raw "<"`);
    if (ch === "&") {
      const m = ENTITY.exec(raw.slice(i));
      if (m === null) throw new Error(`${where}: a raw "&" or an unknown entity at ${JSON.stringify(raw.slice(i, i + 12))}`);
      const e = m[0];
      out += e === "&lt;" ? "<" : e === "&gt;" ? ">" : e === "&amp;" ? "&" : e === "&quot;" ? '"' : e === "&apos;" ? "'" : String.fromCodePoint(e[2] === "x" ? parseInt(e.slice(3, -1), 16) : parseInt(e.slice(2, -1), 10));
      i += e.length;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

/** Parses a document; throws on anything that is not well-formed. */
export function parseXml(doc: string): XmlElement {
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.test(doc)) throw new Error("a character XML 1.0 cannot hold");
  let i = 0;
  const rest = () => doc.slice(i);
  if (rest().startsWith("<?xml")) {
    const end = doc.indexOf("?>", i);
    if (end < 0) throw new Error("unterminated XML declaration");
    i = end + 2;
  }
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < doc.length) {
    const lt = doc.indexOf("<", i);
    const text = doc.slice(i, lt < 0 ? undefined : lt);
    if (stack.length === 0) {
      if (text.trim().length > 0) throw new Error(`text outside the root: ${JSON.stringify(text.slice(0, 40))}`);
    } else stack[stack.length - 1]!.text += decode(text, `in <${stack[stack.length - 1]!.name}>`);
    if (lt < 0) break;
    i = lt;
    if (rest().startsWith("<!--")) {
      const end = doc.indexOf("-->", i);
      if (end < 0) throw new Error("unterminated comment");
      i = end + 3;
      continue;
    }
    if (rest().startsWith("</")) {
      i += 2;
      const m = NAME.exec(rest());
      if (m === null) throw new Error("bad closing tag");
      i += m[0].length;
      while (/\s/.test(doc[i] ?? "")) i++;
      if (doc[i] !== ">") throw new Error(`bad closing tag </${m[0]}`);
      i++;
      const open = stack.pop();
      if (open === undefined || open.name !== m[0]) throw new Error(`</${m[0]}> closes <${open?.name ?? "nothing"}>`);
      continue;
    }
    i++;
    const m = NAME.exec(rest());
    if (m === null) throw new Error(`bad tag at ${JSON.stringify(doc.slice(i - 1, i + 20))}`);
    i += m[0].length;
    const el: XmlElement = { name: m[0], attributes: {}, children: [], text: "" };
    for (;;) {
      const ws = /^\s*/.exec(rest())![0];
      i += ws.length;
      if (rest().startsWith("/>") || rest().startsWith(">")) break;
      if (ws.length === 0) throw new Error(`<${el.name}>: attributes must be separated by white space`);
      const a = NAME.exec(rest());
      if (a === null) throw new Error(`<${el.name}>: bad attribute at ${JSON.stringify(rest().slice(0, 20))}`);
      i += a[0].length;
      if (doc[i] !== "=" || doc[i + 1] !== '"') throw new Error(`<${el.name}> ${a[0]}: expected ="…"`);
      const end = doc.indexOf('"', i + 2);
      if (end < 0) throw new Error(`<${el.name}> ${a[0]}: unterminated value`);
      if (a[0] in el.attributes) throw new Error(`<${el.name}>: attribute ${a[0]} twice`);
      el.attributes[a[0]] = decode(doc.slice(i + 2, end), `<${el.name}> ${a[0]}`);
      i = end + 1;
    }
    const selfClosing = rest().startsWith("/>");
    i += selfClosing ? 2 : 1;
    if (stack.length > 0) stack[stack.length - 1]!.children.push(el);
    else if (root !== undefined) throw new Error("a second root element");
    else root = el;
    if (!selfClosing) stack.push(el);
  }
  if (stack.length > 0) throw new Error(`<${stack[stack.length - 1]!.name}> is never closed`);
  if (root === undefined) throw new Error("no root element");
  return root;
}
