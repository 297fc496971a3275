/** How many of each structural element a markdown text has. */
export interface MarkdownCounts {
  headers: number;
  list_items: number;
  code_blocks: number;
}

// A line-based reading of a CommonMark subset, enough to judge an answer's structure: ATX and setext headers, bullet and
// ordered list items (nested ones too), fenced code blocks (an unclosed one runs to the end, as in CommonMark). Not recognised:
// indented code blocks, block quotes, HTML, and fences indented more than 3 spaces. Nothing inside a code block counts.
const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const FENCE_CLOSE = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;
const ATX_HEADER = /^ {0,3}#{1,6}(?:[ \t]|$)/;
const SETEXT_UNDERLINE = /^ {0,3}(?:=+|-+)[ \t]*$/;
const THEMATIC_BREAK = /^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$/;
const LIST_ITEM = /^[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)/;

interface Fence {
  marker: string;
  contentStart: number;
}

export function countMarkdownElements(text: string): MarkdownCounts {
  const counts: MarkdownCounts = { headers: 0, list_items: 0, code_blocks: 0 };
  scan(text, {
    header: () => counts.headers++,
    listItem: () => counts.list_items++,
    codeBlock: () => {
      counts.code_blocks++;
      return true;
    },
  });
  return counts;
}

/** The content of the first fenced code block, or undefined when there is none. */
export function firstFencedCodeBlock(text: string): string | undefined {
  let content: string | undefined;
  scan(text, {
    codeBlock: (block) => {
      content = block;
      return false;
    },
  });
  return content;
}

interface ScanVisitor {
  header?: () => void;
  listItem?: () => void;
  /** Called with a block's content when it closes; returning false stops the scan. */
  codeBlock: (content: string) => boolean;
}

function scan(text: string, visit: ScanVisitor): void {
  const lines = text.split(/\r?\n/);
  let fence: Fence | undefined;
  let afterParagraphLine = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (fence) {
      const close = FENCE_CLOSE.exec(line);
      if (close && close[1][0] === fence.marker[0] && close[1].length >= fence.marker.length) {
        if (!visit.codeBlock(lines.slice(fence.contentStart, i).join('\n'))) return;
        fence = undefined;
      }
      continue;
    }
    const open = FENCE_OPEN.exec(line);
    // A backtick fence's info string may not contain a backtick (CommonMark), else the line is inline code.
    if (open && !(open[1][0] === '`' && open[2].includes('`'))) {
      fence = { marker: open[1], contentStart: i + 1 };
    } else if (afterParagraphLine && SETEXT_UNDERLINE.test(line)) {
      visit.header?.();
    } else if (THEMATIC_BREAK.test(line)) {
      // A `---` or `* * *` rule, not a list item.
    } else if (ATX_HEADER.test(line)) {
      visit.header?.();
    } else if (LIST_ITEM.test(line)) {
      visit.listItem?.();
    } else {
      afterParagraphLine = line.trim() !== '';
      continue;
    }
    afterParagraphLine = false;
  }
  if (fence) visit.codeBlock(lines.slice(fence.contentStart).join('\n'));
}
