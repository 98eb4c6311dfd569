// The quarterly report (S-5) and the term ledger (台账): pure functions over case snapshots. The
// xlsx writers (`./xlsx`) are not exported here, so the app never bundles exceljs.
export * from './period';
export * from './facts';
export * from './quarterly';
export * from './ledger';
export * from './org-work';
