/** ISO 7064 MOD 11-2 check character of the first 17 digits of a resident ID number. */
export function checkChar(first17: string): string {
	const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
	let sum = 0;
	for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (w[i] ?? 0);
	return '10X98765432'[sum % 11] ?? '';
}

/** A valid ID number of region 410402 for a birth date (YYYY-MM-DD) and a 3-digit sequence number. */
export function idNumber(birthDate: string, seq: number): string {
	const first17 = `410402${birthDate.replaceAll('-', '')}${String(seq).padStart(3, '0')}`;
	return first17 + checkChar(first17);
}
