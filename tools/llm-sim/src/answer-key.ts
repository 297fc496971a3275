/** One row of an answer key: a question the prompt may contain and its correct answer. */
export interface AnswerKeyItem {
  question: string;
  answer: string;
}

// Questions are indexed by their first characters so a lookup scans the prompt once, not every question.
const PREFIX_LENGTH = 8;

/** The questions the simulator knows answers to; finds the longest known question inside a prompt. */
export class AnswerKey {
  private readonly answers = new Map<string, string>();
  private byPrefix: Map<string, string[]> | null = null;
  private shortQuestions: string[] = [];
  private answersCache: string[] | null = null;

  constructor(items: readonly AnswerKeyItem[] = []) {
    this.add(items);
  }

  get size(): number {
    return this.answers.size;
  }

  /** Adds or overwrites items; rows whose question is blank after trimming are skipped. Returns how many were taken. */
  add(items: readonly AnswerKeyItem[]): number {
    let taken = 0;
    for (const item of items) {
      const question = item.question.trim();
      if (!question) continue;
      this.answers.set(question, item.answer.trim());
      taken++;
    }
    this.byPrefix = null;
    this.answersCache = null;
    return taken;
  }

  replace(items: readonly AnswerKeyItem[]): number {
    this.answers.clear();
    return this.add(items);
  }

  answerFor(question: string): string | undefined {
    return this.answers.get(question);
  }

  items(): AnswerKeyItem[] {
    return [...this.answers].map(([question, answer]) => ({ question, answer }));
  }

  answerList(): readonly string[] {
    this.answersCache ??= [...this.answers.values()];
    return this.answersCache;
  }

  /** The longest question that occurs verbatim in the prompt, or undefined. */
  findQuestion(prompt: string): string | undefined {
    if (this.answers.size === 0) return undefined;
    if (this.answers.has(prompt.trim())) return prompt.trim();
    const index = this.prefixIndex();
    let best: string | undefined;
    const consider = (question: string): void => {
      if (!best || question.length > best.length) best = question;
    };
    for (let at = 0; at + PREFIX_LENGTH <= prompt.length; at++) {
      const candidates = index.get(prompt.slice(at, at + PREFIX_LENGTH));
      if (!candidates) continue;
      for (const question of candidates) {
        if ((!best || question.length > best.length) && prompt.startsWith(question, at)) consider(question);
      }
    }
    for (const question of this.shortQuestions) {
      if ((!best || question.length > best.length) && prompt.includes(question)) consider(question);
    }
    return best;
  }

  private prefixIndex(): Map<string, string[]> {
    if (this.byPrefix) return this.byPrefix;
    const index = new Map<string, string[]>();
    const short: string[] = [];
    for (const question of this.answers.keys()) {
      if (question.length < PREFIX_LENGTH) {
        short.push(question);
        continue;
      }
      const prefix = question.slice(0, PREFIX_LENGTH);
      const bucket = index.get(prefix);
      if (bucket) bucket.push(question);
      else index.set(prefix, [question]);
    }
    this.byPrefix = index;
    this.shortQuestions = short;
    return index;
  }
}
