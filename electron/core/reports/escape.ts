/**
 * Escaping for the report renderers. Every string in a report that came from a host or the database is
 * data: in HTML it goes through the `html` tag, which escapes every interpolated value unless it is
 * markup the renderer built itself (SafeHtml), so forgetting to escape takes effort; in Markdown through
 * escapeMarkdown.
 */

/** Markup the renderer wrote itself (never data): the `html` tag interpolates it as is. */
export class SafeHtml {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
  toString(): string {
    return this.text;
  }
}

/** What the `html` tag accepts in `${}`: strings and numbers are escaped; nothing shows for null, undefined and false. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

// C0 controls (but tab and newlines) and DEL are parse errors in HTML, so they are shown as U+FFFD.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
const HTML_SPECIAL = /[&<>"']/g;
const HTML_ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * `text` as HTML text, safe both between tags and inside a quoted attribute value (`"` and `'` are
 * escaped too). Never safe in a tag or attribute name, in CSS or in a URL: data goes in none of those.
 */
export function escapeHtml(text: string): string {
  return text.replace(CONTROL, '\uFFFD').replace(HTML_SPECIAL, (c) => HTML_ENTITY[c]!);
}

function interpolate(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return value.map(interpolate).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

/**
 * Template tag for HTML: the literal parts are markup, every `${value}` is escaped (arrays are joined,
 * SafeHtml is kept as is). Interpolate data only in text and in double-quoted attribute values.
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += interpolate(values[i]!) + strings[i + 1]!;
  return new SafeHtml(out);
}

// Characters that make markup wherever they are in a line: emphasis and strikethrough, code, links and
// images (`[`; `(` and `!` only mean something next to it), raw HTML, autolinks and blockquotes, entities,
// table cells, math, e-mail autolinks.
const MARKDOWN_SPECIAL = /[\\`*_~[\]<>&|$@]/g;

/**
 * `text` as literal Markdown (GitHub-flavoured) inline text where it does not start a line: in a table
 * cell, after a label, in a heading. Newlines become spaces (a line break would end the cell or start a
 * block), markup characters are backslash-escaped, and so is the start of an autolink (`://`, `www.`).
 * Other punctuation is left alone, so the file stays readable as plain text.
 */
export function escapeMarkdownInline(text: string): string {
  return text
    .replace(CONTROL, '\uFFFD')
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .replace(MARKDOWN_SPECIAL, '\\$&')
    .replace(/:(?=\/\/)/g, '\\:')
    .replace(/(www)\./gi, '$1\\.')
    // A heading's closing `#`s are dropped: an escaped last one is not a closing sequence.
    .replace(/#$/, '\\#');
}

/**
 * `text` as literal Markdown anywhere, also at the start of a line or of a list item's content:
 * escapeMarkdownInline, and what would make a block there (`#`, `-`, `+`, `=`, `1.`) is escaped and
 * leading spaces (which would make code) go.
 */
export function escapeMarkdown(text: string): string {
  return escapeMarkdownInline(text.replace(/^\s+/, ''))
    .replace(/^([#+=-])/, '\\$1')
    .replace(/^(\d+)([.)])/, '$1\\$2');
}
