// 市场监管: market-entity registration, food and drug licences, special equipment.
import type { DemoCatalogGroup, Material } from '../types.ts';
import {
  AGENT_QUESTION, COUNTIES, FLAGSHIP, JIANGNING, KUNSHAN, SHUYANG, LICENSING_ACT_42, MARKET_REGISTRATION_19, PROVINCE, SIX_CITIES, WUZHONG, agentMaterials, applicationForm, businessLicence, companyForm, cond,
  idCard, impl, int, item, law, legalRepId, licence, licenceSteps, num, personForm, pick, regulation, shared, str, upload,
} from '../builders.ts';

const FOOD_SAFETY_35 = law(
  '《中华人民共和国食品安全法》',
  '第三十五条：国家对食品生产经营实行许可制度。从事食品生产、食品销售、餐饮服务，应当依法取得许可；销售食用农产品和仅销售预包装食品的，不需要取得许可，仅销售预包装食品的应当报所在地县级以上地方人民政府食品安全监督管理部门备案。',
);
const MARKET_REGISTRATION_3 = regulation(
  '《中华人民共和国市场主体登记管理条例》',
  '第三条：市场主体应当依照本条例办理登记。未经登记，不得以市场主体名义从事经营活动；市场主体登记包括设立登记、变更登记和注销登记。',
);
const SPECIAL_EQUIPMENT_ACT = '《中华人民共和国特种设备安全法》';

/** Materials every company registration asks for, and the agent materials. */
function companyBasics(): Material[] {
  return [applicationForm('登记申请书（全程电子化在线填报、电子签名）'), legalRepId(), ...agentMaterials()];
}

export const MARKET_REGULATION: DemoCatalogGroup = {
  items: [
    item('01-0201-000', '食品经营许可', '01', 'market_regulation', ['city', 'county'], ['company', 'person'], ['operations', 'company_start'], ['开饭店', '开餐馆', '开饭馆', '开小吃店', '开奶茶店', '开超市', '卖熟食', '餐饮许可证', '食品经营许可证', '食品许可证'], [
      FOOD_SAFETY_35,
      LICENSING_ACT_42,
    ]),
    item('01-0202-000', '食品生产许可', '01', 'market_regulation', ['province', 'city'], ['company'], ['operations', 'company_start'], ['开食品厂', 'SC证', '办SC', '食品生产许可证', '食品加工厂', '生产许可证'], [
      FOOD_SAFETY_35,
      LICENSING_ACT_42,
    ]),
    item('01-0203-000', '个体工商户设立登记', '01', 'market_regulation', ['county'], ['person'], ['company_start'], ['办个体执照', '个体户营业执照', '开小店', '开网店执照', '个体工商户注册', '办营业执照', '个体户注册'], [
      regulation('《促进个体工商户发展条例》', '第二条：有经营能力的公民在中华人民共和国境内从事工商业经营，依法登记为个体工商户的，适用本条例。'),
      MARKET_REGISTRATION_3,
      MARKET_REGISTRATION_19,
    ]),
    item('01-0204-000', '企业设立登记', '01', 'market_regulation', ['province', 'city', 'county'], ['company', 'person'], ['company_start'], ['注册公司', '开公司', '成立公司', '公司注册', '企业开办', '办营业执照', '注册有限公司', '开办企业'], [
      law('《中华人民共和国公司法》', '第二十九条：设立公司，应当依法向公司登记机关申请设立登记；法律、行政法规规定设立公司必须报经批准的，应当在公司登记前依法办理批准手续。'),
      MARKET_REGISTRATION_3,
      MARKET_REGISTRATION_19,
    ]),
    item('01-0205-000', '企业变更登记', '01', 'market_regulation', ['province', 'city', 'county'], ['company'], ['company_change'], ['营业执照变更', '改公司名字', '换法人', '变更地址', '公司增资', '变更经营范围', '股权变更', '公司迁址'], [
      law('《中华人民共和国公司法》', '第三十四条：公司登记事项发生变更的，应当依法办理变更登记；公司登记事项未经登记或者未经变更登记，不得对抗善意相对人。'),
      regulation('《中华人民共和国市场主体登记管理条例》', '第二十四条：市场主体变更登记事项，应当自作出变更决议、决定或者法定变更事项发生之日起30日内向登记机关申请变更登记。'),
      MARKET_REGISTRATION_19,
    ]),
    item('01-0206-000', '企业注销登记', '01', 'market_regulation', ['province', 'city', 'county'], ['company'], ['company_close'], ['注销公司', '公司关门', '简易注销', '注销营业执照', '企业注销', '公司不开了'], [
      regulation('《中华人民共和国市场主体登记管理条例》', '第三十一条：市场主体因解散、被宣告破产或者其他法定事由需要终止的，应当依法向登记机关申请注销登记；经登记机关注销登记，市场主体终止。'),
      regulation('《中华人民共和国市场主体登记管理条例》', '第三十三条：未发生或者已清偿完结债权债务等，并由全体投资人书面承诺的，可以按照简易程序办理注销登记；承诺书及注销登记申请公示期为20日。'),
    ]),
    item('01-0207-000', '药品零售经营许可', '01', 'market_regulation', ['city', 'county'], ['company'], ['operations'], ['开药店', '开药房', '药品经营许可证', '连锁药店', '大药房'], [
      law('《中华人民共和国药品管理法》', '第五十一条：从事药品零售活动，应当经所在地县级以上地方人民政府药品监督管理部门批准，取得药品经营许可证；无药品经营许可证的，不得经营药品。'),
      law('《中华人民共和国药品管理法》', '第五十二条：从事药品经营活动应当具备依法经过资格认定的药师或者其他药学技术人员，相适应的营业场所、设备、仓储设施和卫生环境，质量管理机构或者人员及规章制度。'),
      LICENSING_ACT_42,
    ]),
    item('01-0208-000', '特种设备使用登记', '01', 'market_regulation', ['city', 'county'], ['company'], ['operations', 'construction'], ['电梯登记', '锅炉登记', '叉车上牌', '压力容器登记', '特种设备登记', '电梯使用证'], [
      law(SPECIAL_EQUIPMENT_ACT, '第三十三条：特种设备使用单位应当在特种设备投入使用前或者投入使用后三十日内，向负责特种设备安全监督管理的部门办理使用登记，取得使用登记证书；登记标志应当置于该特种设备的显著位置。'),
      LICENSING_ACT_42,
    ]),
    item('01-0209-000', '特种设备作业人员资格认定', '01', 'market_regulation', ['city'], ['person'], ['employment'], ['叉车证', '电梯操作证', '锅炉工证', '特种设备作业证', '压力容器操作证', '起重机操作证'], [
      law(SPECIAL_EQUIPMENT_ACT, '第十四条：特种设备安全管理人员、检测人员和作业人员应当按照国家有关规定取得相应资格，方可从事相关工作。'),
      LICENSING_ACT_42,
    ]),
  ],

  implementations: [
    impl('01-0201-000', [...FLAGSHIP, ...COUNTIES], {
      subItems: [{ code: '01', name: '新办' }, { code: '02', name: '变更' }, { code: '03', name: '延续' }, { code: '04', name: '注销' }],
      questions: [
        { id: 'kind', text: '您要办理哪项业务？', options: [{ value: 'new', label: '新办' }, { value: 'change', label: '变更' }, { value: 'renew', label: '延续' }, { value: 'cancel', label: '注销' }] },
        { id: 'catering', text: '是否从事餐饮服务（含现制现售饮品）？', options: [{ value: 'yes', label: '是' }, { value: 'no', label: '否，仅食品销售' }] },
        AGENT_QUESTION,
      ],
      acceptanceConditions: [
        cond('已取得营业执照等合法主体资格。', { kind: 'new' }),
        cond('具有与经营的食品品种、数量相适应的经营场所，并与有毒、有害场所以及其他污染源保持规定的距离。', { kind: 'new' }),
        cond('有食品安全管理人员和保证食品安全的规章制度，有合理的设备布局和工艺流程。', { kind: 'new' }),
        cond('餐饮服务场所设有相应的消毒、更衣、洗手、通风、防尘、防蝇、防鼠等设备设施。', { kind: 'new', catering: 'yes' }),
        cond('在食品经营许可证有效期届满前提出延续申请。', { kind: 'renew' }),
      ],
      processSteps: licenceSteps({ inspection: '需要现场核查的，由核查人员对经营场所进行核查（实行告知承诺的可先行发证、事后核查）。', decision: '符合条件的核发《食品经营许可证》。' }),
      legalLimitDays: 20,
      promisedLimitDays: 3,
      materials: [
        applicationForm('食品经营许可申请书'),
        businessLicence({ when: { kind: 'new' } }),
        legalRepId(),
        upload('layout', '经营场所平面图和设备布局、工艺流程图', 'electronic', { when: { kind: 'new' } }),
        upload('rules', '食品安全自查、从业人员健康管理、进货查验记录等管理制度', 'electronic', { when: { kind: 'new' } }),
        upload('manager', '食品安全管理人员名单及培训考核情况', 'electronic', { when: { kind: 'new' } }),
        upload('change_proof', '与变更事项有关的证明材料', 'electronic', { when: { kind: 'change' } }),
        licence('food_business', '原食品经营许可证', 'food_business', { when: { kind: 'change' } }),
        licence('food_business_renew', '原食品经营许可证', 'food_business', { when: { kind: 'renew' } }),
        licence('food_business_cancel', '原食品经营许可证', 'food_business', { when: { kind: 'cancel' } }),
        ...agentMaterials(),
      ],
      channels: ['online', 'mobile', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: companyForm('食品经营许可申请书', {
        kind: pick('申请类型', ['新办', '变更', '延续', '注销']),
        operatorType: pick('主体业态', ['食品销售经营者', '餐饮服务经营者', '单位食堂']),
        premises: str('经营场所', 200),
        area: num('经营场所面积（平方米）', 1, 100000),
        projects: { type: 'array', title: '经营项目', minItems: 1, uniqueItems: true, items: { type: 'string', title: '经营项目', enum: ['预包装食品销售（含冷藏冷冻食品）', '散装食品销售', '特殊食品销售', '热食类食品制售', '冷食类食品制售', '生食类食品制售', '半成品制售', '自制饮品制售'] } },
        manager: str('食品安全管理人员', 30),
      }, ['kind', 'operatorType', 'premises', 'projects']),
      commitmentApproval: { allowed: true, verifyWithinDays: 20, text: '本人承诺：经营场所、设备设施、管理制度和人员符合食品经营许可条件，所提交材料真实有效；如与承诺不符，愿承担许可被撤销等法律责任。' },
    }, { where: { counter: '市场监管综合窗口' }, overrides: { [KUNSHAN]: { promisedLimitDays: 2 }, [WUZHONG]: { promisedLimitDays: 2 } } }),

    impl('01-0202-000', FLAGSHIP, {
      subItems: [{ code: '01', name: '首次申请' }, { code: '02', name: '变更' }, { code: '03', name: '延续' }, { code: '04', name: '注销' }],
      acceptanceConditions: [
        cond('具有与生产的食品品种、数量相适应的生产场所、生产设备或者设施。'),
        cond('有专职或者兼职的食品安全专业技术人员、食品安全管理人员和保证食品安全的规章制度。'),
        cond('具有合理的设备布局和工艺流程，防止待加工食品与直接入口食品、原料与成品交叉污染。'),
      ],
      processSteps: licenceSteps({ review: '对申请材料进行审查，组织审查组开展现场核查。', inspection: '审查组按照《食品生产许可审查通则》对生产场所、设备设施、设备布局与工艺流程、人员管理、管理制度等进行现场核查。', decision: '符合条件的核发《食品生产许可证》（SC编号）。' }),
      legalLimitDays: 20,
      promisedLimitDays: 10,
      materials: [
        applicationForm('食品生产许可申请书'),
        businessLicence(),
        upload('plant_layout', '食品生产加工场所及其周围环境平面图、各功能区间布局平面图', 'electronic'),
        upload('process_flow', '食品生产工艺流程图和设备布局图', 'electronic'),
        upload('equipment', '食品生产主要设备、设施清单', 'electronic'),
        upload('rules', '专职或者兼职的食品安全专业技术人员、食品安全管理人员信息和食品安全管理制度', 'electronic'),
        ...agentMaterials(),
      ],
      questions: [AGENT_QUESTION],
      channels: ['online', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: companyForm('食品生产许可申请书', {
        plantAddress: str('生产地址', 200),
        category: pick('食品类别', ['粮食加工品', '食用油、油脂及其制品', '调味品', '肉制品', '乳制品', '饮料', '方便食品', '饼干', '速冻食品', '糕点', '其他']),
        products: str('申证产品明细', 500),
      }, ['plantAddress', 'category', 'products']),
    }, { where: { counter: '市场监管综合窗口' } }),

    impl('01-0203-000', COUNTIES, {
      questions: [
        { id: 'premises', text: '经营场所是自有还是租用？', options: [{ value: 'own', label: '自有房屋' }, { value: 'rent', label: '租用房屋' }, { value: 'online', label: '网络经营（以网络经营场所登记）' }] },
        AGENT_QUESTION,
      ],
      acceptanceConditions: [
        cond('申请人为具有经营能力的公民，名称、经营场所、经营范围符合登记要求。'),
        cond('经营范围涉及前置审批的，已取得相关许可。'),
      ],
      processSteps: licenceSteps({ review: '对申请材料进行形式审查。', decision: '材料齐全、符合法定形式的当场登记，核发营业执照（同步生成电子营业执照）。' }),
      legalLimitDays: 3,
      promisedLimitDays: 0,
      materials: [
        applicationForm('个体工商户登记（备案）申请书'),
        licence('id_card', '经营者居民身份证', 'id_card'),
        licence('real_estate', '不动产权证书', 'real_estate', { when: { premises: 'own' } }),
        upload('lease', '经营场所租赁合同', 'electronic', { when: { premises: 'rent' } }),
        upload('online_store', '网络经营场所（网店）网址及平台证明', 'electronic', { when: { premises: 'online' } }),
        ...agentMaterials(),
      ],
      channels: ['online', 'mobile', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: personForm('个体工商户登记申请书', {
        tradeName: str('个体工商户名称（可不起字号）', 50),
        premises: str('经营场所', 200),
        scope: str('经营范围', 500),
        capital: num('资金数额（万元）', 0, 100000),
        organisation: pick('组成形式', ['个人经营', '家庭经营']),
        employees: int('从业人数', 0, 1000),
      }, ['premises', 'scope', 'organisation']),
    }, { where: { counter: '市场主体登记窗口' } }),

    impl('01-0204-000', [PROVINCE, ...FLAGSHIP, ...COUNTIES], {
      subItems: [{ code: '01', name: '有限责任公司设立登记' }, { code: '02', name: '股份有限公司设立登记' }, { code: '03', name: '分公司设立登记' }, { code: '04', name: '个人独资企业设立登记' }],
      questions: [
        { id: 'premises', text: '住所是自有还是租用？', options: [{ value: 'own', label: '自有房屋' }, { value: 'rent', label: '租用房屋' }] },
        AGENT_QUESTION,
      ],
      acceptanceConditions: [
        cond('企业名称经自主申报且符合名称登记管理规定。'),
        cond('有符合公司章程规定的全体股东认缴的出资额，有限责任公司全体股东认缴的出资额自公司成立之日起五年内缴足。'),
        cond('有公司住所，经营范围涉及前置审批的已取得相关许可。'),
      ],
      processSteps: licenceSteps({ review: '对申请材料进行形式审查；企业开办“一件事”同步办理印章刻制、发票申领、社保和公积金登记。', decision: '符合条件的当场或3个工作日内登记，核发营业执照（同步生成电子营业执照）。' }),
      legalLimitDays: 3,
      promisedLimitDays: 1,
      materials: [
        ...companyBasics(),
        upload('articles', '公司章程', 'electronic'),
        upload('shareholders', '股东主体资格证明或者自然人身份证件', 'electronic'),
        upload('officers', '董事、监事、高级管理人员的任职文件', 'electronic'),
        licence('real_estate', '住所不动产权证书', 'real_estate', { when: { premises: 'own' } }),
        upload('lease', '住所租赁合同', 'electronic', { when: { premises: 'rent' } }),
      ],
      channels: ['online', 'mobile', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: personForm('企业设立登记申请书', {
        companyName: str('企业名称', 100),
        companyType: pick('企业类型', ['有限责任公司', '股份有限公司', '分公司', '个人独资企业']),
        domicile: str('住所', 200),
        registeredCapital: num('注册资本（万元）', 0, 10000000),
        scope: str('经营范围', 1000),
        legalRepresentative: str('法定代表人', 30),
      }, ['companyName', 'companyType', 'domicile', 'scope', 'legalRepresentative']),
    }, { where: { counter: '企业开办专区' } }),

    impl('01-0205-000', [PROVINCE, ...FLAGSHIP, ...COUNTIES], {
      questions: [
        { id: 'matter', text: '变更哪类登记事项？', options: [{ value: 'name', label: '名称' }, { value: 'domicile', label: '住所' }, { value: 'legal_rep', label: '法定代表人' }, { value: 'capital', label: '注册资本' }, { value: 'scope', label: '经营范围' }, { value: 'shares', label: '股东（股权转让）' }] },
        AGENT_QUESTION,
      ],
      acceptanceConditions: [cond('自作出变更决议、决定或者法定变更事项发生之日起30日内申请。')],
      processSteps: licenceSteps({ review: '对申请材料进行形式审查。', decision: '符合条件的当场或3个工作日内予以变更登记，换发营业执照。' }),
      legalLimitDays: 3,
      promisedLimitDays: 1,
      materials: [
        ...companyBasics(),
        businessLicence(),
        upload('resolution', '股东会（股东大会）决议或者股东决定', 'electronic'),
        upload('amended_articles', '修改后的公司章程或章程修正案', 'electronic'),
        upload('new_domicile', '新住所使用证明', 'electronic', { when: { matter: 'domicile' } }),
        upload('new_rep', '新任法定代表人任职文件', 'electronic', { when: { matter: 'legal_rep' } }),
        upload('transfer', '股权转让协议', 'electronic', { when: { matter: 'shares' } }),
      ],
      channels: ['online', 'mobile', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: companyForm('企业变更登记申请书', {
        matters: { type: 'array', title: '变更事项', minItems: 1, uniqueItems: true, items: { type: 'string', title: '事项', enum: ['名称', '住所', '法定代表人', '注册资本', '经营范围', '股东'] } },
        before: str('变更前内容', 500),
        after: str('变更后内容', 500),
        resolutionDate: { type: 'string', title: '决议日期', format: 'date' },
      }, ['matters', 'before', 'after']),
    }, { where: { counter: '市场主体登记窗口' } }),

    impl('01-0206-000', [...FLAGSHIP, ...COUNTIES], {
      subItems: [{ code: '01', name: '一般注销' }, { code: '02', name: '简易注销' }],
      questions: [{ id: 'simple', text: '是否符合简易注销条件（无债权债务或已清偿完结）？', options: [{ value: 'yes', label: '是，申请简易注销' }, { value: 'no', label: '否，经清算后一般注销' }] }, AGENT_QUESTION],
      acceptanceConditions: [
        cond('已依法清算，清算组已通过国家企业信用信息公示系统公告，并已办结税务清税。', { simple: 'no' }),
        cond('全体投资人书面承诺，并经国家企业信用信息公示系统公示20日无异议。', { simple: 'yes' }),
      ],
      processSteps: licenceSteps({ review: '核查清税信息、公示情况及申请材料。', decision: '符合条件的予以注销登记，收缴营业执照。', delivery: '注销结果通过国家企业信用信息公示系统公示，电子营业执照同步注销。' }),
      legalLimitDays: 3,
      promisedLimitDays: 1,
      materials: [
        ...companyBasics(),
        upload('liquidation_report', '经确认的清算报告', 'electronic', { when: { simple: 'no' } }),
        upload('commitment', '全体投资人承诺书', 'electronic', { when: { simple: 'yes' } }),
        shared('tax_clearance', '清税证明', '税务部门清税信息'),
      ],
      channels: ['online', 'mobile', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: companyForm('企业注销登记申请书', {
        kind: pick('注销方式', ['一般注销', '简易注销']),
        reason: pick('注销原因', ['章程规定的营业期限届满', '股东会决议解散', '因合并或分立需要解散', '被依法吊销营业执照或责令关闭', '其他']),
      }, ['kind', 'reason']),
    }, { where: { counter: '市场主体登记窗口' } }),

    impl('01-0207-000', [...FLAGSHIP, JIANGNING, KUNSHAN, SHUYANG], {
      subItems: [{ code: '01', name: '核发' }, { code: '02', name: '变更' }, { code: '03', name: '换证' }],
      acceptanceConditions: [
        cond('有依法经过资格认定的药师或者其他药学技术人员（执业药师）。'),
        cond('有与所经营药品相适应的营业场所、设备、仓储设施和卫生环境，符合药品经营质量管理规范。'),
      ],
      processSteps: licenceSteps({ inspection: '组织对营业场所、设施设备和质量管理体系进行现场检查。', decision: '符合条件的核发《药品经营许可证》。' }),
      legalLimitDays: 20,
      promisedLimitDays: 10,
      materials: [
        applicationForm('药品经营许可证申请表'),
        businessLicence(),
        upload('pharmacist', '执业药师注册证及在岗承诺', 'electronic'),
        upload('premises', '营业场所、仓库平面布置图及产权或使用权证明', 'electronic'),
        upload('quality_rules', '药品质量管理制度文件目录', 'electronic'),
      ],
      channels: ['online', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: companyForm('药品经营许可证（零售）申请表', {
        storeAddress: str('经营地址', 200),
        scope: { type: 'array', title: '经营范围', minItems: 1, uniqueItems: true, items: { type: 'string', title: '经营范围', enum: ['处方药', '甲类非处方药', '乙类非处方药', '中药饮片', '中药材'] } },
        pharmacist: str('执业药师姓名', 30),
      }, ['storeAddress', 'scope', 'pharmacist']),
    }, { where: { counter: '市场监管综合窗口' } }),

    impl('01-0208-000', [...FLAGSHIP, ...COUNTIES], {
      acceptanceConditions: [cond('特种设备已经监督检验合格（需监督检验的），在投入使用前或者投入使用后30日内申请。')],
      processSteps: licenceSteps({ decision: '符合条件的核发《特种设备使用登记证》和使用登记标志。' }),
      legalLimitDays: 20,
      promisedLimitDays: 5,
      materials: [
        applicationForm('特种设备使用登记表'),
        businessLicence({ name: '使用单位营业执照' }),
        upload('manufacture_docs', '特种设备产品合格证（含产品数据表）', 'electronic'),
        shared('inspection_certificate', '监督检验证明', '特种设备检验检测机构检验信息'),
      ],
      channels: ['online', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: companyForm('特种设备使用登记申请', {
        equipmentType: pick('设备种类', ['电梯', '锅炉', '压力容器', '起重机械', '场（厂）内专用机动车辆', '大型游乐设施', '客运索道', '压力管道']),
        equipmentCode: str('设备代码', 30),
        location: str('使用地点', 200),
      }, ['equipmentType', 'equipmentCode', 'location']),
    }, { where: { counter: '市场监管综合窗口' } }),

    impl('01-0209-000', SIX_CITIES, {
      acceptanceConditions: [cond('年龄18周岁以上且不超过法定退休年龄，具有初中以上学历，经考试机构考试合格。')],
      processSteps: licenceSteps({ review: '审查考试成绩和申请材料。', decision: '符合条件的颁发《特种设备安全管理和作业人员证》（电子证）。' }),
      legalLimitDays: 20,
      promisedLimitDays: 15,
      materials: [idCard(), shared('exam_result', '考试合格记录', '特种设备作业人员考试信息'), upload('diploma', '学历证明', 'electronic')],
      channels: ['online', 'mobile'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: personForm('特种设备作业人员资格申请', {
        project: pick('作业项目', ['电梯修理', '叉车司机', '工业锅炉司炉', '快开门式压力容器操作', '起重机指挥', '起重机司机']),
        employer: str('工作单位', 100),
      }, ['project']),
    }, { where: { counter: '市场监管综合窗口' } }),
  ],
};
