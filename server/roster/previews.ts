import { randomUUID } from 'node:crypto';
import { chmodSync, createWriteStream, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { readFile, rm, stat } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import type { Bilingual } from '../../src/lib/rules/types';
import { HttpError } from '../http/common';
import type { RosterStudent } from '../storage/types';
import { readRows } from './worker';

const MIB = 1024 * 1024;

export interface PreviewLimits {
	/** Previews per user, stored or being checked; a new one pushes out the user's oldest stored. */
	perUser: number;
	/** Bytes on disk per user: uploads being checked plus the rows of stored previews. */
	bytesPerUser: number;
	/** Bytes on disk for everyone together. */
	totalBytes: number;
	/** Largest upload. */
	maxUploadBytes: number;
	/** How long a preview waits for its confirmation. */
	ttlMs: number;
}

export const PREVIEW_LIMITS: PreviewLimits = {
	perUser: 3,
	bytesPerUser: 128 * MIB,
	totalBytes: 1024 * MIB,
	maxUploadBytes: 64 * MIB,
	ttlMs: 15 * 60 * 1000
};

/** What a stored preview remembers in memory: a few fields, never its rows. */
export interface PreviewMeta {
	term: string;
	fileName: string;
	/** Issue 12 (B-1): a full import replaces the schools' roster of the term. */
	importKind: 'full' | 'additions';
	/** Valid rows (the rows file holds them when `errorCount` is 0). */
	rows: number;
	errorCount: number;
}

interface Entry {
	id: string;
	userId: string;
	/** Bytes this preview holds on disk (its upload while checked, then its rows). */
	bytes: number;
	/** null while being checked. */
	meta: PreviewMeta | null;
	/** Expiry on the relay's clock (ms); set once checked. */
	expires: number;
	/** Order of arrival: the oldest goes first. */
	seq: number;
}

/** 64 MiB, 100 KiB: the limits as people read them. */
const size = (bytes: number) =>
	bytes >= MIB ? `${Math.round((bytes / MIB) * 10) / 10} MiB` : `${Math.round(bytes / 1024)} KiB`;

const M = {
	busy: (n: number): Bilingual => ({
		zh: `您已有 ${n} 个名册文件正在检查，请等它们完成后再上传`,
		en: `${n} of your roster files are still being checked; upload again once they are done`
	}),
	quota: (bytes: number): Bilingual => ({
		zh: `您暂存的名册文件合计不能超过 ${size(bytes)}，请先确认已有的预览，或等它过期（15 分钟）后再上传`,
		en: `your roster previews may hold at most ${size(bytes)} together; confirm one, or upload again once it expired (15 minutes)`
	}),
	full: (bytes: number): Bilingual => ({
		zh: `服务器暂存名册预览的空间（${size(bytes)}）已满，请几分钟后再试`,
		en: `the relay's space for roster previews (${size(bytes)}) is full; try again in a few minutes`
	}),
	tooLarge: (bytes: number): Bilingual => ({
		zh: `名册文件不能超过 ${size(bytes)}`,
		en: `a roster file may be at most ${size(bytes)}`
	})
};

/**
 * Roster previews waiting for their confirmation, kept on disk under `dir` (mode 0700, files
 * 0600), never in the relay's memory: an upload streams to a file, a worker checks it and
 * writes the valid rows beside it, and only counts stay in memory. Limited per user (count and
 * bytes) and overall, expired after `ttlMs`; nothing survives a restart (the directory is
 * emptied when the store opens and when it closes: minors' data does not linger).
 */
export class PreviewStore {
	private readonly entries = new Map<string, Entry>();
	private readonly timer: ReturnType<typeof setInterval>;
	/** One file is checked at a time: a parse holds every row of its file in memory. */
	private queue: Promise<unknown> = Promise.resolve();
	private seq = 0;
	readonly limits: PreviewLimits;

	constructor(
		readonly dir: string,
		private readonly now: () => Date,
		limits: Partial<PreviewLimits> = {}
	) {
		this.limits = { ...PREVIEW_LIMITS, ...limits };
		mkdirSync(dir, { recursive: true, mode: 0o700 });
		chmodSync(dir, 0o700);
		this.clear();
		// Expired previews leave the disk within a minute even when nobody uploads again.
		this.timer = setInterval(() => void this.sweep(), 60_000);
		this.timer.unref();
	}

	private uploadPath = (id: string) => join(this.dir, `${id}.upload`);
	private rowsPath = (id: string) => join(this.dir, `${id}.rows.json`);

	private clear(): void {
		for (const name of readdirSync(this.dir)) {
			rmSync(join(this.dir, name), { recursive: true, force: true });
		}
	}

	private async remove(e: Entry): Promise<void> {
		this.entries.delete(e.id);
		await Promise.all([
			rm(this.uploadPath(e.id), { force: true }),
			rm(this.rowsPath(e.id), { force: true })
		]);
	}

	/** Removes expired previews. */
	async sweep(): Promise<void> {
		const t = this.now().getTime();
		await Promise.all(
			[...this.entries.values()]
				.filter((e) => e.meta !== null && e.expires <= t)
				.map((e) => this.remove(e))
		);
	}

	private mine(userId: string): Entry[] {
		return [...this.entries.values()]
			.filter((e) => e.userId === userId)
			.sort((a, b) => a.seq - b.seq);
	}

	private total(entries: Iterable<Entry>): number {
		let n = 0;
		for (const e of entries) n += e.bytes;
		return n;
	}

	/** Refuses when `entry` (growing) would pass the per-user or overall limit. */
	private within(entry: Entry): void {
		const { bytesPerUser, totalBytes, maxUploadBytes } = this.limits;
		if (entry.bytes > maxUploadBytes) {
			throw new HttpError(413, 'too-large', M.tooLarge(maxUploadBytes));
		}
		if (this.total(this.mine(entry.userId)) > bytesPerUser) {
			throw new HttpError(413, 'preview-quota', M.quota(bytesPerUser));
		}
		if (this.total(this.entries.values()) > totalBytes) {
			throw new HttpError(503, 'preview-full', M.full(totalBytes));
		}
	}

	/** Makes room for an upload of `bytes` (declared) by pushing out the user's oldest stored ones. */
	private async makeRoom(userId: string, bytes: number): Promise<void> {
		const { perUser, bytesPerUser } = this.limits;
		// An upload that can never fit pushes nothing out.
		if (bytes > bytesPerUser) throw new HttpError(413, 'preview-quota', M.quota(bytesPerUser));
		const fits = () => {
			const mine = this.mine(userId);
			return mine.length < perUser && this.total(mine) + bytes <= bytesPerUser;
		};
		for (const e of this.mine(userId)) {
			if (fits()) return;
			if (e.meta !== null) await this.remove(e);
		}
	}

	/** Writes the body of `req` to `path`, keeping `entry.bytes` up to date and within limits. */
	private receive(req: IncomingMessage, path: string, entry: Entry): Promise<number> {
		return new Promise<number>((resolve, reject) => {
			const out = createWriteStream(path, { flags: 'wx', mode: 0o600 });
			let received = 0;
			let failed = false;
			// Stop writing but keep draining the request, so that the refusal can still be sent.
			const fail = (err: Error) => {
				if (failed) return;
				failed = true;
				req.unpipe(out);
				req.resume();
				out.destroy();
				reject(err);
			};
			req.on('data', (chunk: Buffer) => {
				received += chunk.length;
				entry.bytes = Math.max(entry.bytes, received);
				try {
					this.within(entry);
				} catch (err) {
					fail(err as Error);
				}
			});
			req.on('error', fail);
			req.on('close', () => {
				if (!req.complete) fail(new Error('upload aborted'));
			});
			out.on('error', fail);
			out.on('finish', () => {
				if (!failed) resolve(received);
			});
			req.pipe(out);
		});
	}

	/**
	 * Streams the request body to disk, checks it with `check` (which reads the upload and writes
	 * the rows file), and stores the preview. Resolves with its id and what `check` returned.
	 */
	async create<T extends { valid: number; errorCount: number }>(
		userId: string,
		req: IncomingMessage,
		info: { term: string; fileName: string; importKind: 'full' | 'additions' },
		check: (uploadPath: string, rowsPath: string) => Promise<T>
	): Promise<{ id: string; result: T }> {
		const declared = Number(req.headers['content-length'] ?? 0) || 0;
		const { maxUploadBytes, perUser, ttlMs } = this.limits;
		if (declared > maxUploadBytes) {
			throw new HttpError(413, 'too-large', M.tooLarge(maxUploadBytes));
		}
		await this.sweep();
		await this.makeRoom(userId, declared);
		// Counted and inserted in one turn, so parallel uploads cannot all slip under the limit.
		const checking = this.mine(userId).filter((e) => e.meta === null).length;
		if (checking >= perUser) throw new HttpError(429, 'preview-busy', M.busy(checking));
		const id = randomUUID();
		const entry: Entry = {
			id,
			userId,
			bytes: declared,
			meta: null,
			expires: Infinity,
			seq: this.seq++
		};
		this.within(entry);
		this.entries.set(id, entry);
		try {
			entry.bytes = await this.receive(req, this.uploadPath(id), entry);
			const result = await this.serial(() => check(this.uploadPath(id), this.rowsPath(id)));
			await rm(this.uploadPath(id), { force: true });
			entry.bytes = result.errorCount
				? 0
				: await stat(this.rowsPath(id)).then(
						(s) => s.size,
						() => 0
					);
			entry.meta = { ...info, rows: result.valid, errorCount: result.errorCount };
			entry.expires = this.now().getTime() + ttlMs;
			return { id, result };
		} catch (err) {
			await this.remove(entry);
			throw err;
		}
	}

	private serial<R>(work: () => Promise<R>): Promise<R> {
		const run = this.queue.then(work, work);
		this.queue = run.catch(() => undefined);
		return run;
	}

	/**
	 * Takes a user's stored preview out of the store (it can be confirmed once): its meta and,
	 * when it had no errors, its rows; null when unknown, someone else's or expired.
	 */
	async take(
		userId: string,
		id: string
	): Promise<{ meta: PreviewMeta; students: RosterStudent[] } | null> {
		await this.sweep();
		const e = this.entries.get(id);
		if (!e || e.userId !== userId || e.meta === null) return null;
		const meta = e.meta;
		try {
			const students = meta.errorCount ? [] : readRows(await readFile(this.rowsPath(id), 'utf8'));
			return { meta, students };
		} finally {
			await this.remove(e);
		}
	}

	/** Previews held now and their bytes on disk (tests, benchmarks). */
	usage(): { count: number; bytes: number } {
		return { count: this.entries.size, bytes: this.total(this.entries.values()) };
	}

	/** Stops the sweeper and removes every file. */
	close(): void {
		clearInterval(this.timer);
		this.entries.clear();
		this.clear();
	}
}
