// The Jiangsu demo 基本目录: every basic item of every department group (items/*.ts).
import type { BasicItemContent } from './types.ts';
import { DEMO_GROUPS } from './groups.ts';

export const DEMO_BASIC_ITEMS: BasicItemContent[] = DEMO_GROUPS.flatMap((g) => g.items);
