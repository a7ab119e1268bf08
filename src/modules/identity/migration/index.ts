// Account migration from legacy systems (原系统账户迁移), reached through identity/index.ts.
export { verifyLegacyHash, normaliseLegacyHash, type LegacyHashKind } from './legacy.ts';
export { AccountImporter, IMPORT_BATCH_SIZE, type ImportOptions, type ImportResult } from './importer.ts';
export { reportCsv } from './report.ts';
export { accountMigrationCommands } from './cli.ts';
