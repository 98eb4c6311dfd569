// Checks one roster file on its own thread (see worker.ts): 50,000 rows take 0.7–2.7 s of CPU
// and the parse holds every row, which must stay off the relay's event loop and its heap. The
// file comes from disk and the valid rows go back to disk; only a summary is posted back.
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

// In the server build a bundled `roster.mjs` lies beside this file (scripts/build-server.mjs);
// in the source tree (tests, admin) the TypeScript is loaded through tsx.
const bundled = new URL('./roster.mjs', import.meta.url);
const { parseRosterFile } = existsSync(bundled)
	? await import(bundled.href)
	: await (await import('tsx/esm/api')).tsImport('./index.ts', import.meta.url);
const { uploadPath, rowsPath, ctx, fields, maxErrors, sampleRows } = workerData;
try {
	const parsed = await parseRosterFile(new Uint8Array(readFileSync(uploadPath)), ctx);
	const bySchool = {};
	for (const s of parsed.students) bySchool[s.schoolId] = (bySchool[s.schoolId] ?? 0) + 1;
	// Rows are kept only for a file without errors: one with errors is never imported.
	// Written a thousand rows at a time: one JSON string of every row would double the peak.
	if (parsed.errors.length === 0) {
		const fd = openSync(rowsPath, 'wx', 0o600);
		try {
			const { students } = parsed;
			for (let i = 0; i < students.length; i += 1000) {
				const chunk = students
					.slice(i, i + 1000)
					.map((s) => JSON.stringify(fields.map((f) => s[f])));
				writeSync(fd, `${i === 0 ? '[' : ','}${chunk.join(',')}`);
			}
			writeSync(fd, students.length === 0 ? '[]' : ']');
		} finally {
			closeSync(fd);
		}
	}
	parentPort.postMessage({
		ok: true,
		value: {
			kind: parsed.kind,
			dataRows: parsed.dataRows,
			valid: parsed.students.length,
			errorCount: parsed.errors.length,
			errors: parsed.errors.slice(0, maxErrors),
			sample: parsed.students.slice(0, sampleRows),
			bySchool
		}
	});
} catch (err) {
	parentPort.postMessage({ ok: false, message: String(err?.message ?? err) });
}
