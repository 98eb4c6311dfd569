/** Generated cases for the rules benchmarks: the six Shilong closure walks padded to ~50 events. */
import { CLOSURE_PATHS, type CaseSnapshot } from '../src/lib/domain';
import { builtinCalendar } from '../src/lib/rules';
import { shilongClosedBy } from '../src/lib/demo';

/** Excused absences on the school days of early September 2025, to pad a case to ~50 events. */
function padding(): string[] {
	const cal = builtinCalendar();
	const terms = cal.termsFor(null);
	const days: string[] = [];
	for (let d = '2025-03-03'; days.length < 40; d = cal.addWorkingDays(d, 1)) {
		if (cal.isSchoolDay(d, terms)) days.push(d);
	}
	return days;
}

/** `count` cases of ~50 events, in timeline order (as a Y.Array mostly is). */
export function generate(count: number): CaseSnapshot[] {
	const pad = padding();
	const templates = CLOSURE_PATHS.map((p) => shilongClosedBy(p));
	const out: CaseSnapshot[] = [];
	for (let i = 0; i < count; i++) {
		const t = templates[i % templates.length] as CaseSnapshot;
		const first = t.events[0];
		if (!first) throw new Error('empty template');
		const extra = pad
			.filter((d) => d < first.date)
			.slice(0, 50 - t.events.length)
			.map((date, j) => ({
				...first,
				id: `p${i}-${j}`,
				date,
				excused: true,
				recordedAt: `${date}T07:00:00.000Z`
			}));
		out.push({ ...t, id: `bench-${i}`, events: [...extra, ...t.events] as CaseSnapshot['events'] });
	}
	return out;
}
