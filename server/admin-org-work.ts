import { isoDate, profileId } from '../src/lib/domain';
import { AdminError } from './admin';
import { ORG_FROM_KEY, ORG_PROFILE_KEY, orgSettings } from './http/org-obligations';
import type { Storage } from './storage/types';

/**
 * Issue 12: `org-work set --id <profile> [--date <from>]` and `org-work show`: which profile the
 * district's schools follow for their term-start work (B-1 in bishan-2024, S-2 in shilong-2022)
 * and from which day the list shows obligations (default: the school year's 1 August). A running
 * relay reads both on every request.
 */
export async function setOrgWork(
	storage: Pick<Storage, 'setSetting'>,
	o: { id?: string | undefined; date?: string | undefined }
): Promise<void> {
	const p = profileId.safeParse(o.id);
	if (!p.success)
		throw new AdminError(
			'--id 须为政策方案 shilong-2022 或 bishan-2024',
			'--id must be a profile: shilong-2022 or bishan-2024'
		);
	if (o.date !== undefined && !isoDate.safeParse(o.date).success)
		throw new AdminError('--date 须为 YYYY-MM-DD 日期', '--date must be a YYYY-MM-DD date');
	await storage.setSetting(ORG_PROFILE_KEY, p.data);
	if (o.date !== undefined) await storage.setSetting(ORG_FROM_KEY, o.date);
}

/** The settings in force, one line each (Chinese / English). */
export async function showOrgWork(
	storage: Pick<Storage, 'getSetting'>,
	today: string
): Promise<string[]> {
	const s = await orgSettings(storage, today);
	return [
		`政策方案 / profile: ${s.profile.id}`,
		`列出 ${s.from} 起到期的事项 / listing obligations due from ${s.from}`
	];
}
