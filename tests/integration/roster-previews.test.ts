import {
	mkdirSync,
	mkdtempSync,
	readFileSync,
	readdirSync,
	statSync,
	writeFileSync
} from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoIdNumber } from '../../server/seed-cases';
import { login, startRelay, until, type TestRelay } from './relay-harness';

const TERM = '2025-09-01';
const HEADER = '学籍号,姓名,性别,出生日期,身份证号,学校,年级,班级,户籍地,居住地,监护人,电话';
const KIB = 1024;

/** A valid roster of `n` students of school1, numbered from `from` (unique 学籍号 and ID). */
function csv(n: number, from = 0): string {
	const lines = [HEADER];
	for (let i = from; i < from + n; i++) {
		const birth = `2012-0${(i % 8) + 1}-${String((Math.floor(i / 8) % 28) + 1).padStart(2, '0')}`;
		const id = demoIdNumber(birth, Math.floor(i / 224), i % 2 ? 'male' : 'female');
		lines.push(
			[
				`G${id}`,
				`预览${i}`,
				i % 2 ? '男' : '女',
				birth,
				id,
				'示范区第一初级中学',
				'初二',
				'八年级（2）班',
				'河南省平顶山市',
				'示范区新华街道和平路1号',
				'测试家长',
				'13800000000'
			].join(',')
		);
	}
	return lines.join('\r\n');
}

interface Answer {
	status: number;
	body: {
		previewId?: string;
		error?: string;
		valid?: number;
		errorCount?: number;
		message?: { zh: string; en: string };
	};
}

function api(t: TestRelay) {
	const auth = (token: string) => ({ authorization: `Bearer ${token}` });
	return {
		async preview(token: string, body: string): Promise<Answer> {
			const res = await fetch(`${t.url}/api/roster/preview?term=${TERM}&name=x.csv`, {
				method: 'POST',
				headers: { ...auth(token), 'content-type': 'text/csv' },
				body
			});
			return { status: res.status, body: (await res.json()) as Answer['body'] };
		},
		async confirm(token: string, previewId: string): Promise<Answer> {
			const res = await fetch(`${t.url}/api/roster/import`, {
				method: 'POST',
				headers: { ...auth(token), 'content-type': 'application/json' },
				body: JSON.stringify({ previewId })
			});
			return { status: res.status, body: (await res.json()) as Answer['body'] };
		}
	};
}

const files = (dir: string) => readdirSync(dir).sort();

describe('roster previews wait on disk, within limits (issue 10)', () => {
	let t: TestRelay;
	let dir: string;
	let bureau: string;
	let school1: string;
	beforeAll(async () => {
		const dataDir = mkdtempSync(join(tmpdir(), 'ysya-previews-'));
		dir = join(dataDir, 'previews');
		// Left over from a relay that stopped with previews waiting: gone once it starts again.
		mkdirSync(dir);
		writeFileSync(join(dir, 'stale.rows.json'), '[]');
		t = await startRelay({
			dataDir,
			relay: {
				previewDir: dir,
				limits: { previews: { perUser: 2, bytesPerUser: 100 * KIB } }
			}
		});
		[bureau, school1] = await Promise.all([login(t, 'bureau1'), login(t, 'school1')]);
	});
	afterAll(async () => {
		await t.dispose();
	});

	it('keeps a clean preview’s rows in DATA_DIR/previews (0700, file 0600) until it is imported', async () => {
		expect(files(dir)).toEqual([]); // the stale file went at start
		const p = await api(t).preview(bureau, csv(30));
		expect(p.status).toBe(200);
		expect(p.body.valid).toBe(30);
		const id = p.body.previewId ?? '';
		expect(files(dir)).toEqual([`${id}.rows.json`]);
		expect(statSync(dir).mode & 0o777).toBe(0o700);
		expect(statSync(join(dir, `${id}.rows.json`)).mode & 0o777).toBe(0o600);
		expect(readFileSync(join(dir, `${id}.rows.json`), 'utf8')).toContain('预览29');

		const r = await api(t).confirm(bureau, id);
		expect(r.status).toBe(200);
		expect(await t.storage.rosterCounts(TERM)).toEqual({ 'org-school1': 30 });
		expect(files(dir)).toEqual([]);
	});

	it('a user’s newest previews push out the oldest past the count; others are untouched', async () => {
		const mine = [];
		for (let k = 0; k < 3; k++) mine.push((await api(t).preview(bureau, csv(5, k * 5))).body);
		const theirs = (await api(t).preview(school1, csv(5, 100))).body;
		expect(files(dir)).toHaveLength(3); // bureau's two newest, school1's one
		expect((await api(t).confirm(bureau, mine[0]?.previewId ?? '')).status).toBe(404);
		expect((await api(t).confirm(bureau, mine[1]?.previewId ?? '')).status).toBe(200);
		expect((await api(t).confirm(bureau, mine[2]?.previewId ?? '')).status).toBe(200);
		expect((await api(t).confirm(school1, theirs.previewId ?? '')).status).toBe(200);
		expect(files(dir)).toEqual([]);
	});

	it('refuses an upload past the per-user size with 413 and a Chinese reason, keeping the others', async () => {
		const kept = (await api(t).preview(bureau, csv(5))).body.previewId ?? '';
		const big = csv(1000); // ≈ 130 KiB
		const r = await api(t).preview(bureau, big);
		expect(r.status).toBe(413);
		expect(r.body.error).toBe('preview-quota');
		expect(r.body.message?.zh).toBe(
			'您暂存的名册文件合计不能超过 100 KiB，请先确认已有的预览，或等它过期（15 分钟）后再上传'
		);
		expect(files(dir)).toEqual([`${kept}.rows.json`]);
		expect((await api(t).confirm(bureau, kept)).status).toBe(200);
	});

	it('refuses one more upload with 429 while the user’s others are still being checked', async () => {
		// Two uploads that never finish: each waits on disk as `<id>.upload`.
		const open = [0, 1].map(() => {
			const req = request(`${t.url}/api/roster/preview?term=${TERM}&name=slow.csv`, {
				method: 'POST',
				headers: {
					authorization: `Bearer ${bureau}`,
					'content-type': 'text/csv',
					'content-length': String(40 * KIB)
				}
			});
			req.on('error', () => undefined); // destroyed below
			req.write(csv(3));
			return req;
		});
		await until(
			() => files(dir).filter((f) => f.endsWith('.upload')).length === 2,
			10_000,
			'two uploads'
		);
		const r = await api(t).preview(bureau, csv(3));
		expect(r.status).toBe(429);
		expect(r.body.error).toBe('preview-busy');
		expect(r.body.message?.zh).toBe('您已有 2 个名册文件正在检查，请等它们完成后再上传');
		// Another user is not held up by them.
		const other = await api(t).preview(school1, csv(3, 200));
		expect(other.status).toBe(200);
		expect((await api(t).confirm(school1, other.body.previewId ?? '')).status).toBe(200);
		// An upload given up half-way leaves nothing behind.
		for (const req of open) req.destroy();
		await until(() => files(dir).length === 0, 10_000, 'the aborted uploads removed');
	});
});

describe('roster previews: expiry and the relay-wide space (issue 10)', () => {
	let t: TestRelay;
	let dir: string;
	let bureau: string;
	beforeAll(async () => {
		const dataDir = mkdtempSync(join(tmpdir(), 'ysya-previews-'));
		dir = join(dataDir, 'previews');
		t = await startRelay({
			dataDir,
			relay: { previewDir: dir, limits: { previews: { ttlMs: 0, totalBytes: 8 * KIB } } }
		});
		bureau = await login(t, 'bureau1');
	});
	afterAll(async () => {
		await t.dispose();
	});

	it('an expired preview is gone from the disk and answers 404 with the reason', async () => {
		const p = await api(t).preview(bureau, csv(5));
		expect(p.status).toBe(200);
		const r = await api(t).confirm(bureau, p.body.previewId ?? '');
		expect(r.status).toBe(404);
		expect(r.body.message?.zh).toBe('预览不存在或已过期（15 分钟），请重新上传');
		expect(files(dir)).toEqual([]);
	});

	it('past the space for everyone’s previews, 503 with a Chinese reason', async () => {
		const r = await api(t).preview(bureau, csv(100)); // ≈ 13 KiB
		expect(r.status).toBe(503);
		expect(r.body.error).toBe('preview-full');
		expect(r.body.message?.zh).toBe('服务器暂存名册预览的空间（8 KiB）已满，请几分钟后再试');
		expect(files(dir)).toEqual([]);
	});
});
