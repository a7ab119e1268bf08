// 医疗保障: cross-region care, resident insurance, reimbursement, maternity allowance, transfers.
import type { DemoCatalogGroup } from '../types.ts';
import {
  COUNTIES, F, FLAGSHIP, SIX_CITIES, SOCIAL_INSURANCE_ACT, agentMaterials, AGENT_QUESTION, businessLicence, cond, date, idCard, impl, instantSteps, item, law, licence, licenceSteps,
  normative, num, personForm, pick, shared, str, upload,
} from '../builders.ts';

const WHERE = { counter: '医疗保障窗口' };

export const MEDICAL_INSURANCE: DemoCatalogGroup = {
  items: [
    item('11-1101-000', '异地就医备案', '11', 'medical_insurance', ['city', 'county'], ['person'], ['health', 'retirement'], ['异地就医', '异地医保备案', '外地看病', '跨省就医', '异地住院', '异地报销', '医保备案', '回老家看病'], [
      law(SOCIAL_INSURANCE_ACT, '第二十九条：参保人员医疗费用中应当由基本医疗保险基金支付的部分，由社会保险经办机构与医疗机构、药品经营单位直接结算；社会保险行政部门和卫生行政部门应当建立异地就医医疗费用结算制度，方便参保人员享受基本医疗保险待遇。'),
      normative('《国家医保局 财政部关于进一步做好基本医疗保险跨省异地就医直接结算工作的通知》（医保发〔2022〕22号）', '跨省异地就医人员分为异地长期居住人员（异地安置退休、异地长期居住、常驻异地工作等）和临时外出就医人员（异地转诊就医、异地急诊抢救及其他临时外出就医），参保人员可通过国家医保服务平台App等线上渠道或经办窗口办理备案，备案有效期内可在就医地多次就诊并享受直接结算服务。'),
    ]),
    item('11-1102-000', '城乡居民基本医疗保险参保登记', '11', 'medical_insurance', ['county'], ['person'], ['health', 'birth', 'school'], ['居民医保', '农村合作医疗', '新农合', '交医保', '孩子医保', '新生儿医保', '学生医保', '城乡居民医保'], [
      law(SOCIAL_INSURANCE_ACT, '第二十五条：国家建立和完善城镇居民基本医疗保险制度，实行个人缴费和政府补贴相结合；享受最低生活保障的人、丧失劳动能力的残疾人、低收入家庭六十周岁以上的老年人和未成年人等所需个人缴费部分，由政府给予补贴。'),
      normative('《国务院关于整合城乡居民基本医疗保险制度的意见》（国发〔2016〕3号）', '整合城镇居民基本医疗保险和新型农村合作医疗两项制度，建立统一的城乡居民基本医疗保险制度，覆盖除职工基本医疗保险应参保人员以外的其他所有城乡居民。'),
    ]),
    item('11-1103-000', '医疗费用手工（零星）报销', '11', 'medical_insurance', ['city', 'county'], ['person'], ['health'], ['医保报销', '零星报销', '手工报销', '看病报销', '垫付报销', '医药费报销'], [
      law(SOCIAL_INSURANCE_ACT, '第二十八条：符合基本医疗保险药品目录、诊疗项目、医疗服务设施标准以及急诊、抢救的医疗费用，按照国家规定从基本医疗保险基金中支付。'),
    ]),
    item('11-1104-000', '生育津贴申领', '11', 'medical_insurance', ['city', 'county'], ['person', 'company'], ['birth'], ['生育津贴', '产假工资', '生育保险', '生孩子报销', '生育报销', '产假津贴'], [
      law(SOCIAL_INSURANCE_ACT, '第五十四条：用人单位已经缴纳生育保险费的，其职工享受生育保险待遇；职工未就业配偶按照国家规定享受生育医疗费用待遇；生育保险待遇包括生育医疗费用和生育津贴。'),
    ]),
    item('11-1105-000', '基本医疗保险关系转移接续', '11', 'medical_insurance', ['city', 'county'], ['person'], ['employment', 'health'], ['医保转移', '医保关系转移', '跨省转医保', '换城市工作医保', '医保接续'], [
      law(SOCIAL_INSURANCE_ACT, '第三十二条：个人跨统筹地区就业的，其基本医疗保险关系随本人转移，缴费年限累计计算。'),
    ]),
  ],

  implementations: [
    impl('11-1101-000', [...FLAGSHIP, ...COUNTIES], {
      subItems: [{ code: '01', name: '异地长期居住人员备案' }, { code: '02', name: '临时外出就医人员备案' }],
      questions: [
        { id: 'category', text: '您属于哪类人员？', options: [{ value: 'retired', label: '异地安置退休人员' }, { value: 'resident', label: '异地长期居住人员' }, { value: 'worker', label: '常驻异地工作人员' }, { value: 'referral', label: '异地转诊就医人员' }, { value: 'temporary', label: '其他临时外出就医人员' }] },
        AGENT_QUESTION,
      ],
      acceptanceConditions: [
        cond('在本统筹地区参加基本医疗保险且处于正常参保缴费状态。'),
        cond('由参保地定点医疗机构开具转诊转院证明。', { category: 'referral' }),
        cond('异地急诊抢救人员视同已备案，无需事先办理。'),
      ],
      processSteps: instantSteps('备案信息即时生效并上传国家异地就医结算系统，可在备案就医地定点医疗机构直接结算。'),
      legalLimitDays: 1,
      promisedLimitDays: 0,
      materials: [
        idCard({ note: '可使用医保电子凭证' }),
        upload('commitment', '跨省异地就医备案个人承诺书', 'electronic', { when: { category: 'resident' }, note: '实行个人承诺制，线上勾选确认' }),
        upload('commitment_worker', '跨省异地就医备案个人承诺书', 'electronic', { when: { category: 'worker' } }),
        shared('retirement', '异地安置退休人员户籍或居住信息', '公安人口户籍信息', { when: { category: 'retired' } }),
        shared('referral', '转诊转院证明', '定点医疗机构转诊信息', { when: { category: 'referral' } }),
        ...agentMaterials(),
      ],
      channels: ['online', 'mobile', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: personForm('异地就医备案', {
        category: pick('人员类别', ['异地安置退休人员', '异地长期居住人员', '常驻异地工作人员', '异地转诊就医人员', '其他临时外出就医人员']),
        destination: str('就医地（省、市）', 50),
        startDate: date('备案开始日期'),
        endDate: date('备案结束日期'),
        address: str('就医地居住地址', 200),
      }, ['category', 'destination', 'startDate']),
    }, { where: WHERE }),

    impl('11-1102-000', COUNTIES, {
      questions: [{ id: 'who', text: '为谁参保？', options: [{ value: 'newborn', label: '新生儿' }, { value: 'student', label: '在校学生' }, { value: 'other', label: '其他城乡居民' }] }],
      acceptanceConditions: [
        cond('未参加职工基本医疗保险的本地户籍居民，或持本地居住证的常住人口。'),
        cond('新生儿出生后按规定参保缴费的，自出生之日起享受待遇（可通过“出生一件事”同步办理）。', { who: 'newborn' }),
      ],
      processSteps: instantSteps('即时完成参保登记，通过“江苏医保云”、税务缴费渠道或银行缴纳年度个人缴费。'),
      legalLimitDays: 1,
      promisedLimitDays: 0,
      materials: [
        idCard({ name: '参保人居民身份证或户口簿', when: { who: 'other' } }),
        licence('birth_certificate', '出生医学证明', 'birth_certificate', { when: { who: 'newborn' } }),
        licence('student_hukou', '参保学生户口簿', 'hukou', { when: { who: 'student' } }),
        licence('residence_permit', '居住证', 'residence_permit', { required: false, note: '非本地户籍常住人口提交' }),
      ],
      channels: ['online', 'mobile', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: personForm('城乡居民基本医疗保险参保登记', {
        insuredName: str('参保人姓名', 30),
        insuredIdNumber: F.idNumber,
        identity: pick('参保身份', ['新生儿', '在校学生', '未成年人', '成年居民', '老年居民', '低保等困难人员']),
        school: str('就读学校', 100),
      }, ['insuredName', 'insuredIdNumber', 'identity']),
    }, { where: { counter: '医疗保障窗口（亦可在镇、街道便民服务中心办理）' } }),

    impl('11-1103-000', [...SIX_CITIES, ...COUNTIES], {
      questions: [{ id: 'reason', text: '未能直接结算的原因？', options: [{ value: 'offsite', label: '异地就医未直接结算' }, { value: 'emergency', label: '急诊抢救' }, { value: 'other', label: '其他原因' }] }, AGENT_QUESTION],
      acceptanceConditions: [cond('参保人员因故未能直接结算，在规定时限内申请；医疗费用符合基本医疗保险药品目录、诊疗项目和医疗服务设施范围。')],
      processSteps: licenceSteps({ review: '审核医疗费用票据、费用明细和病历资料，按政策计算基金支付金额。', decision: '核定报销金额。', delivery: '报销款支付至参保人社会保障卡银行账户。' }),
      legalLimitDays: 30,
      promisedLimitDays: 20,
      materials: [
        idCard(),
        upload('invoices', '医疗收费票据（电子票据）', 'electronic'),
        upload('details', '费用明细清单', 'electronic'),
        upload('records', '出院记录或门诊病历', 'copy'),
        upload('emergency', '急诊抢救病历', 'copy', { when: { reason: 'emergency' } }),
        licence('social_security_card', '社会保障卡', 'social_security_card'),
        ...agentMaterials(),
      ],
      channels: ['online', 'mobile', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 3,
      formSchema: personForm('医疗费用手工报销申请', {
        hospital: str('就诊医疗机构', 100),
        visitType: pick('就诊类型', ['住院', '门诊', '门诊慢特病']),
        admissionDate: date('入院（就诊）日期'),
        totalAmount: num('医疗费用总额（元）', 0, 10000000),
        bankAccount: F.bankAccount,
      }, ['hospital', 'visitType', 'admissionDate', 'totalAmount']),
    }, { where: WHERE }),

    impl('11-1104-000', [...SIX_CITIES, ...COUNTIES], {
      questions: [{ id: 'applicant', text: '由谁申领？', options: [{ value: 'employer', label: '用人单位代为申领' }, { value: 'self', label: '职工本人申领' }] }],
      acceptanceConditions: [cond('用人单位已按规定缴纳生育保险费，职工符合国家和本省计划生育政策规定。')],
      processSteps: licenceSteps({ review: '共享出生医学证明、分娩住院结算信息，核定产假天数和缴费基数。', decision: '核定生育津贴金额。', delivery: '生育津贴按规定支付至用人单位账户或职工本人社会保障卡银行账户。' }),
      legalLimitDays: 20,
      promisedLimitDays: 10,
      materials: [
        idCard(),
        licence('birth_certificate', '出生医学证明', 'birth_certificate'),
        shared('delivery', '分娩住院结算信息', '医保定点医疗机构结算信息'),
        businessLicence({ name: '用人单位营业执照', when: { applicant: 'employer' } }),
      ],
      channels: ['online', 'mobile', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 3,
      formSchema: personForm('生育津贴申领', {
        employer: str('用人单位', 100),
        deliveryDate: date('分娩日期'),
        deliveryType: pick('分娩方式', ['顺产', '剖宫产', '多胞胎生育', '流产']),
        paidTo: pick('津贴支付对象', ['用人单位', '职工本人']),
      }, ['employer', 'deliveryDate', 'deliveryType', 'paidTo']),
    }, { where: WHERE }),

    impl('11-1105-000', [...FLAGSHIP, ...COUNTIES], {
      acceptanceConditions: [cond('已在新参保地参加基本医疗保险，原参保地已终止参保；转移接续后缴费年限累计计算。')],
      processSteps: licenceSteps({ review: '通过全国统一的医保信息平台向转出地发起联系函，转出地核对参保缴费信息。', decision: '转入地接续参保关系，合并计算缴费年限和个人账户。', delivery: '办理结果通过“国家医保服务平台”App 推送。' }),
      legalLimitDays: 15,
      promisedLimitDays: 10,
      materials: [idCard(), shared('transfer_out', '参保凭证（转出地参保缴费信息）', '全国统一医保信息平台转移接续信息')],
      channels: ['online', 'mobile', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: personForm('基本医疗保险关系转移接续申请', {
        fromRegion: str('转出地（省、市）', 50),
        insuranceType: pick('险种', ['职工基本医疗保险', '城乡居民基本医疗保险']),
      }, ['fromRegion', 'insuranceType']),
    }, { where: WHERE }),
  ],
};
