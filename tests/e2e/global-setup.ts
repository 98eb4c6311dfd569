import { markClockOrigin } from './clock';

/** Runs after the relay answers `/api/health`: starts the e2e timeline of the page clocks. */
export default function globalSetup(): void {
	markClockOrigin();
}
