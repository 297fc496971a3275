// One Jest config for the whole workspace: every project's unit specs, integration specs and e2e tests.
const swcrc = require('./.swcrc.json.js');

const shared = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', swcrc] },
  moduleNameMapper: { '^@yardstick/(.*)$': '<rootDir>/libs/$1/src/index.ts' },
  rootDir: __dirname,
  setupFiles: ['reflect-metadata'],
};

module.exports = {
  // A global option (projects ignore their own): integration and e2e steps talk to real Postgres, NATS, Redis and service
  // processes, and on a busy 2-core machine one step can take several seconds.
  testTimeout: 30_000,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,tools}/*/src/**/*.spec.ts'] },
    { ...shared, displayName: 'integration', testMatch: ['<rootDir>/{apps,libs,tools}/*/test/**/*.integration-spec.ts'] },
    { ...shared, displayName: 'e2e', testMatch: ['<rootDir>/{apps,libs,tools}/*/test/**/*.e2e-spec.ts'] },
    // Kills and restarts services, NATS and Postgres: run on their own by `npm run test:chaos`.
    ...(process.env.YARDSTICK_CHAOS ? [{ ...shared, displayName: 'chaos', testMatch: ['<rootDir>/{apps,libs,tools}/*/test/**/*.chaos-spec.ts'] }] : []),
  ],
};
