import type { ProfileId } from '../domain';
import { profileSchema, type Profile } from './profile-schema';
import bishan from './profiles/bishan-2024.json';
import shilong from './profiles/shilong-2022.json';

/**
 * Policy profiles are data (JSON), validated when this module loads: a district with other
 * numbers is a new profile file, not new code. A broken file fails loudly at start-up.
 */
function load(data: unknown): Profile {
	const r = profileSchema.safeParse(data);
	if (!r.success) {
		const where = r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
		throw new Error(`配置文件无效 / invalid profile: ${where}`);
	}
	return r.data;
}

const PROFILES: Record<ProfileId, Profile> = {
	'shilong-2022': load(shilong),
	'bishan-2024': load(bishan)
};

/** The profile a case follows. */
export function getProfile(id: ProfileId): Profile {
	return PROFILES[id];
}

/** Every shipped profile. */
export function allProfiles(): Profile[] {
	return Object.values(PROFILES);
}

/** Validates profile data (for a district that brings its own). */
export function parseProfile(data: unknown): Profile {
	return load(data);
}
