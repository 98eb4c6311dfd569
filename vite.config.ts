import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	resolve: {
		// Issue 16: Dexie's ES2018 module build, 1.3 KB gz less than the ES5 one its package maps
		// `import` to (through a wrapper guarding against a second copy: there is one, ours).
		alias: [{ find: /^dexie$/, replacement: 'dexie/dist/modern/dexie.mjs' }]
	},
	build: {
		rollupOptions: {
			output: {
				// Issue 16: the local database (Dexie) and zod in chunks of their own, named in the
				// build manifest, so tests/e2e/first-screen.spec.ts can tell that the login page
				// loads neither. Both have no imports, so the split cannot reorder other modules.
				manualChunks: (id) =>
					id.includes('/node_modules/dexie/')
						? 'dexie'
						: id.includes('/node_modules/zod/')
							? 'zod'
							: undefined
			}
		}
	},
	test: {
		include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
		environment: 'node',
		testTimeout: 20_000,
		coverage: {
			provider: 'v8',
			// Issue 13: the client sync layer and the relay are printed beside the rules. Counted is
			// what runs in the test process: the relay of tests/integration/relay-harness.ts is
			// started in-process (createRelay), so its HTTP and sync code counts; the SQLite
			// adapter counts through the tests that open it in-process (storage-sqlite, admin, …),
			// not where it runs on its worker thread, and the relays started as child processes
			// (relay-crash, relay-startup, e2e) are not counted (vitest 4's v8 coverage reads the
			// test workers' own isolate only).
			include: [
				'src/lib/rules/**/*.ts',
				'src/lib/domain/**/*.ts',
				'src/lib/case-doc/**/*.ts',
				'src/lib/sync/**/*.ts',
				'server/**/*.ts'
			],
			reporter: ['text-summary', 'text', 'json'],
			// The figures are printed even when a test fails (a flaky one on a loaded machine).
			reportOnFailure: true,
			thresholds: {
				'src/lib/rules/**/*.ts': { lines: 95 }
			}
		}
	}
});
