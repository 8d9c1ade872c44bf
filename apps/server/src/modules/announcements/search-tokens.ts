/**
 * Chinese full-text search without database extensions (ADR 0006). Text is cut into CJK bigrams and latin/digit
 * words here, in TypeScript, and stored as a tsvector built with array_to_tsvector (no text-search parser, so the
 * result does not depend on the server's locale: PGlite and Debian's PostgreSQL agree). A query is cut the same
 * way and every token must match (AND).
 */

// Han, kana and hangul runs are cut into overlapping bigrams; everything else that is a letter or digit forms words.
const RUN = /([\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+)|([\p{L}\p{N}]+)/gu;
const MAX_WORD = 64;
/** Bounds the tsvector of a very long body (tsvector values must stay below 1 MB). */
const MAX_DOC_TOKENS = 20_000;
const MAX_QUERY_TOKENS = 16;

export function normalise(text: string): string {
  // NFKC folds full-width ＡＢＣ１２３ to ABC123 and compatibility ideographs to their unified forms.
  return text.normalize('NFKC').toLowerCase();
}

interface Run {
  cjk: boolean;
  text: string;
}

function runs(text: string): Run[] {
  const out: Run[] = [];
  for (const m of normalise(text).matchAll(RUN)) {
    if (m[1]) out.push({ cjk: true, text: m[1] });
    else if (m[2]) out.push({ cjk: false, text: m[2].slice(0, MAX_WORD) });
  }
  return out;
}

function bigrams(run: string): string[] {
  const chars = Array.from(run);
  if (chars.length === 1) return chars;
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  return out;
}

/** Lexemes to index for a document (deduplicated). */
export function documentTokens(...texts: string[]): string[] {
  const set = new Set<string>();
  for (const text of texts) {
    for (const r of runs(text)) {
      for (const t of r.cjk ? bigrams(r.text) : [r.text]) {
        if (set.size >= MAX_DOC_TOKENS) return [...set];
        set.add(t);
      }
    }
  }
  return [...set];
}

export interface QueryToken {
  lexeme: string;
  /** A lone CJK character matches every bigram that starts with it. */
  prefix: boolean;
}

/** Tokens of a search query; every one must match. */
export function queryTokens(q: string): QueryToken[] {
  const seen = new Set<string>();
  const out: QueryToken[] = [];
  for (const r of runs(q)) {
    const chars = Array.from(r.text);
    const toks: QueryToken[] = r.cjk && chars.length === 1 ? [{ lexeme: r.text, prefix: true }] : (r.cjk ? bigrams(r.text) : [r.text]).map((lexeme) => ({ lexeme, prefix: false }));
    for (const t of toks) {
      const key = `${t.lexeme}${t.prefix ? '*' : ''}`;
      if (seen.has(key) || out.length >= MAX_QUERY_TOKENS) continue;
      seen.add(key);
      out.push(t);
    }
  }
  return out;
}

function quote(lexeme: string): string {
  return `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** tsquery text (for `$1::tsquery`): all tokens ANDed. Empty when the query has no searchable characters. */
export function toTsquery(tokens: QueryToken[]): string {
  return tokens.map((t) => `${quote(t.lexeme)}${t.prefix ? ':*' : ''}`).join(' & ');
}

/** The words a user typed, for highlighting: CJK runs and latin words as written (normalised). */
export function highlightTerms(q: string): string[] {
  return [...new Set(runs(q).map((r) => r.text))].sort((a, b) => b.length - a.length);
}

export interface Segment {
  text: string;
  match: boolean;
}

/**
 * Split `text` into matched and unmatched segments (no HTML: the client renders <mark> itself, so no markup from
 * the database ever reaches innerHTML). Matching is on the normalised text, which keeps string length for the
 * characters we index except rare NFKC expansions; those fall back to no highlight.
 */
export function highlight(text: string, terms: string[]): Segment[] {
  const norm = normalise(text);
  if (!terms.length || norm.length !== text.length) return [{ text, match: false }];
  const marks = new Array<boolean>(text.length).fill(false);
  for (const term of terms) {
    if (!term) continue;
    for (let i = norm.indexOf(term); i >= 0; i = norm.indexOf(term, i + term.length)) marks.fill(true, i, i + term.length);
  }
  const out: Segment[] = [];
  for (let i = 0; i < text.length; ) {
    let j = i;
    while (j < text.length && marks[j] === marks[i]) j++;
    out.push({ text: text.slice(i, j), match: marks[i]! });
    i = j;
  }
  return out;
}

/** A window of `text` around the first match, for result lists. */
export function snippet(text: string, terms: string[], width = 80): Segment[] {
  const norm = normalise(text);
  let at = -1;
  for (const t of terms) {
    const i = norm.indexOf(t);
    if (i >= 0 && (at < 0 || i < at)) at = i;
  }
  const start = Math.max(0, at < 0 ? 0 : at - Math.floor(width / 4));
  const piece = text.slice(start, start + width);
  const segs = highlight(piece, terms);
  if (start > 0) segs.unshift({ text: '…', match: false });
  if (start + width < text.length) segs.push({ text: '…', match: false });
  return segs;
}
