// 住房城乡建设: construction permits, pre-sale, qualifications, gas, leases, completion filing.
import type { DemoCatalogGroup } from '../types.ts';
import {
  AGENT_QUESTION, COUNTIES, FLAGSHIP, JIANGNING, KUNSHAN, LICENSING_ACT_42, PIZHOU, PROVINCE, SIX_CITIES, WUZHONG, agentMaterials, applicationForm, businessLicence, companyForm, cond,
  date, idCard, impl, instantSteps, item, law, licence, licenceSteps, num, personForm, pick, regulation, shared, str, upload,
} from '../builders.ts';

const BUILDING_ACT = '《中华人民共和国建筑法》';
const CONSTRUCTION_QUALITY = '《建设工程质量管理条例》';
const REAL_ESTATE_ACT = '《中华人民共和国城市房地产管理法》';

export const HOUSING: DemoCatalogGroup = {
  items: [
    item('01-0601-000', '建筑工程施工许可证核发', '01', 'housing', ['city', 'county'], ['company'], ['construction'], ['施工许可证', '开工许可', '办施工证', '工程开工', '施工许可', '开工手续'], [
      law(BUILDING_ACT, '第七条：建筑工程开工前，建设单位应当按照国家有关规定向工程所在地县级以上人民政府建设行政主管部门申请领取施工许可证；国务院建设行政主管部门确定的限额以下的小型工程除外。'),
      law(BUILDING_ACT, '第八条：申请领取施工许可证，应当已经办理用地批准手续、依法取得建设工程规划许可证、确定建筑施工企业、有满足施工需要的资金安排和施工图纸及技术资料、有保证工程质量和安全的具体措施；建设行政主管部门应当自收到申请之日起七日内，对符合条件的申请颁发施工许可证。'),
    ]),
    item('01-0602-000', '商品房预售许可', '01', 'housing', ['city', 'county'], ['company'], ['construction', 'operations'], ['预售证', '商品房预售', '卖期房', '预售许可证', '楼盘开盘'], [
      law(REAL_ESTATE_ACT, '第四十五条：商品房预售，应当已交付全部土地使用权出让金并取得土地使用权证书，持有建设工程规划许可证，投入开发建设的资金达到工程建设总投资的百分之二十五以上并已确定施工进度和竣工交付日期，并向县级以上人民政府房产管理部门办理预售登记，取得商品房预售许可证明。'),
      LICENSING_ACT_42,
    ]),
    item('01-0603-000', '建筑业企业资质核准', '01', 'housing', ['province', 'city'], ['company'], ['construction', 'operations'], ['建筑资质', '施工资质', '建筑企业资质', '资质办理', '总承包资质', '资质升级'], [
      law(BUILDING_ACT, '第十三条：建筑施工企业、勘察单位、设计单位和工程监理单位，按照其拥有的注册资本、专业技术人员、技术装备和已完成的建筑工程业绩等资质条件，划分为不同的资质等级，经资质审查合格，取得相应等级的资质证书后，方可在其资质等级许可的范围内从事建筑活动。'),
      LICENSING_ACT_42,
    ]),
    item('01-0604-000', '燃气经营许可证核发', '01', 'housing', ['city', 'county'], ['company'], ['operations'], ['燃气经营许可证', '液化气站', '天然气经营', '燃气许可', '开煤气站'], [
      regulation('《城镇燃气管理条例》', '第十五条：国家对燃气经营实行许可证制度。从事燃气经营活动的企业，应当符合燃气发展规划要求，有符合国家标准的燃气气源和燃气设施，有固定的经营场所、完善的安全管理制度和健全的经营方案，主要负责人和安全、运行、维护、抢修人员经专业培训并考核合格；由县级以上地方人民政府燃气管理部门核发燃气经营许可证。'),
      LICENSING_ACT_42,
    ]),
    item('10-0605-000', '商品房屋租赁登记备案', '10', 'housing', ['city', 'county'], ['person', 'company'], ['housing'], ['租房备案', '租赁合同备案', '房屋租赁登记', '租房证明', '租房落户', '租房合同备案'], [
      law(REAL_ESTATE_ACT, '第五十四条：房屋租赁，出租人和承租人应当签订书面租赁合同，约定租赁期限、租赁用途、租赁价格、修缮责任等条款，以及双方的其他权利和义务，并向房产管理部门登记备案。'),
    ]),
    item('10-0606-000', '房屋建筑和市政基础设施工程竣工验收备案', '10', 'housing', ['city', 'county'], ['company'], ['construction'], ['竣工备案', '竣工验收备案', '工程竣工', '竣工验收'], [
      regulation(CONSTRUCTION_QUALITY, '第四十九条：建设单位应当自建设工程竣工验收合格之日起15日内，将建设工程竣工验收报告和规划、公安消防、环保等部门出具的认可文件或者准许使用文件报建设行政主管部门或者其他有关部门备案。'),
    ]),
  ],

  implementations: [
    impl('01-0601-000', [...FLAGSHIP, JIANGNING, WUZHONG, KUNSHAN, PIZHOU], {
      questions: [AGENT_QUESTION],
      acceptanceConditions: [
        cond('已经办理该建筑工程用地批准手续，依法应当办理建设工程规划许可证的已经取得。'),
        cond('已经确定施工企业，有满足施工需要的资金安排、施工图纸及技术资料，施工图设计文件已按规定审查合格。'),
        cond('有保证工程质量和安全的具体措施（工程质量安全监督手续与施工许可合并办理）。'),
      ],
      processSteps: licenceSteps({ review: '通过江苏省工程建设项目审批管理系统并联审查，共享用地、规划、施工图审查和招投标信息。', decision: '符合条件的核发《建筑工程施工许可证》（电子证照）。' }),
      legalLimitDays: 7,
      promisedLimitDays: 3,
      materials: [
        applicationForm('建筑工程施工许可申请表'),
        businessLicence({ name: '建设单位营业执照' }),
        shared('land_approval', '用地批准手续（不动产权证书或用地批准文件）', '自然资源部门不动产登记和用地审批信息'),
        shared('planning_permit', '建设工程规划许可证', '自然资源和规划部门规划许可信息'),
        shared('drawing_review', '施工图设计文件审查合格书', '施工图联合审查系统审查结果'),
        upload('contract', '施工合同（依法应当招标的提交中标通知书）', 'electronic'),
        upload('funding', '建设资金已经落实承诺书', 'electronic'),
        upload('safety', '保证工程质量和安全的具体措施', 'electronic'),
        ...agentMaterials(),
      ],
      intermediaryServices: [{ name: '施工图设计文件审查', basis: '《建设工程质量管理条例》第十一条：施工图设计文件未经审查批准的，不得使用。' }],
      channels: ['online', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: companyForm('建筑工程施工许可申请表', {
        projectName: str('工程名称', 100),
        projectCode: str('项目代码', 24, { pattern: '^\\d{4}-\\d{6}-\\d{2}-\\d{2}-\\d{6}$' }),
        site: str('建设地址', 200),
        contractPrice: num('合同价格（万元）', 0, 100000000),
        area: num('建筑面积（平方米）', 0, 10000000),
        contractor: str('施工单位', 100),
        startDate: date('计划开工日期'),
      }, ['projectName', 'projectCode', 'site', 'contractor']),
    }, { where: { counter: '工程建设项目审批专窗' } }),

    impl('01-0602-000', [...FLAGSHIP, JIANGNING, KUNSHAN], {
      acceptanceConditions: [
        cond('已交付全部土地使用权出让金，取得土地使用权证书，持有建设工程规划许可证和施工许可证。'),
        cond('按提供预售的商品房计算，投入开发建设的资金达到工程建设总投资的百分之二十五以上，并已确定施工进度和竣工交付日期。'),
        cond('已按规定开立商品房预售资金监管账户。'),
      ],
      processSteps: licenceSteps({ inspection: '对预售楼栋的形象进度进行现场查勘。', decision: '符合条件的核发《商品房预售许可证》并在网上公示。' }),
      legalLimitDays: 20,
      promisedLimitDays: 7,
      materials: [
        applicationForm('商品房预售许可申请表'),
        businessLicence(),
        upload('developer_qualification', '房地产开发企业资质证书', 'electronic'),
        shared('land_certificate', '国有建设用地使用权不动产权证书', '自然资源部门不动产登记信息'),
        shared('planning_permit', '建设工程规划许可证', '自然资源和规划部门规划许可信息'),
        shared('construction_permit', '建筑工程施工许可证', '住建部门施工许可信息'),
        upload('progress', '工程施工进度和竣工交付日期证明', 'electronic'),
        upload('sale_plan', '商品房预售方案（含分层平面图、预售价格）', 'electronic'),
        upload('escrow', '预售资金监管协议', 'electronic'),
      ],
      channels: ['online', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: companyForm('商品房预售许可申请', {
        projectName: str('项目名称', 100),
        buildings: str('申请预售楼栋', 200),
        presaleArea: num('预售面积（平方米）', 0, 10000000),
        units: { type: 'integer', title: '预售套数', minimum: 1, maximum: 100000 },
        escrowBank: str('监管银行', 50),
      }, ['projectName', 'buildings', 'presaleArea', 'units']),
    }, { where: { counter: '房产交易窗口' } }),

    impl('01-0603-000', [PROVINCE, ...FLAGSHIP], {
      subItems: [{ code: '01', name: '首次申请' }, { code: '02', name: '增项' }, { code: '03', name: '升级' }],
      questions: [AGENT_QUESTION],
      acceptanceConditions: [cond('企业净资产、注册建造师及技术负责人、技术工人、工程业绩等符合《建筑业企业资质标准》相应等级要求。')],
      processSteps: licenceSteps({ review: '通过全省建筑市场监管与诚信信息一体化平台审查人员、业绩信息，必要时组织专家评审。', decision: '符合条件的核发《建筑业企业资质证书》（电子证书）。' }),
      legalLimitDays: 20,
      promisedLimitDays: 15,
      materials: [
        applicationForm('建筑业企业资质申请表'),
        businessLicence(),
        shared('staff', '注册建造师等注册人员信息', '全国建筑市场监管公共服务平台人员信息'),
        upload('technical_lead', '技术负责人身份证明、职称证书及代表工程业绩', 'electronic'),
        upload('achievements', '企业代表工程业绩材料', 'electronic', { required: false, note: '申请需要业绩的资质类别提交' }),
        ...agentMaterials(),
      ],
      channels: ['online'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: companyForm('建筑业企业资质申请', {
        category: pick('资质类别', ['施工总承包', '专业承包', '专业作业']),
        qualification: str('申请资质及等级', 100),
        netAssets: num('净资产（万元）', 0, 100000000),
      }, ['category', 'qualification']),
    }, { where: { counter: '住房城乡建设窗口' } }),

    impl('01-0604-000', [...SIX_CITIES, KUNSHAN, PIZHOU], {
      acceptanceConditions: [cond('符合燃气发展规划要求，有符合国家标准的燃气气源和燃气设施，有固定的经营场所、完善的安全管理制度和健全的经营方案，主要负责人和安全生产管理人员等经专业培训并考核合格。')],
      processSteps: licenceSteps({ inspection: '组织对燃气设施、场站进行现场核查。', decision: '符合条件的核发《燃气经营许可证》。' }),
      legalLimitDays: 20,
      promisedLimitDays: 10,
      materials: [
        applicationForm('燃气经营许可申请表'),
        businessLicence(),
        upload('facilities', '燃气设施竣工验收材料和气源证明', 'electronic'),
        upload('safety_rules', '安全管理制度和经营方案', 'electronic'),
        upload('staff_training', '主要负责人、安全管理人员及运行维护抢修人员培训考核合格证明', 'electronic'),
      ],
      channels: ['online', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: companyForm('燃气经营许可申请', {
        gasType: pick('经营燃气种类', ['天然气', '液化石油气', '人工煤气']),
        operationType: pick('经营方式', ['管道燃气', '瓶装燃气', '汽车加气站']),
        area: str('经营区域', 200),
      }, ['gasType', 'operationType', 'area']),
    }, { where: { counter: '住房城乡建设窗口' } }),

    impl('10-0605-000', [...FLAGSHIP, ...COUNTIES], {
      questions: [{ id: 'role', text: '由哪一方提出备案？', options: [{ value: 'landlord', label: '出租人' }, { value: 'tenant', label: '承租人' }, { value: 'agency', label: '住房租赁企业或经纪机构' }] }],
      acceptanceConditions: [cond('已签订书面租赁合同，出租房屋权属清晰，符合安全、卫生等使用条件。')],
      processSteps: instantSteps('即时办结，出具房屋租赁登记备案证明（电子），可用于居住证、公积金提取、子女入学等。'),
      legalLimitDays: 3,
      promisedLimitDays: 0,
      materials: [
        upload('lease', '房屋租赁合同', 'electronic'),
        idCard({ name: '当事人身份证明' }),
        licence('real_estate', '出租房屋不动产权证书', 'real_estate'),
        businessLicence({ when: { role: 'agency' }, name: '住房租赁企业或经纪机构营业执照' }),
      ],
      channels: ['online', 'mobile', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: personForm('房屋租赁登记备案', {
        houseAddress: str('房屋坐落', 200),
        landlordName: str('出租人', 50),
        tenantName: str('承租人', 50),
        rent: num('月租金（元）', 0, 1000000),
        startDate: date('租赁起始日期'),
        endDate: date('租赁终止日期'),
        usage: pick('租赁用途', ['居住', '办公', '商业', '其他']),
      }, ['houseAddress', 'landlordName', 'tenantName', 'rent', 'startDate', 'endDate', 'usage']),
    }, { where: { counter: '房产交易窗口' } }),

    impl('10-0606-000', [...FLAGSHIP, JIANGNING, KUNSHAN], {
      acceptanceConditions: [cond('工程已组织竣工验收合格，自验收合格之日起15日内报送备案。')],
      processSteps: licenceSteps({ review: '核验竣工验收报告及规划、消防、人防等专项验收（联合验收）结果。', decision: '文件齐全的在竣工验收备案表上签署备案意见。', delivery: '电子备案表推送至申请人及不动产登记机构。' }),
      legalLimitDays: 5,
      promisedLimitDays: 1,
      materials: [
        upload('filing_form', '房屋建筑和市政基础设施工程竣工验收备案表', 'electronic'),
        upload('acceptance_report', '工程竣工验收报告', 'electronic'),
        shared('joint_acceptance', '规划、消防、人防等联合验收意见', '工程建设项目联合验收信息'),
        upload('warranty', '施工单位签署的工程质量保修书；住宅工程的《住宅质量保证书》和《住宅使用说明书》', 'electronic'),
      ],
      channels: ['online'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: companyForm('竣工验收备案', {
        projectName: str('工程名称', 100),
        acceptanceDate: date('竣工验收日期'),
        constructionPermitNo: str('施工许可证编号', 30),
      }, ['projectName', 'acceptanceDate', 'constructionPermitNo']),
    }, { where: { counter: '工程建设项目审批专窗' } }),
  ],
};
