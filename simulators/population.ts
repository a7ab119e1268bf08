// The synthetic population register behind the public-security, carrier, bank and face
// simulators: ten documented demo people (used by demo data, docs and tests) plus a
// deterministic crowd generated from a fixed seed, so every run answers the same way.
import { checkIdNumber, makeIdNumber } from '../src/platform/identifiers/id-number.ts';
import { isLuhnValid, luhnCheckDigit } from '../src/platform/identifiers/luhn.ts';

export interface Person {
  name: string;
  idNumber: string;
  sex: 'male' | 'female';
  birthDate: string;
  /** GB/T 2260 county code the ID number was issued in (Jiangsu). */
  regionCode: string;
  mobile: string;
  /** Debit card whose reserved mobile is `mobile` (valid Luhn). */
  bankCard: string;
  bankName: string;
}

export interface DemoPerson extends Person {
  /** What the person is for in demos. */
  note: string;
  /** Register photo, GET from the simulator (also `facePhotoPng(idNumber)`). */
  photoPath: string;
}

export { isLuhnValid, luhnCheckDigit };

const BANKS = [
  { bin: '622848', name: '中国农业银行' },
  { bin: '621700', name: '中国建设银行' },
  { bin: '622202', name: '中国工商银行' },
  { bin: '621660', name: '中国银行' },
  { bin: '622260', name: '交通银行' },
  { bin: '621799', name: '中国邮政储蓄银行' },
];

function card(bankIndex: number, account: string): { bankCard: string; bankName: string } {
  const bank = BANKS[bankIndex % BANKS.length]!;
  const body = (bank.bin + account).padEnd(18, '0').slice(0, 18);
  return { bankCard: body + luhnCheckDigit(body), bankName: bank.name };
}

function demo(name: string, region: string, birth: string, seq: number, mobile: string, bank: number, note: string): DemoPerson {
  const idNumber = makeIdNumber(region, birth, seq);
  return {
    name, idNumber, sex: seq % 2 === 1 ? 'male' : 'female',
    birthDate: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`,
    regionCode: region, mobile, ...card(bank, idNumber.slice(6, 14) + mobile.slice(-4)),
    note, photoPath: `/face/photos/${idNumber}.png`,
  };
}

/** The documented demo people (docs/simulators.md). Sequence odd = male, per GB 11643. */
export const DEMO_PEOPLE: readonly DemoPerson[] = [
  demo('张伟', '320102', '19850312', 11, '13951000001', 0, '南京市玄武区，常规个人用户'),
  demo('王芳', '320106', '19900825', 22, '13951000002', 1, '南京市鼓楼区，企业经办人'),
  demo('李强', '320508', '19780130', 33, '13962000003', 2, '苏州市姑苏区，企业法定代表人'),
  demo('刘洋', '320583', '19951108', 45, '18652000004', 3, '苏州昆山市，企业法定代表人'),
  demo('陈静', '320213', '19880519', 68, '15050000005', 4, '无锡市梁溪区'),
  demo('杨帆', '320311', '20010214', 71, '17712000006', 5, '徐州市泉山区，青年用户'),
  demo('赵秀英', '320402', '19460903', 82, '13813000007', 0, '常州市天宁区，老年人（代办演示中的被代办人）'),
  demo('黄建国', '320613', '19720701', 95, '13773000008', 1, '南通市崇川区，赵秀英的子女（代办人）'),
  demo('周敏', '321002', '19830427', 104, '18915000009', 2, '扬州市广陵区，企业法定代表人'),
  demo('吴磊', '320115', '19990920', 129, '13584000010', 3, '南京市江宁区，身份证号码末位为 X 的测试用户'),
];

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉宇浩凯健俊帆翔欣怡晨婷雪琳思佳文博轩子梓涵睿嘉颖瑶诗悦航宁波峰斌亮成志建国海林云飞春燕丹';
const REGIONS = ['320102', '320104', '320105', '320106', '320111', '320113', '320115', '320205', '320206', '320211', '320213', '320281', '320282', '320302', '320311', '320312', '320402', '320404', '320411', '320412', '320505', '320506', '320507', '320508', '320509', '320581', '320582', '320583', '320612', '320613', '320706', '320812', '320902', '321002', '321003', '321102', '321202', '321302'];
const MOBILE_PREFIXES = ['139', '138', '137', '135', '150', '151', '152', '157', '187', '188', '130', '131', '132', '155', '156', '185', '186', '133', '153', '180', '181', '189', '177', '199'];

/** mulberry32: small, fast, and the same sequence on every platform. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const POPULATION_SEED = 20240601;
export const GENERATED_POPULATION_SIZE = 5000;

/** Deterministic crowd: the same `seed` and `size` always give the same people. */
export function generatePopulation(seed = POPULATION_SEED, size = GENERATED_POPULATION_SIZE): Person[] {
  const rnd = prng(seed);
  const pick = <T>(list: readonly T[] | string): T => list[Math.floor(rnd() * list.length)] as T;
  const used = new Set(DEMO_PEOPLE.map((p) => p.idNumber));
  const people: Person[] = [];
  while (people.length < size) {
    const region = pick<string>(REGIONS);
    const year = 1940 + Math.floor(rnd() * 66);
    const month = 1 + Math.floor(rnd() * 12);
    const day = 1 + Math.floor(rnd() * 28);
    const birth = `${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`;
    const seq = Math.floor(rnd() * 1000);
    const idNumber = makeIdNumber(region, birth, seq);
    if (used.has(idNumber) || checkIdNumber(idNumber) !== null) continue;
    used.add(idNumber);
    const name = pick<string>(SURNAMES) + pick<string>(GIVEN) + (rnd() < 0.6 ? pick<string>(GIVEN) : '');
    const mobile = pick<string>(MOBILE_PREFIXES) + String(Math.floor(rnd() * 1e8)).padStart(8, '0');
    people.push({
      name, idNumber, sex: seq % 2 === 1 ? 'male' : 'female', birthDate: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`,
      regionCode: region, mobile, ...card(Math.floor(rnd() * BANKS.length), String(Math.floor(rnd() * 1e12)).padStart(12, '0')),
    });
  }
  return people;
}

export interface PopulationRegister {
  byIdNumber(idNumber: string): Person | undefined;
  readonly size: number;
}

export function createPopulationRegister(extra: readonly Person[] = generatePopulation()): PopulationRegister {
  const map = new Map<string, Person>();
  for (const p of [...DEMO_PEOPLE, ...extra]) map.set(p.idNumber, p);
  return { byIdNumber: (id) => map.get(id.toUpperCase()), size: map.size };
}

export function demoPerson(name: string): DemoPerson {
  const p = DEMO_PEOPLE.find((x) => x.name === name);
  if (!p) throw new Error(`no demo person ${name}`);
  return p;
}
