// The documented JSON shape of a guide (GET /api/v1/catalog/guides/{id}). It mirrors the
// Guide interface in guide.ts field for field: Fastify serialises responses through this
// schema and would silently drop anything left out, so a test compares API and page data.
import { Type } from '@fastify/type-provider-typebox';

const S = Type.String;
const N = Type.Integer;
const B = Type.Boolean;
const Nullable = <T extends ReturnType<typeof S>>(t: T) => Type.Union([t, Type.Null()]);
const Obj = (p: Parameters<typeof Type.Object>[0], description?: string) => Type.Object(p, { additionalProperties: false, ...(description ? { description } : {}) });

export const GuideSchema = Obj(
  {
    id: S({ description: '实施清单标识' }),
    version: N({ description: '已发布版本号' }),
    name: S(),
    implementationCode: S({ description: '实施编码' }),
    basicCode: S({ description: '基本编码' }),
    itemType: Obj({ code: S(), name: S({ description: '如 行政许可' }) }),
    legalBasis: Type.Array(Obj({ kind: S(), kindText: S(), title: S(), article: S() })),
    organisation: Obj({ id: S(), name: S(), creditCode: Nullable(S()) }, '实施机构'),
    region: Obj({ code: S(), name: S(), fullName: S({ description: '如 江苏省南京市' }) }),
    subItems: Type.Array(Obj({ code: S(), name: S() }), { description: '业务办理项' }),
    acceptanceConditions: Type.Array(Obj({ text: S(), conditional: B({ description: '取决于尚未回答的问题' }) })),
    materials: Type.Array(
      Obj({
        id: S(),
        name: S(),
        form: S({ description: 'original / copy / electronic' }),
        formText: S({ description: '原件 / 复印件 / 电子件' }),
        count: N(),
        required: B(),
        requiredText: S(),
        source: S({ description: 'upload / licence / data' }),
        sourceText: S({ description: '申请人提交 / 电子证照免提交（类型）/ 数据共享免提交（资源）' }),
        exempt: B({ description: '申请人无需提交（平台调取）' }),
        licenceType: Nullable(S()),
        dataResource: Nullable(S()),
        blankFormUrl: Nullable(S()),
        sampleUrl: Nullable(S()),
        note: Nullable(S()),
        conditional: B(),
      }),
    ),
    processSteps: Type.Array(Obj({ order: N(), name: S(), description: S() })),
    timeLimits: Obj({ legalDays: N({ description: '法定办结时限（工作日）' }), legalText: S(), promisedDays: N({ description: '承诺办结时限（工作日）' }), promisedText: S() }),
    fees: Obj({ free: B(), summary: S(), items: Type.Array(Obj({ name: S(), amountFen: N({ description: '金额（分）' }), amountText: S({ description: '如 ¥12.00 或 不收费' }), basis: S() })) }),
    intermediaryServices: Type.Array(Obj({ name: S(), basis: S() })),
    place: Obj({ address: S(), hours: S() }),
    phones: Obj({ consult: S(), complaint: S() }),
    channels: Type.Array(Obj({ code: S({ description: 'online / window / mobile' }), name: S() })),
    onlineApplication: Obj({ offered: B(), available: B({ description: '网上申请入口是否已开放' }), message: Nullable(S()) }),
    visits: Obj({ count: N({ description: '到现场次数，0 为不见面' }), text: S() }),
    onlineDepth: Obj({ level: N({ description: '1 信息发布 … 4 全程网办' }), text: S() }),
    minRealNameLevel: Obj({ level: N(), text: S() }),
    needsReview: B({ description: '基本目录已调整，实施清单待复核' }),
    reviewNotice: Nullable(S()),
    questions: Type.Array(Obj({ id: S(), text: S(), options: Type.Array(Obj({ value: S(), label: S() })), answer: Nullable(S()) }), { description: '好办：情形问题及本次的回答' }),
    personalisation: Obj({
      personalised: B({ description: '至少回答了一个问题' }),
      answered: Type.Array(Obj({ questionId: S(), question: S(), value: S(), label: S() })),
      unanswered: Type.Array(Obj({ questionId: S(), question: S() })),
      note: Nullable(S()),
    }),
    links: Obj({ page: S(), shareable: S({ description: '带回答的可分享地址' }), pdf: S(), qr: S(), api: S(), mobile: S({ description: '二维码中的完整地址' }) }),
  },
  '办事指南：网页、PDF 与本接口同源',
);
