// 税务: invoices, VAT registration, individual income tax, deed tax, tax clearance.
import type { DemoCatalogGroup } from '../types.ts';
import {
  COUNTIES, F, FLAGSHIP, KUNSHAN, NANJING, PROVINCE, agentMaterials, AGENT_QUESTION, businessLicence, companyForm, cond, idCard, impl, instantSteps, item, law, licence, licenceSteps, normative, num,
  personForm, pick, regulation, shared, str, upload,
} from '../builders.ts';

const TAX_WHERE = { counter: '税务综合窗口（办税服务厅）' };

export const TAXATION: DemoCatalogGroup = {
  items: [
    item('10-1001-000', '增值税发票领用', '10', 'taxation', ['province', 'city', 'county'], ['company', 'person'], ['tax', 'company_start'], ['领发票', '申领发票', '数电发票', '开发票', '发票额度', '票种核定', '发票领用', '电子发票'], [
      regulation('《中华人民共和国发票管理办法》', '第十五条：需要领用发票的单位和个人，应当持设立登记证件或者税务登记证件，以及经办人身份证明，向主管税务机关办理发票领用手续；主管税务机关根据领用单位和个人的经营范围、规模和风险等级，在5个工作日内确认领用发票的种类、数量以及领用方式。'),
    ]),
    item('10-1002-000', '个人所得税综合所得汇算清缴', '10', 'taxation', ['province', 'city', 'county'], ['person'], ['employment'], ['个税汇算', '退税', '个税年度汇算', '个税App', '个人所得税退税', '补税', '个税申报'], [
      law('《中华人民共和国个人所得税法》', '第十一条：居民个人取得综合所得，按年计算个人所得税；有扣缴义务人的，由扣缴义务人按月或者按次预扣预缴税款；需要办理汇算清缴的，应当在取得所得的次年三月一日至六月三十日内办理汇算清缴。'),
    ]),
    item('10-1003-000', '增值税一般纳税人登记', '10', 'taxation', ['province', 'city', 'county'], ['company'], ['tax', 'company_change'], ['一般纳税人', '转一般纳税人', '一般纳税人认定', '小规模转一般', '一般纳税人登记'], [
      law('《中华人民共和国增值税法》', '第九条：本法所称小规模纳税人，是指年应征增值税销售额未超过五百万元的纳税人；小规模纳税人会计核算健全，能够提供准确税务资料的，可以向主管税务机关办理登记，按照本法规定的一般计税方法计算缴纳增值税。（本法自2026年1月1日起施行，《中华人民共和国增值税暂行条例》同时废止。）'),
    ]),
    item('10-1004-000', '清税申报（注销税务登记）', '10', 'taxation', ['province', 'city', 'county'], ['company', 'person'], ['tax', 'company_close'], ['税务注销', '清税证明', '注销税务登记', '公司注销清税', '个体户注销税务'], [
      law('《中华人民共和国税收征收管理法》', '第十六条：从事生产、经营的纳税人，税务登记内容发生变化的，自办理变更登记之日起三十日内或者在申请办理注销登记之前，持有关证件向税务机关申报办理变更或者注销税务登记。'),
    ]),
    item('04-1005-000', '契税申报', '04', 'taxation', ['city', 'county'], ['person', 'company'], ['housing', 'tax'], ['交契税', '买房交税', '契税缴纳', '房产税费', '契税减免', '首套房契税'], [
      law('《中华人民共和国契税法》', '第九条：契税的纳税义务发生时间，为纳税人签订土地、房屋权属转移合同的当日，或者纳税人取得其他具有土地、房屋权属转移合同性质凭证的当日。'),
      law('《中华人民共和国契税法》', '第十条：纳税人应当在依法办理土地、房屋权属登记手续前申报缴纳契税。'),
    ]),
    item('10-1006-000', '跨区域涉税事项报告', '10', 'taxation', ['city', 'county'], ['company'], ['tax', 'operations'], ['外经证', '跨区域经营', '异地施工报税', '跨区域涉税', '外出经营报告'], [
      normative('《国家税务总局关于创新跨区域涉税事项报验管理制度的通知》（税总发〔2017〕103号）', '纳税人跨省（自治区、直辖市和计划单列市）临时从事生产经营活动的，不再开具《外出经营活动税收管理证明》，改向机构所在地的国税机关填报《跨区域涉税事项报告表》。'),
    ]),
  ],

  implementations: [
    impl('10-1001-000', [...FLAGSHIP, ...COUNTIES], {
      questions: [{ id: 'new', text: '是否为新办纳税人首次领用？', options: [{ value: 'yes', label: '是（新办纳税人）' }, { value: 'no', label: '否（调整发票额度或票种）' }] }],
      acceptanceConditions: [
        cond('已办理登记（信息确认），税务机关根据经营范围、规模和风险等级确定发票种类、数量和领用方式。'),
        cond('新办纳税人可与企业开办“一件事”同步办理，首次赋予数电发票开具额度。', { new: 'yes' }),
      ],
      processSteps: instantSteps('通过电子税务局即时办结，核定发票种类和开具额度；纸质发票可选择邮寄配送。'),
      legalLimitDays: 5,
      promisedLimitDays: 0,
      materials: [businessLicence({ name: '设立登记证件（营业执照）' }), licence('handler_id', '经办人居民身份证', 'id_card'), upload('seal_impression', '发票专用章印模', 'electronic', { required: false, note: '领用纸质发票的提交' })],
      channels: ['online', 'mobile', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: companyForm('发票领用申请', {
        invoiceType: pick('发票种类', ['数电发票（增值税专用发票）', '数电发票（普通发票）', '增值税普通发票（纸质）']),
        monthlyAmount: num('预计月开票金额（万元）', 0, 1000000),
        delivery: pick('纸质发票领取方式', ['无需纸质发票', '邮寄配送', '自行领取']),
      }, ['invoiceType']),
    }, { where: TAX_WHERE }),

    impl('10-1002-000', [PROVINCE, ...FLAGSHIP, KUNSHAN], {
      questions: [{ id: 'result', text: '预填结果是退税还是补税？', options: [{ value: 'refund', label: '申请退税' }, { value: 'pay', label: '需要补税' }, { value: 'none', label: '无需退补' }] }],
      acceptanceConditions: [
        cond('在取得所得的次年3月1日至6月30日内办理；可通过“个人所得税”App 预约办理。'),
        cond('申请退税的，提供本人有效的境内银行账户。', { result: 'refund' }),
        cond('综合所得收入全年不超过12万元且需要补税，或补税金额不超过400元的，按规定免于办理。', { result: 'pay' }),
      ],
      processSteps: instantSteps('确认预填信息并提交申报；补税的即时缴纳，退税的经税务机关审核后退至本人银行账户。'),
      legalLimitDays: 0,
      promisedLimitDays: 0,
      materials: [idCard(), shared('income', '全年综合所得收入和已预缴税款', '税务部门扣缴申报信息'), upload('deductions', '专项附加扣除相关资料（子女教育、住房贷款利息、赡养老人等）', 'electronic', { required: false, note: '留存备查，无需上传' })],
      channels: ['online', 'mobile', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 3,
      formSchema: personForm('个人所得税年度自行纳税申报', {
        taxYear: { type: 'integer', title: '所得年度', minimum: 2019, maximum: 2100 },
        result: pick('申报结果', ['申请退税', '补税', '无需退补']),
        bankAccount: F.bankAccount,
      }, ['taxYear', 'result']),
    }, { where: TAX_WHERE }),

    impl('10-1003-000', [...FLAGSHIP, ...COUNTIES], {
      acceptanceConditions: [cond('年应征增值税销售额超过五百万元；或会计核算健全、能够提供准确税务资料的小规模纳税人自愿登记。')],
      processSteps: instantSteps('通过电子税务局提交登记表，即时办结，自登记当期或次月起按一般计税方法计算缴纳增值税。'),
      legalLimitDays: 1,
      promisedLimitDays: 0,
      materials: [upload('registration_form', '增值税一般纳税人登记表', 'electronic'), businessLicence({ name: '营业执照' }), licence('handler_id', '经办人居民身份证', 'id_card')],
      channels: ['online', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: companyForm('增值税一般纳税人登记表', {
        annualSales: num('年应税销售额（万元）', 0, 100000000),
        effective: pick('生效之日', ['当月1日', '次月1日']),
        accountant: str('会计核算负责人', 30),
      }, ['annualSales', 'effective']),
    }, { where: TAX_WHERE }),

    impl('10-1004-000', [...FLAGSHIP, ...COUNTIES], {
      questions: [{ id: 'instant', text: '是否未办理过涉税事宜或已结清税款、发票？', options: [{ value: 'yes', label: '是（即时办结）' }, { value: 'no', label: '否（需清税清票）' }] }, AGENT_QUESTION],
      acceptanceConditions: [
        cond('已结清应纳税款、滞纳金、罚款，已缴销发票和税控设备。'),
        cond('未办理过涉税事宜或符合“承诺制”容缺条件的，即时出具清税文书。', { instant: 'yes' }),
      ],
      processSteps: licenceSteps({ review: '核查欠税、未申报、未缴销发票等事项。', decision: '符合条件的出具《清税证明》。', delivery: '清税信息实时共享至市场监管部门，用于办理注销登记。' }),
      legalLimitDays: 20,
      promisedLimitDays: 3,
      materials: [upload('clearance_form', '清税申报表', 'electronic'), businessLicence(), ...agentMaterials()],
      channels: ['online', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: companyForm('清税申报表', { reason: pick('注销原因', ['解散', '破产', '撤销', '其他']), invoicesCancelled: { type: 'boolean', title: '发票是否已缴销' } }, ['reason']),
    }, { where: TAX_WHERE, overrides: { [NANJING]: { promisedLimitDays: 1 } } }),

    impl('04-1005-000', [...FLAGSHIP, ...COUNTIES], {
      questions: [{ id: 'first_home', text: '是否为家庭唯一住房或第二套改善性住房？', options: [{ value: 'first', label: '家庭唯一住房' }, { value: 'second', label: '第二套改善性住房' }, { value: 'other', label: '其他（非住房或第三套及以上）' }] }],
      acceptanceConditions: [
        cond('在办理不动产权属登记手续前申报缴纳，与不动产登记“一窗受理”。'),
        cond('享受住房契税优惠的，按规定通过数据共享核验家庭住房情况。', { first_home: 'first' }),
        cond('享受第二套改善性住房契税优惠的，按规定核验家庭住房情况。', { first_home: 'second' }),
      ],
      processSteps: instantSteps('“一窗受理”即时申报缴纳，完税信息实时推送不动产登记机构。'),
      legalLimitDays: 1,
      promisedLimitDays: 0,
      materials: [
        idCard({ name: '纳税人身份证明' }),
        shared('contract', '不动产权属转移合同（网签备案）', '房产交易网签备案信息'),
        shared('housing_check', '家庭住房情况查询结果', '不动产登记信息', { when: { first_home: 'first' } }),
        shared('housing_check_second', '家庭住房情况查询结果', '不动产登记信息', { when: { first_home: 'second' } }),
        licence('marriage', '结婚证', 'marriage', { required: false, note: '以家庭为单位享受优惠的提交' }),
      ],
      channels: ['online', 'mobile', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 3,
      formSchema: personForm('契税纳税申报表', {
        location: str('房屋坐落', 200),
        price: num('成交价格（元）', 0, 10000000000),
        area: num('建筑面积（平方米）', 0, 100000),
        contractDate: { type: 'string', title: '合同签订日期', format: 'date' },
      }, ['location', 'price', 'area', 'contractDate']),
    }, { where: { counter: '不动产登记“一窗受理”税务窗口' } }),

    impl('10-1006-000', [...FLAGSHIP, KUNSHAN], {
      acceptanceConditions: [cond('跨省（自治区、直辖市和计划单列市）临时从事生产经营活动，向机构所在地税务机关报告；经营地涉税事项在经营地办理。')],
      processSteps: instantSteps('通过电子税务局即时办结，报告信息推送经营地税务机关。'),
      legalLimitDays: 1,
      promisedLimitDays: 0,
      materials: [upload('report_form', '跨区域涉税事项报告表', 'electronic'), upload('contract', '外出经营合同', 'electronic', { required: false, note: '留存备查' })],
      channels: ['online', 'mobile', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: companyForm('跨区域涉税事项报告表', {
        destination: str('跨区域经营地址', 200),
        contractName: str('合同名称', 100),
        contractAmount: num('合同金额（万元）', 0, 100000000),
        startDate: { type: 'string', title: '经营起始日期', format: 'date' },
        endDate: { type: 'string', title: '经营截止日期', format: 'date' },
      }, ['destination', 'startDate', 'endDate']),
    }, { where: TAX_WHERE }),
  ],
};
