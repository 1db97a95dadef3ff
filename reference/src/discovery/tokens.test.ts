import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tokenize, tokenizeAll } from "./tokens.js";

describe("intent tokens (spec §6.4.1)", () => {
  const cases: [string, string[]][] = [
    ["", []],
    ["   ", []],
    ["image", ["image"]],
    ["Create an IMAGE", ["create", "an", "image"]],
    // Punctuation and every other ASCII non-alphanumeric separates.
    ["text-to-image", ["text", "to", "image"]],
    ["a,b;c.d/e_f:g(h)i'j\"k", ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"]],
    ["tab\tnew\nline\r\u0000nul\u007fdel", ["tab", "new", "line", "nul", "del"]],
    ["3d  Model v2.1", ["3d", "model", "v2", "1"]],
    // Duplicates count once, in order of first occurrence.
    ["image Image IMAGE image", ["image"]],
    ["b a b a", ["b", "a"]],
    // Non-ASCII code points are token characters, kept exactly: no case
    // mapping, no normalisation, and non-ASCII punctuation or spaces do not separate.
    ["Café", ["café"]],
    ["CAFÉ", ["cafÉ"]],
    ["naïve-bayes", ["naïve", "bayes"]],
    ["Straße STRASSE", ["straße", "strasse"]],
    ["İstanbul", ["İstanbul"]],
    ["日本語 翻訳", ["日本語", "翻訳"]],
    ["日本語、翻訳", ["日本語、翻訳"]],
    ["no\u00a0break", ["no\u00a0break"]],
    ["e\u0301 é", ["e\u0301", "é"]],
    ["emoji 🎨art", ["emoji", "🎨art"]],
  ];
  for (const [text, tokens] of cases) {
    it(`DISC-009: ${JSON.stringify(text)} → ${JSON.stringify(tokens)}`, () => expect(tokenize(text)).toEqual(tokens));
  }

  it("DISC-009: only A-Z is case-mapped, whatever toLowerCase would do", () => {
    for (let cp = 0; cp < 0x80; cp++) {
      const ch = String.fromCharCode(cp);
      const expected = /[A-Za-z0-9]/.test(ch) ? [ch.toLowerCase()] : [];
      expect(tokenize(ch)).toEqual(expected);
    }
    // Letters whose Unicode lower case differs are left alone.
    for (const ch of ["À", "Σ", "Ж", "Ꭰ", "\u212a" /* KELVIN SIGN, lower-cases to ASCII k */]) expect(tokenize(ch)).toEqual([ch]);
  });

  it("DISC-009: tokens are non-empty, hold no separator, and are stable under re-tokenising", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 64 }), (s) => {
        const tokens = tokenize(s);
        expect(new Set(tokens).size).toBe(tokens.length);
        for (const t of tokens) {
          expect(t.length).toBeGreaterThan(0);
          expect(t).not.toMatch(/[\u0000-\u002f\u003a-\u0060\u007b-\u007f]/);
          expect(tokenize(t)).toEqual([t]);
        }
        expect(tokenize(tokens.join(" "))).toEqual(tokens);
        // ASCII case never matters.
        expect(tokenize(s.replace(/[a-z]/g, (c) => c.toUpperCase()))).toEqual(tokens);
      }),
    );
  });

  it("tokenizeAll unions the tokens of several texts", () => {
    expect(tokenizeAll(["create an image", "image", "text-to-image"])).toEqual(["create", "an", "image", "text", "to"]);
  });
});
