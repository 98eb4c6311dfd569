import { expect, test } from './fixtures';
import { apiToken, loggedIn } from './app-helpers';

test.describe.configure({ timeout: 90_000 });

test('new case: school1 fills the form, names the community from the directory; community1 may then open the case', async ({
	browser,
	request
}) => {
	const page = await loggedIn(browser, 'school1');
	await page.locator('a[href="/cases/new"]').click();
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
	const student = page.getByRole('group', { name: '学生信息' });
	await student.getByLabel('姓名').fill('表单学生');
	await student.getByLabel('性别').selectOption({ label: '男' });
	await student.getByLabel('出生日期').fill('2012-09-15');
	await student.getByLabel('学籍号').fill('G410402201209150015');
	await student.getByLabel('年级', { exact: true }).selectOption({ label: '7 年级' });
	const guardian = page.getByRole('group', { name: '监护人' });
	await guardian.getByLabel('姓名').fill('表单家长');
	await guardian.getByLabel('关系').fill('母亲');
	// The community picker lists the communities of the school's street (新华街道), not others.
	const community = page.getByLabel('社区（居委会/村委会）');
	await expect(community.locator('option', { hasText: '新华街道幸福社区居委会' })).toHaveCount(1);
	await expect(community.locator('option', { hasText: '光明街道和平社区居委会' })).toHaveCount(0);
	await community.selectOption({ label: '新华街道幸福社区居委会' });
	await page.getByRole('button', { name: '新建案件' }).click();
	await page.waitForURL(/\/cases\/case-/);
	const id = new URL(page.url()).pathname.split('/').pop() ?? '';
	await expect(page.getByRole('heading', { level: 1, name: '表单学生' })).toBeVisible();

	const asCommunity = await request.get(`/api/cases/${id}`, {
		headers: { authorization: `Bearer ${await apiToken(request, 'community1')}` }
	});
	expect(asCommunity.status()).toBe(200);
	const snap = (await asCommunity.json()) as { orgs: { communityId?: string } };
	expect(snap.orgs.communityId).toBe('org-community1');
	await page.context().close();
});
