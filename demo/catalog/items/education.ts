// 教育: school admission, teacher qualifications, private schools, school buses.
import type { DemoCatalogGroup } from '../types.ts';
import {
  COUNTIES, FLAGSHIP, JIANGNING, KUNSHAN, PIZHOU, SHUYANG, agentMaterials, AGENT_QUESTION, applicationForm, companyForm, cond, date, hukou, idCard, impl, item, law, licence, licenceSteps,
  personForm, pick, regulation, shared, str, upload,
} from '../builders.ts';

export const EDUCATION: DemoCatalogGroup = {
  items: [
    item('11-0901-000', '义务教育入学（招生入学登记）', '11', 'education', ['county'], ['person'], ['school'], ['上小学', '小学报名', '初中报名', '幼升小', '小升初', '入学登记', '孩子上学', '学区', '随迁子女入学'], [
      law('《中华人民共和国义务教育法》', '第十二条：适龄儿童、少年免试入学。地方各级人民政府应当保障适龄儿童、少年在户籍所在地学校就近入学；父母或者其他法定监护人在非户籍所在地工作或者居住的，当地人民政府应当为其提供平等接受义务教育的条件，具体办法由省、自治区、直辖市规定。'),
    ]),
    item('01-0902-000', '教师资格认定', '01', 'education', ['city', 'county'], ['person'], ['employment'], ['教师资格证', '认定教资', '教资认定', '当老师', '幼儿园教师资格', '教师证'], [
      law('《中华人民共和国教师法》', '第十条：国家实行教师资格制度。具备本法规定的学历或者经国家教师资格考试合格，有教育教学能力，经认定合格的，可以取得教师资格。'),
      law('《中华人民共和国教师法》', '第十三条：中小学教师资格由县级以上地方人民政府教育行政部门认定。'),
      regulation('《教师资格条例》', '第十六条：教育行政部门或者受委托的高等学校对符合认定条件的，应当在受理期限终止之日起30日内颁发相应的教师资格证书；对不符合认定条件的，应当在受理期限终止之日起30日内将认定结论通知本人。'),
    ]),
    item('01-0903-000', '民办学校设立审批', '01', 'education', ['province', 'city', 'county'], ['company', 'person'], ['school', 'company_start'], ['办学校', '开幼儿园', '民办学校', '办学许可证', '私立学校', '民办幼儿园'], [
      law('《中华人民共和国民办教育促进法》', '第十二条：举办实施学历教育、学前教育、自学考试助学及其他文化教育的民办学校，由县级以上人民政府教育行政部门按照国家规定的权限审批。'),
      law('《中华人民共和国民办教育促进法》', '第十七条：申请正式设立民办学校的，审批机关应当自受理之日起三个月内以书面形式作出是否批准的决定，并送达申请人。'),
    ]),
    item('01-0904-000', '校车使用许可', '01', 'education', ['city', 'county'], ['company'], ['school', 'travel'], ['校车', '校车许可', '校车标牌', '接送学生车'], [
      regulation('《校车安全管理条例》', '第十四条：使用校车应当依照本条例的规定取得许可；车辆符合校车安全国家标准并已注册登记，有取得校车驾驶资格的驾驶人，有合理可行的校车运行方案和健全的安全管理制度，已经投保机动车承运人责任保险。'),
      regulation('《校车安全管理条例》', '第十五条：学校或者校车服务提供者向县级或者设区的市级人民政府教育行政部门提交书面申请；教育行政部门征求公安机关交通管理部门、交通运输部门意见后提出审查意见，报本级人民政府决定；批准的由公安机关交通管理部门发给校车标牌。'),
    ]),
  ],

  implementations: [
    impl('11-0901-000', COUNTIES, {
      subItems: [{ code: '01', name: '小学一年级入学登记' }, { code: '02', name: '初中一年级入学登记' }],
      questions: [
        { id: 'hukou', text: '适龄儿童户籍是否在本区（县、市）？', options: [{ value: 'local', label: '本地户籍' }, { value: 'migrant', label: '非本地户籍（随迁子女）' }] },
        { id: 'housing', text: '家庭在本地的住房情况？', options: [{ value: 'own', label: '自有产权住房' }, { value: 'rent', label: '租赁住房' }] },
      ],
      acceptanceConditions: [
        cond('小学入学年满6周岁（以8月31日为界）；初中入学为应届小学毕业生。'),
        cond('户籍与住房在同一施教区的，按施教区划分登记入学。', { hukou: 'local' }),
        cond('父母一方持有本地有效居住证，并按规定在本地缴纳社会保险，按积分或条件入学。', { hukou: 'migrant' }),
      ],
      processSteps: [
        { name: '登记', description: '在规定时间内通过义务教育招生入学服务平台或“苏服办”填报入学信息。' },
        { name: '核验', description: '系统共享核验户籍、房产、居住证和社保信息，无法核验的补充上传材料。' },
        { name: '审核', description: '学校和教育局对照施教区和入学条件审核，公示入学结果。' },
        { name: '录取', description: '发布录取（派位）结果，发放入学通知。' },
      ],
      legalLimitDays: 20,
      promisedLimitDays: 15,
      materials: [
        hukou({ name: '适龄儿童居民户口簿' }),
        licence('guardian_id', '父母（监护人）居民身份证', 'id_card'),
        licence('birth_certificate', '出生医学证明', 'birth_certificate', { required: false, note: '户口簿无法证明亲子关系时提交' }),
        licence('real_estate', '不动产权证书', 'real_estate', { when: { housing: 'own' } }),
        shared('lease_filing', '房屋租赁登记备案证明', '住建部门房屋租赁备案信息', { when: { housing: 'rent' } }),
        licence('residence_permit', '父母一方居住证', 'residence_permit', { when: { hukou: 'migrant' } }),
        shared('insurance', '父母一方社会保险缴纳记录', '人社部门社会保险参保信息', { when: { hukou: 'migrant' } }),
      ],
      channels: ['online', 'mobile'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: personForm('义务教育入学登记', {
        childName: str('适龄儿童姓名', 30),
        childIdNumber: { type: 'string', title: '适龄儿童公民身份号码', pattern: '^\\d{17}[\\dX]$' },
        childBirthDate: date('出生日期'),
        grade: pick('入学年级', ['小学一年级', '初中一年级']),
        homeAddress: str('实际居住地址', 200),
        school: str('施教区学校', 100),
      }, ['childName', 'childIdNumber', 'childBirthDate', 'grade', 'homeAddress']),
    }, { where: { counter: '教育（招生）咨询窗口' } }),

    impl('01-0902-000', [...FLAGSHIP, ...COUNTIES], {
      questions: [{ id: 'level', text: '申请认定的教师资格种类？', options: [{ value: 'basic', label: '幼儿园、小学、初级中学教师资格' }, { value: 'senior', label: '高级中学、中等职业学校教师资格' }] }],
      acceptanceConditions: [
        cond('具备《中华人民共和国教师法》规定的学历，国家教师资格考试合格（或按规定免考），普通话水平达到二级乙等以上。'),
        cond('幼儿园、小学、初级中学教师资格向户籍、居住证或就读学校所在地的县级教育行政部门申请。', { level: 'basic' }),
        cond('高级中学、中等职业学校教师资格向设区的市级教育行政部门申请。', { level: 'senior' }),
      ],
      processSteps: licenceSteps({ review: '通过“中国教师资格网”审核学历、考试、普通话和体检信息。', decision: '符合条件的颁发教师资格证书。', delivery: '证书到受理点领取或邮寄送达。' }),
      legalLimitDays: 30,
      promisedLimitDays: 20,
      materials: [
        idCard(),
        shared('diploma', '学历证书', '教育部学历信息'),
        shared('exam', '国家教师资格考试合格证明', '教育部考试中心考试信息'),
        shared('mandarin', '普通话水平测试等级证书', '国家普通话水平测试信息'),
        upload('medical', '教师资格认定体检表', 'original'),
        shared('no_crime', '无犯罪记录信息', '公安机关犯罪记录查询结果'),
      ],
      channels: ['online', 'window'],
      visits: 1,
      onlineDepth: 3,
      minRealNameLevel: 2,
      formSchema: personForm('教师资格认定申请表', {
        kind: pick('资格种类', ['幼儿园', '小学', '初级中学', '高级中学', '中等职业学校']),
        subject: str('任教学科', 30),
        examCertificateNo: str('考试合格证明编号', 30),
      }, ['kind', 'subject']),
    }, { where: { counter: '教育窗口' }, overrides: { [KUNSHAN]: { promisedLimitDays: 15 } } }),

    impl('01-0903-000', [...FLAGSHIP, JIANGNING, PIZHOU], {
      questions: [{ id: 'stage', text: '申请阶段？', options: [{ value: 'prepare', label: '筹设' }, { value: 'establish', label: '正式设立' }] }, AGENT_QUESTION],
      acceptanceConditions: [
        cond('举办者具有法人资格或为具有政治权利和完全民事行为能力的自然人，学校设置符合当地教育发展需求和设置标准。'),
        cond('已取得筹设批准书，办学条件达到设置标准。', { stage: 'establish' }),
      ],
      processSteps: licenceSteps({ inspection: '组织专家对校舍、设施设备、师资和管理制度进行评议和实地考察。', decision: '批准筹设的发给筹设批准书；批准正式设立的颁发《民办学校办学许可证》。' }),
      legalLimitDays: 60,
      promisedLimitDays: 40,
      materials: [
        applicationForm('民办学校设立申办报告'),
        upload('sponsor', '举办者的姓名、住址或者名称、地址及资产来源证明', 'electronic'),
        upload('prepare_approval', '筹设批准书及筹设情况报告', 'electronic', { when: { stage: 'establish' } }),
        upload('charter', '学校章程及首届理事会（董事会）组成人员名单', 'electronic', { when: { stage: 'establish' } }),
        upload('assets', '学校资产的有效证明文件', 'electronic'),
        upload('staff', '校长、教师、财会人员的资格证明文件', 'electronic', { when: { stage: 'establish' } }),
        ...agentMaterials(),
      ],
      channels: ['online', 'window'],
      visits: 1,
      onlineDepth: 3,
      minRealNameLevel: 2,
      formSchema: companyForm('民办学校设立申请', {
        schoolName: str('拟设学校名称', 100),
        type: pick('学校类型', ['幼儿园', '小学', '初级中学', '高级中学', '文化教育培训机构']),
        address: str('办学地址', 200),
        capacity: { type: 'integer', title: '办学规模（人）', minimum: 1, maximum: 100000 },
      }, ['schoolName', 'type', 'address']),
    }, { where: { counter: '教育窗口' } }),

    impl('01-0904-000', [...FLAGSHIP, SHUYANG, PIZHOU], {
      acceptanceConditions: [cond('车辆符合校车安全国家标准，取得机动车检验合格证明并已注册登记；有取得校车驾驶资格的驾驶人；有合理可行的运行方案和健全的安全管理制度；已投保机动车承运人责任保险。')],
      processSteps: [
        { name: '申请', description: '学校或者校车服务提供者向教育行政部门提交书面申请和证明材料。' },
        { name: '征求意见', description: '教育行政部门自收到申请材料之日起3个工作日内送同级公安机关交通管理部门、交通运输部门征求意见，相关部门在3个工作日内回复。' },
        { name: '审查', description: '教育行政部门自收到回复意见之日起5个工作日内提出审查意见，报本级人民政府。' },
        { name: '决定', description: '本级人民政府决定批准的，由公安机关交通管理部门发给校车标牌，并在行驶证上签注校车类型和核载人数。' },
      ],
      legalLimitDays: 20,
      promisedLimitDays: 15,
      materials: [
        applicationForm('校车使用许可申请表'),
        licence('vehicle_licence', '机动车行驶证', 'vehicle_licence'),
        shared('driver_qualification', '校车驾驶资格信息', '公安交管驾驶人信息'),
        upload('route_plan', '校车运行方案（行驶线路、开行时间、停靠站点）', 'electronic'),
        upload('safety_rules', '校车安全管理制度', 'electronic'),
        upload('insurance', '机动车承运人责任保险凭证', 'electronic'),
      ],
      channels: ['online', 'window'],
      visits: 1,
      onlineDepth: 3,
      minRealNameLevel: 2,
      formSchema: companyForm('校车使用许可申请', {
        plate: str('校车号牌号码', 8),
        seats: { type: 'integer', title: '核载人数', minimum: 5, maximum: 60 },
        route: str('行驶线路', 300),
        schedule: str('开行时间', 100),
      }, ['plate', 'seats', 'route', 'schedule']),
    }, { where: { counter: '教育窗口' } }),
  ],
};
