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
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,tools}/*/src/**/*.spec.ts'] },
    // Against real Postgres, NATS, Redis and service processes: a busy 2-core machine makes single steps take seconds.
    { ...shared, displayName: 'integration', testTimeout: 30_000, testMatch: ['<rootDir>/{apps,libs,tools}/*/test/**/*.integration-spec.ts'] },
    { ...shared, displayName: 'e2e', testTimeout: 30_000, testMatch: ['<rootDir>/{apps,libs,tools}/*/test/**/*.e2e-spec.ts'] },
    // Kills and restarts services, NATS and Postgres: run on their own by `npm run test:chaos`.
    ...(process.env.YARDSTICK_CHAOS ? [{ ...shared, displayName: 'chaos', testMatch: ['<rootDir>/{apps,libs,tools}/*/test/**/*.chaos-spec.ts'] }] : []),
  ],
};
