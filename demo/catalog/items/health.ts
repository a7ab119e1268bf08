// 卫生健康: birth certificates, birth registration, practitioner and facility licences.
import type { DemoCatalogGroup } from '../types.ts';
import {
  AGENT_QUESTION, COUNTIES, FLAGSHIP, JIANGNING, KUNSHAN, LICENSING_ACT_42, PROVINCE, SHUYANG, agentMaterials, applicationForm, businessLicence, companyForm, cond, date, hukou, idCard, impl,
  instantSteps, item, law, licence, licenceSteps, personForm, pick, regulation, shared, str, upload,
} from '../builders.ts';

export const HEALTH: DemoCatalogGroup = {
  items: [
    item('11-0301-000', '出生医学证明办理', '11', 'health', ['county'], ['person'], ['birth'], ['出生证', '出生证明', '生孩子', '办出生证', '出生证补办', '宝宝出生证', '出生医学证明'], [
      law('《中华人民共和国母婴保健法》', '第二十三条：医疗保健机构和从事家庭接生的人员按照国务院卫生行政部门的规定，出具统一制发的新生儿出生医学证明；有产妇和婴儿死亡以及新生儿出生缺陷情况的，应当向卫生行政部门报告。'),
    ]),
    item('11-0302-000', '生育登记', '11', 'health', ['county'], ['person'], ['birth'], ['生孩子', '准生证', '生育服务证', '怀孕登记', '二胎登记', '三孩登记', '生育登记', '生小孩'], [
      law('《中华人民共和国人口与计划生育法》', '第十八条：国家提倡适龄婚育、优生优育。一对夫妻可以生育三个子女。'),
    ]),
    item('01-0303-000', '医师执业注册', '01', 'health', ['province', 'city', 'county'], ['person'], ['employment'], ['医师注册', '医生执业证', '变更执业地点', '医师多点执业', '执业医师注册'], [
      law('《中华人民共和国医师法》', '第十三条：国家实行医师执业注册制度。取得医师资格的，可以向所在地县级以上地方人民政府卫生健康主管部门申请注册；卫生健康主管部门应当自受理申请之日起二十个工作日内准予注册，并发给医师执业证书。'),
    ]),
    item('01-0304-000', '护士执业注册', '01', 'health', ['city', 'county'], ['person'], ['employment'], ['护士注册', '护士执业证', '护士证', '护士延续注册', '护士变更注册'], [
      regulation('《护士条例》', '第七条：护士执业，应当经执业注册取得护士执业证书；申请注册应当具有完全民事行为能力，完成规定的护理、助产专业课程学习并取得学历证书，通过护士执业资格考试，符合健康标准。'),
      regulation('《护士条例》', '第八条：收到申请的卫生主管部门应当自收到申请之日起20个工作日内做出决定；护士执业注册有效期为5年。'),
    ]),
    item('01-0305-000', '医疗机构执业登记', '01', 'health', ['province', 'city', 'county'], ['company'], ['operations', 'health'], ['开诊所', '开医院', '医疗机构执业许可证', '开门诊部', '办医'], [
      regulation('《医疗机构管理条例》', '第十五条：医疗机构执业，必须进行登记，领取《医疗机构执业许可证》（诊所按照国务院卫生健康主管部门的规定实行备案管理）。'),
      regulation('《医疗机构管理条例》', '第十九条：县级以上地方人民政府卫生行政部门自受理执业登记申请之日起45日内，根据本条例和医疗机构基本标准进行审核；审核合格的，予以登记，发给《医疗机构执业许可证》。'),
    ]),
    item('01-0306-000', '公共场所卫生许可', '01', 'health', ['city', 'county'], ['company', 'person'], ['operations'], ['开宾馆', '开酒店', '开美容院', '开理发店', '开游泳馆', '开足浴店', '卫生许可证', '开旅馆'], [
      regulation('《公共场所卫生管理条例》', '第八条：除公园、体育场（馆）、公共交通工具外的公共场所，经营单位应当及时向卫生行政部门申请办理“卫生许可证”；“卫生许可证”两年复核一次。'),
      LICENSING_ACT_42,
    ]),
  ],

  implementations: [
    impl('11-0301-000', COUNTIES, {
      subItems: [{ code: '01', name: '首次签发' }, { code: '02', name: '补发' }, { code: '03', name: '换发' }],
      questions: [{ id: 'kind', text: '您要办理哪项业务？', options: [{ value: 'first', label: '首次签发（在助产机构出生）' }, { value: 'reissue', label: '遗失补发' }, { value: 'replace', label: '信息有误或破损换发' }] }],
      acceptanceConditions: [
        cond('新生儿在本辖区具有助产技术服务资质的医疗机构内出生。', { kind: 'first' }),
        cond('原出生医学证明遗失，且新生儿未满规定年龄或尚未办理出生登记，按规定可补发。', { kind: 'reissue' }),
        cond('出生医学证明信息有误或破损，交回原证。', { kind: 'replace' }),
      ],
      processSteps: licenceSteps({ review: '签发机构核对分娩记录、父母身份信息；补发、换发的由县级卫生健康部门审核。', decision: '符合条件的签发《出生医学证明》并同步生成电子证照。', delivery: '首次签发于新生儿出院前领取；电子证照推送至“苏服办”，可用于出生登记、医保参保等“出生一件事”联办。' }),
      legalLimitDays: 20,
      promisedLimitDays: 5,
      materials: [
        licence('mother_id_card', '母亲居民身份证', 'id_card'),
        licence('father_id_card', '父亲居民身份证', 'id_card', { required: false, note: '父亲信息登记在证上的提交' }),
        shared('delivery_record', '住院分娩记录', '助产机构分娩信息', { when: { kind: 'first' } }),
        upload('loss_statement', '遗失情况说明及登报声明', 'original', { when: { kind: 'reissue' } }),
        hukou({ when: { kind: 'reissue' }, required: false, note: '已办理出生登记的提交' }),
        licence('old_certificate', '原出生医学证明', 'birth_certificate', { when: { kind: 'replace' } }),
      ],
      channels: ['online', 'mobile', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: personForm('出生医学证明办理申请', {
        kind: pick('办理类型', ['首次签发', '补发', '换发']),
        babyName: str('新生儿姓名', 30),
        babyGender: pick('新生儿性别', ['男', '女']),
        birthDate: date('出生日期'),
        hospital: str('出生医疗机构', 100),
      }, ['kind', 'babyName', 'babyGender', 'birthDate', 'hospital']),
    }, { where: { office: '各助产机构出生医学证明签发窗口' } }),

    impl('11-0302-000', COUNTIES, {
      acceptanceConditions: [cond('夫妻双方至少一方户籍在本地，或女方在本地居住；符合法律法规规定的生育政策。')],
      processSteps: instantSteps('信息核验通过后即时完成生育登记，生成电子生育登记服务凭证，并推送孕产期保健服务信息。'),
      legalLimitDays: 1,
      promisedLimitDays: 0,
      materials: [
        licence('id_cards', '夫妻双方居民身份证', 'id_card'),
        licence('marriage', '结婚证', 'marriage', { note: '通过电子证照核验，免提交纸质件' }),
        shared('household', '夫妻双方户籍信息', '公安人口户籍信息'),
      ],
      channels: ['online', 'mobile', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: personForm('生育登记', {
        spouseName: str('配偶姓名', 30),
        spouseIdNumber: { type: 'string', title: '配偶公民身份号码', pattern: '^\\d{17}[\\dX]$' },
        childOrder: pick('本次登记为第几个子女', ['第一个', '第二个', '第三个', '第四个及以上']),
        expectedDate: date('预产期'),
        address: str('现居住地址', 200),
      }, ['spouseName', 'spouseIdNumber', 'childOrder']),
    }, { where: { counter: '卫生健康窗口（亦可在镇、街道便民服务中心办理）' } }),

    impl('01-0303-000', [PROVINCE, ...FLAGSHIP, JIANGNING, KUNSHAN], {
      subItems: [{ code: '01', name: '首次注册' }, { code: '02', name: '变更注册' }, { code: '03', name: '重新注册' }],
      questions: [{ id: 'kind', text: '您要办理哪项业务？', options: [{ value: 'first', label: '首次注册' }, { value: 'change', label: '变更执业地点、类别或范围' }, { value: 'again', label: '中止执业活动二年以上重新注册' }] }],
      acceptanceConditions: [
        cond('已取得医师资格，并经拟执业的医疗卫生机构同意聘用。'),
        cond('不存在《中华人民共和国医师法》规定的不予注册情形。'),
        cond('中止医师执业活动二年以上的，已经培训和考核合格。', { kind: 'again' }),
      ],
      processSteps: licenceSteps({ review: '通过国家医师电子化注册系统审核医师资格和执业机构信息。', decision: '准予注册的，注册信息录入国家信息平台，发给电子化医师执业证书。' }),
      legalLimitDays: 20,
      promisedLimitDays: 5,
      materials: [
        applicationForm('医师执业注册申请审核表'),
        idCard(),
        shared('qualification', '医师资格证书', '国家医师资格信息'),
        upload('health', '近6个月内的健康体检证明', 'electronic'),
        upload('employment', '拟执业医疗卫生机构的聘用证明', 'electronic'),
        upload('training', '培训考核合格证明', 'electronic', { when: { kind: 'again' } }),
      ],
      channels: ['online', 'mobile'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: personForm('医师执业注册申请', {
        kind: pick('注册类型', ['首次注册', '变更注册', '重新注册']),
        qualificationNo: str('医师资格证书编码', 30),
        category: pick('执业类别', ['临床', '中医', '口腔', '公共卫生']),
        scope: str('执业范围', 50),
        institution: str('主要执业机构', 100),
      }, ['kind', 'qualificationNo', 'category', 'scope', 'institution']),
    }, { where: { counter: '卫生健康窗口' } }),

    impl('01-0304-000', [...FLAGSHIP, JIANGNING, SHUYANG], {
      subItems: [{ code: '01', name: '首次注册' }, { code: '02', name: '延续注册' }, { code: '03', name: '变更注册' }],
      acceptanceConditions: [
        cond('具有完全民事行为能力，取得护理、助产专业学历证书，通过护士执业资格考试，符合健康标准。'),
        cond('自通过护士执业资格考试之日起3年内提出；逾期的，须在医疗卫生机构接受3个月临床护理培训并考核合格。'),
      ],
      processSteps: licenceSteps({ review: '通过护士电子化注册系统审核。', decision: '准予注册的发给电子化护士执业证书，注册有效期5年。' }),
      legalLimitDays: 20,
      promisedLimitDays: 5,
      materials: [
        applicationForm('护士执业注册申请审核表'),
        idCard(),
        upload('diploma', '护理或助产专业学历证书', 'electronic'),
        shared('exam', '护士执业资格考试成绩合格证明', '国家卫生健康委考试信息'),
        upload('health', '近6个月内的健康体检证明', 'electronic'),
        upload('employment', '医疗卫生机构拟聘用的相关材料', 'electronic'),
      ],
      channels: ['online', 'mobile'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: personForm('护士执业注册申请', {
        kind: pick('注册类型', ['首次注册', '延续注册', '变更注册']),
        institution: str('拟执业医疗机构', 100),
        examYear: { type: 'integer', title: '考试通过年份', minimum: 2000, maximum: 2100 },
      }, ['kind', 'institution']),
    }, { where: { counter: '卫生健康窗口' } }),

    impl('01-0305-000', [...FLAGSHIP, JIANGNING, KUNSHAN], {
      questions: [AGENT_QUESTION],
      acceptanceConditions: [
        cond('已取得设置医疗机构批准书（按规定免于设置审批的除外），符合医疗机构基本标准。'),
        cond('有适合的名称、组织机构和场所，有与其开展的业务相适应的经费、设施、设备和专业卫生技术人员，有相应的规章制度。'),
      ],
      processSteps: licenceSteps({ inspection: '组织现场审核场所、设备设施和卫生技术人员配备情况。', decision: '审核合格的予以登记，发给《医疗机构执业许可证》。' }),
      legalLimitDays: 45,
      promisedLimitDays: 20,
      materials: [
        applicationForm('医疗机构申请执业登记注册书'),
        businessLicence({ name: '法人或者其他组织资格证明', required: false, note: '营利性医疗机构提交营业执照' }),
        upload('premises', '医疗机构用房产权证明或者使用证明', 'electronic'),
        upload('floor_plan', '医疗机构建筑设计平面图', 'electronic'),
        upload('verification', '验资证明、资产评估报告', 'electronic'),
        upload('rules', '医疗机构规章制度', 'electronic'),
        upload('staff', '医疗机构法定代表人或者主要负责人以及各科室负责人名录和有关资格证书、执业证书', 'electronic'),
        ...agentMaterials(),
      ],
      channels: ['online', 'window'],
      visits: 1,
      onlineDepth: 3,
      minRealNameLevel: 2,
      formSchema: companyForm('医疗机构执业登记申请', {
        institutionName: str('医疗机构名称', 100),
        category: pick('医疗机构类别', ['综合医院', '专科医院', '门诊部', '社区卫生服务中心', '护理院', '其他']),
        address: str('执业地址', 200),
        beds: { type: 'integer', title: '床位数', minimum: 0, maximum: 10000 },
        subjects: str('诊疗科目', 500),
      }, ['institutionName', 'category', 'address', 'subjects']),
    }, { where: { counter: '卫生健康窗口' } }),

    impl('01-0306-000', [...FLAGSHIP, ...COUNTIES], {
      subItems: [{ code: '01', name: '新办' }, { code: '02', name: '变更' }, { code: '03', name: '延续' }],
      questions: [{ id: 'promise', text: '是否选择告知承诺方式办理？', options: [{ value: 'yes', label: '是，书面承诺符合条件' }, { value: 'no', label: '否，按一般程序办理' }] }, AGENT_QUESTION],
      acceptanceConditions: [
        cond('经营场所的卫生设施、布局和通风、采光、照明等符合相应卫生标准和规范，从业人员取得有效健康合格证明。'),
        cond('签署告知承诺书，承诺符合许可条件；许可后接受核查。', { promise: 'yes' }),
      ],
      processSteps: licenceSteps({ inspection: '按一般程序办理的进行现场审查；告知承诺的在发证后开展核查。', decision: '符合条件的核发《公共场所卫生许可证》。' }),
      legalLimitDays: 20,
      promisedLimitDays: 5,
      materials: [
        applicationForm('公共场所卫生许可申请表'),
        businessLicence(),
        upload('layout', '公共场所地址方位示意图、平面图和卫生设施平面布局图', 'electronic', { when: { promise: 'no' } }),
        upload('commitment', '告知承诺书', 'electronic', { when: { promise: 'yes' } }),
        upload('rules', '公共场所卫生管理制度', 'electronic'),
        ...agentMaterials(),
      ],
      channels: ['online', 'mobile', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: companyForm('公共场所卫生许可申请', {
        kind: pick('申请类型', ['新办', '变更', '延续']),
        venueType: pick('场所类别', ['宾馆、旅店', '美容美发场所', '沐浴场所', '游泳场所', '歌舞厅', '商场（店）', '其他']),
        venueAddress: str('经营地址', 200),
        area: { type: 'number', title: '营业面积（平方米）', minimum: 1, maximum: 1000000 },
      }, ['kind', 'venueType', 'venueAddress']),
      commitmentApproval: { allowed: true, verifyWithinDays: 30, text: '本单位承诺：公共场所卫生设施、布局和从业人员健康证明符合公共场所卫生许可条件，所提交材料真实有效；如与承诺不符，愿承担许可被撤销等法律责任。' },
    }, { where: { counter: '卫生健康窗口' } }),
  ],
};
