// Shapes of the demo catalogue: what a group file (items/*.ts) contributes. The loader turns
// a DemoImplementationSpec into one ImplementationContent per region: details, then the
// region's overrides on top, plus the basic item's four 三级四同 fields.
import type { BasicItemContent, ImplementationContent } from '../../src/modules/catalog/index.ts';

export type { BasicItemContent, ImplementationContent };
export type Material = ImplementationContent['materials'][number];
export type Question = ImplementationContent['questions'][number];
export type ProcessStep = ImplementationContent['processSteps'][number];
export type Condition = ImplementationContent['acceptanceConditions'][number];
export type LegalBasis = BasicItemContent['legalBasis'][number];

export type ImplementationDetails = Omit<ImplementationContent, 'basicItemId' | 'name' | 'basicCode' | 'itemType' | 'legalBasis' | 'regionCode' | 'orgId' | 'sequence'>;

export interface DemoImplementationSpec {
  basicCode: string; // a DEMO_BASIC_ITEMS code
  /** 6-digit region codes where this item is implemented (levels and departments must fit). */
  regions: string[];
  details: ImplementationDetails;
  /** Optional per-region differences in the details (e.g. a county promises fewer days). */
  overrides?: Record<string, Partial<ImplementationDetails>>;
}

/** A deliberately deviating implementation, for the 三级四同 consistency report. */
export interface DemoDeviation {
  basicCode: string;
  regionCode: string;
  name?: string;
  itemType?: string;
  basicCode2?: never;
  legalBasisTitle?: string;
  why: string;
}

/** What each department group file exports. */
export interface DemoCatalogGroup {
  items: BasicItemContent[];
  implementations: DemoImplementationSpec[];
}
