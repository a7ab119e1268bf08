// 自然资源和规划: real-estate registration (不动产登记) and planning permits. In the demo these
// departments exist at province and city level only (demo/organisations.ts).
import type { DemoCatalogGroup, LegalBasis } from '../types.ts';
import {
  AGENT_QUESTION, ALL_CITIES, FLAGSHIP, SIX_CITIES, SUQIAN, SUZHOU, XUZHOU, YANCHENG, agentMaterials, applicationForm, businessLicence, companyForm, cond, idCard, impl, instantSteps,
  item, law, licence, licenceSteps, num, personForm, pick, regulation, shared, str, upload,
} from '../builders.ts';

const CIVIL_CODE_209 = law('《中华人民共和国民法典》', '第二百零九条：不动产物权的设立、变更、转让和消灭，经依法登记，发生效力；未经登记，不发生效力，但是法律另有规定的除外。');
const REGISTRATION_REGULATION = '《不动产登记暂行条例》';
const REGISTRATION_3 = regulation(REGISTRATION_REGULATION, '第三条：不动产首次登记、变更登记、转移登记、注销登记、更正登记、异议登记、预告登记、查封登记等，适用本条例。');
const REGISTRATION_20 = regulation(REGISTRATION_REGULATION, '第二十条：不动产登记机构应当自受理登记申请之日起30个工作日内办结不动产登记手续，法律另有规定的除外。');
const PLANNING_ACT = '《中华人民共和国城乡规划法》';

/** 不动产登记费 for a dwelling; the certificate itself is free for the first copy. */
const REGISTRATION_FEE = { name: '不动产登记费（住宅类）', amountFen: 8000, basis: '《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》（发改价格规〔2016〕2559号）：住宅类不动产登记收费标准为每件80元，含第一本不动产权属证书工本费' };

function registration(name: string, code: string, audience: ('person' | 'company')[], themes: string[], keywords: string[], extra: LegalBasis[]) {
  return item(code, `不动产登记（${name}）`, '07', 'natural_resources', ['city'], audience, themes, keywords, [CIVIL_CODE_209, REGISTRATION_3, ...extra, REGISTRATION_20]);
}

export const NATURAL_RESOURCES: DemoCatalogGroup = {
  items: [
    registration('国有建设用地使用权及房屋所有权首次登记', '07-0701-001', ['company'], ['construction', 'housing'], ['房屋初始登记', '大产证', '首次登记', '新房首次登记'], []),
    registration('国有建设用地使用权及房屋所有权转移登记', '07-0701-002', ['person', 'company'], ['housing'], ['过户', '房产过户', '买房过户', '二手房过户', '办房产证', '继承房产', '房屋赠与', '不动产权证'], [
      regulation(REGISTRATION_REGULATION, '第十四条：因买卖、设定抵押权等申请不动产登记的，应当由当事人双方共同申请；继承、接受遗赠取得不动产权利等情形，可以由当事人单方申请。'),
    ]),
    registration('抵押权首次登记', '07-0701-003', ['person', 'company'], ['housing'], ['房屋抵押', '抵押登记', '按揭登记', '房贷抵押', '他项权证'], [
      law('《中华人民共和国民法典》', '第四百零二条：以建筑物和其他土地附着物、建设用地使用权等财产或者正在建造的建筑物抵押的，应当办理抵押登记。抵押权自登记时设立。'),
    ]),
    item('11-0702-000', '不动产登记资料查询', '11', 'natural_resources', ['city'], ['person', 'company'], ['housing'], ['查房产', '房产证明', '无房证明', '有房证明', '不动产查询', '查询名下房产', '房屋档案查询'], [
      regulation(REGISTRATION_REGULATION, '第二十七条：权利人、利害关系人可以依法查询、复制不动产登记资料，不动产登记机构应当提供。'),
    ]),
    item('01-0703-000', '建设工程规划许可证核发', '01', 'natural_resources', ['city'], ['company', 'person'], ['construction'], ['规划许可证', '工程规划许可', '建设工程规划', '方案审查', '规划证'], [
      law(PLANNING_ACT, '第四十条：在城市、镇规划区内进行建筑物、构筑物、道路、管线和其他工程建设的，建设单位或者个人应当向城市、县人民政府城乡规划主管部门申请办理建设工程规划许可证；对符合控制性详细规划和规划条件的，核发建设工程规划许可证。'),
    ]),
    item('01-0704-000', '建设用地规划许可证核发', '01', 'natural_resources', ['city'], ['company'], ['construction'], ['用地规划许可证', '用地许可', '拿地手续', '建设用地规划'], [
      law(PLANNING_ACT, '第三十七条：以划拨方式提供国有土地使用权的建设项目，经有关部门批准、核准、备案后，建设单位应当向城市、县人民政府城乡规划主管部门提出建设用地规划许可申请，核发建设用地规划许可证。'),
      law(PLANNING_ACT, '第三十八条：以出让方式取得国有土地使用权的建设项目，建设单位在取得建设项目的批准、核准、备案文件和签订国有土地使用权出让合同后，向城市、县人民政府城乡规划主管部门领取建设用地规划许可证。'),
    ]),
    item('01-0705-000', '乡村建设规划许可证核发', '01', 'natural_resources', ['city'], ['person', 'company'], ['construction', 'housing'], ['农村建房', '盖房子审批', '宅基地建房', '乡村建设规划许可证', '农房翻建'], [
      law(PLANNING_ACT, '第四十一条：在乡、村庄规划区内进行乡镇企业、乡村公共设施和公益事业建设以及农村村民住宅建设的，由乡、镇人民政府报城市、县人民政府城乡规划主管部门核发乡村建设规划许可证；确需占用农用地的，应当依法办理农用地转用审批手续。'),
    ]),
  ],

  implementations: [
    impl('07-0701-001', FLAGSHIP, {
      questions: [AGENT_QUESTION],
      acceptanceConditions: [cond('房屋已竣工验收并完成竣工验收备案，国有建设用地使用权已登记，已完成不动产权籍调查。')],
      processSteps: licenceSteps({ review: '审查权属来源、权籍调查成果，实地查看；首次登记按规定公告。', decision: '符合条件的记载于不动产登记簿。', delivery: '核发不动产权证书（电子证照同步生成）。' }),
      legalLimitDays: 30,
      promisedLimitDays: 5,
      materials: [
        applicationForm('不动产登记申请书'),
        businessLicence(),
        shared('land_certificate', '国有建设用地使用权不动产权证书', '不动产登记信息'),
        shared('completion_filing', '竣工验收备案信息', '住建部门竣工验收备案信息'),
        upload('survey', '不动产权籍调查成果（房屋测绘报告）', 'electronic'),
        ...agentMaterials(),
      ],
      fees: [{ name: '不动产登记费（非住宅类）', amountFen: 55000, basis: '《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》（发改价格规〔2016〕2559号）：非住宅类不动产登记收费标准为每件550元；住宅类每件80元' }],
      channels: ['online', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: companyForm('不动产首次登记申请', {
        location: str('不动产坐落', 200),
        unitNumber: str('不动产单元号', 28, { pattern: '^\\d{12}[A-Z]{2}\\d{5}[A-Z]\\d{8}$' }),
        area: num('建筑面积（平方米）', 0, 10000000),
      }, ['location', 'area']),
    }, { where: { counter: '不动产登记窗口' } }),

    impl('07-0701-002', SIX_CITIES, {
      subItems: [{ code: '01', name: '买卖' }, { code: '02', name: '继承、受遗赠' }, { code: '03', name: '赠与' }, { code: '04', name: '离婚析产' }],
      questions: [
        { id: 'reason', text: '转移原因是什么？', options: [{ value: 'sale', label: '买卖' }, { value: 'inherit', label: '继承、受遗赠' }, { value: 'gift', label: '赠与' }, { value: 'divorce', label: '离婚析产' }] },
        { id: 'married', text: '取得人是否已婚？', options: [{ value: 'no', label: '未婚、离异或丧偶' }, { value: 'yes', label: '已婚' }] },
        AGENT_QUESTION,
      ],
      acceptanceConditions: [
        cond('房屋无查封、异议登记等限制情形；已设立抵押的，经抵押权人同意。'),
        cond('买卖双方共同申请，已签订网签备案合同并完成契税申报缴纳（“一窗受理、并行办理”）。', { reason: 'sale' }),
        cond('继承人已确定，提交继承权公证书或生效法律文书，或经全体法定继承人到场确认。', { reason: 'inherit' }),
      ],
      processSteps: licenceSteps({ review: '“一窗受理”同步完成交易监管、税收征缴和登记审核，共享身份、婚姻、完税信息。', decision: '符合条件的将转移事项记载于不动产登记簿。', delivery: '核发不动产权证书（电子证照同步生成），可选择邮寄，水电气等一并过户。' }),
      legalLimitDays: 30,
      promisedLimitDays: 5,
      materials: [
        applicationForm('不动产登记申请书'),
        idCard({ name: '申请人身份证明（双方）' }),
        licence('real_estate', '不动产权证书（转让方）', 'real_estate'),
        licence('marriage', '结婚证', 'marriage', { when: { married: 'yes' } }),
        shared('contract', '存量房买卖合同（网签备案）', '房产交易网签备案信息', { when: { reason: 'sale' } }),
        shared('tax', '契税及相关税费完税信息', '税务部门不动产交易完税信息'),
        upload('inheritance', '继承权公证书或生效法律文书、死亡证明、亲属关系证明', 'original', { when: { reason: 'inherit' } }),
        upload('gift_contract', '赠与合同（经公证或双方到场签署）', 'original', { when: { reason: 'gift' } }),
        licence('divorce', '离婚证及离婚协议（或法院判决、调解书）', 'divorce', { when: { reason: 'divorce' } }),
        ...agentMaterials(),
      ],
      fees: [REGISTRATION_FEE],
      channels: ['online', 'mobile', 'window'],
      visits: 1,
      onlineDepth: 3,
      minRealNameLevel: 3,
      formSchema: personForm('不动产转移登记申请书', {
        reason: pick('转移原因', ['买卖', '继承', '受遗赠', '赠与', '离婚析产']),
        location: str('不动产坐落', 200),
        certificateNo: str('原不动产权证书号', 50),
        transferorName: str('转让方（权利人）', 100),
        price: num('成交价格（万元）', 0, 1000000),
        share: pick('共有方式', ['单独所有', '共同共有', '按份共有']),
      }, ['reason', 'location', 'certificateNo', 'transferorName', 'share']),
    }, { where: { counter: '不动产登记“一窗受理”窗口' }, overrides: { [SUZHOU]: { promisedLimitDays: 3 } } }),

    impl('07-0701-003', SIX_CITIES, {
      questions: [{ id: 'mortgagor', text: '抵押人类型？', options: [{ value: 'person', label: '自然人' }, { value: 'company', label: '企业' }] }],
      acceptanceConditions: [cond('抵押人与抵押权人（银行等）共同申请；“不动产登记+金融服务”可由银行网点代为提交。')],
      processSteps: licenceSteps({ review: '审查主债权合同、抵押合同和不动产权属状况。', decision: '记载于不动产登记簿，抵押权自登记时设立。', delivery: '核发不动产登记证明（电子证明推送抵押权人）。' }),
      legalLimitDays: 30,
      promisedLimitDays: 1,
      materials: [
        applicationForm('不动产登记申请书'),
        licence('real_estate', '不动产权证书', 'real_estate'),
        upload('mortgage_contract', '主债权合同和抵押合同', 'electronic'),
        idCard({ name: '抵押人身份证明', when: { mortgagor: 'person' } }),
        businessLicence({ name: '抵押人营业执照', when: { mortgagor: 'company' } }),
        upload('bank_licence', '抵押权人（金融机构）营业执照和金融许可证', 'electronic'),
      ],
      fees: [REGISTRATION_FEE],
      channels: ['online', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 3,
      formSchema: personForm('抵押权登记申请', {
        location: str('抵押不动产坐落', 200),
        mortgagee: str('抵押权人', 100),
        amount: num('被担保主债权数额（万元）', 0, 10000000),
        debtStart: { type: 'string', title: '债务履行期限起', format: 'date' },
        debtEnd: { type: 'string', title: '债务履行期限止', format: 'date' },
      }, ['location', 'mortgagee', 'amount', 'debtStart', 'debtEnd']),
    }, { where: { counter: '不动产登记窗口（银行网点可代办）' } }),

    impl('11-0702-000', ALL_CITIES, {
      questions: [{ id: 'who', text: '查询人身份？', options: [{ value: 'owner', label: '权利人本人' }, { value: 'interested', label: '利害关系人' }] }, AGENT_QUESTION],
      acceptanceConditions: [cond('利害关系人查询的，应当说明查询目的并提交存在利害关系的证明材料；查询结果不得用于其他目的。', { who: 'interested' })],
      processSteps: instantSteps('即时出具不动产登记信息查询结果证明（电子证明可在线验证）。'),
      legalLimitDays: 1,
      promisedLimitDays: 0,
      materials: [
        idCard({ name: '查询人身份证明' }),
        upload('interest_proof', '存在利害关系的证明材料', 'original', { when: { who: 'interested' } }),
        ...agentMaterials(),
      ],
      channels: ['online', 'mobile', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: personForm('不动产登记资料查询申请', {
        purpose: pick('查询目的', ['购房资格', '子女入学', '公积金贷款或提取', '诉讼', '其他']),
        scope: pick('查询内容', ['名下不动产登记结果（有无房产）', '指定不动产登记结果', '登记原始资料']),
        location: str('指定不动产坐落', 200),
      }, ['purpose', 'scope']),
    }, { where: { counter: '不动产登记窗口' } }),

    impl('01-0703-000', FLAGSHIP, {
      acceptanceConditions: [cond('已取得使用土地的有关证明文件，建设工程设计方案符合控制性详细规划和规划条件。')],
      processSteps: licenceSteps({ review: '审查建设工程设计方案，按规定进行批前公示。', decision: '符合条件的核发《建设工程规划许可证》，公布经审定的设计方案总平面图。' }),
      legalLimitDays: 20,
      promisedLimitDays: 10,
      materials: [
        applicationForm('建设工程规划许可申请表'),
        shared('land', '使用土地的有关证明文件（不动产权证书或用地批准文件）', '不动产登记和用地审批信息'),
        upload('design', '建设工程设计方案（总平面图、单体建筑方案等）', 'electronic'),
        upload('detailed_plan', '修建性详细规划', 'electronic', { required: false, note: '需要编制修建性详细规划的项目提交' }),
      ],
      channels: ['online', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: companyForm('建设工程规划许可申请', {
        projectName: str('项目名称', 100),
        projectCode: str('项目代码', 24),
        site: str('建设位置', 200),
        floorArea: num('总建筑面积（平方米）', 0, 10000000),
      }, ['projectName', 'site', 'floorArea']),
    }, { where: { counter: '工程建设项目审批专窗' } }),

    impl('01-0704-000', FLAGSHIP, {
      questions: [{ id: 'supply', text: '土地供应方式？', options: [{ value: 'transfer', label: '出让' }, { value: 'allocation', label: '划拨' }] }],
      acceptanceConditions: [
        cond('已取得建设项目批准、核准、备案文件并签订国有土地使用权出让合同。', { supply: 'transfer' }),
        cond('建设项目已经有关部门批准、核准、备案，符合控制性详细规划。', { supply: 'allocation' }),
      ],
      processSteps: licenceSteps({ decision: '核发《建设用地规划许可证》（与用地批准合并办理的同步出具）。' }),
      legalLimitDays: 20,
      promisedLimitDays: 5,
      materials: [
        applicationForm('建设用地规划许可申请表'),
        upload('project_approval', '建设项目批准、核准或备案文件', 'electronic'),
        upload('transfer_contract', '国有建设用地使用权出让合同', 'electronic', { when: { supply: 'transfer' } }),
        upload('site_plan', '用地红线图', 'electronic'),
      ],
      channels: ['online', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: companyForm('建设用地规划许可申请', { projectName: str('项目名称', 100), landArea: num('用地面积（平方米）', 0, 100000000), supply: pick('供地方式', ['出让', '划拨']) }, ['projectName', 'landArea', 'supply']),
    }, { where: { counter: '工程建设项目审批专窗' } }),

    impl('01-0705-000', [XUZHOU, SUQIAN, YANCHENG], {
      questions: [{ id: 'kind', text: '建设类型？', options: [{ value: 'house', label: '农村村民住宅' }, { value: 'public', label: '乡镇企业、乡村公共设施和公益事业' }] }],
      acceptanceConditions: [
        cond('符合村庄规划，不占用永久基本农田；确需占用农用地的，已办理农用地转用审批。'),
        cond('一户一宅，宅基地申请已经村集体同意、乡镇审核。', { kind: 'house' }),
      ],
      processSteps: licenceSteps({ review: '乡镇人民政府受理并审核后报送，规划部门审查。', decision: '核发《乡村建设规划许可证》。', delivery: '由乡镇便民服务中心送达申请人。' }),
      legalLimitDays: 20,
      promisedLimitDays: 10,
      materials: [
        applicationForm('乡村建设规划许可申请表'),
        idCard({ when: { kind: 'house' } }),
        upload('village_opinion', '村民委员会意见', 'original', { when: { kind: 'house' } }),
        upload('homestead', '农村宅基地批准书或用地批准文件', 'electronic'),
        upload('drawings', '建设工程设计方案或农房通用图集选用说明', 'electronic'),
      ],
      channels: ['online', 'window'],
      visits: 1,
      onlineDepth: 3,
      minRealNameLevel: 2,
      formSchema: personForm('乡村建设规划许可申请', {
        kind: pick('建设类型', ['农村村民住宅', '乡镇企业', '乡村公共设施和公益事业']),
        village: str('所在村（组）', 100),
        floorArea: num('建筑面积（平方米）', 0, 100000),
        storeys: { type: 'integer', title: '层数', minimum: 1, maximum: 10 },
      }, ['kind', 'village', 'floorArea', 'storeys']),
    }, { where: { counter: '自然资源和规划窗口（乡镇便民服务中心可代收）' } }),
  ],
};
