import { isRealDate, parseSnapshot, type CaseSnapshot, type InputError } from '../domain';
import type { Bilingual, Evaluation } from '../rules/types';

/** A ready-made case the evaluator offers (shape of `sampleCases` in `$lib/demo`). */
export interface SampleCase {
	id: string;
	title: Bilingual;
	snapshot: CaseSnapshot;
	today: string;
}

/** The rules' entry point, injected so the manager can be driven by a stub in tests. */
export type EvaluateFn = (snapshot: CaseSnapshot, today: string) => Evaluation;

/** What the pasted text turned out to be. */
export type SnapshotInput =
	| { kind: 'empty' }
	| { kind: 'json'; detail: string }
	| { kind: 'invalid'; errors: InputError[] }
	| { kind: 'ok'; snapshot: CaseSnapshot };

/** What the evaluator can show for the current input and date. */
export type EvaluationResult =
	| { kind: 'none' }
	| { kind: 'bad-date' }
	| { kind: 'error'; detail: string }
	| { kind: 'ok'; evaluation: Evaluation };

/** Reads the textarea: JSON syntax first, then the snapshot schema with path-level errors. */
export function readSnapshot(text: string): SnapshotInput {
	if (text.trim() === '') return { kind: 'empty' };
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (e) {
		return { kind: 'json', detail: e instanceof Error ? e.message : String(e) };
	}
	const parsed = parseSnapshot(value);
	return parsed.ok
		? { kind: 'ok', snapshot: parsed.value }
		: { kind: 'invalid', errors: parsed.errors };
}

/**
 * State of the case evaluator page: which sample is loaded, the snapshot text, the date.
 * Parsing and evaluation are derived, so the page never holds a stale result.
 */
export class Evaluator {
	readonly samples: readonly SampleCase[];
	readonly #evaluate: EvaluateFn;

	sampleId = $state('');
	today = $state('');
	text = $state('');

	input: SnapshotInput = $derived(readSnapshot(this.text));

	result: EvaluationResult = $derived.by(() => {
		if (this.input.kind !== 'ok') return { kind: 'none' };
		if (!isRealDate(this.today)) return { kind: 'bad-date' };
		try {
			return { kind: 'ok', evaluation: this.#evaluate(this.input.snapshot, this.today) };
		} catch (e) {
			// The rules return refusals as data; a throw here is a bug, shown rather than a blank page.
			return { kind: 'error', detail: e instanceof Error ? e.message : String(e) };
		}
	});

	constructor(samples: readonly SampleCase[], evaluate: EvaluateFn) {
		this.samples = samples;
		this.#evaluate = evaluate;
		const first = samples[0];
		if (first) this.selectSample(first.id);
	}

	/** Loads a sample: its snapshot into the text box and its own "today". */
	selectSample(id: string): void {
		const sample = this.samples.find((s) => s.id === id);
		if (!sample) return;
		this.sampleId = sample.id;
		this.today = sample.today;
		this.text = JSON.stringify(sample.snapshot, null, 2);
	}
}
