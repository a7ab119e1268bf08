// 住房公积金: withdrawal, loans, employer registration, deposit certificates. Housing-fund
// centres exist at province and city level only (demo/organisations.ts).
import type { DemoCatalogGroup } from '../types.ts';
import {
  ALL_CITIES, AGENT_QUESTION, F, FLAGSHIP, NANJING, SIX_CITIES, agentMaterials, businessLicence, calendarDays, companyForm, cond, idCard, impl, instantSteps, item, licence, licenceSteps,
  num, personForm, pick, regionFullName, regulation, shared, str, upload,
} from '../builders.ts';

const REGULATION = '《住房公积金管理条例》';
/** Each city's centre, named as in demo/organisations.ts: 南京住房公积金管理中心 … */
const centre = (region: string) => ({ named: `${regionFullName(region).replace(/市$/, '')}住房公积金管理中心服务大厅${region === NANJING ? '及各分中心' : ''}` });

export const HOUSING_FUND: DemoCatalogGroup = {
  items: [
    item('11-1201-000', '住房公积金提取', '11', 'housing_fund', ['city'], ['person'], ['housing', 'retirement'], ['提公积金', '公积金提取', '取公积金', '租房提取公积金', '退休提公积金', '公积金还贷', '公积金销户', '买房提公积金'], [
      regulation(REGULATION, '第二十四条：职工购买、建造、翻建、大修自住住房，离休、退休，完全丧失劳动能力并与单位终止劳动关系，出境定居，偿还购房贷款本息，房租超出家庭工资收入的规定比例的，可以提取职工住房公积金账户内的存储余额。'),
      regulation(REGULATION, '第二十五条：职工应当持提取证明向住房公积金管理中心申请提取住房公积金；住房公积金管理中心应当自受理申请之日起3日内作出准予提取或者不准提取的决定，并通知申请人。'),
    ]),
    item('11-1202-000', '住房公积金个人住房贷款', '11', 'housing_fund', ['city'], ['person'], ['housing'], ['公积金贷款', '公积金买房', '公积金房贷', '组合贷', '公积金贷款额度'], [
      regulation(REGULATION, '第二十六条：缴存住房公积金的职工，在购买、建造、翻建、大修自住住房时，可以向住房公积金管理中心申请住房公积金贷款；住房公积金管理中心应当自受理申请之日起15日内作出准予贷款或者不准贷款的决定。'),
    ]),
    item('11-1203-000', '住房公积金单位缴存登记', '11', 'housing_fund', ['city'], ['company'], ['company_start'], ['公积金开户', '单位公积金登记', '公积金缴存登记', '新公司开公积金', '公积金单位开户'], [
      regulation(REGULATION, '第十三条：单位应当向住房公积金管理中心办理住房公积金缴存登记，并为本单位职工办理住房公积金账户设立手续；每个职工只能有一个住房公积金账户。'),
      regulation(REGULATION, '第十四条：新设立的单位应当自设立之日起30日内向住房公积金管理中心办理住房公积金缴存登记，并自登记之日起20日内，为本单位职工办理住房公积金账户设立手续。'),
    ]),
    item('11-1204-000', '住房公积金缴存证明出具', '11', 'housing_fund', ['city'], ['person'], ['housing'], ['公积金缴存证明', '公积金查询', '公积金明细', '打印公积金证明', '公积金缴存记录'], [
      regulation(REGULATION, '第十三条第三款：住房公积金管理中心应当建立职工住房公积金明细账，记载职工个人住房公积金的缴存、提取等情况。'),
    ]),
  ],

  implementations: [
    impl('11-1201-000', ALL_CITIES, {
      subItems: [
        { code: '01', name: '购买自住住房提取' }, { code: '02', name: '偿还住房贷款本息提取' }, { code: '03', name: '租赁住房提取' },
        { code: '04', name: '离休、退休提取' }, { code: '05', name: '出境定居提取' }, { code: '06', name: '完全丧失劳动能力并终止劳动关系提取' },
      ],
      questions: [
        { id: 'reason', text: '提取原因是什么？', options: [{ value: 'buy', label: '购买自住住房' }, { value: 'loan', label: '偿还住房贷款本息' }, { value: 'rent', label: '租赁住房' }, { value: 'retire', label: '离休、退休' }, { value: 'emigrate', label: '出境定居' }, { value: 'disabled', label: '完全丧失劳动能力' }] },
        { id: 'married', text: '是否同时提取配偶的住房公积金？', options: [{ value: 'no', label: '否' }, { value: 'yes', label: '是' }] },
        AGENT_QUESTION,
      ],
      acceptanceConditions: [
        cond('住房公积金账户处于正常缴存或封存状态，且符合《住房公积金管理条例》第二十四条规定的提取情形。'),
        cond('租赁住房提取的，本人及配偶在本市无自有住房，按本市规定的额度和频次提取。', { reason: 'rent' }),
        cond('离休、退休、出境定居、完全丧失劳动能力提取的，同时注销住房公积金账户。', { reason: 'retire' }),
      ],
      processSteps: instantSteps('信息核验通过后即时作出准予提取决定，资金实时划转至本人银行账户（通过“苏服办”、公积金App 办理的全程网办）。'),
      legalLimitDays: calendarDays(3),
      promisedLimitDays: 0,
      materials: [
        idCard(),
        shared('bank_card', '本人银行结算账户', '住房公积金管理中心个人账户信息'),
        licence('real_estate', '不动产权证书', 'real_estate', { when: { reason: 'buy' } }),
        shared('purchase_contract', '购房合同及购房发票（或契税完税信息）', '房产交易网签备案和税务完税信息', { when: { reason: 'buy' } }),
        shared('loan_contract', '住房贷款合同及还款记录', '公积金中心与受托银行贷款信息', { when: { reason: 'loan' } }),
        shared('no_house', '本人及配偶在本市无房证明', '不动产登记信息', { when: { reason: 'rent' } }),
        shared('lease_filing', '房屋租赁登记备案证明', '住建部门房屋租赁备案信息', { when: { reason: 'rent' }, required: false, note: '按高于基本额度提取的提交' }),
        shared('retirement', '退休审批信息', '人社部门养老保险待遇信息', { when: { reason: 'retire' } }),
        upload('emigration', '户口注销证明或出境定居证明', 'original', { when: { reason: 'emigrate' } }),
        upload('disability', '劳动能力鉴定结论及终止劳动关系证明', 'original', { when: { reason: 'disabled' } }),
        licence('marriage', '结婚证', 'marriage', { when: { married: 'yes' } }),
        ...agentMaterials(),
      ],
      channels: ['online', 'mobile', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 3,
      formSchema: personForm('住房公积金提取申请', {
        accountNo: str('个人公积金账号', 20, { pattern: '^\\d{6,20}$' }),
        reason: pick('提取原因', ['购买自住住房', '偿还住房贷款本息', '租赁住房', '离休、退休', '出境定居', '完全丧失劳动能力']),
        amount: num('申请提取金额（元）', 0.01, 10000000),
        bankAccount: F.bankAccount,
        spouseIdNumber: { type: 'string', title: '配偶公民身份号码（同时提取配偶的填写）', pattern: '^\\d{17}[\\dX]$' },
      }, ['accountNo', 'reason', 'amount', 'bankAccount']),
    }, { where: centre }),

    impl('11-1202-000', SIX_CITIES, {
      questions: [{ id: 'house', text: '所购住房类型？', options: [{ value: 'new', label: '新建商品住房' }, { value: 'resale', label: '二手住房' }] }, { id: 'married', text: '借款人是否已婚？', options: [{ value: 'no', label: '未婚、离异或丧偶' }, { value: 'yes', label: '已婚' }] }],
      acceptanceConditions: [
        cond('借款人连续足额缴存住房公积金满规定期限，账户处于正常缴存状态，具有稳定的经济收入和偿还贷款本息能力。'),
        cond('购买、建造、翻建、大修自住住房，符合本市住房公积金贷款套数、首付比例和额度规定。'),
      ],
      processSteps: licenceSteps({ review: '审核借款人缴存、征信、还款能力和所购住房信息，计算可贷额度。', decision: '自受理之日起作出准予贷款或者不准贷款的决定。', delivery: '签订借款合同、办理抵押登记后，由受委托银行发放贷款。' }),
      legalLimitDays: calendarDays(15),
      promisedLimitDays: 5,
      materials: [
        idCard({ name: '借款人及配偶居民身份证' }),
        licence('marriage', '结婚证', 'marriage', { when: { married: 'yes' } }),
        shared('purchase_contract', '购房合同（网签备案）', '房产交易网签备案信息'),
        upload('down_payment', '首付款证明', 'electronic'),
        licence('real_estate', '所购住房不动产权证书', 'real_estate', { when: { house: 'resale' } }),
        shared('credit', '个人信用报告', '中国人民银行征信信息（经本人授权查询）'),
      ],
      channels: ['online', 'mobile', 'window'],
      visits: 1,
      onlineDepth: 3,
      minRealNameLevel: 3,
      formSchema: personForm('住房公积金个人住房贷款申请', {
        houseLocation: str('所购住房坐落', 200),
        housePrice: num('房屋总价（万元）', 0, 100000),
        loanAmount: num('申请贷款金额（万元）', 0, 1000),
        loanYears: { type: 'integer', title: '贷款年限（年）', minimum: 1, maximum: 30 },
        repayment: pick('还款方式', ['等额本息', '等额本金']),
      }, ['houseLocation', 'housePrice', 'loanAmount', 'loanYears', 'repayment']),
    }, { where: centre }),

    impl('11-1203-000', FLAGSHIP, {
      questions: [AGENT_QUESTION],
      acceptanceConditions: [cond('新设立的单位自设立之日起30日内办理缴存登记，并自登记之日起20日内为职工办理个人账户设立手续；可通过企业开办“一件事”同步办理。')],
      processSteps: instantSteps('即时完成单位缴存登记，生成单位住房公积金账号，职工个人账户可批量设立。'),
      legalLimitDays: 1,
      promisedLimitDays: 0,
      materials: [businessLicence(), licence('legal_rep_id', '法定代表人（负责人）居民身份证', 'id_card'), upload('staff_list', '职工名册及缴存基数、比例', 'electronic'), ...agentMaterials()],
      channels: ['online', 'mobile', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: companyForm('住房公积金单位缴存登记', {
        depositRate: { type: 'integer', title: '单位及职工缴存比例（%）', minimum: 5, maximum: 12 },
        employees: { type: 'integer', title: '职工人数', minimum: 1, maximum: 1000000 },
        firstMonth: { type: 'string', title: '首次汇缴年月', pattern: '^\\d{4}-(0[1-9]|1[0-2])$' },
      }, ['depositRate', 'employees', 'firstMonth']),
    }, { where: centre }),

    impl('11-1204-000', ALL_CITIES, {
      acceptanceConditions: [cond('本人在本市建立住房公积金账户。')],
      processSteps: instantSteps('即时生成带电子印章的住房公积金缴存证明，可在线验证真伪。'),
      legalLimitDays: 1,
      promisedLimitDays: 0,
      materials: [idCard()],
      channels: ['online', 'mobile', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: personForm('住房公积金缴存证明', { purpose: pick('用途', ['贷款', '落户', '子女入学', '购房资格', '其他']), months: { type: 'integer', title: '证明期间（月）', minimum: 1, maximum: 120 } }, ['purpose']),
    }, { where: centre }),
  ],
};
