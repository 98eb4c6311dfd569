/** One series of a chart: a value per category, drawn in one colour (and dash, for lines). */
export interface ChartSeries {
	key: string;
	label: string;
	/** A colour with ≥ 3:1 contrast against white (WCAG 1.4.11); see `CHART_COLORS`. */
	color: string;
	values: number[];
	/** SVG stroke-dasharray for line charts, so series differ by more than colour. */
	dash?: string;
}

/**
 * Chart colours, each ≥ 4.5:1 against white, and told apart by more than hue (the tables next
 * to every chart carry the same numbers).
 */
export const CHART_COLORS = {
	blue: '#1d4ed8',
	red: '#b91c1c',
	amber: '#92400e',
	green: '#047857',
	violet: '#6d28d9',
	slate: '#374151'
} as const;

/** Upper end of a value axis: the maximum rounded up to a "nice" number, at least 1. */
export function niceMax(max: number): number {
	if (max <= 1) return 1;
	const p = 10 ** Math.floor(Math.log10(max));
	for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= max) return m * p;
	return 10 * p;
}
