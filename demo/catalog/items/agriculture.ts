// 农业农村: pesticide and veterinary-drug retail, fishing licences, animal-epidemic conditions.
import type { DemoCatalogGroup } from '../types.ts';
import {
  AGENT_QUESTION, FLAGSHIP, LIANYUNGANG, LICENSING_ACT_42, NANTONG, PIZHOU, SHUYANG, SUQIAN, XUZHOU, YANCHENG, agentMaterials, applicationForm, businessLicence, companyForm, cond,
  idCard, impl, item, law, licenceSteps, num, personForm, pick, regulation, shared, str, upload,
} from '../builders.ts';

const WHERE = { counter: '农业农村窗口' };

export const AGRICULTURE: DemoCatalogGroup = {
  items: [
    item('01-1501-000', '农药经营许可', '01', 'agriculture', ['city', 'county'], ['company', 'person'], ['operations'], ['卖农药', '开农资店', '农药经营许可证', '农药店', '农资经营'], [
      regulation('《农药管理条例》', '第二十四条：国家实行农药经营许可制度，但经营卫生用农药的除外；农药经营者应当具备相应的经营人员、营业场所和仓储场所、管理制度等条件，向县级以上地方人民政府农业主管部门申请农药经营许可证；农业主管部门应当自受理申请之日起20个工作日内作出审批决定。'),
      regulation('《农药管理条例》', '第二十五条：农药经营许可证有效期为5年；有效期届满需要继续经营农药的，应当在有效期届满90日前向发证机关申请延续。'),
    ]),
    item('01-1502-000', '渔业捕捞许可', '01', 'agriculture', ['province', 'city', 'county'], ['person', 'company'], ['operations'], ['捕鱼证', '捕捞证', '渔船捕捞许可', '打鱼证', '渔业捕捞许可证', '出海捕鱼'], [
      law('《中华人民共和国渔业法》', '第二十三条：国家对捕捞业实行捕捞许可证制度；海洋大型拖网、围网作业的捕捞许可证由省级人民政府渔业行政主管部门批准发放，其他作业的捕捞许可证由县级以上地方人民政府渔业行政主管部门批准发放；捕捞许可证不得买卖、出租和以其他形式转让。'),
      law('《中华人民共和国渔业法》', '第二十四条：具备渔业船舶检验证书、渔业船舶登记证书和国务院渔业行政主管部门规定的其他条件的，方可发给捕捞许可证。'),
      LICENSING_ACT_42,
    ]),
    item('01-1503-000', '兽药经营许可', '01', 'agriculture', ['city', 'county'], ['company', 'person'], ['operations'], ['开兽药店', '兽药经营许可证', '卖兽药', '宠物药品', '兽药店'], [
      regulation('《兽药管理条例》', '第二十二条：经营兽药的企业，应当具备与所经营的兽药相适应的兽药技术人员、营业场所、设备、仓库设施和质量管理机构或者人员；县级以上地方人民政府兽医行政管理部门应当自收到申请之日起30个工作日内完成审查，审查合格的发给兽药经营许可证。'),
      regulation('《兽药管理条例》', '第二十三条：兽药经营许可证有效期为5年；有效期届满需要继续经营兽药的，应当在许可证有效期届满前6个月到发证机关申请换发。'),
    ]),
    item('01-1504-000', '动物防疫条件合格证核发', '01', 'agriculture', ['city', 'county'], ['company', 'person'], ['operations', 'construction'], ['养殖场防疫证', '动物防疫合格证', '开养猪场', '开养殖场', '屠宰场许可', '防疫条件审查'], [
      law('《中华人民共和国动物防疫法》', '第二十四条：动物饲养场和隔离场所、动物屠宰加工场所以及动物和动物产品无害化处理场所，应当符合选址距离、封闭隔离、污水污物和无害化处理设施、执业兽医或者动物防疫技术人员、防疫制度等动物防疫条件。'),
      law('《中华人民共和国动物防疫法》', '第二十五条：国家实行动物防疫条件审查制度；开办动物饲养场和隔离场所、动物屠宰加工场所以及动物和动物产品无害化处理场所，应当向县级以上地方人民政府农业农村主管部门提出申请，经审查合格的，发给动物防疫条件合格证。'),
      LICENSING_ACT_42,
    ]),
  ],

  implementations: [
    impl('01-1501-000', [XUZHOU, SUQIAN, YANCHENG, PIZHOU, SHUYANG], {
      subItems: [{ code: '01', name: '核发' }, { code: '02', name: '变更' }, { code: '03', name: '延续' }],
      questions: [{ id: 'restricted', text: '是否经营限制使用农药？', options: [{ value: 'no', label: '否' }, { value: 'yes', label: '是' }] }, AGENT_QUESTION],
      acceptanceConditions: [
        cond('有具备农药和病虫害防治专业知识、熟悉农药管理规定的经营人员。'),
        cond('有与其他商品以及饮用水水源、生活区域等有效隔离的营业场所和仓储场所，配备相应防护设施，有质量管理、台账记录、安全防护、应急处置、仓储管理等制度。'),
        cond('经营限制使用农药的，配备用药指导和病虫害防治专业技术人员，并按省级规定实行定点经营。', { restricted: 'yes' }),
      ],
      processSteps: licenceSteps({ inspection: '对营业场所和仓储场所进行实地核查。', decision: '符合条件的核发《农药经营许可证》，有效期5年。' }),
      legalLimitDays: 20,
      promisedLimitDays: 10,
      materials: [
        applicationForm('农药经营许可证申请表'),
        businessLicence({ required: false, note: '个体经营者提交经营者身份证明' }),
        upload('staff', '经营人员的学历或培训证明', 'electronic'),
        upload('premises', '营业场所和仓储场所地址、面积、平面图及防护设施清单', 'electronic'),
        upload('rules', '质量管理、台账记录、安全防护、应急处置、仓储管理等制度', 'electronic'),
        upload('technician', '用药指导和病虫害防治专业技术人员证明', 'electronic', { when: { restricted: 'yes' } }),
        ...agentMaterials(),
      ],
      channels: ['online', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: companyForm('农药经营许可申请', {
        storeAddress: str('营业场所地址', 200),
        warehouseAddress: str('仓储场所地址', 200),
        scope: pick('经营范围', ['农药（不含限制使用农药）', '农药（含限制使用农药）']),
      }, ['storeAddress', 'warehouseAddress', 'scope']),
    }, { where: WHERE }),

    impl('01-1502-000', [LIANYUNGANG, YANCHENG, NANTONG, SUQIAN, SHUYANG], {
      questions: [{ id: 'waters', text: '作业水域？', options: [{ value: 'sea', label: '海洋' }, { value: 'inland', label: '内陆湖泊、河流（非禁捕水域）' }] }],
      acceptanceConditions: [
        cond('有渔业船舶检验证书、渔业船舶登记证书，符合船网工具控制指标和捕捞限额要求。'),
        cond('长江流域重点水域实行常年禁捕，禁捕水域不予发放生产性捕捞许可证。', { waters: 'inland' }),
        cond('海洋大型拖网、围网作业的捕捞许可证由省级渔业行政主管部门批准发放。', { waters: 'sea' }),
      ],
      processSteps: licenceSteps({ review: '审查渔船证书、船网工具指标和作业类型。', decision: '符合条件的发放《渔业捕捞许可证》，载明作业类型、场所、时限和渔具数量。' }),
      legalLimitDays: 20,
      promisedLimitDays: 10,
      materials: [
        applicationForm('渔业捕捞许可证申请书'),
        idCard({ name: '船舶所有人身份证明' }),
        shared('inspection', '渔业船舶检验证书', '渔业船舶检验信息'),
        shared('registration', '渔业船舶登记证书', '渔业船舶登记信息'),
        upload('crew', '职务船员证书', 'electronic', { when: { waters: 'sea' } }),
      ],
      channels: ['online', 'window'],
      visits: 1,
      onlineDepth: 3,
      minRealNameLevel: 2,
      formSchema: personForm('渔业捕捞许可证申请', {
        vesselName: str('渔船船名号', 30),
        gear: pick('作业类型', ['刺网', '拖网', '围网', '张网', '钓具', '笼壶', '其他']),
        waters: str('作业场所', 100),
        power: num('主机功率（千瓦）', 0, 10000),
      }, ['vesselName', 'gear', 'waters']),
    }, { where: WHERE }),

    impl('01-1503-000', [...FLAGSHIP, PIZHOU, SHUYANG], {
      acceptanceConditions: [
        cond('有与所经营的兽药相适应的兽药技术人员、营业场所、设备、仓库设施和质量管理机构或者人员，符合兽药经营质量管理规范（GSP）。'),
        cond('经营兽用生物制品的，应当向省级兽医行政管理部门申请。'),
      ],
      processSteps: licenceSteps({ inspection: '按兽药经营质量管理规范进行现场检查验收。', decision: '审查合格的发给《兽药经营许可证》，有效期5年。' }),
      legalLimitDays: 30,
      promisedLimitDays: 15,
      materials: [applicationForm('兽药经营许可证申请表'), businessLicence(), upload('technicians', '兽药技术人员学历或职称证明', 'electronic'), upload('premises', '营业场所、仓库平面图及设施设备清单', 'electronic'), upload('quality', '质量管理制度文件', 'electronic')],
      channels: ['online', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: companyForm('兽药经营许可申请', { storeAddress: str('经营地址', 200), scope: pick('经营范围', ['兽用化学药品、中兽药', '兽用化学药品、中兽药（含宠物用兽药）']) }, ['storeAddress', 'scope']),
    }, { where: WHERE }),

    impl('01-1504-000', [XUZHOU, SUQIAN, YANCHENG, PIZHOU, SHUYANG], {
      questions: [{ id: 'kind', text: '场所类型？', options: [{ value: 'farm', label: '动物饲养场' }, { value: 'slaughter', label: '动物屠宰加工场所' }, { value: 'disposal', label: '无害化处理场所' }] }],
      acceptanceConditions: [
        cond('场所位置与居民生活区、生活饮用水水源地、学校、医院等公共场所的距离符合规定，生产经营区域封闭隔离。'),
        cond('有相适应的污水、污物处理设施和病死动物无害化处理设施设备，有执业兽医或者动物防疫技术人员和完善的防疫制度。'),
        cond('无害化处理场所还应当具有病原检测设备、检测能力和专用运输车辆。', { kind: 'disposal' }),
      ],
      processSteps: licenceSteps({ inspection: '组织对选址、布局、设施设备和防疫制度进行现场审查。', decision: '审查合格的发给《动物防疫条件合格证》。' }),
      legalLimitDays: 20,
      promisedLimitDays: 15,
      materials: [
        applicationForm('动物防疫条件审查申请表'),
        idCard({ name: '申请人身份证明（单位提交营业执照）' }),
        upload('site_plan', '场所地理位置图、各功能区布局平面图', 'electronic'),
        upload('facilities', '设施设备清单', 'electronic'),
        upload('rules', '管理制度文本', 'electronic'),
        upload('vets', '执业兽医或者动物防疫技术人员情况', 'electronic'),
        upload('slaughter_permit', '生猪定点屠宰证书（屠宰场所提交）', 'electronic', { when: { kind: 'slaughter' }, required: false }),
      ],
      channels: ['online', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: personForm('动物防疫条件审查申请', {
        kind: pick('场所类型', ['动物饲养场', '隔离场所', '动物屠宰加工场所', '无害化处理场所']),
        siteName: str('场所名称', 100),
        address: str('场所地址', 200),
        species: str('动物（动物产品）种类', 100),
        scale: num('设计规模（头/只/吨）', 0, 100000000),
      }, ['kind', 'siteName', 'address', 'species']),
    }, { where: WHERE }),
  ],
};
