/**
 * Issue 13: the relay's `answer` (server/http/common.ts) sends a value its schema accepts, and
 * refuses one it does not when answers are checked (development and tests): the route fails
 * (500) with the paths and zod's sentences, never the value. A real loopback HTTP server.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { AnswerSchemaError, CHECK_ANSWERS, answer } from '../../server/http/common';
import { revealAnswer } from '../../src/lib/protocol/cases';

async function ask(
	value: unknown,
	check: boolean
): Promise<{ status: number; text: string; error: unknown }> {
	let error: unknown = null;
	const server = createServer((_req, res) => {
		try {
			answer(res, 200, revealAnswer, value as never, check);
		} catch (err) {
			error = err;
			res.writeHead(500).end('Internal Server Error');
		}
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	try {
		const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
		return { status: res.status, text: await res.text(), error };
	} finally {
		await new Promise<void>((r) => server.close(() => r()));
	}
}

describe('answer(): the relay builds its answers with the wire schemas', () => {
	it('checks answers outside production', () => {
		expect(CHECK_ANSWERS).toBe(true);
	});

	it('sends a value that matches its schema', async () => {
		const ok = await ask({ idNumber: null, showSeconds: 30 }, true);
		expect(ok).toEqual({ status: 200, text: '{"idNumber":null,"showSeconds":30}', error: null });
	});

	it('refuses one that does not, naming the path but not the value', async () => {
		const secret = '410499201203040021';
		const bad = await ask({ idNumber: secret, showSeconds: '30' }, true);
		expect(bad.status).toBe(500);
		expect(bad.error).toBeInstanceOf(AnswerSchemaError);
		const message = (bad.error as Error).message;
		expect(message).toContain('showSeconds');
		expect(message).not.toContain(secret);
		// Unchecked (production), the typed value is sent as it is.
		expect((await ask({ idNumber: null, showSeconds: 30 }, false)).status).toBe(200);
	});
});
