import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

/**
 * Flat config: typescript-eslint's type-checked rules on every .ts, .js and .svelte file (STYLE.md
 * item 8), eslint-plugin-svelte's recommended rules, and prettier last so formatting never fights.
 */
export default ts.config(
	{
		ignores: [
			'build/',
			'build-server/',
			'.svelte-kit/',
			'coverage/',
			'node_modules/',
			'test-results/',
			'playwright-report/',
			'tests/artifacts/',
			'data/'
		]
	},
	js.configs.recommended,
	...ts.configs.recommendedTypeChecked,
	...svelte.configs.recommended,
	prettier,
	...svelte.configs.prettier,
	{
		languageOptions: {
			globals: { ...globals.browser, ...globals.node },
			parserOptions: {
				projectService: {
					// Root config files and benchmarks sit outside every tsconfig's `include`: they get
					// a default program so the floating-promise rules still see their types. At most 8
					// files may match; scripts/ and bench/ have their own tsconfig.json for that reason.
					allowDefaultProject: ['eslint.config.js', 'svelte.config.js', 'playwright.config.ts']
				},
				tsconfigRootDir: import.meta.dirname
			}
		}
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
		languageOptions: {
			parserOptions: {
				projectService: true,
				extraFileExtensions: ['.svelte'],
				parser: ts.parser,
				svelteConfig
			}
		}
	},
	{
		rules: {
			'@typescript-eslint/no-floating-promises': 'error',
			'@typescript-eslint/no-misused-promises': 'error',
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }
			],
			// TypeScript already reports undefined names, with types; the core rule misfires on them.
			'no-undef': 'off',
			'svelte/no-at-html-tags': 'error'
		}
	},
	{
		// The sync layer's managers keep Maps, Sets and Dates as private bookkeeping (open cases,
		// pending intents, timestamps); what the UI reads is declared with $state. Svelte's
		// reactive collections would only add proxies on hot paths.
		files: ['src/lib/sync/**/*.svelte.ts'],
		rules: { 'svelte/prefer-svelte-reactivity': 'off' }
	},
	{
		// Plain-JS bootstraps: they load TypeScript modules through tsx on a worker thread,
		// so their values are untyped by nature; the modules they run are fully typed and linted.
		files: ['server/storage/sqlite-worker.mjs', 'server/roster/parse-worker.mjs'],
		rules: {
			'@typescript-eslint/no-unsafe-assignment': 'off',
			'@typescript-eslint/no-unsafe-call': 'off',
			'@typescript-eslint/no-unsafe-member-access': 'off',
			'@typescript-eslint/no-unsafe-argument': 'off',
			'@typescript-eslint/no-unsafe-return': 'off'
		}
	}
);
