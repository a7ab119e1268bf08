// 公安: household registration, ID cards, residence permits, passports, traffic administration.
import type { DemoCatalogGroup } from '../types.ts';
import {
  AGENT_QUESTION, COUNTIES, F, FLAGSHIP, JIANGNING, KUNSHAN, PIZHOU, SHUYANG, SIX_CITIES, XUANWU, agentMaterials, calendarDays, cond, date, hukou, idCard,
  impl, instantSteps, item, law, licence, licenceSteps, personForm, pick, regulation, rule, shared, str, upload,
} from '../builders.ts';

const ROAD_TRAFFIC_ACT = '《中华人民共和国道路交通安全法》';
const DRIVING_LICENCE_RULES = '《机动车驾驶证申领和使用规定》（公安部令第162号）';
const HUKOU_REGULATION = '《中华人民共和国户口登记条例》';

export const PUBLIC_SECURITY: DemoCatalogGroup = {
  items: [
    item('07-0101-000', '居住证办理', '07', 'public_security', ['county'], ['person'], ['housing', 'employment'], ['办居住证', '暂住证', '居住证申领', '居住证签注', '居住证补办', '新市民', '外地人办证'], [
      regulation('《居住证暂行条例》', '第二条：公民离开常住户口所在地，到其他城市居住半年以上，符合有合法稳定就业、合法稳定住所、连续就读条件之一的，可以依照本条例的规定申领居住证。'),
      regulation('《居住证暂行条例》', '第九条：申领居住证，应当向居住地公安派出所或者受公安机关委托的社区服务机构提交本人居民身份证、本人相片以及居住地住址、就业、就读等证明材料；对符合条件的，公安机关应当自受理之日起15日内制作发放居住证。'),
      regulation('《居住证暂行条例》', '第十条：居住证由县级人民政府公安机关签发，每年签注1次；持有人应当在居住每满1年之日前1个月内办理签注手续。'),
    ]),
    item('01-0102-000', '机动车驾驶证换证', '01', 'public_security', ['city'], ['person'], ['travel'], ['换驾照', '驾照到期', '驾驶证到期换证', '驾照换证', '驾驶证过期', '驾照迁入', '驾驶证有效期满'], [
      law(ROAD_TRAFFIC_ACT, '第十九条：驾驶机动车，应当依法取得机动车驾驶证；申请机动车驾驶证应当符合国务院公安部门规定的驾驶许可条件。'),
      rule(DRIVING_LICENCE_RULES, '第六十三条：机动车驾驶人应当于机动车驾驶证有效期满前九十日内，向机动车驾驶证核发地或者核发地以外的车辆管理所申请换证，提交身份证明和医疗机构出具的有关身体条件的证明。'),
      rule(DRIVING_LICENCE_RULES, '第六十四条：机动车驾驶人户籍迁出原车辆管理所管辖区的，应当向迁入地车辆管理所申请换证；在核发地车辆管理所管辖区以外居住的，可以向居住地车辆管理所申请换证。'),
    ]),
    item('01-0103-000', '普通护照签发', '01', 'public_security', ['city', 'county'], ['person'], ['travel'], ['办护照', '出国', '护照', '出国旅游', '护照换发', '护照补办', '护照过期', '出境'], [
      law('《中华人民共和国护照法》', '第五条：公民因前往外国定居、探亲、学习、就业、旅行、从事商务活动等非公务原因出国的，由本人向户籍所在地的县级以上地方人民政府公安机关出入境管理机构申请普通护照。'),
      law('《中华人民共和国护照法》', '第六条：公民申请普通护照，应当提交本人的居民身份证、户口簿、近期免冠照片以及申请事由的相关材料；公安机关出入境管理机构应当自收到申请材料之日起十五日内签发普通护照，偏远地区或者特殊情况可以延长至三十日。'),
    ]),
    item('07-0104-000', '新生儿出生登记', '07', 'public_security', ['county'], ['person'], ['birth'], ['新生儿上户口', '宝宝落户', '生孩子', '报户口', '出生入户', '孩子上户口', '出生一件事'], [
      regulation(HUKOU_REGULATION, '第七条：婴儿出生后一个月以内，由户主、亲属、抚养人或者邻居向婴儿常住地户口登记机关申报出生登记。'),
    ]),
    item('07-0105-000', '户口迁移（迁入登记）', '07', 'public_security', ['county'], ['person'], ['housing', 'employment', 'marriage'], ['迁户口', '落户', '户口迁入', '买房落户', '投靠落户', '人才落户', '户口迁移', '跨省迁户口'], [
      regulation(HUKOU_REGULATION, '第十条：公民迁出本户口管辖区，由本人或者户主在迁出前向户口登记机关申报迁出登记，领取迁移证件，注销户口。'),
      regulation(HUKOU_REGULATION, '第十三条：公民迁移，从到达迁入地的时候起，城市在三日以内，农村在十日以内，由本人或者户主持迁移证件向户口登记机关申报迁入登记，缴销迁移证件。'),
    ]),
    item('07-0106-000', '居民身份证换领', '07', 'public_security', ['county'], ['person'], ['travel'], ['换身份证', '身份证到期', '身份证过期', '身份证换证', '身份证有效期满', '异地换身份证'], [
      law('《中华人民共和国居民身份证法》', '第八条：居民身份证由居民常住户口所在地的县级人民政府公安机关签发。'),
      law('《中华人民共和国居民身份证法》', '第十一条：居民身份证有效期满、公民姓名变更或者证件严重损坏不能辨认的，公民应当换领新证；领取新证时，必须交回原证。'),
      law('《中华人民共和国居民身份证法》', '第十二条：公安机关应当自公民提交《居民身份证申领登记表》之日起六十日内发放居民身份证；交通不便的地区，延长的时间不得超过三十日。'),
      law('《中华人民共和国居民身份证法》', '第二十一条：公民申请领取、换领、补领居民身份证，应当缴纳证件工本费；工本费标准由国务院价格主管部门会同国务院财政部门核定；城市低保对象等初次申领和换领时免收工本费。'),
    ]),
    item('07-0107-000', '核发机动车检验合格标志', '07', 'public_security', ['city'], ['person', 'company'], ['travel'], ['年检', '车检', '汽车年审', '六年免检', '检验标志', '电子检验标志', '车辆年审'], [
      law(ROAD_TRAFFIC_ACT, '第十三条：对登记后上道路行驶的机动车，应当依照法律、行政法规的规定，根据车辆用途、载客载货数量、使用年限等不同情况，定期进行安全技术检验；对符合机动车国家安全技术标准的，公安机关交通管理部门应当发给检验合格标志。'),
    ]),
  ],

  implementations: [
    impl('07-0101-000', COUNTIES, {
      subItems: [{ code: '01', name: '居住证申领' }, { code: '02', name: '居住证签注' }, { code: '03', name: '居住证换领、补领' }],
      questions: [
        { id: 'kind', text: '您要办理哪项业务？', options: [{ value: 'new', label: '首次申领' }, { value: 'endorse', label: '年度签注' }, { value: 'replace', label: '换领或补领' }] },
        { id: 'basis', text: '您以何种条件申领？', options: [{ value: 'employment', label: '合法稳定就业' }, { value: 'residence', label: '合法稳定住所' }, { value: 'study', label: '连续就读' }] },
      ],
      acceptanceConditions: [
        cond('离开常住户口所在地，到本地居住半年以上并已办理居住登记。', { kind: 'new' }),
        cond('符合有合法稳定就业、合法稳定住所、连续就读条件之一。', { kind: 'new' }),
        cond('在居住每满1年之日前1个月内办理签注；逾期未签注的，补办后居住年限重新连续计算。', { kind: 'endorse' }),
      ],
      processSteps: licenceSteps({ review: '派出所核验居住登记、就业或就读信息。', decision: '符合条件的由县级公安机关签发居住证。', delivery: '到受理点领取，或选择邮寄送达。' }),
      legalLimitDays: calendarDays(15),
      promisedLimitDays: 7,
      materials: [
        idCard(),
        shared('photo', '本人证件相片', '公安人口信息库相片', { when: { kind: 'new' }, note: '库内相片不合格的，现场采集' }),
        upload('address_proof', '居住地住址证明（房屋租赁合同、单位宿舍证明之一）', 'copy', { when: { kind: 'new' } }),
        shared('employment_proof', '就业证明（社会保险参保记录）', '人社部门社会保险参保信息', { when: { kind: 'new', basis: 'employment' } }),
        licence('real_estate', '不动产权证书', 'real_estate', { when: { kind: 'new', basis: 'residence' } }),
        upload('study_proof', '就读学校出具的在校证明', 'original', { when: { kind: 'new', basis: 'study' } }),
        licence('old_permit', '原居住证', 'residence_permit', { when: { kind: 'replace' }, note: '损坏换领的交回原证；丢失补领的免交' }),
      ],
      fees: [{ name: '居住证换领、补领工本费', amountFen: 2000, basis: '《居住证暂行条例》第二十一条：首次申领免收证件工本费，换领、补领缴纳证件工本费，签注不收费（标准以省价格主管部门核定为准）' }],
      channels: ['online', 'mobile', 'window'],
      visits: 1,
      onlineDepth: 3,
      minRealNameLevel: 2,
      formSchema: personForm('居住证申领登记表', {
        kind: pick('业务类型', ['首次申领', '年度签注', '换领', '补领']),
        residenceAddress: str('居住地详细地址', 200),
        residenceSince: date('居住登记日期'),
        basis: pick('申领条件', ['合法稳定就业', '合法稳定住所', '连续就读']),
        employer: str('就业单位或就读学校', 100),
      }, ['kind', 'residenceAddress', 'residenceSince']),
    }, { where: { office: '辖区各公安派出所户籍窗口' }, overrides: { [KUNSHAN]: { promisedLimitDays: 5 } } }),

    impl('01-0102-000', SIX_CITIES, {
      questions: [
        { id: 'reason', text: '换证原因是什么？', options: [{ value: 'expiry', label: '有效期满换证' }, { value: 'moved', label: '户籍迁出或在外地居住' }] },
        { id: 'age70', text: '是否年满70周岁？', options: [{ value: 'no', label: '未满70周岁' }, { value: 'yes', label: '年满70周岁' }] },
      ],
      acceptanceConditions: [
        cond('在机动车驾驶证有效期满前九十日内申请；超过有效期但未满一年的，仍可申请换证。', { reason: 'expiry' }),
        cond('户籍迁出原车辆管理所管辖区，或在核发地车辆管理所管辖区以外居住。', { reason: 'moved' }),
        cond('身体条件符合驾驶许可条件；道路交通安全违法行为和交通事故已处理完毕。'),
      ],
      processSteps: instantSteps('审核通过后当场制发新驾驶证；通过“交管12123”App 网上申请的，新证邮寄送达。'),
      legalLimitDays: 1,
      promisedLimitDays: 0,
      materials: [
        idCard(),
        licence('driving_licence', '机动车驾驶证', 'driving_licence'),
        shared('health_certificate', '机动车驾驶人身体条件证明', '医疗机构联网上传的驾驶人体检信息', { when: { reason: 'expiry' }, note: '在联网医疗机构体检后自动上传，免提交纸质件' }),
        shared('health_certificate_70', '年满70周岁驾驶人身体条件证明及能力测试记录', '医疗机构联网上传的驾驶人体检信息', { when: { age70: 'yes' } }),
      ],
      fees: [{ name: '机动车驾驶证工本费', amountFen: 1000, basis: '按国家发展改革委、财政部核定的机动车驾驶证工本费标准收取（每证10元）' }],
      channels: ['online', 'mobile', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: personForm('机动车驾驶证申请表（换证）', {
        licenceNumber: str('驾驶证档案编号', 12, { pattern: '^\\d{12}$' }),
        reason: pick('换证原因', ['有效期满', '户籍迁出', '居住地换证']),
        mailAddress: str('邮寄地址', 200),
        postcode: F.postcode,
      }, ['licenceNumber', 'reason']),
    }, { where: { office: '公安局车辆管理所（含各车管服务站）' } }),

    impl('01-0103-000', [...FLAGSHIP, JIANGNING, KUNSHAN, PIZHOU, SHUYANG], {
      subItems: [{ code: '01', name: '首次申领' }, { code: '02', name: '换发' }, { code: '03', name: '补发' }],
      questions: [
        { id: 'kind', text: '您要办理哪项业务？', options: [{ value: 'new', label: '首次申领' }, { value: 'renew', label: '有效期满或签证页用完换发' }, { value: 'lost', label: '遗失或被盗补发' }] },
        { id: 'minor', text: '申请人是否未满16周岁？', options: [{ value: 'no', label: '已满16周岁' }, { value: 'yes', label: '未满16周岁' }] },
        { id: 'official', text: '申请人是否为国家工作人员？', options: [{ value: 'no', label: '否' }, { value: 'yes', label: '是' }] },
      ],
      acceptanceConditions: [
        cond('本人亲自到出入境接待大厅申请，现场采集相片和指纹（全国范围内可异地受理）。'),
        cond('未满16周岁的，由监护人陪同办理。', { minor: 'yes' }),
      ],
      processSteps: licenceSteps({ review: '核查申请人身份、户籍及出境管控信息。', decision: '符合条件的签发普通护照；不予签发的书面说明理由。', delivery: '可选择邮政速递送达或到受理点领取。' }),
      legalLimitDays: 15,
      promisedLimitDays: 7,
      materials: [
        idCard(),
        shared('photo', '出入境证件相片', '出入境证件相片采集信息', { note: '现场免费采集或使用具备资质的照相馆上传的相片' }),
        upload('old_passport', '原普通护照', 'original', { when: { kind: 'renew' } }),
        upload('loss_statement', '护照遗失或被盗情况说明', 'original', { when: { kind: 'lost' } }),
        hukou({ when: { minor: 'yes' }, note: '证明监护关系；也可提交出生医学证明' }),
        licence('guardian_id_card', '监护人居民身份证', 'id_card', { when: { minor: 'yes' } }),
        upload('employer_approval', '按干部管理权限审批的出国（境）批准文件', 'original', { when: { official: 'yes' } }),
      ],
      fees: [{ name: '普通护照证件费', amountFen: 12000, basis: '国家发展改革委、财政部2019年降低出入境证件收费标准，自2019年7月1日起普通护照每本120元' }],
      channels: ['online', 'mobile', 'window'],
      visits: 1,
      onlineDepth: 3,
      minRealNameLevel: 3,
      formSchema: personForm('中国公民因私出国（境）申请表', {
        kind: pick('申请类别', ['首次申领', '换发', '补发']),
        reason: pick('出境事由', ['旅游', '探亲访友', '学习', '就业', '商务', '定居', '其他']),
        destination: str('前往国家（地区）', 50),
        emergencyContact: str('紧急联系人', 30),
        emergencyPhone: F.phone,
      }, ['kind', 'reason', 'emergencyContact', 'emergencyPhone']),
    }, { where: { counter: '公安出入境接待窗口' } }),

    impl('07-0104-000', COUNTIES, {
      questions: [
        { id: 'married', text: '父母是否已办理结婚登记？', options: [{ value: 'yes', label: '已登记结婚' }, { value: 'no', label: '非婚生育' }] },
        { id: 'follow', text: '新生儿随哪一方落户？', options: [{ value: 'father', label: '随父亲' }, { value: 'mother', label: '随母亲' }] },
      ],
      acceptanceConditions: [
        cond('新生儿出生后一个月内申报出生登记；超过一个月的，仍可申报，按规定办理。'),
        cond('随父或随母落户的，该方在本地有常住户口。'),
      ],
      processSteps: instantSteps('审核通过当场登记入户，同步出具户口簿户口页；“出生一件事”联办的，结果一并送达。'),
      legalLimitDays: 1,
      promisedLimitDays: 0,
      materials: [
        licence('birth_certificate', '出生医学证明', 'birth_certificate'),
        hukou({ note: '新生儿拟落户一方的户口簿' }),
        licence('parent_id_cards', '父母双方居民身份证', 'id_card'),
        licence('marriage', '父母结婚证', 'marriage', { when: { married: 'yes' } }),
        upload('paternity_proof', '亲子关系证明或非婚生育情况说明', 'original', { when: { married: 'no', follow: 'father' }, note: '非婚生育随父落户的提交' }),
      ],
      channels: ['online', 'mobile', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: personForm('出生登记申报表', {
        babyName: str('新生儿姓名', 30),
        babyGender: pick('性别', ['男', '女']),
        birthDate: date('出生日期'),
        birthCertificateNo: str('出生医学证明编号', 10, { pattern: '^[A-Z]\\d{9}$' }),
        follow: pick('随父或随母落户', ['随父', '随母']),
      }, ['babyName', 'babyGender', 'birthDate', 'birthCertificateNo', 'follow']),
    }, { where: { office: '辖区各公安派出所户籍窗口' } }),

    impl('07-0105-000', COUNTIES, {
      questions: [
        { id: 'category', text: '您属于哪种落户情形？', options: [{ value: 'house', label: '购房落户' }, { value: 'talent', label: '人才落户' }, { value: 'family', label: '投靠亲属' }, { value: 'employment', label: '就业参保落户' }] },
        AGENT_QUESTION,
      ],
      acceptanceConditions: [
        cond('在本地拥有合法稳定住所（含自有产权住房）。', { category: 'house' }),
        cond('具有全日制大专以上学历或技能人才等，符合本地人才落户政策。', { category: 'talent' }),
        cond('夫妻、父母子女之间投靠，符合本地投靠落户条件。', { category: 'family' }),
        cond('在本地合法稳定就业并按规定连续缴纳社会保险，符合本地积分或年限要求。', { category: 'employment' }),
      ],
      processSteps: licenceSteps({ review: '迁入地派出所审核落户条件；跨省迁移实行“一站式”网上迁出。', decision: '准予迁入的办理迁入登记，迁出地同步注销原户口。', delivery: '户口簿户口页窗口领取或邮寄送达。' }),
      legalLimitDays: 20,
      promisedLimitDays: 5,
      materials: [
        idCard(),
        hukou({ note: '迁出地户口簿，跨省迁移的由迁出地网上核验' }),
        licence('real_estate', '不动产权证书', 'real_estate', { when: { category: 'house' } }),
        upload('diploma', '学历（学位）证书或职业资格证书', 'copy', { when: { category: 'talent' } }),
        upload('relation_proof', '亲属关系证明', 'copy', { when: { category: 'family' } }),
        licence('marriage', '结婚证', 'marriage', { when: { category: 'family' }, note: '夫妻投靠的提交' }),
        shared('insurance_record', '社会保险参保缴费记录', '人社部门社会保险参保信息', { when: { category: 'employment' } }),
        ...agentMaterials(),
      ],
      channels: ['online', 'mobile', 'window'],
      visits: 1,
      onlineDepth: 3,
      minRealNameLevel: 2,
      formSchema: personForm('户口迁移（迁入）申请表', {
        category: pick('落户类别', ['购房落户', '人才落户', '投靠亲属', '就业参保落户']),
        fromAddress: str('迁出地户籍地址', 200),
        toAddress: str('迁入地址', 200),
        members: { type: 'array', title: '随迁人员', maxItems: 10, items: { type: 'object', title: '随迁人员', properties: { name: str('姓名', 30), idNumber: F.idNumber, relation: str('与申请人关系', 10) }, required: ['name', 'idNumber', 'relation'], additionalProperties: false } },
      }, ['category', 'fromAddress', 'toAddress']),
    }, { where: { office: '辖区各公安派出所户籍窗口' }, overrides: { [XUANWU]: { promisedLimitDays: 3 } } }),

    impl('07-0106-000', COUNTIES, {
      questions: [
        { id: 'reason', text: '换领原因是什么？', options: [{ value: 'expiry', label: '有效期满（可提前3个月办理）' }, { value: 'change', label: '登记项目变更' }, { value: 'damage', label: '证件损坏' }] },
        { id: 'minor', text: '申请人是否未满16周岁？', options: [{ value: 'no', label: '已满16周岁' }, { value: 'yes', label: '未满16周岁' }] },
      ],
      acceptanceConditions: [
        cond('本人到场采集相片和指纹信息；可在户籍地或居住地（跨省通办）公安机关办理。'),
        cond('未满16周岁的，由监护人陪同办理。', { minor: 'yes' }),
      ],
      processSteps: licenceSteps({ review: '核对户籍信息，采集相片、指纹。', decision: '制作居民身份证。', delivery: '到受理点领取，或选择邮寄送达；急需使用的可申领临时居民身份证。' }),
      legalLimitDays: calendarDays(60),
      promisedLimitDays: 20,
      materials: [
        hukou(),
        licence('old_id_card', '原居民身份证', 'id_card', { note: '领取新证时交回原证' }),
        upload('change_proof', '登记项目变更的户口登记变更证明', 'original', { when: { reason: 'change' } }),
        licence('guardian_id_card', '监护人居民身份证', 'id_card', { when: { minor: 'yes' } }),
      ],
      fees: [{ name: '居民身份证工本费（换领）', amountFen: 2000, basis: '《中华人民共和国居民身份证法》第二十一条；按国家发展改革委、财政部核定的第二代居民身份证工本费标准（换领、补领每证20元）收取，低保对象免收' }],
      channels: ['window'],
      visits: 1,
      onlineDepth: 2,
      minRealNameLevel: 2,
      formSchema: personForm('居民身份证申领登记表', {
        reason: pick('换领原因', ['有效期满', '登记项目变更', '证件损坏']),
        delivery: pick('领取方式', ['窗口领取', '邮寄送达']),
        mailAddress: str('邮寄地址', 200),
      }, ['reason', 'delivery']),
    }, { where: { office: '辖区各公安派出所户籍窗口' } }),

    impl('07-0107-000', FLAGSHIP, {
      questions: [{ id: 'exempt', text: '车辆是否属于6年以内免检的非营运小型、微型载客汽车？', options: [{ value: 'yes', label: '是（免予上线检验）' }, { value: 'no', label: '否（须先上线检验）' }] }],
      acceptanceConditions: [
        cond('机动车交通事故强制保险在有效期内，道路交通安全违法行为和交通事故已处理完毕。'),
        cond('须先到机动车安全技术检验机构检验合格。', { exempt: 'no' }),
      ],
      processSteps: instantSteps('审核通过后核发电子检验合格标志，可在“交管12123”App 查看和出示。'),
      legalLimitDays: 1,
      promisedLimitDays: 0,
      materials: [
        idCard({ name: '机动车所有人身份证明' }),
        licence('vehicle_licence', '机动车行驶证', 'vehicle_licence'),
        shared('insurance', '机动车交通事故责任强制保险凭证', '交强险电子保单信息'),
        shared('inspection_report', '机动车安全技术检验合格证明', '机动车安全技术检验联网信息', { when: { exempt: 'no' } }),
      ],
      channels: ['online', 'mobile', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: personForm('核发检验合格标志申请', {
        plate: F.plate,
        vehicleType: pick('车辆类型', ['小型载客汽车', '微型载客汽车', '摩托车', '载货汽车', '其他']),
        mailAddress: str('纸质标志邮寄地址（如需）', 200),
      }, ['plate', 'vehicleType']),
    }, { where: { office: '公安局车辆管理所' } }),
  ],
};
