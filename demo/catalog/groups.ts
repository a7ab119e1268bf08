// The department groups of the demo catalogue, in the order the catalogue lists them.
import type { DemoCatalogGroup } from './types.ts';
import { PUBLIC_SECURITY } from './items/public-security.ts';
import { MARKET_REGULATION } from './items/market-regulation.ts';
import { HEALTH } from './items/health.ts';
import { HUMAN_RESOURCES } from './items/human-resources.ts';
import { CIVIL_AFFAIRS } from './items/civil-affairs.ts';
import { HOUSING } from './items/housing.ts';
import { NATURAL_RESOURCES } from './items/natural-resources.ts';
import { TRANSPORT } from './items/transport.ts';
import { EDUCATION } from './items/education.ts';
import { TAXATION } from './items/taxation.ts';
import { MEDICAL_INSURANCE } from './items/medical-insurance.ts';
import { HOUSING_FUND } from './items/housing-fund.ts';
import { ECOLOGY } from './items/ecology.ts';
import { CULTURE_TOURISM } from './items/culture-tourism.ts';
import { AGRICULTURE } from './items/agriculture.ts';

export const DEMO_GROUPS: readonly DemoCatalogGroup[] = [
  PUBLIC_SECURITY, MARKET_REGULATION, HEALTH, HUMAN_RESOURCES, CIVIL_AFFAIRS, HOUSING, NATURAL_RESOURCES, TRANSPORT,
  EDUCATION, TAXATION, MEDICAL_INSURANCE, HOUSING_FUND, ECOLOGY, CULTURE_TOURISM, AGRICULTURE,
];
