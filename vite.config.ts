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
			include: ['src/lib/rules/**/*.ts', 'src/lib/domain/**/*.ts', 'src/lib/case-doc/**/*.ts'],
			reporter: ['text-summary', 'text'],
			thresholds: {
				'src/lib/rules/**/*.ts': { lines: 95 }
			}
		}
	}
});
