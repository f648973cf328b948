// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'dist-*/**', 'node_modules/**', 'reports/**', 'examples/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    // Only the bin's own layer touches the process and the terminal.
    files: ['src/cli/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'test/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['src/**/*.ts', 'checks/**/*.ts'],
    ignores: ['src/cli/**/*.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'exit', message: 'Only src/cli may end the process.' }],
    },
  },
  {
    // One AWS boundary: only src/aws names the SDK (clients, commands, credentials); everything else imports
    // what it needs from src/aws (the client factory, src/aws/sdk/*). Tests and benchmarks may use the SDK.
    files: ['src/**/*.ts', 'scripts/**/*.ts'],
    ignores: ['src/aws/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['@aws-sdk/*'], message: 'Import AWS SDK names from src/aws (src/aws/sdk/*, the client factory in src/aws/clients.ts), the one AWS boundary.' },
      ] }],
      // A dynamic import('@aws-sdk/...') would pass the rule above.
      'no-restricted-syntax': ['error',
        { selector: 'ImportExpression[source.value=/^@aws-sdk\\//]', message: 'Load AWS SDK names through src/aws (e.g. await import(\'../aws/sdk/sts.js\')), the one AWS boundary.' },
      ],
    },
  },
  {
    // Checks are pure: they read the evidence model and nothing else (no AWS, no fs, no clock).
    files: ['checks/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['node:fs', 'node:fs/*', 'fs', 'fs/*', '@aws-sdk/*', 'node:child_process', 'node:net', 'node:http', 'node:https'], message: 'Checks read evidence only.' },
      ] }],
      'no-restricted-syntax': ['error',
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'Checks measure against ctx.collectedAt, never the wall clock.' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Checks measure against ctx.collectedAt, never the wall clock.' },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', module: 'writable' } },
  },
  {
    // report.html's inline script runs in the reader's browser: browser globals, no eval, and never markup from text.
    files: ['templates/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { document: 'readonly', window: 'readonly', location: 'readonly', history: 'readonly', URLSearchParams: 'readonly', ResizeObserver: 'readonly', performance: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Intl: 'readonly' } },
    rules: {
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      'no-restricted-properties': ['error', ...['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'write', 'writeln', 'createContextualFragment'].map((property) => ({ property, message: 'Build nodes with createElement and textContent: report text may be hostile.' }))],
    },
  },
);
