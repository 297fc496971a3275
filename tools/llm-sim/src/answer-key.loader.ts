import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { AnswerKeyItem } from './answer-key';

/** Parses CSV text whose header row has `question` and `answer` columns (matched case-insensitively). */
export function parseAnswerKeyCsv(content: string): AnswerKeyItem[] {
  const [header, ...rows] = parse(content, {
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
  }) as string[][];
  const names = (header ?? []).map((name) => name.trim().toLowerCase());
  const questionAt = names.indexOf('question');
  const answerAt = names.indexOf('answer');
  if (questionAt < 0 || answerAt < 0) {
    throw new Error('answer key CSV needs a header row with "question" and "answer" columns');
  }
  return rows
    .map((row) => ({ question: row[questionAt] ?? '', answer: row[answerAt] ?? '' }))
    .filter((item) => item.question.trim() !== '');
}

export function loadAnswerKeyCsv(path: string): AnswerKeyItem[] {
  return parseAnswerKeyCsv(readFileSync(path, 'utf8'));
}
