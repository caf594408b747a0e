/**
 * Minutes are written in a small, safe subset of Markdown: paragraphs separated by a blank
 * line, line breaks, "- " bullet lists and **bold**. Parsing yields plain data that
 * components/RichText.tsx turns into React elements, so text is always escaped by React and no
 * HTML from a person ever reaches the page (docs/decisions/0003-minutes-markup.md).
 */
export interface Span {
  text: string;
  bold: boolean;
}
export type Line = Span[];
export type Block = { type: "paragraph"; lines: Line[] } | { type: "list"; items: Line[] };

export function parseInline(text: string): Line {
  const spans: Line = [];
  const parts = text.split("**");
  // An odd number of parts means every ** is paired; otherwise the last one is literal text.
  const paired = parts.length % 2 === 1;
  parts.forEach((part, i) => {
    const bold = i % 2 === 1 && (paired || i < parts.length - 1);
    const literal = !paired && i === parts.length - 1 && i % 2 === 1 ? `**${part}` : part;
    if (literal) spans.push({ text: literal, bold });
  });
  return spans;
}

export function parseMinutes(source: string): Block[] {
  const blocks: Block[] = [];
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  let current: Block | null = null;
  for (const raw of lines) {
    const line = raw.trimEnd();
    if (line.trim() === "") {
      current = null;
      continue;
    }
    const item = /^\s*[-*•]\s+(.*)$/.exec(line);
    if (item) {
      if (current?.type !== "list") {
        current = { type: "list", items: [] };
        blocks.push(current);
      }
      current.items.push(parseInline(item[1]));
    } else {
      if (current?.type !== "paragraph") {
        current = { type: "paragraph", lines: [] };
        blocks.push(current);
      }
      current.lines.push(parseInline(line.trim()));
    }
  }
  return blocks;
}
