import { login, startRelay } from './tests/integration/relay-harness';
import { caseListAnswer } from './src/lib/protocol/cases';
import { caseListGuard } from './src/lib/protocol/guards';

const t = await startRelay();
const token = await login(t, 'bureau1');
const time = async (n: number, f: () => unknown) => {
	const s = performance.now();
	for (let i = 0; i < n; i++) await f();
	return (performance.now() - s) / n;
};
const fetchList = async () =>
	(await fetch(`${t.url}/api/cases`, { headers: { authorization: `Bearer ${token}` } })).text();
await time(5, fetchList);
const req = await time(30, fetchList);
const body = JSON.parse(await fetchList());
const rows = body.cases.length;
const parse = await time(200, () => caseListAnswer.parse(body));
const guard = await time(200, () => caseListGuard.safeParse(body));
const big = { ...body, cases: Array.from({ length: 50 }, () => body.cases).flat() };
const parseBig = await time(20, () => caseListAnswer.parse(big));
const strBig = await time(20, () => JSON.stringify(big));
console.log(JSON.stringify({ env: process.env.NODE_ENV ?? null, rows, requestMs: req.toFixed(2), parseMs: parse.toFixed(3), guardMs: guard.toFixed(3), rowsBig: big.cases.length, parseBigMs: parseBig.toFixed(1), stringifyBigMs: strBig.toFixed(1) }));
await t.dispose();
