import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Modules talk to each other only through their public index.ts (docs/architecture.md).
const viaIndex = (up) => ({
  'no-restricted-imports': ['error', {
    patterns: [{ group: [`${up}*/*`, `!${up}*/index.ts`], message: 'Import another module only through its index.ts.' }],
  }],
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { files: ['src/*.ts', 'test/**/*.ts', 'bench/**/*.ts'], rules: {
    'no-restricted-imports': ['error', { patterns: [{ group: ['**/modules/*/*', '!**/modules/*/index.ts'], message: 'Import a module only through its index.ts.' }] }],
  } },
  { files: ['src/modules/*/*.ts'], ignores: ['src/modules/*/*.test.ts'], rules: viaIndex('../') },
  { files: ['src/modules/*/*/**/*.ts'], rules: viaIndex('../../') },
);
