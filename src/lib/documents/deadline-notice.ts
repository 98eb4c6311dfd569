import type { CaseEvent, EventOf, Guardian } from '../domain';
import { CalendarRangeError, NoTermError, caseState, type CaseState } from '../rules';
import { factDates } from '../rules/state';
import { caseNumberOf, type DocField, type DocumentInput } from './model';
import { docText, gradeText, maskedId, type DocText } from './text';

type Notice = EventOf<'deadline_notice_issued'>;

/** 《限期返校通知书》 (S-8) as plain text fields, ready to print. */
export interface DeadlineNoticeDoc {
	kind: 'deadline-notice';
	lang: string;
	/** No notice has been issued yet: the return-by date is computed from `today`. */
	draft: boolean;
	/** The notice event the document renders, when issued. */
	noticeId: string | null;
	title: string;
	draftMark: string;
	number: DocField;
	/** Issue 12: the human case number (never the internal id). */
	caseNo: DocField;
	salutation: string;
	studentTitle: string;
	student: DocField[];
	facts: string;
	law: string;
	requirement: string;
	consequences: string;
	returnBy: DocField & { iso: string | null; error: string | null; provisional: string | null };
	contact: DocField[];
	issuer: DocField;
	issuedOn: DocField;
	service: { title: string; rows: DocField[]; note: string };
	/** The figures the text states, for checks: first day absent (ISO) and attempts so far. */
	figures: { firstAbsent: string | null; attempts: number; servedOn: string };
}

/** Options of `buildDeadlineNotice`: which notice, when the case has several (S-10 relapse). */
export interface NoticeOptions {
	noticeId?: string;
}

/** The accepted notices of the case's current episode, oldest first (G-M1 order). */
export function noticesOf(state: CaseState): Notice[] {
	return (state.byType.get('deadline_notice_issued') ?? []) as Notice[];
}

/**
 * The first day of the absence run that opened the suspected-dropout case (S-4b), else of the
 * current run, else the first unexcused absence of the episode; null when none is recorded.
 */
export function firstAbsentDay(state: CaseState): string | null {
	const s4b = state.profile.obligations.find(
		(o) => o.rule === 'S-4b' && o.trigger.kind === 'absenceRun'
	);
	if (s4b?.trigger.kind === 'absenceRun') {
		const hit = state.runHits.get(s4b.trigger.days)?.[0];
		if (hit) return hit.anchor;
	}
	if (state.runStart) return state.runStart;
	const first = (state.byType.get('absence') ?? []).find((a) => a.type === 'absence' && !a.excused);
	return first?.date ?? null;
}

/** Persuasion attempts (school and joint) up to a day, each fact counted once (G-M2). */
export function attemptsUpTo(state: CaseState, day: string): number {
	const upTo = (events: readonly CaseEvent[]) => events.filter((e) => e.date <= day);
	const school = factDates(upTo(state.byType.get('persuasion_attempt') ?? []), '0000-01-01');
	const joint = factDates(upTo(state.byType.get('joint_persuasion_attempt') ?? []), '0000-01-01');
	return school.length + joint.length;
}

/** The guardian the notice was served on (by name), else the first guardian. */
function addressee(guardians: readonly Guardian[], servedTo: string | null): Guardian | null {
	const name = servedTo?.trim();
	return (name ? guardians.find((g) => g.name === name) : undefined) ?? guardians[0] ?? null;
}

/**
 * S-8, G-T1: the return-by date, computed by the rules exactly as the relay checks a notice:
 * the profile's `noticeReturn` period (5 working days in Shilong) from the day of service, the
 * day of service not counted. G-T3: a year without holiday data is reported, never guessed.
 */
export function noticeReturnBy(
	state: CaseState,
	servedOn: string,
	tx: DocText
): { iso: string | null; error: string | null; provisional: boolean } {
	try {
		const iso = state.calendar.addPeriod(servedOn, state.profile.periods.noticeReturn, state.terms);
		// G-T3: a date counted through a year without an official schedule is printed as 暂定.
		return { iso, error: null, provisional: state.calendar.provisionalBetween(servedOn, iso) };
	} catch (err) {
		if (!(err instanceof CalendarRangeError) && !(err instanceof NoTermError)) throw err;
		const reason = tx.locale === 'en' ? err.reason.en : err.reason.zh;
		return { iso: null, error: tx.t('documents.calendarError', { reason }), provisional: false };
	}
}

/**
 * Builds 《限期返校通知书》 (S-8) from a case: the notice the street office issued (the latest
 * of this episode unless `noticeId` names one), or, before any is issued, a draft (草稿) whose
 * return-by date is computed as if it were served today. The ID number is always masked.
 */
export function buildDeadlineNotice(
	input: DocumentInput,
	options: NoticeOptions = {}
): DeadlineNoticeDoc {
	const tx = docText(input.locale);
	const { t } = tx;
	const state = caseState(input.snapshot, input.calendar);
	const notices = noticesOf(state);
	const notice =
		(options.noticeId ? notices.find((n) => n.id === options.noticeId) : notices.at(-1)) ?? null;
	const draft = notice === null;
	const servedOn = notice?.servedOn ?? input.today;
	const issuedOn = notice?.date ?? input.today;
	const student = state.student;
	const school = tx.orBlank(input.orgNames[input.snapshot.orgs.schoolId]);
	const streetName = input.orgNames[input.snapshot.orgs.streetId]?.trim() ?? '';
	const guardian = addressee(state.guardians, notice?.servedTo ?? null);
	const period = state.profile.periods.noticeReturn;
	const due = noticeReturnBy(state, servedOn, tx);
	const firstAbsent = firstAbsentDay(state);
	const attempts = attemptsUpTo(state, issuedOn);
	const grade = gradeText(student, tx);
	const dueText = due.iso ? tx.date(due.iso) : tx.t('documents.dateBlank');
	const responsible = (state.byType.get('suspected_case_opened') ?? []).at(-1);
	const schoolContact =
		responsible?.type === 'suspected_case_opened'
			? [responsible.responsible.name, responsible.responsible.phone].filter(Boolean).join(' ')
			: '';

	return {
		kind: 'deadline-notice',
		lang: tx.locale,
		draft,
		noticeId: notice?.id ?? null,
		title: t('documents.notice.title'),
		draftMark: draft ? t('documents.notice.draftMark') : '',
		number: {
			label: t('documents.notice.number'),
			value: notice ? notice.number : t('documents.notice.numberDraft')
		},
		caseNo: { label: t('documents.file.caseNo'), value: tx.orBlank(caseNumberOf(input)) },
		salutation: salutation(notice?.servedTo ?? guardian?.name, guardian?.relation, (name, rel) =>
			t('documents.notice.salutation', {
				guardian: tx.orBlank(name),
				student: student.name,
				relation: tx.orBlank(rel)
			})
		),
		studentTitle: t('documents.notice.student'),
		student: [
			{ label: t('documents.field.name'), value: student.name },
			{ label: t('documents.field.gender'), value: t(`gender.${student.gender}`) },
			{ label: t('documents.field.idNumber'), value: maskedId(student, tx) },
			{ label: t('documents.field.school'), value: school },
			{ label: t('documents.field.grade'), value: grade }
		],
		facts: t('documents.notice.facts', {
			student: student.name,
			school,
			grade,
			firstDay: tx.date(firstAbsent),
			count: attempts
		}),
		law: t('documents.notice.law'),
		requirement: t('documents.notice.requirement', {
			count: period.count,
			unit: t(`documents.unit.${period.unit}`),
			date: dueText,
			student: student.name,
			school
		}),
		consequences: t('documents.notice.consequences', {
			issuer: streetName || t('documents.notice.issuerFallback')
		}),
		returnBy: {
			label: t('documents.notice.returnBy'),
			value: due.error ?? dueText,
			iso: due.iso,
			error: due.error,
			provisional: due.provisional ? t('documents.provisional') : null
		},
		contact: [
			{ label: t('documents.notice.contact'), value: tx.orBlank(notice?.author.name) },
			{ label: t('documents.notice.contactPhone'), value: t('documents.blank') },
			{ label: t('documents.notice.schoolContact'), value: tx.orBlank(schoolContact) }
		],
		issuer: { label: t('documents.notice.issuer'), value: tx.orBlank(streetName) },
		issuedOn: {
			label: t('documents.notice.issuedOn'),
			value: draft ? t('documents.dateBlank') : tx.date(issuedOn)
		},
		service: {
			title: t('documents.service.title'),
			rows: [
				{
					label: t('documents.service.document'),
					value: t('documents.service.documentValue', {
						number: notice ? notice.number : t('documents.notice.numberDraft')
					})
				},
				{ label: t('documents.file.caseNo'), value: tx.orBlank(caseNumberOf(input)) },
				{
					label: t('documents.service.recipient'),
					value: tx.orBlank(notice?.servedTo ?? guardian?.name)
				},
				{ label: t('documents.service.address'), value: tx.orBlank(guardian?.address) },
				{ label: t('documents.service.method'), value: t('documents.service.methods') },
				{ label: t('documents.service.signature'), value: t('documents.blank') },
				{ label: t('documents.service.witness'), value: t('documents.blank') },
				{ label: t('documents.service.server'), value: tx.orBlank(notice?.author.name) },
				{
					label: t('documents.service.servedOn'),
					value: draft ? t('documents.dateBlank') : tx.date(servedOn)
				}
			],
			note: t('documents.service.noteText')
		},
		figures: { firstAbsent, attempts, servedOn }
	};
}

/**
 * Issue 12: a notice served on 「陈建国（父亲）」 was addressed 「陈建国（父亲）（学生陈小明的父亲）」.
 * A relation written in brackets after the name is taken as the relation, once.
 */
function salutation(
	servedTo: string | undefined,
	relation: string | undefined,
	write: (name: string | undefined, relation: string | undefined) => string
): string {
	const m = /^(.+?)\s*[（(]([^（）()]+)[）)]\s*$/.exec(servedTo ?? '');
	if (!m) return write(servedTo, relation);
	return write(m[1], relation ?? m[2]);
}
