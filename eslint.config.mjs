// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import { builtinModules } from 'node:module';

// Workflow code runs in Temporal's deterministic sandbox: no Node built-ins, no I/O libraries,
// and activities only as types. The glob covers every workflow-side helper, not just one file.
const nodeBuiltins = builtinModules.flatMap((m) => [m, `node:${m}`]);

export default tseslint.config(
  { ignores: ['node_modules/**', '.tools/**', '.baseten-cd/**', 'lib/**', 'coverage/**', 'examples/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.mjs', '*.config.js', 'bin/*.js', 'test/support/*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // Activities and handlers are async by contract even when a particular one does not await.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'object-shorthand': ['error', 'always'],
    },
  },
  {
    // Workflow code and the leaf modules it may import by value (src/common/: constants and pure helpers).
    files: ['src/workflows/**/*.ts', 'src/common/**/*.ts'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({
              name,
              message: 'Workflow code must be deterministic: no Node built-ins.',
            })),
            ...['@temporalio/activity', '@temporalio/client', '@temporalio/worker', 'undici', 'yaml', 'ajv', 'zod'].map(
              (name) => ({
                name,
                message: 'Workflow code must not import I/O or worker-side libraries.',
              }),
            ),
          ],
          patterns: [
            {
              // Any project module outside src/workflows and src/common (activities, baseten, validation,
              // emulator, cli, ...) may be imported for its types only: a value import would pull its code,
              // and whatever it imports, into the deterministic sandbox.
              group: ['../*', '../**', '!../common', '!../common/**', '!../workflows', '!../workflows/**'],
              allowTypeImports: true,
              message:
                'Workflow code imports values only from @temporalio/workflow, @temporalio/common, src/workflows and src/common; everything else as types.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setInterval', message: 'Use sleep() from @temporalio/workflow.' },
        { name: 'process', message: 'Workflow code has no process.' },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'Date',
          property: 'now',
          message: 'Use Temporal time (Date.now is only safe inside the sandbox; be explicit).',
        },
        { object: 'Math', property: 'random', message: 'Use uuid4() from @temporalio/workflow.' },
      ],
    },
  },
  {
    files: ['bin/*.js', '*.mjs', '*.config.js', 'test/support/*.js'],
    ...tseslint.configs.disableTypeChecked,
    rules: { ...tseslint.configs.disableTypeChecked.rules, '@typescript-eslint/no-require-imports': 'off' },
    languageOptions: {
      globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly' },
    },
  },
  prettier,
);
