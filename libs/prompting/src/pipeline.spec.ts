import { MAX_PIPELINE_STAGES, pipelineProblems } from './pipeline';

const stage = (name: string, promptTemplate: string) => ({ name, promptTemplate });

describe(pipelineProblems.name, () => {
  it('accepts extract -> answer where the second stage reads the first one\'s output', () => {
    expect(pipelineProblems([stage('extract', 'Extract: {{question}}'), stage('answer', 'Use {{ stages.extract.output }}')])).toEqual([]);
  });

  it('names the stage and the problem: bad name, duplicate, reference to a later stage', () => {
    expect(pipelineProblems([
      stage('Extract', '{{question}} {{ stages.answer.output }}'), stage('answer', 'x'), stage('answer', 'y'),
    ])).toEqual([
      'pipeline[0] (Extract): name must match ^[a-z][a-z0-9_]{0,49}$',
      'pipeline[0] (Extract).prompt_template: stages.answer is a later stage; a stage may only use the outputs of earlier stages',
      'pipeline[2] (answer): name is not unique',
    ]);
  });

  it('requires one to ten stages and the question in at least one of them', () => {
    expect(pipelineProblems([])).toEqual(['pipeline: at least one stage is required']);
    const many = Array.from({ length: MAX_PIPELINE_STAGES + 1 }, (_, i) => stage(`s${i}`, '{{question}}'));
    expect(pipelineProblems(many)).toEqual([`pipeline: at most ${MAX_PIPELINE_STAGES} stages, got ${MAX_PIPELINE_STAGES + 1}`]);
    expect(pipelineProblems([stage('a', 'hello')])).toEqual(['pipeline: no stage uses {{question}}']);
  });
});
