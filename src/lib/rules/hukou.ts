import type { Student } from '../domain';

/**
 * B-4: the student's 户籍 is outside the district. The structured field decides where it is
 * known; a record without it (every document written before it) falls back to the 随迁子女
 * (`migrant`) focus group, as the Bishan profile did before.
 */
export function isNonLocal(student: Pick<Student, 'hukouLocal' | 'focusGroups'>): boolean {
	if (student.hukouLocal !== undefined) return !student.hukouLocal;
	return (student.focusGroups as readonly string[]).includes('migrant');
}
