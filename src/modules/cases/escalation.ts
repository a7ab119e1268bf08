// 督办: cases still in review past their promised date are escalated, level 1 on the first red
// day and level 2 once past the legal limit. The unique (case, level) row makes every run — on
// any node, any number of times a day — escalate each case at most once per level. The same
// timer sweeps orphaned uploads from the file store.
import { inTransaction, type Db, type Queryable } from '../../platform/db/database.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { emitEvent } from '../../platform/jobs/outbox.ts';
import { fileStoreFromConfig, sweepOrphans, type FileStore } from '../../platform/files/index.ts';
import type { AppContext } from '../../platform/module.ts';
import { notify } from '../notifications/index.ts';
import { shanghaiDay } from './case-number.ts';
import * as store from './store.ts';
import * as sv from './supervision-store.ts';
import { draftReferencesFile } from './citizen/store.ts';
import { chaseCommitments, type ApplicantMessenger } from './commitments.ts';

const SYSTEM = { kind: 'system' as const, id: 'case-escalation' };
export const ESCALATION_LEVELS = { 1: '一级督办（超过承诺时限）', 2: '二级督办（超过法定时限）' } as const;

/** Tells a staff member in the escalation's transaction (the platform's in-site messages). */
export type StaffNotifier = (tx: Queryable, staffId: string, message: { regionCode: string; title: string; body: string; link: string }) => Promise<void>;

export function todayInShanghai(): string {
  const d = shanghaiDay();
  return `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}`;
}

/** One run: returns the escalations it recorded (none for those an earlier run recorded). */
export async function escalateOverdue(db: Db, options: { today: string; notifyStaff?: StaffNotifier; limit?: number }): Promise<{ caseId: string; level: 1 | 2 }[]> {
  const done: { caseId: string; level: 1 | 2 }[] = [];
  const candidates = await sv.overdueInReview(db, options.today, options.limit ?? 1000);
  for (const c of candidates) {
    const levels: (1 | 2)[] = c.legal_due_on && c.legal_due_on < options.today ? [1, 2] : [1];
    for (const level of levels) {
      // One transaction per escalation: a failure stops at one case, and a rerun resumes there.
      const recorded = await inTransaction(db, async (tx) => {
        const row = await store.findCase(tx, c.id, true);
        // Decided, suspended or transferred since the list was read: look again next run.
        if (!row || row.state !== 'in_review' || !row.due_on || row.due_on >= options.today) return false;
        const missed = level === 1 ? row.due_on : row.legal_due_on!;
        const inserted = await sv.insertEscalation(tx, { case_id: row.id, level, region_code: row.region_code, org_id: row.org_id, due_on: missed, escalated_on: options.today });
        if (!inserted) return false;
        await store.insertEvent(tx, { caseId: row.id, action: 'escalate', fromState: row.state, toState: row.state, actorKind: 'system', actorId: SYSTEM.id, note: ESCALATION_LEVELS[level], data: { level, dueOn: missed }, public: false, regionCode: row.region_code });
        await recordAudit(tx, { actor: SYSTEM, action: 'case.escalate', targetType: 'service_case', targetId: row.id, regionCode: row.region_code, change: { level, dueOn: missed, orgId: row.org_id } });
        await emitEvent(tx, { topic: 'case.escalated', payload: { caseId: row.id, caseNumber: row.case_number, level, orgId: row.org_id, dueOn: missed }, idempotencyKey: `case.escalated:${row.id}:${level}`, regionCode: row.region_code });
        if (options.notifyStaff) {
          for (const staffId of await sv.staffWhoActed(tx, row.id)) {
            await options.notifyStaff(tx, staffId, {
              regionCode: row.region_code.slice(0, 6),
              title: `督办：${row.item_name}`,
              body: `办件 ${row.case_number}（${row.item_name}）已超过${level === 1 ? '承诺' : '法定'}办结时限（${missed}），已列入${ESCALATION_LEVELS[level]}，请尽快办理。`,
              link: `/staff/cases/${row.id}`,
            });
          }
        }
        return true;
      });
      if (recorded) done.push({ caseId: c.id, level });
    }
  }
  return done;
}

/** In-site messages to staff through the notifications capability. */
export function staffNotifier(ctx: Pick<AppContext, 'config'>): StaffNotifier {
  return async (tx, staffId, m) => {
    await notify(ctx, tx, { recipient: { kind: 'staff', accountId: staffId }, regionCode: m.regionCode, topic: 'case.escalated', title: m.title, body: m.body, link: m.link });
  };
}

/** Uploads no case material and no unsent draft refers to, older than the grace period, are deleted. */
export async function sweepCaseFiles(db: Db, files: FileStore, graceMs: number) {
  if (!files.list) return { scanned: 0, deleted: [] as string[] };
  return sweepOrphans(files, async (sha) => (await store.fileReferenced(db, sha)) || (await draftReferencesFile(db, sha)), new Date(Date.now() - graceMs));
}

export interface CaseSchedules {
  /** Runs both jobs now (also what the timer does). */
  runOnce(): Promise<void>;
  stop(): Promise<void>;
}

export const ESCALATION_EVERY_MS = 60 * 60_000;
/** A day: an upload is referenced within seconds of being stored, so a day is ample. */
export const ORPHAN_GRACE_MS = 24 * 60 * 60_000;

/**
 * The periodic case work: 督办 and the orphan sweep. Hourly by default, so the first red day is
 * caught within the hour after midnight; both jobs are idempotent, so every node may run them.
 */
export function startCaseSchedules(ctx: Pick<AppContext, 'db' | 'config' | 'log'>, options: { everyMs?: number; graceMs?: number; tellApplicant?: ApplicantMessenger } = {}): CaseSchedules {
  const files = fileStoreFromConfig(ctx.config);
  let running: Promise<void> | null = null;
  const runOnce = () =>
    (running ??= (async () => {
      try {
        const escalated = await escalateOverdue(ctx.db, { today: todayInShanghai(), notifyStaff: staffNotifier(ctx) });
        if (escalated.length) ctx.log.info({ escalated: escalated.length }, 'overdue cases escalated (督办)');
      } catch (err) {
        ctx.log.warn({ err }, 'case escalation failed');
      }
      try {
        const notifyStaff = staffNotifier(ctx);
        const chased = await chaseCommitments(ctx.db, {
          today: todayInShanghai(),
          ...(options.tellApplicant ? { tellApplicant: options.tellApplicant } : {}),
          tellStaff: (tx, staffId, row) => notifyStaff(tx, staffId, { regionCode: row.region_code.slice(0, 6), title: `容缺材料逾期：${row.item_name}`, body: `办件 ${row.case_number} 的容缺材料承诺期限（${row.commitment_due_on}）已过，申请人尚未补齐，已提醒申请人。`, link: `/staff/cases/${row.id}` }),
        });
        if (chased.length) ctx.log.info({ chased: chased.length }, '容缺 promises past their date chased');
      } catch (err) {
        ctx.log.warn({ err }, 'chasing 容缺 promises failed');
      }
      try {
        const swept = await sweepCaseFiles(ctx.db, files, options.graceMs ?? ORPHAN_GRACE_MS);
        if (swept.deleted.length) ctx.log.info({ scanned: swept.scanned, deleted: swept.deleted.length }, 'orphaned uploads deleted');
      } catch (err) {
        ctx.log.warn({ err }, 'orphan file sweep failed');
      }
    })().finally(() => (running = null)));
  const timer = setInterval(() => void runOnce(), options.everyMs ?? ESCALATION_EVERY_MS);
  timer.unref();
  return {
    runOnce,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
