/** Bytes as the storage line shows them: "850 MB", "1.2 GB" (binary units, as phones count). */
export function formatBytes(bytes: number): string {
	const mb = bytes / 1024 ** 2;
	if (mb < 1) return `${Math.max(0, Math.round(bytes / 1024))} KB`;
	if (mb < 1024) return `${mb < 10 ? mb.toFixed(1) : Math.round(mb)} MB`;
	const gb = mb / 1024;
	return `${gb < 10 ? gb.toFixed(1) : Math.round(gb)} GB`;
}
