import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Modules talk to each other only through their public index.ts (docs/architecture.md).
const message = 'Import another module only through its index.ts.';
const restrict = (regex) => ({ 'no-restricted-imports': ['error', { patterns: [{ regex, message }] }] });

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // Outside src/modules: only a module's index.ts.
  { files: ['src/*.ts', 'src/platform/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'demo/**/*.ts', 'scripts/**/*.ts'], rules: restrict('modules/[^/]+/(?!index\\.ts$)') },
  // A module's own files may reach a sibling module only through its index.ts.
  { files: ['src/modules/*/*.ts'], ignores: ['src/modules/*/*.test.ts'], rules: restrict('^\\.\\./(?!\\.\\.)[^/]+/(?!index\\.ts$)') },
  { files: ['src/modules/*/*/**/*.ts'], rules: restrict('^\\.\\./\\.\\./(?!\\.\\.)[^/]+/(?!index\\.ts$)') },
);
