import js from '@eslint/js'
import globals from 'globals'
import reactHooks from 'eslint-plugin-react-hooks'
import reactRefresh from 'eslint-plugin-react-refresh'
import tseslint from 'typescript-eslint'

// Imports flow one way: lib/model ← importers ← (workers, cli, backends) ← views/state/ui.
// The pure layers (model, importers, lib) must run in Node, a Worker and tests alike,
// so they may not reach React, the DOM or anything above them.
const PURE_LAYER_RESTRICTIONS = {
  patterns: [
    { group: ['react', 'react-dom', 'react-dom/*', 'react/*', 'zustand', 'zustand/*', '@tanstack/*', 'd3', 'd3-*'], message: 'src/model, src/importers and src/lib are pure TypeScript: no React, state or DOM libraries.' },
    { group: ['**/views/**', '**/state/**', '**/ui/**', '**/workers/**', '**/cli/**', '**/backends/**', '**/app/**'], message: 'Imports flow downward only: the pure layers may not import from the app layers.' },
  ],
}
const DOM_GLOBALS = ['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'HTMLElement', 'requestAnimationFrame'].map((name) => ({
  name,
  message: 'src/model, src/importers and src/lib must not touch the DOM.',
}))

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'test-results', 'playwright-report', 'src/importers/proto/generated/**'] },
  {
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    files: ['**/*.{ts,tsx}'],
    languageOptions: { ecmaVersion: 2023, globals: { ...globals.browser, ...globals.node } },
    plugins: { 'react-hooks': reactHooks, 'react-refresh': reactRefresh },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'react-refresh/only-export-components': ['warn', { allowConstantExport: true }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'Span data is untrusted: never set raw HTML.' },
      ],
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-script-url': 'error',
    },
  },
  {
    files: ['src/model/**/*.ts', 'src/importers/**/*.ts', 'src/lib/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', PURE_LAYER_RESTRICTIONS],
      'no-restricted-globals': ['error', ...DOM_GLOBALS],
    },
  },
  {
    files: ['src/views/**/*.{ts,tsx}', 'src/ui/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/importers/**', '**/cli/**'], message: 'Views read the model; they never parse input.' }] }],
    },
  },
)
