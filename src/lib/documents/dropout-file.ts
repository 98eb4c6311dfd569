import type { Author, CaseEvent, EventOf, EventType } from '../domain';
import { caseState, getProfile, type CaseState } from '../rules';
import { firstAbsentDay, noticeReturnBy } from './deadline-notice';
import { caseNumberOf, type DocField, type DocTable, type DocumentInput } from './model';
import { docText, gradeText, maskRegistryNo, maskedId, type DocText } from './text';

/** One numbered part of the dropout file: labelled fields, a table, or both. */
export interface DocSection {
	id: string;
	title: string;
	fields: DocField[];
	table: DocTable | null;
	/** Shown instead of an empty table. */
	empty: string;
}

/** The dropout file 一生一表 (S-4c) as plain text, ready to print. */
export interface DropoutFileDoc {
	kind: 'dropout-file';
	lang: string;
	title: string;
	subtitle: string;
	header: DocField[];
	sections: DocSection[];
	signatures: DocField[];
	/** Every persuasion attempt of the episode, school and joint (rows of section 6). */
	attemptCount: number;
}

function all<T extends EventType>(state: CaseState, type: T): EventOf<T>[] {
	return (state.byType.get(type) ?? []) as EventOf<T>[];
}

const last = <T>(items: readonly T[]): T | null => items.at(-1) ?? null;

/**
 * Builds the dropout file (一生一表, S-4c) of a case: the student, guardians, the reason, the
 * responsible persons, every persuasion attempt (school S-4b and joint S-9, in G-M1 order),
 * the notice and joint team (S-8), and the placement (S-6) or closure (S-10). Amendments are
 * applied and conflicting events left out, as the rules count them (G-M3). The current episode
 * only: a reopened case (S-10 relapse) starts a new file.
 */
export function buildDropoutFile(input: DocumentInput): DropoutFileDoc {
	const tx = docText(input.locale);
	const { t } = tx;
	const state = caseState(input.snapshot, input.calendar);
	const s = state.student;
	const orgName = (a: Pick<Author, 'orgId' | 'orgKind'>) =>
		input.orgNames[a.orgId] ?? t(`org.${a.orgKind}`);
	const school = tx.orBlank(input.orgNames[input.snapshot.orgs.schoolId]);
	const profile = getProfile(input.snapshot.profile);

	const sections: DocSection[] = [
		section('student', t('documents.file.sectionStudent'), [
			[t('documents.field.name'), s.name],
			[t('documents.field.gender'), t(`gender.${s.gender}`)],
			[t('documents.field.birthDate'), tx.date(s.birthDate)],
			[t('documents.field.idNumber'), maskedId(s, tx)],
			[t('documents.field.registryNo'), maskRegistryNo(s.registryNo)],
			[t('documents.field.school'), school],
			[t('documents.field.grade'), gradeText(s, tx)],
			[t('documents.field.hukou'), tx.orBlank(s.hukouPlace)],
			[t('documents.field.residence'), tx.orBlank(s.residence)],
			[t('documents.field.focus'), tx.list(s.focusGroups.map((g) => t(`focus.${g}`)))]
		]),
		{
			...section('guardians', t('documents.file.sectionGuardians'), []),
			table: {
				columns: [
					t('documents.field.guardian'),
					t('documents.field.relation'),
					t('documents.field.phone'),
					t('documents.field.address'),
					t('documents.field.workingAway')
				],
				rows: state.guardians.map((g) => [
					g.name,
					g.relation,
					tx.orBlank(g.phone),
					tx.orBlank(g.address),
					t(g.workingAway ? 'documents.yes' : 'documents.no')
				])
			}
		},
		absenceSection(state, tx),
		reasonSection(state, tx),
		responsibleSection(state, tx, orgName),
		attemptsSection(state, tx),
		jointSection(state, tx),
		outcomeSection(state, tx)
	];

	return {
		kind: 'dropout-file',
		lang: tx.locale,
		title: t('documents.file.title'),
		subtitle: t('documents.file.subtitle'),
		header: [
			{ label: t('documents.file.caseNo'), value: tx.orBlank(caseNumberOf(input)) },
			{ label: t('documents.field.school'), value: school },
			{ label: t('documents.file.stage'), value: t(`stage.${state.stage}`) },
			{
				label: t('documents.file.policy'),
				value: tx.locale === 'en' ? profile.name.en : profile.name.zh
			},
			{ label: t('documents.file.preparedOn'), value: tx.date(input.today) }
		],
		sections,
		signatures: [
			{ label: t('documents.file.signFiler'), value: t('documents.blank') },
			{ label: t('documents.file.signHead'), value: t('documents.blank') },
			{ label: t('documents.file.signDate'), value: t('documents.dateBlank') }
		],
		attemptCount: attemptRows(state).length
	};
}

function section(id: string, title: string, fields: [string, string][]): DocSection {
	return {
		id,
		title,
		fields: fields.map(([label, value]) => ({ label, value })),
		table: null,
		empty: ''
	};
}

/** S-4a/S-4b/S-4c: absences, the home visit, the suspected case, the file and the report. */
function absenceSection(state: CaseState, tx: DocText): DocSection {
	const { t } = tx;
	const unexcused = new Set(
		all(state, 'absence')
			.filter((a) => !a.excused)
			.map((a) => a.date) // G-M2: a day counts once
	);
	const visits = all(state, 'home_visit').map((v) => `${tx.date(v.date)} ${t(`mode.${v.mode}`)}`);
	const opened = last(all(state, 'suspected_case_opened'));
	const filed = last(all(state, 'dropout_file_created'));
	const reports = all(state, 'written_report').map((r) =>
		t('documents.file.reportValue', {
			date: tx.date(r.date),
			to: tx.list(r.to.map((k) => t(`org.${k}`)))
		})
	);
	return section('absence', t('documents.file.sectionAbsence'), [
		[t('documents.file.firstDay'), tx.date(firstAbsentDay(state))],
		[t('documents.file.unexcusedDays'), String(unexcused.size)],
		[t('documents.file.homeVisit'), tx.list(visits)],
		[t('documents.file.suspectedOn'), opened ? tx.date(opened.date) : t('documents.none')],
		[t('documents.file.fileCreated'), filed ? tx.date(filed.date) : t('documents.none')],
		[t('documents.file.report'), tx.list(reports)]
	]);
}

/** S-4c/S-9: the reason recorded with the file (and the team's, when it differs). */
function reasonSection(state: CaseState, tx: DocText): DocSection {
	const { t } = tx;
	const files = all(state, 'dropout_file_created');
	const reasons = [
		...new Set([
			...files.map((f) => f.reason),
			...all(state, 'joint_team_formed').map((j) => j.reason)
		])
	];
	const notes = files.map((f) => f.note.trim()).filter(Boolean);
	return section('reason', t('documents.file.sectionReason'), [
		[
			t('documents.file.reason'),
			reasons.length ? tx.list(reasons.map((r) => t(`reason.${r}`))) : t('documents.notRecorded')
		],
		[t('documents.file.reasonNote'), notes.length ? notes.join('；') : t('documents.none')]
	]);
}

/** S-4b's responsible person (专人), who filed, who issued the notice, who recorded attempts. */
function responsibleSection(
	state: CaseState,
	tx: DocText,
	orgName: (a: Pick<Author, 'orgId' | 'orgKind'>) => string
): DocSection {
	const { t } = tx;
	const rows: string[][] = [];
	const seen = new Set<string>();
	const add = (role: string, name: string, org: string, phone: string) => {
		const key = `${role}|${name}|${org}`;
		if (seen.has(key)) return;
		seen.add(key);
		rows.push([role, name, org, tx.orBlank(phone)]);
	};
	for (const o of all(state, 'suspected_case_opened'))
		add(
			t('documents.file.roleResponsible'),
			o.responsible.name,
			orgName(o.author),
			o.responsible.phone
		);
	for (const f of all(state, 'dropout_file_created'))
		add(t('documents.file.roleFiler'), f.author.name, orgName(f.author), '');
	for (const n of all(state, 'deadline_notice_issued'))
		add(t('documents.file.roleIssuer'), n.author.name, orgName(n.author), '');
	for (const a of attemptRows(state))
		add(t('documents.file.roleRecorder'), a.author.name, orgName(a.author), '');
	return {
		...section('responsible', t('documents.file.sectionResponsible'), []),
		table: {
			columns: [
				t('documents.field.role'),
				t('documents.field.name'),
				t('documents.field.org'),
				t('documents.field.phone')
			],
			rows
		},
		empty: t('documents.notRecorded')
	};
}

type Attempt = EventOf<'persuasion_attempt'> | EventOf<'joint_persuasion_attempt'>;

/** Every persuasion attempt of the episode, school (S-4b) and joint (S-9), in G-M1 order. */
function attemptRows(state: CaseState): Attempt[] {
	const merged: CaseEvent[] = [
		...all(state, 'persuasion_attempt'),
		...all(state, 'joint_persuasion_attempt')
	];
	// Both lists are in G-M1 order; merge by date, then recorded-at, then id (G-M1).
	return merged
		.filter(
			(e): e is Attempt => e.type === 'persuasion_attempt' || e.type === 'joint_persuasion_attempt'
		)
		.sort(
			(a, b) =>
				a.date.localeCompare(b.date) ||
				a.recordedAt.localeCompare(b.recordedAt) ||
				a.id.localeCompare(b.id)
		);
}

function attemptsSection(state: CaseState, tx: DocText): DocSection {
	const { t } = tx;
	const attempts = attemptRows(state);
	const schoolCount = attempts.filter((a) => a.type === 'persuasion_attempt').length;
	return {
		...section('attempts', t('documents.file.sectionAttempts'), [
			[
				t('documents.file.total'),
				t('documents.file.attemptCount', {
					school: schoolCount,
					joint: attempts.length - schoolCount
				})
			]
		]),
		table: {
			columns: [
				t('documents.file.seq'),
				t('documents.file.attemptDate'),
				t('documents.file.attemptKind'),
				t('documents.file.attemptMode'),
				t('documents.file.participants'),
				t('documents.file.outcome'),
				t('documents.file.reasonNote')
			],
			rows: attempts.map((a, i) => {
				const people = [a.author.name, ...a.participants];
				const departments =
					a.type === 'joint_persuasion_attempt' ? a.departments.map((k) => t(`org.${k}`)) : [];
				return [
					String(i + 1),
					tx.date(a.date),
					t(
						a.type === 'joint_persuasion_attempt'
							? 'documents.file.kindJoint'
							: 'documents.file.kindSchool'
					),
					t(`mode.${a.mode}`),
					tx.list([...new Set([...people, ...departments])]),
					t(`outcome.${a.outcome}`),
					a.note.trim()
				];
			})
		},
		empty: t('documents.file.noAttempts')
	};
}

/** S-8/S-9: the latest notice (return-by computed by the rules, G-T1) and the joint team. */
function jointSection(state: CaseState, tx: DocText): DocSection {
	const { t } = tx;
	const notice = last(all(state, 'deadline_notice_issued'));
	const team = last(all(state, 'joint_team_formed'));
	const due = notice ? noticeReturnBy(state, notice.servedOn, tx) : null;
	const fields: [string, string][] = notice
		? [
				[t('documents.file.noticeNo'), notice.number],
				[t('documents.file.servedOn'), tx.date(notice.servedOn)],
				[t('documents.file.servedTo'), notice.servedTo],
				[
					t('documents.file.returnBy'),
					due?.error ??
						tx.date(due?.iso) + (due?.provisional ? `（${t('documents.provisionalShort')}）` : '')
				]
			]
		: [[t('documents.file.noticeNo'), t('documents.file.noNotice')]];
	fields.push(
		...((team
			? [
					[t('documents.file.teamFormed'), tx.date(team.date)],
					[t('documents.file.teamReason'), t(`reason.${team.reason}`)],
					[
						t('documents.file.teamDepartments'),
						tx.list([t('org.street'), ...team.departments.map((k) => t(`org.${k}`))])
					]
				]
			: [[t('documents.file.teamFormed'), t('documents.file.noTeam')]]) as [string, string][])
	);
	return section('joint', t('documents.file.sectionJoint'), fields);
}

/** S-6 placement and follow-up, S-10 deferral, enrollment elsewhere and closure. */
function outcomeSection(state: CaseState, tx: DocText): DocSection {
	const { t } = tx;
	const fields: [string, string][] = [];
	for (const r of all(state, 'returned'))
		fields.push([
			t('documents.file.returned'),
			t('documents.file.returnedValue', {
				date: tx.date(r.date),
				placement: t(`placement.${r.placement}`)
			})
		]);
	const follows = all(state, 'follow_up').map((f) =>
		t('documents.file.followUpValue', {
			date: tx.date(f.date),
			status: t(
				f.status === 'stable' ? 'documents.file.followStable' : 'documents.file.followAtRisk'
			)
		})
	);
	if (follows.length) fields.push([t('documents.file.followUps'), tx.list(follows)]);
	for (const e of all(state, 'enrollment_elsewhere_confirmed'))
		fields.push([
			t('documents.file.elsewhere'),
			t('documents.file.elsewhereValue', { school: e.school, confirmedBy: e.confirmedBy })
		]);
	for (const d of all(state, 'deferral'))
		fields.push([
			t('documents.file.deferral'),
			t('documents.file.deferralValue', {
				kind: t(
					d.kind === 'suspension'
						? 'documents.file.suspension'
						: 'documents.file.deferredEnrollment'
				),
				from: tx.date(d.from),
				to: tx.date(d.to)
			})
		]);
	if (state.closed)
		fields.push([
			t('documents.file.closed'),
			t('documents.file.closedValue', {
				date: tx.date(state.closed.date),
				path: t(`closure.${state.closed.path}`)
			})
		]);
	if (!fields.length) fields.push([t('documents.file.status'), t('documents.file.open')]);
	return section('outcome', t('documents.file.sectionOutcome'), fields);
}
