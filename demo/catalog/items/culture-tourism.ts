// 文化和旅游: performances, travel agencies, entertainment venues, internet cafés.
import type { DemoCatalogGroup } from '../types.ts';
import {
  AGENT_QUESTION, COUNTIES, FLAGSHIP, JIANGNING, KUNSHAN, PROVINCE, SUZHOU, WUZHONG, XUANWU, agentMaterials, applicationForm, businessLicence, companyForm, cond, date, idCard, impl,
  item, law, licenceSteps, num, pick, regulation, shared, str, upload,
} from '../builders.ts';

const PERFORMANCE = '《营业性演出管理条例》';
const WHERE = { counter: '文化广电和旅游窗口' };

export const CULTURE_TOURISM: DemoCatalogGroup = {
  items: [
    item('01-1401-001', '营业性演出许可（文艺表演团体）', '01', 'culture_tourism', ['county'], ['company'], ['operations', 'company_start'], ['办演出证', '营业性演出许可证', '剧团许可', '演艺团体', '文艺表演团体', '乐队演出资质'], [
      regulation(PERFORMANCE, '第六条：文艺表演团体申请从事营业性演出活动，应当有与其业务相适应的专职演员和器材设备，并向县级人民政府文化主管部门提出申请；文化主管部门应当自受理申请之日起20日内作出决定，批准的颁发营业性演出许可证。'),
    ]),
    item('01-1401-002', '营业性演出许可（举办营业性演出）', '01', 'culture_tourism', ['county'], ['company'], ['operations'], ['演出审批', '开演唱会', '办演出', '商演审批', '音乐节审批', '演出报批'], [
      regulation(PERFORMANCE, '第十三条：举办营业性演出，应当向演出所在地县级人民政府文化主管部门提出申请；县级人民政府文化主管部门应当自受理申请之日起3日内作出决定，对符合规定的发给批准文件。'),
    ]),
    item('01-1402-000', '旅行社设立许可', '01', 'culture_tourism', ['province', 'city'], ['company'], ['operations', 'company_start'], ['开旅行社', '旅行社许可证', '旅行社经营许可', '办旅行社', '旅游公司'], [
      law('《中华人民共和国旅游法》', '第二十八条：设立旅行社，招徕、组织、接待旅游者，为其提供旅游服务，应当具备固定的经营场所、必要的营业设施、符合规定的注册资本、必要的经营管理人员和导游等条件，取得旅游主管部门的许可，依法办理工商登记。'),
      regulation('《旅行社条例》', '第七条：申请经营国内旅游业务和入境旅游业务的，应当向所在地省、自治区、直辖市旅游行政管理部门或者其委托的设区的市级旅游行政管理部门提出申请；受理申请的旅游行政管理部门应当自受理申请之日起20个工作日内作出许可或者不予许可的决定。'),
    ]),
    item('01-1403-000', '娱乐场所经营许可', '01', 'culture_tourism', ['county'], ['company'], ['operations'], ['开KTV', '开歌厅', '开游戏厅', '娱乐经营许可证', '开舞厅', '开电玩城'], [
      regulation('《娱乐场所管理条例》', '第九条：娱乐场所申请从事娱乐场所经营活动，应当向所在地县级人民政府文化主管部门提出申请；文化主管部门经核查、实地检查后作出决定，予以批准的颁发娱乐经营许可证，并核定娱乐场所容纳的消费者数量。'),
    ]),
    item('01-1404-000', '互联网上网服务营业场所经营许可', '01', 'culture_tourism', ['county'], ['company'], ['operations'], ['开网吧', '网吧许可证', '开网咖', '网络文化经营许可证', '电竞馆'], [
      regulation('《互联网上网服务营业场所管理条例》', '第十条：互联网上网服务营业场所经营单位申请从事互联网上网服务经营活动，应当向县级以上地方人民政府文化行政部门提出申请，并提交营业执照和章程、身份证明、资金信用证明、营业场所产权证明或者租赁意向书等文件。'),
      regulation('《互联网上网服务营业场所管理条例》', '第十一条：文化行政部门应当自收到申请之日起20个工作日内作出决定，符合条件的发给同意筹建的批准文件；申请人完成筹建并取得消防安全批准文件后申请最终审核，文化行政部门应当自收到申请之日起15个工作日内作出决定，审核合格的发给《网络文化经营许可证》。'),
    ]),
  ],

  implementations: [
    impl('01-1401-001', COUNTIES, {
      acceptanceConditions: [cond('有与其业务相适应的专职演员和器材设备。')],
      processSteps: licenceSteps({ decision: '批准的颁发《营业性演出许可证》。' }),
      legalLimitDays: 20,
      promisedLimitDays: 5,
      materials: [applicationForm('营业性演出许可证申请登记表'), businessLicence(), upload('performers', '专职演员名单、身份证明及演出器材设备清单', 'electronic'), idCard({ name: '法定代表人或主要负责人身份证明' })],
      channels: ['online', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: companyForm('文艺表演团体申请营业性演出许可', { performers: { type: 'integer', title: '专职演员人数', minimum: 1, maximum: 1000 }, arts: str('主要演出类别', 100) }, ['performers', 'arts']),
    }, { where: WHERE }),

    impl('01-1401-002', [XUANWU, JIANGNING, WUZHONG, KUNSHAN], {
      questions: [{ id: 'foreign', text: '是否有外国或港澳台文艺表演团体、个人参加？', options: [{ value: 'no', label: '否' }, { value: 'yes', label: '是' }] }],
      acceptanceConditions: [
        cond('演出举办单位具有营业性演出许可证或为演出经纪机构；演出场所具备安全、消防条件；演出内容不含条例禁止的内容。'),
        cond('有外国或港澳台文艺表演团体、个人参加的，由演出经纪机构举办，按规定向省级文化和旅游主管部门申请。', { foreign: 'yes' }),
      ],
      processSteps: licenceSteps({ review: '审查演出节目内容、演员名单、场所安全条件。', decision: '符合条件的发给批准文件。' }),
      legalLimitDays: 3,
      promisedLimitDays: 2,
      materials: [
        applicationForm('营业性演出申请登记表'),
        businessLicence(),
        upload('programme', '演出节目内容材料及演员名单', 'electronic'),
        upload('venue', '演出场地使用协议及安全保卫工作方案', 'electronic'),
        upload('contract', '与演员（团体）签订的演出协议', 'electronic'),
      ],
      channels: ['online', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: companyForm('营业性演出申请', {
        title: str('演出名称', 100),
        venue: str('演出场所', 200),
        startDate: date('演出开始日期'),
        endDate: date('演出结束日期'),
        sessions: { type: 'integer', title: '演出场次', minimum: 1, maximum: 500 },
        audience: { type: 'integer', title: '预计观众人数', minimum: 1, maximum: 200000 },
      }, ['title', 'venue', 'startDate', 'endDate', 'sessions']),
    }, { where: WHERE }),

    impl('01-1402-000', [PROVINCE, ...FLAGSHIP], {
      questions: [AGENT_QUESTION],
      acceptanceConditions: [
        cond('取得企业法人资格，有固定的经营场所、必要的营业设施、符合规定的注册资本、必要的经营管理人员和导游。'),
        cond('取得许可后按规定存入旅游服务质量保证金。'),
      ],
      processSteps: licenceSteps({ inspection: '对经营场所和营业设施进行实地核查。', decision: '予以许可的颁发《旅行社业务经营许可证》。' }),
      legalLimitDays: 20,
      promisedLimitDays: 10,
      materials: [applicationForm('旅行社设立申请书'), businessLicence(), upload('premises', '经营场所产权证明或租赁合同', 'electronic'), upload('facilities', '营业设施、设备说明', 'electronic'), upload('managers', '经营管理人员的劳动合同和履历', 'electronic'), ...agentMaterials()],
      channels: ['online', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: companyForm('旅行社设立申请', { premises: str('经营场所', 200), scope: pick('经营范围', ['国内旅游业务和入境旅游业务', '出境旅游业务']), registeredCapital: num('注册资本（万元）', 0, 10000000) }, ['premises', 'scope']),
    }, { where: WHERE, overrides: { [SUZHOU]: { promisedLimitDays: 7 } } }),

    impl('01-1403-000', COUNTIES, {
      questions: [{ id: 'kind', text: '娱乐场所类型？', options: [{ value: 'song', label: '歌舞娱乐场所' }, { value: 'game', label: '游艺娱乐场所' }] }],
      acceptanceConditions: [
        cond('投资人员、拟任法定代表人和其他负责人没有《娱乐场所管理条例》第五条规定的情形，并提交书面声明。'),
        cond('场所位置、面积和设施设备符合规定，不在居民楼、学校、医院周边等禁止设立的区域。'),
      ],
      processSteps: licenceSteps({ review: '就书面声明向公安部门核查。', inspection: '依据条例规定进行实地检查，核定容纳的消费者数量。', decision: '予以批准的颁发《娱乐经营许可证》。' }),
      legalLimitDays: 20,
      promisedLimitDays: 10,
      materials: [
        applicationForm('娱乐经营许可申请书'),
        businessLicence(),
        upload('declaration', '投资人员、法定代表人和其他负责人书面声明', 'original'),
        upload('floor_plan', '场所平面图及包厢（房）数量、面积', 'electronic', { when: { kind: 'song' } }),
        upload('devices', '游戏游艺设备清单', 'electronic', { when: { kind: 'game' } }),
        shared('fire_safety', '消防安全检查信息', '消防救援机构公众聚集场所安全检查信息'),
      ],
      channels: ['online', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: companyForm('娱乐经营许可申请', { kind: pick('场所类型', ['歌舞娱乐场所', '游艺娱乐场所']), venue: str('经营地址', 200), area: num('营业面积（平方米）', 1, 100000) }, ['kind', 'venue', 'area']),
    }, { where: WHERE }),

    impl('01-1404-000', [XUANWU, JIANGNING, KUNSHAN], {
      questions: [{ id: 'stage', text: '申请阶段？', options: [{ value: 'prepare', label: '筹建审批' }, { value: 'final', label: '最终审核（筹建完成后）' }] }],
      acceptanceConditions: [
        cond('营业场所符合规定的面积、计算机台数，距中学、小学校园出入口符合规定距离，不设在居民住宅楼（院）内。', { stage: 'prepare' }),
        cond('已向公安机关签署信息网络安全承诺书并取得消防安全批准文件。', { stage: 'final' }),
      ],
      processSteps: licenceSteps({ review: '筹建审批20个工作日内作出决定；最终审核15个工作日内作出决定。', inspection: '最终审核时实地检查。', decision: '审核合格的发给《网络文化经营许可证》，并通报同级公安机关。' }),
      legalLimitDays: 20,
      promisedLimitDays: 10,
      materials: [
        applicationForm('互联网上网服务营业场所经营许可申请表'),
        businessLicence({ name: '企业营业执照和章程' }),
        idCard({ name: '法定代表人或者主要负责人身份证明' }),
        upload('credit', '资金信用证明', 'electronic', { when: { stage: 'prepare' } }),
        upload('premises', '营业场所产权证明或者租赁意向书', 'electronic', { when: { stage: 'prepare' } }),
        upload('security', '信息网络安全承诺书', 'original', { when: { stage: 'final' } }),
        shared('fire_safety', '消防安全批准文件', '消防救援机构公众聚集场所安全检查信息', { when: { stage: 'final' } }),
      ],
      channels: ['online', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: companyForm('互联网上网服务营业场所经营许可申请', { venue: str('营业场所地址', 200), terminals: { type: 'integer', title: '计算机台数', minimum: 1, maximum: 2000 }, area: num('营业面积（平方米）', 1, 100000) }, ['venue', 'terminals', 'area']),
    }, { where: WHERE }),
  ],
};
