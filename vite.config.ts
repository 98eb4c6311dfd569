import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
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
