import { expect, test } from './fixtures';
import { entries, loggedIn, newCase, openCase } from './app-helpers';

test.describe.configure({ timeout: 120_000 });

/**
 * B-5 (一家一案，一生一案; Bishan seed 三(一)3): two sibling cases are linked as one family from
 * one case's page, on a 360 px phone; the family plan typed on one case is what the sibling's
 * case shows to another user; the case list groups the siblings with 「按家庭分组」. Each
 * sibling keeps their own timeline (the link is one event on each). No dates are computed.
 */
test('[B-5] school1 links two siblings, types the family plan on one; street1 sees it on the other; the list groups by family', async ({
	browser,
	request
}) => {
	const elder = await newCase(request, '家庭姐姐');
	const younger = await newCase(request, '家庭弟弟');
	const school = await loggedIn(browser, 'school1');
	// The list (and so the sibling picker) knows both new cases once it has refreshed.
	await expect(school.getByRole('link', { name: '家庭弟弟' })).toBeVisible();
	await openCase(school, elder);

	const panel = school.locator('section#family');
	await expect(panel.getByText('本案尚未关联家庭。')).toBeVisible();
	await panel.getByLabel('同一家庭的另一名学生').selectOption(younger);
	await panel.getByRole('button', { name: '加入家庭' }).click();
	await expect(panel.getByRole('link', { name: '家庭弟弟' })).toBeVisible({ timeout: 15_000 });
	await expect(panel.getByText('家庭姐姐（本案）')).toBeVisible();
	// The shared guardian is the elder's, by name and relation only.
	await expect(panel.getByText('家庭姐姐家长（父亲）')).toBeVisible();
	await expect(entries(school, 'family_linked')).toHaveCount(1);

	const plan = school.locator('#family-plan-text');
	await plan.fill('姐弟同日返校，班主任每周家访一次。');

	// Another user on the sibling's case sees the one family plan.
	const street = await loggedIn(browser, 'street1');
	await expect(street.getByRole('link', { name: '家庭姐姐' })).toBeVisible();
	await openCase(street, younger);
	const other = street.locator('section#family');
	await expect(other.locator('#family-plan-text')).toHaveValue(
		'姐弟同日返校，班主任每周家访一次。',
		{ timeout: 15_000 }
	);
	await expect(other.getByRole('link', { name: '家庭姐姐' })).toBeVisible();
	await expect(entries(street, 'family_linked')).toHaveCount(1);
	// Each sibling keeps its own plan: the case's plan is not the family's.
	await expect(street.locator('#plan-text')).toHaveValue('');

	// The street edits the family plan; the school sees it on the elder's case.
	await other.locator('#family-plan-text').fill('姐弟同日返校，班主任每周家访一次。街道协调低保。');
	await expect(plan).toHaveValue('姐弟同日返校，班主任每周家访一次。街道协调低保。', {
		timeout: 15_000
	});

	// 按家庭分组: the siblings in one group, the demo sisters (demo-03, demo-06) in another.
	await school.goto('/');
	await school.getByLabel('按家庭分组').check();
	const group = school.locator('section.family', {
		has: school.getByRole('link', { name: '家庭姐姐' })
	});
	await expect(group.getByRole('link', { name: '家庭弟弟' })).toBeVisible();
	await expect(group.getByRole('heading', { name: '家庭（2 名子女）' })).toBeVisible();
	const demo = school.locator('section.family', {
		has: school.getByRole('link', { name: '张一诺' })
	});
	await expect(demo.getByRole('link', { name: '张欣怡' })).toBeVisible();
	await expect(school.locator('section.family[data-family=""]').getByRole('heading')).toHaveText(
		'未关联家庭'
	);
	const width = await school.evaluate(() => document.documentElement.scrollWidth);
	expect(width).toBeLessThanOrEqual(360);
});
