import { expect, test } from './fixtures';
import { apiToken, entries, loggedIn, newCase, openCase, record } from './app-helpers';

test.describe.configure({ timeout: 120_000 });

/**
 * The last five school days up to the e2e day, Tuesday 2025-10-21, oldest first: back from
 * 10-21 (Tue), 10-20 (Mon), the weekend 10-18/19, 10-17 (Fri), 10-16 (Thu), 10-15 (Wed).
 */
const FIVE_SCHOOL_DAYS = ['2025-10-15', '2025-10-16', '2025-10-17', '2025-10-20', '2025-10-21'];

test('1. school1 records absences and persuasion; street1 sees them live and serves the notice, which school1 sees', async ({
	browser,
	request
}) => {
	const id = await newCase(request, '流程学生');
	const school = await loggedIn(browser, 'school1');
	const street = await loggedIn(browser, 'street1', { width: 1280, height: 800 });
	await openCase(school, id);
	await openCase(street, id);

	// S-4a/S-4b: five unexcused school days.
	for (const day of FIVE_SCHOOL_DAYS) {
		await record(school, 'absence', async (d) => {
			await d.getByLabel('日期').fill(day);
		});
	}
	await expect(entries(street, 'absence')).toHaveCount(5); // no reload
	await record(school, 'suspected_case_opened', async (d) => {
		await d.getByLabel('责任人（专人）').fill('王老师');
	});
	for (const mode of ['电话', '家访', '面谈']) {
		await record(school, 'persuasion_attempt', async (d) => {
			await d.getByLabel('方式').selectOption({ label: mode });
			await d.getByLabel('结果').selectOption({ label: '拒绝返校' });
		});
	}
	await expect(entries(street, 'persuasion_attempt')).toHaveCount(3);
	await record(school, 'dropout_file_created', async (d) => {
		await d.getByLabel('辍学原因').selectOption({ label: '外出打工' });
	});
	await record(school, 'written_report', async (d) => {
		await d.getByRole('checkbox', { name: '街道办事处' }).check();
		await d.getByRole('checkbox', { name: '区教体局' }).check();
	});

	// S-8: the street office serves the notice; the return-by date is computed by the rules.
	await expect(street.locator('button[data-action="deadline_notice_issued"]')).toBeVisible();
	await record(street, 'deadline_notice_issued', async (d) => {
		await d.getByLabel('通知书编号').fill('示范街限〔2025〕1号');
		await d.getByLabel('送达对象（监护人）').fill('流程学生家长');
	});
	await expect(entries(school, 'deadline_notice_issued')).toHaveCount(1);

	const token = await apiToken(request, 'bureau1');
	const snap = (await (
		await request.get(`/api/cases/${id}`, { headers: { authorization: `Bearer ${token}` } })
	).json()) as {
		events: { type: string }[];
	};
	expect(snap.events.map((e) => e.type)).toEqual(
		expect.arrayContaining([
			'absence',
			'suspected_case_opened',
			'persuasion_attempt',
			'written_report',
			'deadline_notice_issued'
		])
	);
	await school.context().close();
	await street.context().close();
});

test('3. school2 can neither see nor open school1’s case', async ({ browser, request }) => {
	const id = await newCase(request, '保密学生');
	const page = await loggedIn(browser, 'school2');
	await expect(page.getByRole('heading', { level: 1, name: '案件列表' })).toBeVisible();
	await expect(page.getByText('保密学生')).toHaveCount(0);
	await openCase(page, id);
	await expect(page.getByText('无权查看此案件')).toBeVisible();
	await expect(page.getByText('保密学生')).toHaveCount(0);
	await page.context().close();
});

test('4. police1 on a case without a joint team has no persuasion actions', async ({
	browser,
	request
}) => {
	const id = await newCase(request, '无联合组学生');
	const page = await loggedIn(browser, 'police1');
	await openCase(page, id);
	await expect(page.getByText('无权查看此案件')).toBeVisible();
	await expect(page.locator('button[data-action="persuasion_attempt"]')).toHaveCount(0);
	await expect(page.locator('button[data-action="joint_persuasion_attempt"]')).toHaveCount(0);
	// On a demo case whose team includes police, police may record joint persuasion, never the school's.
	await page.goto('/');
	const row = page.locator('a[href^="/cases/"]').first();
	await expect(row).toBeVisible();
	await row.click();
	await expect(
		page
			.locator('button[data-action="joint_persuasion_attempt"]')
			.or(page.getByText('已销号').first())
	).toBeVisible();
	await expect(page.locator('button[data-action="persuasion_attempt"]')).toHaveCount(0);
	await page.context().close();
});
