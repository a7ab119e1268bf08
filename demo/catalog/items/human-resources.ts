// 人力资源社会保障: social security cards, pensions, unemployment, work injury, HR licences.
import type { DemoCatalogGroup } from '../types.ts';
import {
  AGENT_QUESTION, COUNTIES, F, FLAGSHIP, JIANGNING, KUNSHAN, PIZHOU, PROVINCE, SHUYANG, SIX_CITIES, SOCIAL_INSURANCE_ACT, WUZHONG, XUANWU, agentMaterials, applicationForm, businessLicence,
  calendarDays, companyForm, cond, date, idCard, impl, instantSteps, item, law, licence, licenceSteps, normative, personForm, pick, regulation, shared, str, upload,
} from '../builders.ts';

const UNEMPLOYMENT_REGISTRATION = law(SOCIAL_INSURANCE_ACT, '第五十条：失业人员应当持本单位为其出具的终止或者解除劳动关系的证明，及时到指定的公共就业服务机构办理失业登记；凭失业登记证明和个人身份证明到社会保险经办机构办理领取失业保险金的手续。');

export const HUMAN_RESOURCES: DemoCatalogGroup = {
  items: [
    item('11-0401-000', '社会保障卡申领', '11', 'human_resources', ['city', 'county'], ['person'], ['employment', 'health'], ['办社保卡', '社保卡申领', '社保卡补办', '电子社保卡', '第三代社保卡', '医保卡', '社保卡挂失', '市民卡'], [
      law(SOCIAL_INSURANCE_ACT, '第五十八条：用人单位应当自用工之日起三十日内为其职工申请办理社会保险登记；国家建立全国统一的个人社会保障号码，个人社会保障号码为公民身份号码。'),
    ]),
    item('11-0402-000', '城乡居民基本养老保险参保登记', '11', 'human_resources', ['county'], ['person'], ['retirement', 'elderly'], ['居民养老保险', '农村养老保险', '新农保', '城乡居民养老参保', '交养老保险', '居民养老保险缴费'], [
      law(SOCIAL_INSURANCE_ACT, '第二十条：国家建立和完善新型农村社会养老保险制度，实行个人缴费、集体补助和政府补贴相结合。'),
      law(SOCIAL_INSURANCE_ACT, '第二十二条：国家建立和完善城镇居民社会养老保险制度；省、自治区、直辖市人民政府可以将城镇居民社会养老保险和新型农村社会养老保险合并实施。'),
      normative('《国务院关于建立统一的城乡居民基本养老保险制度的意见》（国发〔2014〕8号）', '年满16周岁（不含在校学生），非国家机关和事业单位工作人员及不属于职工基本养老保险制度覆盖范围的城乡居民，可以在户籍地参加城乡居民养老保险。'),
    ]),
    item('11-0403-000', '灵活就业人员参保登记', '11', 'human_resources', ['city', 'county'], ['person'], ['employment', 'retirement'], ['灵活就业交社保', '自由职业社保', '个人交社保', '个体户社保', '自己交社保', '灵活就业参保'], [
      law(SOCIAL_INSURANCE_ACT, '第十条：无雇工的个体工商户、未在用人单位参加基本养老保险的非全日制从业人员以及其他灵活就业人员可以参加基本养老保险，由个人缴纳基本养老保险费。'),
      law(SOCIAL_INSURANCE_ACT, '第五十八条第二款：自愿参加社会保险的无雇工的个体工商户、未在用人单位参加社会保险的非全日制从业人员以及其他灵活就业人员，应当向社会保险经办机构申请办理社会保险登记。'),
    ]),
    item('11-0404-000', '失业登记', '11', 'human_resources', ['county'], ['person'], ['employment'], ['失业登记', '失业了', '被裁员', '丢工作', '找工作', '就业失业登记', '没工作了'], [
      law('《中华人民共和国就业促进法》', '第三十五条：县级以上人民政府设立公共就业服务机构，为劳动者免费提供就业政策法规咨询、职业指导和职业介绍、就业援助，以及办理就业登记、失业登记等事务。'),
      UNEMPLOYMENT_REGISTRATION,
    ]),
    item('11-0405-000', '失业保险金申领', '11', 'human_resources', ['city', 'county'], ['person'], ['employment'], ['领失业金', '失业保险金', '失业补助', '被辞退领钱', '失业金申请', '失业待遇'], [
      law(SOCIAL_INSURANCE_ACT, '第四十五条：失业人员失业前用人单位和本人已经缴纳失业保险费满一年、非因本人意愿中断就业、已经进行失业登记并有求职要求的，从失业保险基金中领取失业保险金。'),
      UNEMPLOYMENT_REGISTRATION,
      regulation('《失业保险条例》', '第十四条：按照规定参加失业保险，所在单位和本人已按照规定履行缴费义务满1年，非因本人意愿中断就业，已办理失业登记并有求职要求的失业人员，可以领取失业保险金。'),
    ]),
    item('11-0406-000', '基本养老金申领（退休）', '11', 'human_resources', ['city', 'county'], ['person'], ['retirement', 'elderly'], ['办退休', '退休手续', '领退休金', '养老金申领', '退休待遇', '到龄退休'], [
      law(SOCIAL_INSURANCE_ACT, '第十六条：参加基本养老保险的个人，达到法定退休年龄时累计缴费满十五年的，按月领取基本养老金；累计缴费不足十五年的，可以缴费至满十五年，按月领取基本养老金。'),
    ]),
    item('07-0407-000', '工伤认定', '07', 'human_resources', ['city', 'county'], ['person', 'company'], ['employment', 'health'], ['工伤认定', '上班受伤', '工伤申请', '职业病认定', '上下班车祸', '工伤'], [
      regulation('《工伤保险条例》', '第十七条：职工发生事故伤害或者被诊断、鉴定为职业病，所在单位应当自事故伤害发生之日或者被诊断、鉴定为职业病之日起30日内提出工伤认定申请；用人单位未提出的，工伤职工或者其近亲属、工会组织在1年内可以直接提出。'),
      regulation('《工伤保险条例》', '第二十条：社会保险行政部门应当自受理工伤认定申请之日起60日内作出工伤认定的决定；对事实清楚、权利义务明确的，应当在15日内作出工伤认定的决定。'),
    ]),
    item('01-0408-000', '人力资源服务许可', '01', 'human_resources', ['province', 'city', 'county'], ['company'], ['operations'], ['职业中介许可', '开中介公司', '人力资源服务许可证', '猎头公司', '职业介绍所'], [
      regulation('《人力资源市场暂行条例》', '第十八条：经营性人力资源服务机构从事职业中介活动的，应当依法向人力资源社会保障行政部门申请行政许可，取得人力资源服务许可证。'),
      regulation('《人力资源市场暂行条例》', '第十九条：人力资源社会保障行政部门应当自收到申请之日起20日内依法作出行政许可决定。'),
    ]),
    item('01-0409-000', '劳务派遣经营许可', '01', 'human_resources', ['province', 'city', 'county'], ['company'], ['operations'], ['劳务派遣许可证', '劳务派遣公司', '开劳务公司', '派遣资质'], [
      law('《中华人民共和国劳动合同法》', '第五十七条：经营劳务派遣业务应当具备注册资本不少于人民币二百万元等条件，并应当向劳动行政部门依法申请行政许可；未经许可，任何单位和个人不得经营劳务派遣业务。'),
    ]),
  ],

  implementations: [
    impl('11-0401-000', [...FLAGSHIP, ...COUNTIES], {
      subItems: [{ code: '01', name: '首次申领' }, { code: '02', name: '补领、换领' }, { code: '03', name: '电子社保卡签发' }],
      questions: [
        { id: 'kind', text: '您要办理哪项业务？', options: [{ value: 'first', label: '首次申领' }, { value: 'replace', label: '遗失补领或损坏换领' }] },
        { id: 'minor', text: '申请人是否未满16周岁？', options: [{ value: 'no', label: '已满16周岁' }, { value: 'yes', label: '未满16周岁' }] },
      ],
      acceptanceConditions: [cond('已在本地参加社会保险，或为本地户籍、持本地居住证人员。'), cond('原卡已挂失。', { kind: 'replace' })],
      processSteps: licenceSteps({ review: '核验身份和参保信息，采集相片。', decision: '制作第三代社会保障卡，同步签发电子社保卡。', delivery: '即时制卡网点当场领取，或选择邮寄到家。' }),
      legalLimitDays: 20,
      promisedLimitDays: 10,
      materials: [
        idCard(),
        shared('photo', '本人数码相片', '公安人口信息库相片', { note: '库内无合格相片的现场采集' }),
        hukouFor(),
        licence('guardian_id_card', '监护人居民身份证', 'id_card', { when: { minor: 'yes' } }),
      ],
      fees: [],
      channels: ['online', 'mobile', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: personForm('社会保障卡申领登记表', {
        kind: pick('申领类型', ['首次申领', '补领', '换领']),
        bank: pick('服务银行', ['中国工商银行', '中国农业银行', '中国银行', '中国建设银行', '交通银行', '江苏银行', '邮储银行']),
        delivery: pick('领卡方式', ['网点领取', '邮寄到家']),
        mailAddress: str('邮寄地址', 200),
      }, ['kind', 'bank', 'delivery']),
    }, { where: { counter: '人社（社保卡）窗口及银行即时制卡网点' }, overrides: { [KUNSHAN]: { promisedLimitDays: 0 }, [WUZHONG]: { promisedLimitDays: 0 } } }),

    impl('11-0402-000', COUNTIES, {
      acceptanceConditions: [cond('年满16周岁（不含在校学生），非国家机关和事业单位工作人员，未参加职工基本养老保险，户籍在本地。')],
      processSteps: instantSteps('信息核验后即时完成参保登记，参保人可按年选择缴费档次，通过“江苏智慧人社”或银行、税务渠道缴费。'),
      legalLimitDays: 1,
      promisedLimitDays: 0,
      materials: [idCard(), shared('household', '户籍信息', '公安人口户籍信息'), shared('insured_check', '职工养老保险参保状态', '全国社会保险参保信息')],
      channels: ['online', 'mobile', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: personForm('城乡居民基本养老保险参保登记表', {
        householdAddress: str('户籍地址', 200),
        grade: pick('缴费档次（元/年）', ['300', '500', '700', '900', '1000', '1500', '2000', '3000', '4000', '5000']),
        identity: pick('人员身份', ['普通居民', '低保对象', '特困人员', '重度残疾人', '其他']),
      }, ['householdAddress', 'grade']),
    }, { where: { counter: '社会保险窗口（亦可在镇、街道便民服务中心办理）' } }),

    impl('11-0403-000', [...FLAGSHIP, ...COUNTIES], {
      acceptanceConditions: [cond('年满16周岁，在本地灵活就业（无雇工的个体工商户、非全日制从业人员及其他灵活就业人员），未在用人单位参加职工基本养老保险；外地户籍人员按本地规定执行。')],
      processSteps: instantSteps('即时完成参保登记，核定缴费基数，参保人按月或按季缴费。'),
      legalLimitDays: 1,
      promisedLimitDays: 0,
      materials: [idCard(), shared('insured_check', '参保状态', '全国社会保险参保信息'), licence('residence_permit', '居住证', 'residence_permit', { required: false, note: '非本地户籍的提交' })],
      channels: ['online', 'mobile', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: personForm('灵活就业人员参保登记', {
        insurances: { type: 'array', title: '参保险种', minItems: 1, uniqueItems: true, items: { type: 'string', title: '险种', enum: ['职工基本养老保险', '职工基本医疗保险'] } },
        base: { type: 'number', title: '缴费基数（元/月）', minimum: 0, maximum: 100000 },
        startMonth: { type: 'string', title: '参保起始年月', pattern: '^\\d{4}-(0[1-9]|1[0-2])$' },
      }, ['insurances', 'base', 'startMonth']),
    }, { where: { counter: '社会保险窗口' } }),

    impl('11-0404-000', COUNTIES, {
      acceptanceConditions: [cond('在法定劳动年龄内，有劳动能力和就业要求，处于无业状态。'), cond('在常住地公共就业服务机构办理，常住地与户籍地不一致的可在常住地登记。')],
      processSteps: instantSteps('即时完成失业登记，出具电子《就业创业证》记载信息，同步提供职业指导和岗位推荐。'),
      legalLimitDays: 1,
      promisedLimitDays: 0,
      materials: [idCard(), upload('termination', '终止或者解除劳动关系证明', 'electronic', { required: false, note: '原单位已上传的免提交' })],
      channels: ['online', 'mobile', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: personForm('失业登记', {
        lastEmployer: str('原工作单位', 100),
        leaveDate: date('离职日期'),
        education: pick('文化程度', ['初中及以下', '高中/中专', '大专', '本科', '研究生']),
        wantedJob: str('求职意向', 100),
      }, ['leaveDate']),
    }, { where: { counter: '公共就业服务窗口' } }),

    impl('11-0405-000', [...SIX_CITIES, ...COUNTIES], {
      acceptanceConditions: [
        cond('失业前用人单位和本人已经缴纳失业保险费满一年。'),
        cond('非因本人意愿中断就业，已经进行失业登记并有求职要求。'),
      ],
      processSteps: licenceSteps({ review: '核对参保缴费记录、离职原因和失业登记信息。', decision: '符合条件的核定领取期限和标准。', delivery: '失业保险金按月发放至本人社会保障卡银行账户。' }),
      legalLimitDays: 10,
      promisedLimitDays: 3,
      materials: [idCard(), licence('social_security_card', '社会保障卡', 'social_security_card'), shared('unemployment_registration', '失业登记信息', '公共就业服务失业登记信息'), upload('termination', '终止或者解除劳动关系证明', 'electronic', { required: false, note: '原单位已上传的免提交' })],
      channels: ['online', 'mobile', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 3,
      formSchema: personForm('失业保险金申领', {
        leaveReason: pick('离职原因', ['劳动合同期满终止', '用人单位解除', '用人单位破产或关闭', '协商一致解除（用人单位提出）', '其他非本人意愿']),
        leaveDate: date('离职日期'),
        bankAccount: F.bankAccount,
      }, ['leaveReason', 'leaveDate']),
    }, { where: { counter: '社会保险窗口' } }),

    impl('11-0406-000', [...FLAGSHIP, ...COUNTIES], {
      acceptanceConditions: [cond('达到法定退休年龄（含按规定弹性提前、延迟退休），基本养老保险累计缴费年限达到规定的最低缴费年限。')],
      processSteps: licenceSteps({ review: '单位或本人申报后，审核出生日期、参保缴费记录及视同缴费年限。', decision: '核定基本养老金待遇，出具待遇核定表。', delivery: '自核定次月起按月发放至社会保障卡银行账户。' }),
      legalLimitDays: 20,
      promisedLimitDays: 10,
      materials: [idCard(), licence('social_security_card', '社会保障卡', 'social_security_card'), shared('payment_record', '养老保险缴费记录', '全国社会保险参保缴费信息'), upload('archives', '职工个人档案（含视同缴费年限认定材料）', 'original', { required: false, note: '有视同缴费年限的提交' })],
      channels: ['online', 'mobile', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 3,
      formSchema: personForm('基本养老金申领', {
        retireType: pick('退休类型', ['到龄退休', '弹性提前退休', '弹性延迟退休', '特殊工种提前退休', '病退']),
        lastEmployer: str('最后参保单位', 100),
        bankAccount: F.bankAccount,
      }, ['retireType']),
    }, { where: { counter: '社会保险窗口' } }),

    impl('07-0407-000', [...FLAGSHIP, JIANGNING, KUNSHAN, PIZHOU], {
      questions: [{ id: 'applicant', text: '由谁提出申请？', options: [{ value: 'employer', label: '用人单位' }, { value: 'worker', label: '职工本人、近亲属或工会组织' }] }],
      acceptanceConditions: [
        cond('用人单位自事故伤害发生之日或者被诊断、鉴定为职业病之日起30日内提出。', { applicant: 'employer' }),
        cond('用人单位未按规定提出的，自事故伤害发生之日或者被诊断、鉴定为职业病之日起1年内提出。', { applicant: 'worker' }),
      ],
      processSteps: licenceSteps({ review: '对事故伤害进行调查核实，必要时调取证据、询问证人。', decision: '作出认定工伤（视同工伤）或者不予认定工伤的决定。', delivery: '书面通知职工或者其近亲属和用人单位，电子文书同步推送。' }),
      legalLimitDays: calendarDays(60),
      promisedLimitDays: 20,
      materials: [
        applicationForm('工伤认定申请表'),
        upload('labour_relation', '与用人单位存在劳动关系（包括事实劳动关系）的证明材料', 'electronic'),
        upload('diagnosis', '医疗诊断证明或者职业病诊断证明书（或者职业病诊断鉴定书）', 'electronic'),
        licence('injured_id_card', '受伤害职工居民身份证', 'id_card'),
        businessLicence({ when: { applicant: 'employer' }, name: '用人单位营业执照' }),
      ],
      channels: ['online', 'window'],
      visits: 1,
      onlineDepth: 3,
      minRealNameLevel: 2,
      formSchema: personForm('工伤认定申请表', {
        workerName: str('受伤害职工姓名', 30),
        employer: str('用人单位', 100),
        accidentTime: { type: 'string', title: '事故发生时间', format: 'date-time' },
        accidentPlace: str('事故发生地点', 200),
        description: str('受伤害经过简述', 1000),
      }, ['workerName', 'employer', 'accidentTime', 'description']),
    }, { where: { counter: '人力资源社会保障（工伤认定）窗口' } }),

    impl('01-0408-000', [PROVINCE, ...FLAGSHIP, KUNSHAN], {
      questions: [AGENT_QUESTION],
      acceptanceConditions: [cond('有与开展职业中介活动相适应的场所、设施，有相应的专职工作人员和健全的工作制度。')],
      processSteps: licenceSteps({ decision: '符合条件的颁发《人力资源服务许可证》。' }),
      legalLimitDays: 20,
      promisedLimitDays: 10,
      materials: [applicationForm('人力资源服务许可申请书'), businessLicence(), upload('premises', '经营场所使用证明', 'electronic'), upload('staff', '专职工作人员基本情况', 'electronic'), upload('rules', '工作制度', 'electronic'), ...agentMaterials()],
      channels: ['online', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: companyForm('人力资源服务许可申请', { premises: str('服务场所地址', 200), scope: str('拟开展的职业中介业务', 500) }, ['premises', 'scope']),
    }, { where: { counter: '人力资源社会保障窗口' } }),

    impl('01-0409-000', [...FLAGSHIP, KUNSHAN, SHUYANG, XUANWU], {
      questions: [AGENT_QUESTION],
      acceptanceConditions: [cond('注册资本不得少于人民币二百万元，有与开展业务相适应的固定经营场所和设施，有符合法律、行政法规规定的劳务派遣管理制度。')],
      processSteps: licenceSteps({ decision: '符合条件的核发《劳务派遣经营许可证》，有效期3年。' }),
      legalLimitDays: 20,
      promisedLimitDays: 10,
      materials: [applicationForm('劳务派遣经营许可申请书'), businessLicence(), upload('premises', '经营场所使用证明及设施设备清单', 'electronic'), upload('rules', '劳务派遣管理制度', 'electronic'), upload('contract', '劳务派遣协议样本', 'electronic'), ...agentMaterials()],
      channels: ['online', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: companyForm('劳务派遣经营许可申请', { registeredCapital: { type: 'number', title: '注册资本（万元）', minimum: 200, maximum: 10000000 }, premises: str('经营场所', 200) }, ['registeredCapital', 'premises']),
    }, { where: { counter: '人力资源社会保障窗口' } }),
  ],
};

function hukouFor() {
  return licence('hukou', '居民户口簿', 'hukou', { when: { minor: 'yes' }, note: '未满16周岁的证明监护关系' });
}
