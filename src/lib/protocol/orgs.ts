import { z } from 'zod';
import { orgKind } from '../domain/org';

/** `GET /api/orgs`: the district's offices for pickers (names of offices, no personal data). */
export const orgsAnswer = z.strictObject({
	orgs: z.array(
		z.strictObject({
			id: z.string(),
			kind: orgKind,
			name: z.string(),
			streetId: z.string().nullable()
		})
	)
});
export type OrgsAnswer = z.infer<typeof orgsAnswer>;
