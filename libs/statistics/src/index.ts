export * from './score-statistics';
export * from './student-t';
export * from './paired-comparison';
