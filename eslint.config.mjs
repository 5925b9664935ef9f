import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeGlobals = {
  require: 'readonly',
  module: 'writable',
  exports: 'writable',
  __dirname: 'readonly',
  process: 'readonly',
  console: 'readonly',
  Buffer: 'readonly',
  setTimeout: 'readonly',
};

export default tseslint.config(
  {
    ignores: ['dist/', 'image/dist/', 'node_modules/', 'examples/**/node_modules/', 'coverage/', '.scratch/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  { files: ['**/*.js', '**/*.cjs'], languageOptions: { sourceType: 'commonjs', globals: nodeGlobals } },
  { files: ['**/*.mjs'], languageOptions: { globals: nodeGlobals } },
  // A function should read at once: none longer than 80 lines (blank lines and comments count).
  {
    files: ['provider/**/*.ts', 'image/supervisor/**/*.ts', 'contract/**/*.ts', 'lib/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 80 }] },
  },
  // Tests read engine events and Docker payloads loosely on purpose.
  { files: ['tests/**', '**/*.test.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
);
