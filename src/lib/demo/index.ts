/**
 * Demo and test data, never product logic: the demo district's authors (`DEMO_AUTHORS`, the
 * seeded accounts use the same ids), `CaseBuilder` (snapshots built event by event with
 * deterministic ids) and the sample cases of the rules demo (`/rules`, developer material, issue
 * 12). Only the rules demo page, the relay's demo seed (`server/seed*.ts`, never in production),
 * the tests and the benchmarks import this folder, each explicitly; nothing the app shell or the
 * rules engine imports may reach it (issue 13).
 */
export * from './authors';
export * from './case-builder';
export * from './samples';
