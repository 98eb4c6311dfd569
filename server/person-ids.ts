import { createHmac, randomBytes } from 'node:crypto';
import {
	containsFullIdNumber,
	maskIdsInText,
	maskIdNumber,
	maskRegistryNo,
	type GuardianInput,
	type StudentInput
} from '../src/lib/domain';
import type { PersonIdRecord, Storage } from './storage/types';

/**
 * Issue 11: full ID numbers (and 学籍号 of the form G+身份证号) live in the relay's own table
 * only. A case document carries the masked forms; the audited reveal reads the table.
 */

/** Settings key of the HMAC key that hashes ID numbers (found again without being stored twice). */
const KEY_SETTING = 'person-id-hmac-key';

/** Subjects of the table: the student, the student's 学籍号, each guardian. */
export const STUDENT_ID = 'student';
export const STUDENT_REGISTRY = 'student-registry';
export const guardianSubject = (guardianId: string) => `guardian:${guardianId}`;

/** Keyed hashes of ID numbers, with a key kept in storage settings (made on first use). */
export async function personIdHasher(storage: Storage): Promise<(value: string) => string> {
	let key = await storage.getSetting(KEY_SETTING);
	if (!key) {
		key = randomBytes(32).toString('base64url');
		await storage.setSetting(KEY_SETTING, key);
	}
	const k = Buffer.from(key, 'base64url');
	return (value) => createHmac('sha256', k).update(value.toUpperCase()).digest('base64url');
}

/** What a new case's document holds instead of the full numbers, and the table rows. */
export interface SplitPerson<S, G> {
	student: S;
	guardians: G[];
	records: PersonIdRecord[];
}

type Entered = { idNumber?: string | undefined; registryNo: string };

/**
 * Splits the entered student and guardians (`studentInputSchema` / `guardianInputSchema`, with
 * guardian ids already given) into what the document holds — `idMasked`, a masked 学籍号 — and
 * the rows of the relay's table.
 */
export function splitPersonIds<
	S extends Omit<StudentInput, 'registryNo' | 'idNumber'> & Entered,
	G extends GuardianInput & { id: string }
>(
	caseId: string,
	student: S,
	guardians: readonly G[],
	by: { userId: string; at: string },
	hash: (value: string) => string
): SplitPerson<
	Omit<S, 'idNumber'> & { idMasked?: string },
	Omit<G, 'idNumber'> & { idMasked?: string }
> {
	const records: PersonIdRecord[] = [];
	const keep = (subject: string, value: string) =>
		records.push({
			caseId,
			subject,
			value,
			hash: hash(value),
			updatedAt: by.at,
			updatedBy: by.userId
		});
	const { idNumber, ...s } = student;
	const registry = s.registryNo.toUpperCase();
	if (maskRegistryNo(registry) !== registry) keep(STUDENT_REGISTRY, registry);
	if (idNumber) keep(STUDENT_ID, idNumber.toUpperCase());
	return {
		student: {
			...s,
			registryNo: maskRegistryNo(registry),
			...(idNumber ? { idMasked: maskIdNumber(idNumber.toUpperCase()) } : {})
		},
		guardians: guardians.map((g) => {
			const { idNumber: gid, ...rest } = g;
			if (gid) keep(guardianSubject(g.id), gid.toUpperCase());
			return { ...rest, ...(gid ? { idMasked: maskIdNumber(gid.toUpperCase()) } : {}) };
		}),
		records
	};
}

/**
 * True when the bytes of an update (or a stored state) hold a full ID number: Yjs writes strings
 * as UTF-8, where the digits and X of an ID number are plain ASCII bytes.
 */
export function bytesHoldFullId(bytes: Uint8Array): boolean {
	return containsFullIdNumber(
		Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')
	);
}

export { maskIdsInText };

/** The bytes with every full ID number masked in place (ASCII for ASCII: same length). */
export function maskIdsInBytes(bytes: Uint8Array): Uint8Array {
	const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
	return new Uint8Array(Buffer.from(maskIdsInText(text), 'latin1'));
}
