import type { ApiDeps } from './api';
import { answer, type SubApi } from './common';
import { orgsAnswer } from '../../src/lib/protocol/orgs';

/**
 * `GET /api/orgs`: the district's organisations (id, kind, name, street), for pickers such as
 * the new-case form's school and community. Names of offices, no personal data.
 */
export function createOrgsApi(deps: ApiDeps): SubApi {
	return async (req, res, pathname) => {
		if (pathname !== '/api/orgs' || (req.method ?? 'GET') !== 'GET') return false;
		const orgs = await deps.storage.listOrgs();
		answer(res, 200, orgsAnswer, {
			orgs: orgs.map((o) => ({ id: o.id, kind: o.kind, name: o.name, streetId: o.streetId }))
		});
		return true;
	};
}
