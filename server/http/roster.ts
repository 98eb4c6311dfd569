import type { ApiDeps } from './api';
import type { SubApi } from './common';

/** `/api/roster/*`: registry roster import and the term-start check (issue 5, S-1, B-1, B-2). */
export function createRosterApi(deps: ApiDeps): SubApi {
	void deps;
	return () => Promise.resolve(false);
}
