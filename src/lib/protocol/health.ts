import { z } from 'zod';
import { bilingual } from './common';

/** `GET /api/health`: 200 `{ok: true}`, or 503 with the storage fault (README "Health"). */
export const healthAnswer = z.union([
	z.strictObject({ ok: z.literal(true) }),
	z.strictObject({
		ok: z.literal(false),
		error: z.literal('storage'),
		cause: z.string(),
		message: bilingual
	})
]);
export type HealthAnswer = z.infer<typeof healthAnswer>;
