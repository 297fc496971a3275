import { csvLine, csvNumberCell, csvTextCell } from './csv-cell';

describe('csv cells', () => {
  it('leaves plain text alone and writes null as an empty cell', () => {
    expect(csvTextCell('Paris')).toBe('Paris');
    expect(csvTextCell('')).toBe('');
    expect(csvTextCell(null)).toBe('');
    expect(csvTextCell('日本語 🚀')).toBe('日本語 🚀');
  });

  it('quotes commas, quotes and line breaks, doubling inner quotes', () => {
    expect(csvTextCell('a, b')).toBe('"a, b"');
    expect(csvTextCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvTextCell('two\nlines')).toBe('"two\nlines"');
    expect(csvTextCell('cr\rhere')).toBe('"cr\rhere"');
  });

  it.each([
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['+1+2', `"'+1+2"`],
    ['-2+3', `"'-2+3"`],
    ['@SUM(A1)', `"'@SUM(A1)"`],
    ['\t=1', `"'\t=1"`],
    ['\r=1', `"'\r=1"`],
  ])('escapes the formula %j against spreadsheet injection', (value, cell) => {
    expect(csvTextCell(value)).toBe(cell);
  });

  it('only escapes a formula character at the start', () => {
    expect(csvTextCell('a=b')).toBe('a=b');
    expect(csvTextCell('x-1')).toBe('x-1');
  });

  it('writes numbers as they are and ends lines with CRLF', () => {
    expect([csvNumberCell(0.25), csvNumberCell(null), csvNumberCell(3)]).toEqual(['0.25', '', '3']);
    expect(csvLine(['a', '"b,c"', ''])).toBe('a,"b,c",\r\n');
  });
});
