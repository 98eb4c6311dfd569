import { chmodSync, existsSync } from 'node:fs';
import { z } from 'zod';
import {
	id as idSchema,
	orgKind,
	role as roleSchema,
	shortText,
	userSchema,
	type CaseSnapshot,
	type OrgKind,
	type Role
} from '../src/lib/domain';
import { EVENT_NAMES } from '../src/lib/rules';
import type { QuarantineEntry } from '../src/lib/protocol/quarantine';
import { hashPassword } from './auth/passwords';
import { caseHistory as loadHistory, type HistoryEntry } from './history';
import { quarantineEntries } from './quarantine';
import { restoreBackup } from './storage/backup';
import type { OrgRecord, Storage, UserRecord } from './storage/types';
import { CaseLoadError, loadCase, type SetAside } from './sync/case-loader';

/**
 * What the admin command line does, as functions over a `Storage` (tests call them directly;
 * `admin-cli.ts` only parses argv and prints). Errors are `AdminError`s with one bilingual line.
 */

/** A refusal the CLI prints as one line, Chinese first. */
export class AdminError extends Error {
	constructor(zh: string, en: string) {
		super(`${zh} / ${en}`);
		this.name = 'AdminError';
	}
}

/** The user id written to the audit log for reads made with this tool. */
export const ADMIN_CLI_USER = 'admin-cli';

function parse<T>(schema: z.ZodType<T>, value: unknown, field: string): T {
	const r = schema.safeParse(value);
	if (r.success) return r.data;
	throw new AdminError(
		`参数 --${field} 无效`,
		`invalid --${field}: ${r.error.issues[0]?.message ?? ''}`
	);
}

/** Orgs that sit in a street (DOMAIN.md: school → street; community → street). */
const IN_STREET: readonly OrgKind[] = ['school', 'community'];

/** Adds an organisation; a school or community names its street, which must exist. */
export async function addOrg(
	storage: Storage,
	input: { id?: unknown; kind?: unknown; name?: unknown; street?: unknown }
): Promise<OrgRecord> {
	const org: OrgRecord = {
		id: parse(idSchema, input.id, 'id'),
		kind: parse(orgKind, input.kind, 'kind'),
		name: parse(shortText, input.name, 'name'),
		streetId: input.street === undefined ? null : parse(idSchema, input.street, 'street')
	};
	if (IN_STREET.includes(org.kind)) {
		if (!org.streetId)
			throw new AdminError('学校和社区须指定 --street', 'a school or community needs --street');
		const street = await storage.getOrg(org.streetId);
		if (street?.kind !== 'street') {
			throw new AdminError(`街道 ${org.streetId} 不存在`, `no street with id ${org.streetId}`);
		}
	} else if (org.streetId) {
		throw new AdminError(
			'只有学校和社区属于街道',
			'only schools and communities belong to a street'
		);
	}
	if (await storage.getOrg(org.id)) {
		throw new AdminError(`单位 ${org.id} 已存在`, `org ${org.id} already exists`);
	}
	await storage.addOrg(org);
	return org;
}

/** 班主任/校领导 work in schools; other orgs have officers and leaders; any org may have an admin. */
const ROLES_FOR: (kind: OrgKind) => readonly Role[] = (kind) =>
	kind === 'school' ? ['head_teacher', 'school_leader', 'admin'] : ['officer', 'leader', 'admin'];

export const MIN_PASSWORD_CHARS = 8;
const password = z
	.string()
	.min(MIN_PASSWORD_CHARS, { message: `at least ${MIN_PASSWORD_CHARS} characters` })
	.max(200);

/** A user as this tool shows it: never the password hash. */
export type PublicUser = Omit<UserRecord, 'passwordHash'>;

/** Adds a user (id = username) to an existing org with a role that fits the org's kind. */
export async function addUser(
	storage: Storage,
	input: { username?: unknown; name?: unknown; org?: unknown; role?: unknown; password?: unknown },
	options: { now: Date; hash?: (pw: string) => Promise<string> }
): Promise<PublicUser> {
	const username = parse(userSchema.shape.username, input.username, 'username');
	const displayName = parse(shortText, input.name, 'name');
	const orgId = parse(idSchema, input.org, 'org');
	const role = parse(roleSchema, input.role, 'role');
	const pw = parse(password, input.password, 'password');
	const org = await storage.getOrg(orgId);
	if (!org) throw new AdminError(`单位 ${orgId} 不存在`, `no org with id ${orgId}`);
	if (!ROLES_FOR(org.kind).includes(role)) {
		const allowed = ROLES_FOR(org.kind).join(', ');
		throw new AdminError(
			`该单位不能使用角色 ${role}`,
			`role ${role} does not fit a ${org.kind}; use ${allowed}`
		);
	}
	if ((await storage.getUserByUsername(username)) || (await storage.getUser(username))) {
		throw new AdminError(`用户 ${username} 已存在`, `user ${username} already exists`);
	}
	const user: UserRecord = {
		id: username,
		username,
		displayName,
		orgId,
		role,
		passwordHash: await (options.hash ?? hashPassword)(pw),
		disabled: false,
		createdAt: options.now.toISOString()
	};
	await storage.addUser(user);
	const { passwordHash: _hidden, ...shown } = user;
	return shown;
}

/** Disables or re-enables a user; a disabled user cannot log in or sync. */
export async function setUserEnabled(
	storage: Storage,
	username: unknown,
	enabled: boolean
): Promise<void> {
	const name = parse(userSchema.shape.username, username, 'username');
	const user = await storage.getUserByUsername(name);
	if (!user) throw new AdminError(`用户 ${name} 不存在`, `no user ${name}`);
	await storage.setUserDisabled(user.id, !enabled);
}

/** Replays a case's whole update log (no compacted state: the log is the truth, not a cache). */
const WHOLE_LOG = Number.MAX_SAFE_INTEGER;

/**
 * The case as a validated snapshot rebuilt from its update log, without the stored updates it
 * cannot load with (issue 10; `check-cases` lists them). An export reads minors' data, so it is
 * written to the audit log like any read through the relay.
 */
export async function exportCase(
	storage: Storage,
	caseId: unknown,
	options: { now: Date }
): Promise<CaseSnapshot> {
	const id = parse(idSchema, caseId, 'id');
	if (!(await storage.getCase(id))) throw new AdminError(`案件 ${id} 不存在`, `no case ${id}`);
	let snapshot: CaseSnapshot;
	try {
		const loaded = await loadCase(storage, id, { record: false, uptoSeq: WHOLE_LOG });
		loaded.doc.destroy();
		snapshot = loaded.snapshot;
	} catch (err) {
		if (!(err instanceof CaseLoadError)) throw err;
		throw new AdminError(
			`案件 ${id} 的更新日志无法还原为有效快照`,
			`case ${id}: the update log does not rebuild a valid snapshot`
		);
	}
	await storage.audit({
		userId: ADMIN_CLI_USER,
		caseId: id,
		action: 'export',
		at: options.now.toISOString()
	});
	return snapshot;
}

/** What `check-cases` found for one case. */
export interface CaseCheck {
	caseId: string;
	/**
	 * `ok`: loads with every stored update; `repaired`: this run set updates aside; `set-aside`:
	 * loads without updates an earlier repair set aside; `unrepaired`: would need a repair
	 * (`--dry-run`); `broken`: does not load at all (not even its creation).
	 */
	status: 'ok' | 'repaired' | 'set-aside' | 'unrepaired' | 'broken';
	setAside: SetAside[];
}

/**
 * Issue 10: replays every stored case from its update log as the relay loads it, and reports
 * each one that does not load with all of its updates. Unless `dryRun`, the failing updates are
 * set aside in quarantine (a copy; the log rows stay) and the case gets a fresh compacted state.
 */
export async function checkCases(
	storage: Storage,
	options: { now: Date; dryRun?: boolean }
): Promise<CaseCheck[]> {
	const out: CaseCheck[] = [];
	const record = !options.dryRun;
	for (const c of await storage.listCases()) {
		try {
			const loaded = await loadCase(storage, c.id, {
				record,
				uptoSeq: WHOLE_LOG,
				now: options.now.toISOString()
			});
			loaded.doc.destroy();
			const status =
				loaded.found > 0
					? record
						? 'repaired'
						: 'unrepaired'
					: loaded.setAside.length
						? 'set-aside'
						: 'ok';
			out.push({ caseId: c.id, status, setAside: loaded.setAside });
		} catch (err) {
			if (!(err instanceof CaseLoadError)) throw err;
			out.push({ caseId: c.id, status: 'broken', setAside: [] });
		}
	}
	return out;
}

const CHECK_LABEL: Record<CaseCheck['status'], string> = {
	ok: '正常 / loads',
	repaired: '已修复 / repaired',
	'set-aside': '已修复（此前）/ repaired earlier',
	unrepaired: '需修复 / needs a repair',
	broken: '无法载入 / does not load'
};

/** One line per case that is not plainly fine, one per update set aside, then a summary. */
export function formatCaseChecks(checks: readonly CaseCheck[]): string[] {
	const lines: string[] = [];
	for (const c of checks) {
		if (c.status === 'ok') continue;
		lines.push(`${c.caseId}  ${CHECK_LABEL[c.status]}`);
		for (const s of c.setAside) {
			const q = s.quarantineId === null ? '' : `  隔离 / quarantine #${s.quarantineId}`;
			lines.push(`    ${s.receivedAt}  ${s.userId}${q}  ${s.reason}`);
		}
	}
	const count = (st: CaseCheck['status']) => checks.filter((c) => c.status === st).length;
	lines.push(
		`共 ${checks.length} 个案件：正常 ${count('ok')}，本次修复 ${count('repaired')}，此前已修复 ${count('set-aside')}，需修复 ${count('unrepaired')}，无法载入 ${count('broken')}` +
			` / ${checks.length} cases: ${count('ok')} load, ${count('repaired')} repaired now, ${count('set-aside')} repaired earlier, ${count('unrepaired')} need a repair, ${count('broken')} do not load`
	);
	return lines;
}

export type { HistoryEntry };

/**
 * The edit timeline of a case (see `server/history.ts`), for the CLI; audited as a read.
 */
export async function caseHistory(
	storage: Storage,
	caseId: unknown,
	options: { now: Date }
): Promise<HistoryEntry[]> {
	const id = parse(idSchema, caseId, 'id');
	if (!(await storage.getCase(id))) throw new AdminError(`案件 ${id} 不存在`, `no case ${id}`);
	const out = await loadHistory(storage, id);
	await storage.audit({
		userId: ADMIN_CLI_USER,
		caseId: id,
		action: 'history',
		at: options.now.toISOString()
	});
	return out;
}

/** One line per history entry: seq, time, user, then what changed (Chinese / English). */
export function formatHistory(entries: readonly HistoryEntry[]): string[] {
	return entries.map((h) => {
		const parts: string[] = [];
		if (h.created) parts.push('创建案件 / case created');
		if (h.eventsAdded.length) {
			parts.push(`新增事件 / events added: ${h.eventsAdded.map((e) => e.type).join(', ')}`);
		}
		if (h.planChanged) parts.push('修改劝返方案 / plan changed');
		if (h.profileChanged) parts.push('修改了只写一次的数据 / written-once data changed');
		if (h.setAside) parts.push(`已搁置 / set aside: ${h.setAside}`);
		if (!parts.length) parts.push('无内容变化 / no visible change');
		return `#${h.seq}  ${h.receivedAt}  ${h.user.id}  ${parts.join('；')}`;
	});
}

/**
 * The refused updates the relay keeps (DESIGN.md "When the relay refuses an update"), newest
 * first, of the district or of one case. As on the bureau's screen there is no student data,
 * but each listed case is audited as a read (`quarantine`), like `GET /api/quarantine`.
 */
export async function listQuarantine(
	storage: Storage,
	input: { case?: unknown },
	options: { now: Date }
): Promise<QuarantineEntry[]> {
	const caseId = input.case === undefined ? undefined : parse(idSchema, input.case, 'case');
	if (caseId !== undefined && !(await storage.getCase(caseId)))
		throw new AdminError(`案件 ${caseId} 不存在`, `no case ${caseId}`);
	const entries = await quarantineEntries(storage, caseId);
	const at = options.now.toISOString();
	await storage.auditMany(
		[...new Set(entries.map((e) => e.caseId))].map((c) => ({
			userId: ADMIN_CLI_USER,
			caseId: c,
			action: 'quarantine',
			at
		}))
	);
	return entries;
}

/** One line per refused update, Chinese first: id, time, case, rule, who, what, reason. */
export function formatQuarantine(entries: readonly QuarantineEntry[]): string[] {
	if (!entries.length) return ['隔离区为空 / the quarantine is empty'];
	return entries.map((q) => {
		const who = `${q.user.displayName}（${q.user.orgName ?? q.user.orgId ?? '?'}）`;
		const what = q.events.length
			? q.events.map((e) => `${EVENT_NAMES[e.type].zh} ${e.type}`).join(', ')
			: '无事件 / no event';
		return `#${q.id}  ${q.receivedAt}  案件 case ${q.caseId}  规则 rule ${q.rule}  ${who}  ${what}  ${q.reason.zh} / ${q.reason.en}`;
	});
}

/** A consistent copy of the database while the relay runs; refuses to overwrite a file. */
export async function backupDatabase(storage: Storage, out: unknown): Promise<void> {
	const path = parse(z.string().min(1), out, 'out');
	if (existsSync(path)) throw new AdminError(`文件 ${path} 已存在`, `${path} already exists`);
	await storage.backup(path);
	// The copy holds minors' personal data: readable by the owner only, like the database.
	chmodSync(path, 0o600);
}

/** Replaces the database with a backup. The relay must be stopped first (it holds the file). */
export async function restoreDatabase(from: unknown, dbPath: string): Promise<void> {
	const path = parse(z.string().min(1), from, 'from');
	if (!existsSync(path))
		throw new AdminError(`备份文件 ${path} 不存在`, `backup ${path} not found`);
	await restoreBackup(path, dbPath);
}

/** The help text, Chinese first. */
export const HELP = `一生一案 管理工具 / 一生一案 admin tool

用法 / usage: npm run admin -- <命令 command> [参数 options]
数据库 / database: $DATA_DIR/yishengyian.sqlite（DATA_DIR 默认 / default ./data）

  add-org --id <id> --kind <kind> --name <名称> [--street <street-id>]
      添加单位；学校和社区须指定街道 / add an org; schools and communities need --street
      kind: school community street bureau district justice police hr disability civil religion rural
  add-user --username <name> --name <姓名> --org <org-id> --role <role> [--password <pw>]
      添加用户；不给 --password 时从标准输入读取 / add a user; reads the password from stdin
      role: head_teacher school_leader (学校 school) · officer leader (其他 others) · admin
  disable-user --username <name>      停用用户 / disable a user
  enable-user --username <name>       启用用户 / enable a user
  export-case --id <case-id> [--out <file>]
      从更新日志还原并导出案件 JSON（记入审计日志）/ export a case rebuilt from its update log (audited)
  history --id <case-id>              每次更新一行 / one line per stored update
  quarantine list [--case <case-id>]
      被拒绝并隔离的修改，每条一行（记入审计日志）/ refused updates kept in quarantine, one a line (audited)
  check-cases [--dry-run]
      检查每个案件能否载入；无法载入的更新移入隔离区（不删除任何数据）
      check that every case loads; set updates it cannot load with aside in quarantine (nothing is deleted)
  calendar import --file <file.json>
      录入一年的国务院放假安排；运行中的中继服务会自动采用
      enter one year's official State Council schedule; a running relay picks it up
      {"year":2027,"source":"国办发明电〔…〕…号","holidays":[{"name":"春节","from":"…","to":"…"}],"workdays":["…"]}
  calendar list                       每年：官方或暂定，及其通知 / each year: official or provisional, its notice
  terms import --file <file.json>
      录入一个学年的校历（全区，或 "school" 指定的学校）/ enter one school year's terms (district, or one school)
      {"schoolYear":"2026-2027","source":"…","terms":[{"name":"秋季学期","start":"…","end":"…"}]}
  terms list                          每个学年：范围、学期、来源 / each school year: scope, terms, source
  retention run [--dry-run] [--date <YYYY-MM-DD>]
      匿名化超过保留期限的已销号案件（姓名、身份证号、电话、地址等替换，统计数据保留；每案记入审计日志）；
      中继服务运行时拒绝执行（请在「个人信息与保留期限」页面执行）；--date 晚于今天时只能演练
      anonymise closed cases past their retention date (names, ID numbers, phones, addresses
      replaced, statistics kept; each case audited); refused while the relay runs (use the
      bureau's 个人信息与保留期限 screen); a --date after today only with --dry-run
  org-work set --id <profile> [--date <YYYY-MM-DD>] · org-work show
      学校开学后工作所依据的政策方案（shilong-2022 学籍梳理 S-2；bishan-2024 清查与报告 B-1），
      及从哪天起到期的事项列入待办（默认本学年 8 月 1 日）
      the profile the schools' term-start work follows (S-2 or B-1) and from which due day it is listed
  backup --out <file>                 在线备份数据库 / online backup of the database
  restore --from <file>
      用备份替换数据库；须先停止中继服务 / replace the database with a backup; STOP THE RELAY FIRST
  help                                显示本帮助 / show this help
`;
