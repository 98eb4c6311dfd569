import { z } from 'zod';
import { orgKind, role } from '../domain/org';

/** `POST /api/login` body. */
export const loginBody = z.strictObject({
	username: z.string().max(100),
	password: z.string().max(1000)
});

/** The logged-in user as the relay describes it (kept on the device for offline use). */
export const sessionUserSchema = z.strictObject({
	id: z.string().min(1),
	username: z.string().min(1),
	displayName: z.string().min(1),
	orgId: z.string().min(1),
	orgName: z.string(),
	orgKind,
	role
});

/** `POST /api/login` → 200: the token, the user, and the device settings (issue 11). */
export const loginAnswer = z.strictObject({
	token: z.string().min(1),
	user: sessionUserSchema,
	settings: z.strictObject({ localWipeDays: z.number().int() })
});
export type LoginAnswer = z.infer<typeof loginAnswer>;
