// Imports people's accounts from a legacy system's export (原系统账户迁移). Each valid record
// either creates a platform account (level 1, the legacy hash kept until first sign-in),
// links to the account it already is (same mobile, no contradicting ID number or name), or
// is reported as a conflict for an operator to settle. Rules and reasons: docs/identity.md,
// "原系统账户迁移".
import type { Db, Tx } from '../../../platform/db/database.ts';
import { inTransaction } from '../../../platform/db/database.ts';
import { canonicalJson, recordAudit, type AuditActor } from '../../../platform/audit/audit.ts';
import type { PersonalDataCipher } from '../../../platform/crypto/personal-data.ts';
import { maskIdNumber, maskName } from '../../../platform/crypto/personal-data.ts';
import { emitEvent } from '../../../platform/jobs/outbox.ts';
import * as people from '../people/store.ts';
import * as store from './store.ts';
import { maskedOf, parseRecords, validateRecord, type ImportFormat, type ImportRecord, type ReportLine } from './records.ts';

export const IMPORT_BATCH_SIZE = 500;
export const SOURCE_SYSTEM_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export interface ImportOptions {
  /** The legacy system's short name, e.g. `js-zwfw-2019`: part of each record's identity. */
  source: string;
  format: ImportFormat;
  dryRun: boolean;
  actor: AuditActor;
  batchSize?: number;
}

export interface ImportResult {
  dryRun: boolean;
  total: number;
  created: number;
  linked: number;
  /** Imported by an earlier run with the same content: nothing to do. */
  unchanged: number;
  /** The same record again later in the same file. */
  duplicates: number;
  conflicts: number;
  invalid: number;
  report: ReportLine[];
}

type Outcome = { kind: 'created' | 'linked' | 'unchanged' | 'duplicate'; accountId?: string } | { kind: 'conflict'; reason: string };

/** State of one run across its batches: which rows already became which accounts. */
interface RunState {
  seen: Map<string, { row: number; digest: string }>;
  accountRows: Map<string, number>;
}

const DRY_RUN_ROLLBACK = Symbol('dry run');

export class AccountImporter {
  private readonly db: Db;
  private readonly cipher: PersonalDataCipher;
  private readonly nodeRegionCode: string;
  constructor(db: Db, cipher: PersonalDataCipher, nodeRegionCode: string) {
    this.db = db;
    this.cipher = cipher;
    this.nodeRegionCode = nodeRegionCode;
  }

  async run(text: string, options: ImportOptions): Promise<ImportResult> {
    if (!SOURCE_SYSTEM_PATTERN.test(options.source)) throw new Error(`invalid source system name: ${options.source}`);
    const sources = parseRecords(text, options.format);
    const result: ImportResult = { dryRun: options.dryRun, total: sources.length, created: 0, linked: 0, unchanged: 0, duplicates: 0, conflicts: 0, invalid: 0, report: [] };
    const valid: { record: ImportRecord; fields: Record<string, string> }[] = [];
    for (const source of sources) {
      const checked = validateRecord(source);
      if ('record' in checked) valid.push({ record: checked.record, fields: source.fields });
      else {
        result.invalid++;
        result.report.push({ row: source.row, sourceAccountId: (source.fields.sourceAccountId ?? '').trim().slice(0, 128), category: 'invalid', reason: checked.problems.join('；'), ...maskedOf(source.fields) });
      }
    }
    const size = options.batchSize ?? IMPORT_BATCH_SIZE;
    const state: RunState = { seen: new Map(), accountRows: new Map() };
    const batches = Array.from({ length: Math.ceil(valid.length / size) }, (_, i) => valid.slice(i * size, (i + 1) * size));
    const runBatches = async (tx: Tx) => {
      for (const [i, batch] of batches.entries()) await this.batch(tx, batch, i + 1, options, state, result);
    };
    if (options.dryRun) {
      // Every check runs against the database as it would evolve, then nothing is kept.
      await inTransaction(this.db, async (tx) => {
        await runBatches(tx);
        throw DRY_RUN_ROLLBACK;
      }).catch((err: unknown) => {
        if (err !== DRY_RUN_ROLLBACK) throw err;
      });
    } else {
      for (const [i, batch] of batches.entries()) await inTransaction(this.db, (tx) => this.batch(tx, batch, i + 1, options, state, result));
    }
    result.report.sort((a, b) => a.row - b.row);
    return result;
  }

  private async batch(tx: Tx, batch: { record: ImportRecord; fields: Record<string, string> }[], n: number, options: ImportOptions, state: RunState, result: ImportResult): Promise<void> {
    const counts = { created: 0, linked: 0, unchanged: 0, duplicates: 0, conflicts: 0 };
    for (const { record, fields } of batch) {
      const outcome = await this.importOne(tx, record, options.source, state);
      if (outcome.kind === 'conflict') {
        counts.conflicts++;
        result.report.push({ row: record.row, sourceAccountId: record.sourceAccountId, category: 'conflict', reason: outcome.reason, ...maskedOf(fields, record) });
      } else if (outcome.kind === 'duplicate') counts.duplicates++;
      else counts[outcome.kind]++;
      if (outcome.kind !== 'conflict' && outcome.accountId && !state.accountRows.has(outcome.accountId)) state.accountRows.set(outcome.accountId, record.row);
    }
    result.created += counts.created;
    result.linked += counts.linked;
    result.unchanged += counts.unchanged;
    result.duplicates += counts.duplicates;
    result.conflicts += counts.conflicts;
    // Counts only: the records themselves are in legacy_account_import and the evidence table.
    await recordAudit(tx, {
      actor: options.actor,
      action: 'citizen.legacy_import.batch',
      targetType: 'legacy_account_import',
      targetId: options.source,
      regionCode: this.nodeRegionCode,
      change: { source: options.source, batch: n, rows: batch.length, ...counts, dryRun: options.dryRun },
    });
  }

  /** Keyed digest of the normalised record: equal content, equal digest; reveals nothing. */
  private digest(r: ImportRecord): string {
    const { row: _row, ...content } = r;
    return this.cipher.blindIndex('mobile', `legacy-import|${canonicalJson(content)}`);
  }

  private where(state: RunState, accountId: string): string {
    const row = state.accountRows.get(accountId);
    return row ? `与本文件第 ${row} 行` : '与平台已有账户';
  }

  /** The ID-number and name indexes an account is already known by: verified, or claimed by earlier imports. */
  private async knownIdentity(tx: Tx, account: people.CitizenRow): Promise<{ ids: string[]; names: string[] }> {
    const claims = await store.claimsForAccount(tx, account.id);
    const ids = new Set(claims.idNumberIndexes);
    const names = new Set(claims.nameIndexes);
    if (account.idNumberSealed) ids.add(this.cipher.blindIndex('id_number', this.cipher.open('id_number', account.idNumberSealed)));
    if (account.nameSealed) names.add(this.cipher.blindIndex('name', this.cipher.open('name', account.nameSealed)));
    return { ids: [...ids], names: [...names] };
  }

  private async importOne(tx: Tx, r: ImportRecord, source: string, state: RunState): Promise<Outcome> {
    const digest = this.digest(r);
    const earlier = state.seen.get(r.sourceAccountId);
    if (earlier) {
      return earlier.digest === digest ? { kind: 'duplicate' } : { kind: 'conflict', reason: `原账户编号与本文件第 ${earlier.row} 行重复，但内容不同` };
    }
    state.seen.set(r.sourceAccountId, { row: r.row, digest });
    const prior = await store.findImport(tx, source, r.sourceAccountId);
    if (prior) {
      if (prior.contentDigest === digest) return { kind: 'unchanged', accountId: prior.accountId };
      return { kind: 'conflict', reason: '该原账户此前已导入，但本次内容不同；未作改动，请人工核对' };
    }

    const mobileIndex = this.cipher.blindIndex('mobile', r.mobile);
    const idIndex = r.idNumber ? this.cipher.blindIndex('id_number', r.idNumber) : null;
    const nameIndex = r.name ? this.cipher.blindIndex('name', r.name) : null;
    const byMobile = await people.findCitizenByMobile(tx, mobileIndex);
    let holder: string | null = null;
    if (idIndex) {
      holder = (await people.findCitizenByIdNumber(tx, idIndex))?.id ?? (await store.accountsClaimingIdNumber(tx, idIndex))[0] ?? null;
    }
    if (holder && !byMobile) return { kind: 'conflict', reason: `同一身份证号码对应不同手机号码（${this.where(state, holder)}）` };
    if (holder && byMobile && byMobile.id !== holder) {
      return { kind: 'conflict', reason: `身份证号码与手机号码分属两个不同账户（${this.where(state, holder)}；手机号码${this.where(state, byMobile.id)}）` };
    }

    let accountId: string;
    let outcome: 'created' | 'linked';
    if (byMobile) {
      const known = await this.knownIdentity(tx, byMobile);
      if (idIndex && known.ids.length > 0 && !known.ids.includes(idIndex)) {
        return { kind: 'conflict', reason: `同一手机号码对应不同身份证号码（${this.where(state, byMobile.id)}）` };
      }
      if (nameIndex && known.names.length > 0 && !known.names.includes(nameIndex)) {
        return { kind: 'conflict', reason: `同一手机号码对应不同姓名（${this.where(state, byMobile.id)}）` };
      }
      accountId = byMobile.id;
      outcome = 'linked';
    } else {
      accountId = await people.insertCitizen(tx, {
        mobileSealed: this.cipher.seal('mobile', r.mobile),
        mobileIndex,
        passwordHash: null,
        regionCode: this.nodeRegionCode,
        legacyHash: r.hash,
        legacyHashKind: r.hashKind,
      });
      outcome = 'created';
      await emitEvent(tx, { topic: 'identity.citizen.registered', payload: { accountId }, idempotencyKey: `identity.citizen.registered:${accountId}`, regionCode: this.nodeRegionCode });
    }
    await store.insertImport(tx, {
      sourceSystem: source,
      sourceAccountId: r.sourceAccountId,
      accountId,
      outcome,
      contentDigest: digest,
      mobileIndex,
      idNumberIndex: idIndex,
      idNumberSealed: r.idNumber ? this.cipher.seal('id_number', r.idNumber) : null,
      nameSealed: r.name ? this.cipher.seal('name', r.name) : null,
      nameIndex,
      claimedLevel: r.claimedLevel,
    });
    // The claim is recorded, never granted: the account stays at level 1 until the person
    // passes a real check on this platform.
    await people.insertEvidence(tx, {
      accountId,
      level: 1,
      method: 'legacy_claim',
      reference: `${source}:${r.sourceAccountId}`,
      details: { source, sourceAccountId: r.sourceAccountId, claimedLevel: r.claimedLevel, idNumber: r.idNumber ? maskIdNumber(r.idNumber) : null, name: r.name ? maskName(r.name) : null, outcome },
      regionCode: byMobile?.regionCode ?? this.nodeRegionCode,
    });
    return { kind: outcome, accountId };
  }
}
