// See https://svelte.dev/docs/kit/types#app.d.ts for what these interfaces are for.
// The app is a static SPA (no server hooks, no load errors with extra data yet), so they stay empty.
declare global {
	namespace App {
		// interface Error {}
		// interface Locals {}
		// interface PageData {}
		// interface PageState {}
		// interface Platform {}
	}
}

export {};
