import { expect, test } from './fixtures';
import { apiToken, entries, loggedIn, newCase, openCase, record } from './app-helpers';

test.describe.configure({ timeout: 120_000 });

test('edit history: view a case as of an earlier update, then restore it with amendments', async ({
	browser,
	request
}) => {
	const id = await newCase(request, '历史学生');
	const page = await loggedIn(browser, 'school1');
	await openCase(page, id);
	// The last two school days up to the e2e day: Monday 2025-10-20 and Tuesday 2025-10-21.
	const [first, second] = ['2025-10-20', '2025-10-21'];
	for (const day of [first, second]) {
		await record(page, 'absence', async (d) => {
			await d.getByLabel('日期').fill(day);
		});
	}
	await expect(page.getByText('已与服务器同步').first()).toBeVisible();

	await page.getByRole('link', { name: '编辑历史与恢复' }).click();
	await expect(page.getByRole('heading', { level: 1, name: '编辑历史' })).toBeVisible();
	const list = page.locator('ol.entries > li');
	await expect(list.filter({ hasText: '建立案件' })).toHaveCount(1);
	await expect(list.filter({ hasText: '新增 缺勤' })).toHaveCount(2);

	// As of the creation: no events at all.
	await list
		.filter({ hasText: '建立案件' })
		.getByRole('button', { name: '查看此时的案件' })
		.click();
	const asOf = page.locator('section.as-of');
	await expect(asOf.getByText('共 0 条记录')).toBeVisible();
	await expect(asOf.locator('li[data-type="absence"]')).toHaveCount(0);

	// As of the first absence (the oldest absence entry is the last in the newest-first list).
	await list
		.filter({ hasText: `新增 缺勤（${first}）` })
		.getByRole('button', { name: '查看此时的案件' })
		.click();
	await expect(asOf.getByText('共 1 条记录')).toBeVisible();
	await expect(asOf.locator('li[data-type="absence"]')).toHaveCount(1);

	// Restore: the second absence is withdrawn by a new amendment; nothing is deleted.
	await expect(asOf.getByText('撤回此后新增的记录：缺勤')).toBeVisible();
	await asOf.getByRole('button', { name: '追加更正并恢复' }).click();
	await expect(asOf.getByText('已追加 1 条更正。')).toBeVisible();

	const token = await apiToken(request, 'school1');
	await expect
		.poll(async () => {
			const snap = (await (
				await request.get(`/api/cases/${id}`, { headers: { authorization: `Bearer ${token}` } })
			).json()) as { events: { type: string; retract?: boolean }[] };
			return snap.events.map((e) => (e.type === 'amend' ? `amend:${String(e.retract)}` : e.type));
		})
		.toEqual(['absence', 'absence', 'amend:true']);
	await openCase(page, id);
	await expect(entries(page, 'absence')).toHaveCount(2);
	await page.context().close();
});
