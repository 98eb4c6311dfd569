/** How long a revealed ID number stays on screen before it is hidden again (issue 11). */
export const REVEAL_SECONDS = 30;

/** What became of a reveal: shown, refused or offline (`failed`), or hidden before it came. */
export type RevealOutcome = 'shown' | 'failed' | 'stale';

/**
 * A full ID number on screen for a short time only (issue 11): `run` asks the relay (which
 * audits the reveal) and shows the answer for `seconds`, counting down; `hide` takes it away at
 * once (the button, the page hidden, the panel gone). An answer that arrives after `hide` is
 * dropped. The time left is counted from the clock, not from the ticks, so a throttled
 * background timer never keeps the number on screen longer.
 */
export class TimedReveal {
	/** The full number while it is shown, else null. */
	value = $state<string | null>(null);
	/** Whole seconds until it is hidden (0 when nothing is shown). */
	secondsLeft = $state(0);
	#until = 0;
	#timer: ReturnType<typeof setInterval> | null = null;
	/** Bumped by every `run` and `hide`: a late answer of an older run is dropped. */
	#generation = 0;

	constructor(
		private readonly seconds = REVEAL_SECONDS,
		private readonly now: () => number = () => Date.now()
	) {}

	async run(fetch: () => Promise<string | null>): Promise<RevealOutcome> {
		const generation = ++this.#generation;
		const value = await fetch();
		if (generation !== this.#generation) return 'stale';
		if (value === null) return 'failed';
		this.#stop();
		this.value = value;
		this.#until = this.now() + this.seconds * 1000;
		this.secondsLeft = this.seconds;
		this.#timer = setInterval(() => this.#tick(), 250);
		return 'shown';
	}

	hide(): void {
		this.#generation++;
		this.#stop();
		this.value = null;
		this.secondsLeft = 0;
	}

	#tick(): void {
		const left = Math.ceil((this.#until - this.now()) / 1000);
		if (left <= 0) this.hide();
		else this.secondsLeft = left;
	}

	#stop(): void {
		if (this.#timer !== null) clearInterval(this.#timer);
		this.#timer = null;
	}
}
