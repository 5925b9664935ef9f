// Two projects: `unit` runs the pure cores (tests beside the code they test);
// `system` runs against real parts (Docker engine, QEMU, SSH, the Pulumi engine),
// one file at a time because they share one machine's engine and two cores.
const tsJest = ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }];

module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      roots: [
        '<rootDir>/contract',
        '<rootDir>/lib',
        '<rootDir>/provider',
        '<rootDir>/image',
        '<rootDir>/sdk',
        '<rootDir>/examples',
        '<rootDir>/bench',
      ],
      testMatch: ['**/*.test.ts'],
      transform: { '^.+\\.ts$': tsJest },
    },
    {
      displayName: 'system',
      testEnvironment: 'node',
      roots: ['<rootDir>/tests'],
      testMatch: ['**/*.test.ts'],
      transform: { '^.+\\.ts$': tsJest },
      setupFilesAfterEnv: ['<rootDir>/tests/rig/jest-timeout.ts'],
    },
  ],
};
