import type { ApiDeps } from './api';
import type { SubApi } from './common';

/** `/api/reports/*`: quarterly report and term ledger (issue 5, S-5). */
export function createReportsApi(deps: ApiDeps): SubApi {
	void deps;
	return () => Promise.resolve(false);
}
