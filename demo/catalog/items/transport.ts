// 交通运输: road transport operation, oversize transport, roadside signs, ports.
import type { DemoCatalogGroup } from '../types.ts';
import {
  AGENT_QUESTION, CHANGZHOU, FLAGSHIP, JIANGNING, LIANYUNGANG, LICENSING_ACT_42, NANTONG, PIZHOU, PROVINCE, SHUYANG, SUQIAN, SUZHOU, WUZHONG, XUZHOU, agentMaterials,
  applicationForm, businessLicence, companyForm, cond, date, impl, item, law, licenceSteps, num, pick, regulation, shared, str, upload,
} from '../builders.ts';

const ROAD_TRANSPORT = '《中华人民共和国道路运输条例》';
const HIGHWAY_ACT = '《中华人民共和国公路法》';
const PORT_ACT = '《中华人民共和国港口法》';

export const TRANSPORT: DemoCatalogGroup = {
  items: [
    item('01-0801-001', '道路运输经营许可（道路旅客运输经营）', '01', 'transport', ['city', 'county'], ['company'], ['operations'], ['客运许可', '跑客运', '班线客运', '包车客运', '客运经营许可证', '道路运输经营许可证'], [
      regulation(ROAD_TRANSPORT, '第八条：申请从事客运经营的，应当有与其经营业务相适应并经检测合格的车辆，有符合规定条件的驾驶人员，有健全的安全生产管理制度；申请从事班线客运经营的，还应当有明确的线路和站点方案。'),
      regulation(ROAD_TRANSPORT, '第十条：从事县级行政区域内和毗邻县行政区域间客运经营的，向所在地县级人民政府交通运输主管部门提出申请；从事省际、市际、县际客运经营的，向所在地设区的市级人民政府交通运输主管部门提出申请；收到申请的交通运输主管部门应当自受理申请之日起20日内审查完毕，作出许可或者不予许可的决定。'),
    ]),
    item('01-0801-002', '道路运输经营许可（道路货物运输经营）', '01', 'transport', ['city', 'county'], ['company', 'person'], ['operations'], ['货运许可', '跑货运', '道路运输证', '营运证', '危险品运输许可', '道路运输经营许可证', '大货车营运'], [
      regulation(ROAD_TRANSPORT, '第二十一条：申请从事货运经营的，应当有与其经营业务相适应并经检测合格的车辆，有符合规定条件的驾驶人员，有健全的安全生产管理制度。'),
      regulation(ROAD_TRANSPORT, '第二十四条：从事危险货物运输经营以外的货运经营的，向县级人民政府交通运输主管部门提出申请；从事危险货物运输经营的，向设区的市级人民政府交通运输主管部门提出申请；应当自受理申请之日起20日内作出许可或者不予许可的决定；使用总质量4500千克及以下普通货运车辆从事普通货运经营的，无需申请取得道路运输经营许可证及车辆营运证。'),
    ]),
    item('01-0802-000', '公路超限运输许可', '01', 'transport', ['province', 'city', 'county'], ['company', 'person'], ['operations'], ['大件运输', '超限运输', '超限证', '大件运输许可', '超重车通行'], [
      law(HIGHWAY_ACT, '第五十条：超过公路或者公路桥梁限载标准确需行驶的，必须经县级以上地方人民政府交通主管部门批准，并按要求采取有效的防护措施；运载不可解体的超限物品的，应当按照指定的时间、路线、时速行驶，并悬挂明显标志。'),
      LICENSING_ACT_42,
    ]),
    item('01-0803-000', '在公路用地范围内设置非公路标志许可', '01', 'transport', ['city', 'county'], ['company'], ['operations'], ['路边广告牌', '公路广告', '设置广告牌', '公路旁广告', '非公路标志'], [
      law(HIGHWAY_ACT, '第五十四条：任何单位和个人未经县级以上地方人民政府交通主管部门批准，不得在公路用地范围内设置公路标志以外的其他标志。'),
      LICENSING_ACT_42,
    ]),
    item('01-0804-000', '港口经营许可', '01', 'transport', ['city'], ['company'], ['operations'], ['码头经营', '港口经营许可证', '开码头', '港口装卸', '港口仓储'], [
      law(PORT_ACT, '第二十二条：从事港口经营，应当向港口行政管理部门书面申请取得港口经营许可，并依法办理工商登记。'),
      law(PORT_ACT, '第二十四条：港口行政管理部门应当自收到书面申请之日起三十日内依法作出许可或者不予许可的决定；予以许可的，颁发港口经营许可证。'),
    ]),
  ],

  implementations: [
    impl('01-0801-001', [...FLAGSHIP, JIANGNING, PIZHOU], {
      questions: [{ id: 'scope', text: '申请何种客运经营？', options: [{ value: 'line', label: '班线客运' }, { value: 'charter', label: '包车客运' }, { value: 'tourism', label: '旅游客运' }] }, AGENT_QUESTION],
      acceptanceConditions: [
        cond('有与经营业务相适应并经检测合格的客车，驾驶人员取得相应驾驶证、年龄不超过60周岁、3年内无重大以上交通责任事故记录并经考试合格。'),
        cond('有明确的线路和站点方案。', { scope: 'line' }),
        cond('县内和毗邻县客运向县级交通运输主管部门申请；市际、县际客运向设区的市级交通运输主管部门申请。'),
      ],
      processSteps: licenceSteps({ review: '审查车辆技术条件、驾驶人员资格和安全生产管理制度；涉及省际、市际线路的与目的地交通运输主管部门协商。', decision: '予以许可的颁发《道路运输经营许可证》，并为投入运输的车辆配发《道路运输证》。' }),
      legalLimitDays: 20,
      promisedLimitDays: 10,
      materials: [
        applicationForm('道路旅客运输经营申请表'),
        businessLicence(),
        upload('vehicles', '拟投入车辆承诺书（车辆技术等级、类型、座位数）', 'electronic'),
        upload('drivers', '拟聘用驾驶人员的驾驶证和从业资格证', 'electronic'),
        upload('safety_rules', '安全生产管理制度文本', 'electronic'),
        upload('line_plan', '班线客运线路和站点方案', 'electronic', { when: { scope: 'line' } }),
        ...agentMaterials(),
      ],
      channels: ['online', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: companyForm('道路旅客运输经营申请表', {
        scope: pick('经营范围', ['县内班线客运', '市际班线客运', '省际班线客运', '包车客运', '旅游客运']),
        vehicles: { type: 'integer', title: '拟投入客车数量', minimum: 1, maximum: 1000 },
        route: str('拟经营线路（起讫点、途经）', 300),
      }, ['scope', 'vehicles']),
    }, { where: { counter: '交通运输窗口' } }),

    impl('01-0801-002', [...FLAGSHIP, JIANGNING, WUZHONG, PIZHOU, SHUYANG], {
      questions: [{ id: 'dangerous', text: '是否从事危险货物运输？', options: [{ value: 'no', label: '普通货物运输（总质量4500千克以上车辆）' }, { value: 'yes', label: '危险货物运输' }] }, AGENT_QUESTION],
      acceptanceConditions: [
        cond('使用总质量4500千克及以下普通货运车辆从事普通货运经营的，无需申请本许可。', { dangerous: 'no' }),
        cond('普通货运经营向县级交通运输主管部门申请。', { dangerous: 'no' }),
        cond('危险货物运输经营向设区的市级交通运输主管部门申请，有符合要求的专用车辆、停车场地、专业人员和安全管理制度。', { dangerous: 'yes' }),
      ],
      processSteps: licenceSteps({ decision: '予以许可的颁发《道路运输经营许可证》，并为投入运输的车辆配发《道路运输证》（电子证照）。' }),
      legalLimitDays: 20,
      promisedLimitDays: 5,
      materials: [
        applicationForm('道路货物运输经营申请表'),
        businessLicence({ required: false, note: '个体经营者提交经营者身份证明' }),
        upload('vehicles', '拟投入车辆承诺书或车辆行驶证', 'electronic'),
        upload('drivers', '拟聘用驾驶人员的驾驶证和从业资格证', 'electronic'),
        upload('safety_rules', '安全生产管理制度文本', 'electronic'),
        upload('hazmat', '危险货物运输专用车辆、设备、停车场地及专业人员证明', 'electronic', { when: { dangerous: 'yes' } }),
        ...agentMaterials(),
      ],
      channels: ['online', 'mobile', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: companyForm('道路货物运输经营申请表', {
        scope: pick('经营范围', ['道路普通货物运输', '货物专用运输', '大型物件运输', '危险货物运输']),
        vehicles: { type: 'integer', title: '拟投入车辆数量', minimum: 1, maximum: 10000 },
      }, ['scope', 'vehicles']),
    }, { where: { counter: '交通运输窗口' } }),

    impl('01-0802-000', [PROVINCE, ...FLAGSHIP, CHANGZHOU], {
      questions: [{ id: 'class', text: '超限运输车辆类别？', options: [{ value: 'small', label: '车货总高、总宽、总长超限但总质量未超限' }, { value: 'heavy', label: '车货总质量超限' }] }],
      acceptanceConditions: [
        cond('运载不可解体物品，车辆符合国家安全技术标准；按指定时间、路线、时速行驶并悬挂明显标志。'),
        cond('车货总质量超限的，按要求提交通行路线桥梁等技术评估，采取加固、改造等防护措施。', { class: 'heavy' }),
      ],
      processSteps: licenceSteps({ review: '通过全国治超联网管理信息系统审查，跨省（市）的协同沿线管理机构。', inspection: '必要时对运输车辆和货物进行现场查验。', decision: '准予许可的签发《超限运输车辆通行证》。' }),
      legalLimitDays: 20,
      promisedLimitDays: 5,
      materials: [
        applicationForm('公路超限运输申请表'),
        shared('vehicle_licence', '车辆行驶证', '公安交管机动车登记信息'),
        upload('route', '货物名称、重量、外廓尺寸及运输路线', 'electronic'),
        upload('assessment', '通行路线技术评估报告及加固改造方案', 'electronic', { when: { class: 'heavy' } }),
      ],
      channels: ['online', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: companyForm('公路超限运输申请', {
        plate: str('牵引车号牌', 8),
        cargo: str('货物名称', 100),
        totalWeight: num('车货总质量（吨）', 0, 2000),
        dimensions: str('车货外廓尺寸（长×宽×高，米）', 50),
        route: str('通行路线', 500),
        startDate: date('通行开始日期'),
        endDate: date('通行结束日期'),
      }, ['plate', 'cargo', 'totalWeight', 'dimensions', 'route', 'startDate', 'endDate']),
    }, { where: { counter: '交通运输窗口' } }),

    impl('01-0803-000', [XUZHOU, SUZHOU, SUQIAN, WUZHONG], {
      acceptanceConditions: [cond('不影响公路交通安全和公路设施，不遮挡公路标志，设置位置、结构符合公路用地管理要求。')],
      processSteps: licenceSteps({ inspection: '对拟设置位置进行现场勘验。', decision: '准予许可的出具许可决定书，明确设置位置、期限和安全要求。' }),
      legalLimitDays: 20,
      promisedLimitDays: 10,
      materials: [applicationForm('公路用地范围内设置非公路标志申请表'), businessLicence(), upload('design', '标志设计图、结构安全说明和设置位置图', 'electronic')],
      channels: ['online', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: companyForm('设置非公路标志申请', { road: str('公路名称及桩号', 100), size: str('标志尺寸', 50), years: { type: 'integer', title: '设置期限（年）', minimum: 1, maximum: 5 } }, ['road', 'size', 'years']),
    }, { where: { counter: '交通运输窗口' } }),

    impl('01-0804-000', [LIANYUNGANG, NANTONG, SUZHOU, XUZHOU], {
      acceptanceConditions: [cond('有固定的经营场所，有与经营业务相适应的设施、设备、专业技术人员和管理人员，港口设施已通过竣工验收。')],
      processSteps: licenceSteps({ inspection: '对码头、仓储等港口设施和安全条件进行现场核查。', decision: '予以许可的颁发《港口经营许可证》。' }),
      legalLimitDays: 30,
      promisedLimitDays: 15,
      materials: [applicationForm('港口经营许可申请书'), businessLicence(), upload('facilities', '港口设施竣工验收及使用权证明', 'electronic'), upload('staff', '专业技术人员和管理人员名单及资格证明', 'electronic'), upload('safety', '安全生产管理制度和应急预案', 'electronic')],
      channels: ['online', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: companyForm('港口经营许可申请', { berth: str('码头泊位名称', 100), scope: pick('经营范围', ['码头和其他港口设施经营', '港口旅客运输服务', '货物装卸', '仓储', '港口拖轮']) }, ['berth', 'scope']),
    }, { where: { counter: '交通运输（港口）窗口' } }),
  ],
};
