// Pre-filling an application form from what the platform already knows, saying where each
// value came from: the verified identity (read-only: the server re-imposes it on every post),
// the profile, and the applicant's previous application of the same item (再来一单).
import { isDeepStrictEqual } from 'node:util';
import type { Actor } from '../../../platform/http/access.ts';
import type { AppContext } from '../../../platform/module.ts';
import { PersonalDataCipher } from '../../../platform/crypto/personal-data.ts';
import { findCitizenById } from '../../identity/index.ts';
import type { Provenance } from '../forms/index.ts';
import { propertiesOf, type Schema } from '../forms/schema.ts';
import * as cases from '../store.ts';
import type { Applicant } from './store.ts';

/** What the platform knows, by form field name. */
export interface Known {
  identity: Record<string, string>;
  profile: Record<string, string>;
  /** Answers of the previous application (or of the case 再来一单 started from). */
  previous: Record<string, unknown> | null;
}

export interface Prefill {
  values: Record<string, unknown>;
  provenance: Record<string, Provenance>;
  readOnly: string[];
  /** For parseForm(…, { fixed }): what the body may not change. */
  fixed: Record<string, unknown>;
}

// The field names the catalogue's forms use for the applicant (demo/catalog/builders.ts):
// applicantName and idNumber for people, companyName and creditCode for companies.
const PROFILE_FIELDS = ['phone', 'mobile'] as const;

const present = (v: unknown) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);

/**
 * The form's starting values. Identity wins over everything and is read-only; the profile
 * comes before the previous application (a phone number changes); a draft's own answers
 * override the rest, and a value the applicant changed loses its provenance tag.
 */
export function buildPrefill(schema: Schema, known: Known, draft: Record<string, unknown> = {}): Prefill {
  const props = propertiesOf(schema);
  const out: Prefill = { values: {}, provenance: {}, readOnly: [], fixed: {} };
  const suggested: Record<string, unknown> = {};
  for (const name of Object.keys(props)) {
    if (present(known.identity[name])) {
      out.values[name] = known.identity[name];
      out.provenance[name] = { source: 'identity' };
      out.readOnly.push(name);
      out.fixed[name] = known.identity[name];
    } else if (present(known.profile[name])) {
      suggested[name] = known.profile[name];
      out.provenance[name] = { source: 'profile' };
    } else if (known.previous && present(known.previous[name])) {
      suggested[name] = known.previous[name];
      out.provenance[name] = { source: 'previous' };
    }
  }
  Object.assign(out.values, suggested);
  for (const [name, value] of Object.entries(draft)) {
    if (name in out.fixed || !(name in props)) continue;
    out.values[name] = value;
    if (name in suggested && !isDeepStrictEqual(suggested[name], value)) delete out.provenance[name];
  }
  // A draft begun from an earlier case (再来一单) carries that case's answers: say so.
  for (const [name, value] of Object.entries(out.values)) {
    if (!out.provenance[name] && known.previous && present(value) && isDeepStrictEqual(known.previous[name], value)) out.provenance[name] = { source: 'previous' };
  }
  return out;
}

/** Who an application belongs to: the principal when a proxy acts for them (代办). */
export function applicantOf(actor: Actor): Applicant | null {
  if (actor.kind === 'citizen') return { kind: 'citizen', id: actor.onBehalfOf?.accountId ?? actor.accountId };
  if (actor.kind === 'company') return { kind: 'company', id: actor.accountId };
  return null;
}

const ciphers = new WeakMap<AppContext, PersonalDataCipher>();
function cipherFor(ctx: AppContext): PersonalDataCipher {
  let c = ciphers.get(ctx);
  if (!c) ciphers.set(ctx, (c = new PersonalDataCipher(ctx.config.secrets)));
  return c;
}

/** The verified identity and profile of the applicant, by form field name. */
export async function identityOf(ctx: AppContext, actor: Actor, applicant: Applicant): Promise<Pick<Known, 'identity' | 'profile'>> {
  const identity: Record<string, string> = {};
  const profile: Record<string, string> = {};
  if (applicant.kind === 'company' && actor.kind === 'company') {
    identity.companyName = actor.displayName;
    identity.creditCode = actor.creditCode;
    return { identity, profile };
  }
  const account = await findCitizenById(ctx.db, applicant.id);
  if (!account) return { identity, profile };
  const cipher = cipherFor(ctx);
  // A name and ID number are identity only once verified against the population register (L2).
  if (account.realNameLevel >= 2 && account.nameSealed && account.idNumberSealed) {
    identity.applicantName = cipher.open('name', account.nameSealed);
    identity.idNumber = cipher.open('id_number', account.idNumberSealed);
  }
  const mobile = cipher.open('mobile', account.mobileSealed);
  for (const f of PROFILE_FIELDS) profile[f] = mobile;
  return { identity, profile };
}

/**
 * The answers to start from: those of `originCaseId` when the draft was begun from that case
 * (再来一单, only if it is the applicant's), else of the applicant's latest case of this item.
 */
export async function previousAnswers(ctx: AppContext, applicant: Applicant, implementationId: string, originCaseId: string | null): Promise<Record<string, unknown> | null> {
  if (originCaseId) {
    const row = await cases.findCase(ctx.db, originCaseId);
    if (row && row.applicant_kind === applicant.kind && row.applicant_id === applicant.id) return asAnswers(row.answers);
  }
  const rows = await cases.listApplicantCases(ctx.db, applicant.kind, applicant.id, 50);
  const latest = rows.find((r) => r.implementation_id === implementationId);
  return latest ? asAnswers(latest.answers) : null;
}

const asAnswers = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

export async function knownFor(ctx: AppContext, actor: Actor, applicant: Applicant, implementationId: string, originCaseId: string | null): Promise<Known> {
  const [who, previous] = await Promise.all([identityOf(ctx, actor, applicant), previousAnswers(ctx, applicant, implementationId, originCaseId)]);
  return { ...who, previous };
}
