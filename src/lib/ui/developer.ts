/**
 * Issue 13: moved to the office permissions in `$lib/rules/access`. Kept as a re-export only so
 * that the app shell (`src/routes/+layout.svelte`) keeps its import until it is switched over.
 */
export { maySeeDeveloperPages } from '../rules/access';
