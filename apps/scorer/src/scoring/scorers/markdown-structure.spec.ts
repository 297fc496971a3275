import { countMarkdownElements, firstFencedCodeBlock } from './markdown-structure';

describe(countMarkdownElements.name, () => {
  it('counts ATX and setext headers, not hashtags', () => {
    const text = ['# One', '## Two ##', '   ### Three', 'Four', '====', 'Five', '---', '#hashtag', '####### seven hashes'].join('\n');
    expect(countMarkdownElements(text).headers).toBe(5);
  });

  it('counts bullet, ordered and nested list items, not rules or emphasis', () => {
    const text = ['- a', '* b', '+ c', '1. d', '2) e', '   - nested', '', '---', '* * *', '*emphasis*', '-1 degrees'].join('\n');
    expect(countMarkdownElements(text).list_items).toBe(6);
  });

  it('counts fenced code blocks and nothing inside them', () => {
    const text = ['```python', '# not a header', '- not an item', '```', '~~~', 'x', '~~~', '````', '```', 'still inside', '````'].join('\n');
    expect(countMarkdownElements(text)).toEqual({ headers: 0, list_items: 0, code_blocks: 3 });
  });

  it('lets an unclosed fence run to the end, as CommonMark does', () => {
    expect(countMarkdownElements('```\n# inside\n- inside')).toEqual({ headers: 0, list_items: 0, code_blocks: 1 });
  });

  it('does not take inline code with backticks for a fence', () => {
    expect(countMarkdownElements('``` inline ``` code').code_blocks).toBe(0);
  });

  it('reads CRLF line ends and unicode text', () => {
    expect(countMarkdownElements('# 東京\r\n- 😀\r\n')).toEqual({ headers: 1, list_items: 1, code_blocks: 0 });
  });

  it('counts nothing in an empty text', () => {
    expect(countMarkdownElements('')).toEqual({ headers: 0, list_items: 0, code_blocks: 0 });
  });
});

describe(firstFencedCodeBlock.name, () => {
  it('returns the first block\'s content only', () => {
    expect(firstFencedCodeBlock('text\n```json\n{"a": 1}\n```\n```\nsecond\n```')).toBe('{"a": 1}');
  });

  it('returns an unclosed block to the end, and undefined without a block', () => {
    expect(firstFencedCodeBlock('```\n[1,\n2]')).toBe('[1,\n2]');
    expect(firstFencedCodeBlock('{"a": 1}')).toBeUndefined();
  });
});
