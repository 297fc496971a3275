/** The experiment module's settings (from OrchestratorEnv). */
export class ExperimentSettings {
  constructor(
    /** Most configs a grid may have (EXPERIMENT_MAX_CONFIGS). */
    readonly maxConfigs: number,
    /** How often the sweep driver looks at running experiments (EXPERIMENT_TICK_MS). */
    readonly tickMs: number,
    readonly defaultFailureThreshold: number,
  ) {}
}
