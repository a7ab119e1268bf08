// 生态环境: pollutant discharge permits, environmental impact assessments, hazardous waste.
// Ecology departments exist at province and city level only (demo/organisations.ts).
import type { DemoCatalogGroup } from '../types.ts';
import {
  AGENT_QUESTION, CHANGZHOU, FLAGSHIP, LICENSING_ACT_42, NANJING, NANTONG, PROVINCE, SUZHOU, agentMaterials, applicationForm, businessLicence, companyForm, cond, impl, item, law,
  licenceSteps, num, pick, regulation, shared, str, upload,
} from '../builders.ts';

const WHERE = { counter: '生态环境窗口' };

export const ECOLOGY: DemoCatalogGroup = {
  items: [
    item('01-1301-000', '排污许可证核发', '01', 'ecology', ['province', 'city'], ['company'], ['operations', 'construction'], ['排污证', '排污许可', '排污许可证', '环保许可证', '排污申报', '企业排污'], [
      law('《中华人民共和国环境保护法》', '第四十五条：国家依照法律规定实行排污许可管理制度；实行排污许可管理的企业事业单位和其他生产经营者应当按照排污许可证的要求排放污染物，未取得排污许可证的，不得排放污染物。'),
      regulation('《排污许可管理条例》', '第二条：依照法律规定实行排污许可管理的排污单位，应当申请取得排污许可证；根据污染物产生量、排放量、对环境的影响程度等因素，实行排污许可重点管理和简化管理。'),
      regulation('《排污许可管理条例》', '第十二条：对实行排污许可简化管理的排污单位，审批部门应当自受理申请之日起20日内作出审批决定；对实行重点管理的，应当自受理申请之日起30日内作出审批决定，需要进行现场核查的，应当自受理申请之日起45日内作出审批决定。'),
    ]),
    item('01-1302-000', '建设项目环境影响评价文件审批', '01', 'ecology', ['province', 'city'], ['company'], ['construction'], ['环评', '环评审批', '环境影响评价', '环评报告', '环评批复', '项目环评'], [
      law('《中华人民共和国环境影响评价法》', '第二十二条：建设项目的环境影响报告书、报告表，由建设单位按照国务院的规定报有审批权的生态环境主管部门审批；审批部门应当自收到环境影响报告书之日起六十日内，收到环境影响报告表之日起三十日内，分别作出审批决定并书面通知建设单位；审核、审批不得收取任何费用。'),
    ]),
    item('01-1303-000', '危险废物经营许可', '01', 'ecology', ['province', 'city'], ['company'], ['operations'], ['危废许可证', '危险废物经营许可证', '危废处置', '危废收集', '处理危废'], [
      law('《中华人民共和国固体废物污染环境防治法》', '第八十条：从事收集、贮存、利用、处置危险废物经营活动的单位，应当按照国家有关规定申请取得许可证；禁止无许可证或者未按照许可证规定从事危险废物收集、贮存、利用、处置的经营活动。'),
      LICENSING_ACT_42,
    ]),
  ],

  implementations: [
    impl('01-1301-000', [...FLAGSHIP, CHANGZHOU, NANTONG], {
      subItems: [{ code: '01', name: '首次申请' }, { code: '02', name: '变更' }, { code: '03', name: '延续' }, { code: '04', name: '重新申请' }],
      questions: [{ id: 'category', text: '排污许可管理类别？', options: [{ value: 'key', label: '重点管理' }, { value: 'simple', label: '简化管理' }] }, AGENT_QUESTION],
      acceptanceConditions: [
        cond('依法取得建设项目环境影响报告书（表）批准文件或者办理环境影响登记表备案手续。'),
        cond('污染物排放符合污染物排放标准要求，重点污染物排放符合排污许可证申请与核发技术规范、环境影响报告书（表）批准文件、重点污染物排放总量控制要求。'),
        cond('重点管理的排污单位，审批部门需要进行现场核查的，审批时限为45日。', { category: 'key' }),
      ],
      processSteps: licenceSteps({ review: '通过全国排污许可证管理信息平台审查申请材料和执行报告。', inspection: '重点管理的排污单位必要时进行现场核查。', decision: '对符合条件的颁发排污许可证（统一编号），有效期5年。' }),
      legalLimitDays: 30,
      promisedLimitDays: 15,
      materials: [
        applicationForm('排污许可证申请表（全国排污许可证管理信息平台填报）'),
        businessLicence(),
        shared('eia_approval', '环境影响评价审批文件或登记表备案材料', '生态环境部门环评审批信息'),
        upload('commitment', '排污单位承诺书（对申请材料真实性、合法性、完整性负责）', 'electronic'),
        upload('monitoring_plan', '自行监测方案', 'electronic'),
        upload('public_notice', '信息公开情况说明表', 'electronic', { when: { category: 'key' } }),
        ...agentMaterials(),
      ],
      channels: ['online'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: companyForm('排污许可证申请', {
        industry: str('行业类别', 100),
        category: pick('管理类别', ['重点管理', '简化管理']),
        outlets: { type: 'integer', title: '排放口数量', minimum: 0, maximum: 1000 },
        pollutants: str('主要污染物种类', 300),
      }, ['industry', 'category', 'pollutants']),
    }, { where: WHERE, overrides: { [SUZHOU]: { promisedLimitDays: 10 } } }),

    impl('01-1302-000', [PROVINCE, ...FLAGSHIP], {
      subItems: [{ code: '01', name: '环境影响报告书审批' }, { code: '02', name: '环境影响报告表审批' }],
      questions: [{ id: 'document', text: '环评文件类型？', options: [{ value: 'report', label: '环境影响报告书' }, { value: 'form', label: '环境影响报告表' }] }],
      acceptanceConditions: [
        cond('建设项目类型及其选址、布局、规模等符合生态环境保护法律法规和相关法定规划，符合生态环境分区管控要求。'),
        cond('编制环境影响报告书的，已按规定开展公众参与并公开环境影响报告书全本。', { document: 'report' }),
      ],
      processSteps: licenceSteps({ review: '组织技术评估（专家评审），对报告书进行受理公示和拟审批公示。', decision: '作出批准或者不予批准的书面审批决定。' }),
      legalLimitDays: 60,
      promisedLimitDays: 20,
      materials: [
        applicationForm('建设项目环境影响评价文件审批申请'),
        upload('eia_report', '环境影响报告书（表）', 'electronic'),
        upload('participation', '公众参与说明', 'electronic', { when: { document: 'report' } }),
        shared('project_approval', '项目审批、核准或备案信息', '投资项目在线审批监管平台'),
      ],
      intermediaryServices: [{ name: '环境影响报告书（表）编制', basis: '《中华人民共和国环境影响评价法》第十九条：建设单位可以委托技术单位编制环境影响报告书、报告表，具备环境影响评价技术能力的也可以自行编制。' }],
      channels: ['online', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: companyForm('建设项目环评审批申请', {
        projectName: str('项目名称', 100),
        projectCode: str('项目代码', 24),
        document: pick('环评文件类型', ['环境影响报告书', '环境影响报告表']),
        investment: num('总投资（万元）', 0, 100000000),
        site: str('建设地点', 200),
      }, ['projectName', 'document', 'site']),
    }, { where: WHERE, overrides: { [PROVINCE]: { promisedLimitDays: 30 } } }),

    impl('01-1303-000', [PROVINCE, NANJING, SUZHOU], {
      subItems: [{ code: '01', name: '危险废物综合经营许可' }, { code: '02', name: '危险废物收集经营许可' }],
      acceptanceConditions: [cond('有符合要求的专业技术人员、运输工具、包装容器、贮存和处置（利用）设施设备，有健全的经营管理制度、污染防治措施和事故应急救援措施。')],
      processSteps: licenceSteps({ inspection: '组织专家对经营设施进行现场核查。', decision: '符合条件的颁发《危险废物经营许可证》，载明经营方式、类别、规模和有效期。' }),
      legalLimitDays: 20,
      promisedLimitDays: 15,
      materials: [
        applicationForm('危险废物经营许可证申请书'),
        businessLicence(),
        shared('eia_approval', '环境影响评价批复及验收材料', '生态环境部门环评审批信息'),
        upload('staff', '专业技术人员的职称证明和劳动合同', 'electronic'),
        upload('facilities', '贮存、处置（利用）设施和设备清单', 'electronic'),
        upload('emergency_plan', '事故应急救援预案', 'electronic'),
      ],
      channels: ['online', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: companyForm('危险废物经营许可申请', {
        mode: pick('经营方式', ['收集、贮存、利用、处置', '收集、贮存', '利用', '处置']),
        categories: str('危险废物类别（HW编号）', 300),
        capacity: num('经营规模（吨/年）', 0, 10000000),
      }, ['mode', 'categories', 'capacity']),
    }, { where: WHERE }),
  ],
};
