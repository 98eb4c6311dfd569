import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import type { TokenClaims, TokenService } from '../auth/tokens';
import type { Storage } from '../storage/types';
import { sendJson } from './static-files';

export type Message = { zh: string; en: string };

/**
 * Whether the relay parses each answer with its wire schema before sending it (issue 13). The
 * value is typed with the schema everywhere (`answer`); parsing too costs time on the large
 * answers (the case list), so it is done in development and tests, not in production
 * (`NODE_ENV=production`; README "The wire"), unless `RELAY_CHECK_ANSWERS=1` asks for it.
 */
export const CHECK_ANSWERS =
	process.env['RELAY_CHECK_ANSWERS'] === '1' || process.env['NODE_ENV'] !== 'production';

/** An answer that does not match its schema: a bug of the relay, answered 500 and logged. */
export class AnswerSchemaError extends Error {
	constructor(readonly issues: readonly { path: PropertyKey[]; message: string }[]) {
		super(
			`answer does not match its schema: ${issues
				.slice(0, 3)
				.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
				.join('; ')}`
		);
		this.name = 'AnswerSchemaError';
	}
}

/**
 * Sends `value` as the JSON answer of the route whose wire schema is `schema`
 * (src/lib/protocol): the value is typed with the schema, and checked by it when
 * `CHECK_ANSWERS` (an answer that does not match throws, so tests fail on it; no personal data
 * in the message: paths and zod's sentence only).
 */
export function answer<S extends z.ZodType>(
	res: ServerResponse,
	status: number,
	schema: S,
	value: z.input<S>,
	check = CHECK_ANSWERS
): void {
	if (check) {
		const r = schema.safeParse(value);
		if (!r.success)
			throw new AnswerSchemaError(
				r.error.issues.map((i) => ({ path: i.path, message: i.message }))
			);
	}
	sendJson(res, status, value);
}
export const fail = (
	res: ServerResponse,
	status: number,
	code: string,
	message: Message,
	extra = {}
) => sendJson(res, status, { error: code, message, ...extra });

export const MSG = {
	unauthorized: { zh: '请先登录', en: 'please log in' },
	badLogin: { zh: '用户名或密码错误', en: 'wrong username or password' },
	throttled: { zh: '尝试次数过多，请一分钟后再试', en: 'too many attempts; try again in a minute' },
	forbidden: { zh: '无权查看此案件', en: 'you may not see this case' },
	notFound: { zh: '没有这个案件', en: 'no such case' },
	noVersion: { zh: '此案件没有这个历史版本', en: 'this case has no such version' },
	noRoute: { zh: '没有这个接口', en: 'no such endpoint' },
	badJson: { zh: '请求内容不是有效的 JSON', en: 'the request body is not valid JSON' },
	tooLarge: { zh: '请求内容过大', en: 'the request body is too large' },
	cannotCreate: {
		zh: '只有学校或区教体局可以新建案件',
		en: 'only schools and the bureau create cases'
	},
	invalid: { zh: '填写的内容有误', en: 'some fields are invalid' },
	notJson: {
		zh: '请求内容必须是 JSON（Content-Type: application/json）',
		en: 'the request body must be JSON (Content-Type: application/json)'
	}
} satisfies Record<string, Message>;

export class HttpError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		readonly msg: Message
	) {
		super(code);
	}
}

/**
 * The JSON body of a request, refused past `limit` bytes (413). Only `application/json` is read
 * (415 otherwise): a page of another site may send a form or text/plain without a CORS
 * preflight, never JSON, so no such request reaches a handler.
 */
export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
	const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
	if (type !== 'application/json') throw new HttpError(415, 'unsupported-media-type', MSG.notJson);
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req as AsyncIterable<Buffer>) {
		size += chunk.length;
		if (size > limit) throw new HttpError(413, 'too-large', MSG.tooLarge);
		chunks.push(chunk);
	}
	try {
		return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
	} catch {
		throw new HttpError(400, 'bad-json', MSG.badJson);
	}
}

/** The user of a request's Bearer token; 401 for a missing, bad or expired token or a disabled user. */
export async function authenticate(
	req: IncomingMessage,
	tokens: TokenService,
	storage: Storage
): Promise<TokenClaims> {
	const header = req.headers.authorization ?? '';
	const token = header.startsWith('Bearer ') ? header.slice(7) : '';
	const claims = token ? await tokens.verify(token) : null;
	if (!claims) throw new HttpError(401, 'unauthorized', MSG.unauthorized);
	const user = await storage.getUser(claims.userId);
	if (!user || user.disabled) throw new HttpError(401, 'unauthorized', MSG.unauthorized);
	return claims;
}

/**
 * A group of `/api/*` routes beside the case routes (reports, roster, …): answers the request
 * and returns true, or returns false when the path is not one of its own.
 */
export type SubApi = (
	req: IncomingMessage,
	res: ServerResponse,
	pathname: string,
	user: TokenClaims
) => Promise<boolean>;
