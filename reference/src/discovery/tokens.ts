// Intent tokens (spec/06-discovery.md §6.4, DISC-009). The rule is defined on
// Unicode code points with one fixed mapping, so that every language
// reproduces it exactly: no locale, no Unicode case folding, no normalisation
// (toLowerCase() and str.lower() are deliberately not used: they change
// non-ASCII letters, differently across Unicode versions, and "İ" even
// becomes two code points).

/** True for a code point that belongs to a token: a-z, 0-9 after mapping, or any code point from U+0080 up. */
function isTokenCodePoint(cp: number): boolean {
  return (cp >= 0x30 && cp <= 0x39) || (cp >= 0x61 && cp <= 0x7a) || cp >= 0x80;
}

/**
 * The distinct tokens of a text, in order of first occurrence (DISC-009):
 * A–Z is mapped to a–z, and a token is a maximal run of a–z, 0–9 and code
 * points at or above U+0080. Every other code point separates tokens.
 */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const seen = new Set<string>();
  let current = "";
  const flush = () => {
    if (current !== "" && !seen.has(current)) {
      seen.add(current);
      tokens.push(current);
    }
    current = "";
  };
  // for...of walks code points, not UTF-16 code units, so a supplementary
  // character is one token code point, as in Python.
  for (const ch of text) {
    let cp = ch.codePointAt(0)!;
    if (cp >= 0x41 && cp <= 0x5a) cp += 0x20;
    if (isTokenCodePoint(cp)) current += cp < 0x80 ? String.fromCharCode(cp) : ch;
    else flush();
  }
  flush();
  return tokens;
}

/** The distinct tokens of several texts together, in order of first occurrence. */
export function tokenizeAll(texts: readonly string[]): string[] {
  const seen = new Set<string>();
  const tokens: string[] = [];
  for (const text of texts) {
    for (const t of tokenize(text)) {
      if (!seen.has(t)) {
        seen.add(t);
        tokens.push(t);
      }
    }
  }
  return tokens;
}
