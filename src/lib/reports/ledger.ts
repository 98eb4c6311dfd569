import {
	maskRegistryNo,
	type CaseEvent,
	type ClosurePath,
	type Placement,
	type Reason
} from '../domain';
import type { Bilingual, Calendar, ObligationState, Stage, Term } from '../rules';
import { factDates } from '../rules/state';
import { caseAsOf, lastOf, nextOf, reasonOf } from './facts';
import { createdOn, minDate } from './period';
import type { ReportCase, ReportOrg } from './quarterly';

/** Where the student is, from the latest record that says so (S-6, S-7, S-10, B-3). */
export type Whereabouts =
	| { kind: 'placement'; placement: Placement; date: string }
	| { kind: 'located'; text: string; date: string }
	| { kind: 'elsewhere'; school: string; date: string }
	| { kind: 'deferral'; deferral: 'deferred_enrollment' | 'suspension'; from: string; to: string };

/**
 * One row of the 台账 (research §1.5, the fields of local templates): 学校, 年级班级, 学生姓名,
 * 性别, 学籍号 (masked when it is "G" + ID number), 身份证号 (masked: first 6 and last 4), 户籍地, 监护人, 电话, 辍学原因 (S-9), 包保责任人
 * (S-4b 专人), 首次缺勤日, 劝返次数 (school and joint attempts, a repeated record counted once, G-M2),
 * 限期返校通知书文号/日期 (S-8), 当前阶段, 去向/安置 (S-6), 销号路径/日期 (S-10), 下一期限.
 * Every value is as the shared rules fold the case on the ledger's day.
 */
export interface LedgerRow {
	caseId: string;
	/** Issue 12: the human case number (示范区-2026-0001) people read; the id stays internal. */
	caseNo: string | null;
	streetId: string;
	streetName: string;
	schoolId: string;
	schoolName: string;
	grade: number;
	gradeClass: string;
	name: string;
	gender: 'male' | 'female';
	/** 学籍号; masked like the ID number when it embeds one ("G" + ID number). */
	registryNo: string;
	/** Masked ID number, or null when none is on file. Never the full number. */
	idNumberMasked: string | null;
	hukouPlace: string;
	/** "name（relation）" of each guardian, in order. */
	guardians: string[];
	phones: string[];
	reason: Reason | null;
	/** The responsible person (专人) named when the suspected case opened (S-4b). */
	responsible: { name: string; phone: string } | null;
	/** First unexcused absence of the current episode (S-4a). */
	firstAbsence: string | null;
	/** Persuasion attempts, the school's and the joint team's (S-4b, S-8/S-9). */
	attempts: number;
	/** The latest 《限期返校通知书》 (S-8). */
	notice: { number: string; date: string } | null;
	stage: Stage;
	whereabouts: Whereabouts | null;
	closure: { path: ClosurePath; date: string } | null;
	next: { title: Bilingual; due: string | null; state: ObligationState } | null;
}

export interface Ledger {
	term: Term;
	/** The day the ledger is read on: min(term end, today). */
	asOf: string;
	districtName: string;
	rows: LedgerRow[];
}

export interface LedgerInput {
	/**
	 * The cases, read once in order: an array, or a generator that parses each stored snapshot
	 * as it is reached so that only one is in memory at a time (the relay does this).
	 */
	cases: Iterable<ReportCase>;
	orgs: readonly ReportOrg[];
	term: Term;
	today: string;
	/** The calendar the relay evaluates with (G-T3); the built-in one when absent. */
	calendar?: Calendar;
}

const GRADE_NAMES = ['一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** "七年级（2）班": the class name when it names the grade, else the grade before it. */
function gradeClass(grade: number, className: string): string {
	if (/年级/.test(className)) return className;
	return `${GRADE_NAMES[grade - 1] ?? grade}年级${className}`;
}

function whereabouts(events: {
	returned: Extract<CaseEvent, { type: 'returned' }> | null;
	located: Extract<CaseEvent, { type: 'student_located' }> | null;
	elsewhere: Extract<CaseEvent, { type: 'enrollment_elsewhere_confirmed' }> | null;
	deferral: Extract<CaseEvent, { type: 'deferral' }> | null;
}): Whereabouts | null {
	const { returned, located, elsewhere, deferral } = events;
	const all: [string, Whereabouts][] = [];
	if (returned)
		all.push([
			returned.date,
			{ kind: 'placement', placement: returned.placement, date: returned.date }
		]);
	if (located)
		all.push([located.date, { kind: 'located', text: located.whereabouts, date: located.date }]);
	if (elsewhere)
		all.push([
			elsewhere.date,
			{ kind: 'elsewhere', school: elsewhere.school, date: elsewhere.date }
		]);
	if (deferral)
		all.push([
			deferral.date,
			{ kind: 'deferral', deferral: deferral.kind, from: deferral.from, to: deferral.to }
		]);
	// The latest record wins; on the same day the later kind in this list (a stable choice).
	let best: [string, Whereabouts] | null = null;
	for (const w of all) if (!best || w[0] >= best[0]) best = w;
	return best ? best[1] : null;
}

/**
 * Whether a case was active during the term: it began (created or first event) by the term's
 * end, and it was not already closed before the term started (a closed case is active until its
 * last event; an open one until today).
 */
function activeIn(c: ReportCase, term: Term, closed: boolean): boolean {
	const events = c.snapshot.events;
	let first = createdOn(c.snapshot);
	let last = first;
	for (const e of events) {
		if (e.date < first) first = e.date;
		if (e.date > last) last = e.date;
	}
	if (first > term.end) return false;
	return !closed || last >= term.start;
}

const byName = new Intl.Collator('zh-CN');

/** The full 台账 of one term: one row per case active in it, by street, school, class, name. */
export function termLedger(input: LedgerInput): Ledger {
	const asOf = minDate(input.term.end, input.today);
	const orgs = new Map(input.orgs.map((o) => [o.id, o]));
	const rows: LedgerRow[] = [];
	for (const c of input.cases) {
		const folded = caseAsOf(c.snapshot, asOf, input.calendar);
		const { state } = folded;
		if (!activeIn(c, input.term, state.stage === 'closed')) continue;
		const s = state.student;
		const opened = lastOf(state, 'suspected_case_opened');
		const notice = lastOf(state, 'deadline_notice_issued');
		const firstAbsence =
			(state.byType.get('absence') ?? []).find((e) => e.type === 'absence' && !e.excused)?.date ??
			null;
		const attempts =
			factDates(state.byType.get('persuasion_attempt') ?? [], '0000-01-01').length +
			factDates(state.byType.get('joint_persuasion_attempt') ?? [], '0000-01-01').length;
		const next = nextOf(folded);
		rows.push({
			caseId: c.snapshot.id,
			caseNo: c.caseNo ?? c.snapshot.caseNo ?? null,
			streetId: c.streetId,
			streetName: orgs.get(c.streetId)?.name ?? c.streetId,
			schoolId: c.schoolId,
			schoolName: orgs.get(c.schoolId)?.name ?? c.schoolId,
			grade: s.grade,
			gradeClass: gradeClass(s.grade, s.className),
			name: s.name,
			gender: s.gender,
			registryNo: maskRegistryNo(s.registryNo),
			idNumberMasked: s.idMasked ?? null,
			hukouPlace: s.hukouPlace,
			guardians: state.guardians.map((g) => `${g.name}（${g.relation}）`),
			phones: state.guardians.map((g) => g.phone).filter((p) => p !== ''),
			reason: reasonOf(state),
			responsible: opened
				? { name: opened.responsible.name, phone: opened.responsible.phone }
				: null,
			firstAbsence,
			attempts,
			notice: notice ? { number: notice.number, date: notice.date } : null,
			stage: state.stage,
			whereabouts: whereabouts({
				returned: lastOf(state, 'returned'),
				located: lastOf(state, 'student_located'),
				elsewhere: lastOf(state, 'enrollment_elsewhere_confirmed'),
				deferral: lastOf(state, 'deferral')
			}),
			closure: state.closed ? { path: state.closed.path, date: state.closed.date } : null,
			next: next ? { title: next.title, due: next.due, state: next.state } : null
		});
	}
	rows.sort(
		(a, b) =>
			byName.compare(a.streetName, b.streetName) ||
			byName.compare(a.schoolName, b.schoolName) ||
			a.grade - b.grade ||
			byName.compare(a.gradeClass, b.gradeClass) ||
			byName.compare(a.name, b.name) ||
			a.caseId.localeCompare(b.caseId)
	);
	const district = input.orgs.find((o) => o.kind === 'district');
	return { term: input.term, asOf, districtName: district?.name ?? '', rows };
}
