// 民政: marriage and adoption registration, social assistance, the elderly and the disabled,
// social organisations.
import type { DemoCatalogGroup, Material } from '../types.ts';
import {
  AGENT_QUESTION, COUNTIES, FLAGSHIP, F, KUNSHAN, PROVINCE, agentMaterials, applicationForm, calendarDays, cond, date, form, hukou, idCard, impl, instantSteps, item, law, licence,
  licenceSteps, normative, personForm, pick, regulation, shared, str, upload,
} from '../builders.ts';

const SOCIAL_ASSISTANCE = '《社会救助暂行办法》';
const MARRIAGE_OFFICE = { office: '婚姻登记处', hours: '周一至周五 上午9:00-12:00，下午13:30-17:00（“5·20”、七夕等特殊日期延时服务以公告为准）' };

/** What every social-assistance application asks for: the household and its means are checked by data sharing. */
function assistanceMaterials(): Material[] {
  return [
    applicationForm('社会救助申请书'),
    idCard(),
    hukou(),
    upload('authorisation', '家庭经济状况核对授权书（共同生活的家庭成员签字）', 'original'),
    shared('economic_check', '家庭经济状况核对报告', '居民家庭经济状况核对信息（不动产、车辆、存款、工商、社保、公积金等）'),
    ...agentMaterials(),
  ];
}

export const CIVIL_AFFAIRS: DemoCatalogGroup = {
  items: [
    item('07-0501-000', '结婚登记', '07', 'civil_affairs', ['county'], ['person'], ['marriage'], ['领结婚证', '结婚登记', '领证', '结婚', '扯证', '登记结婚', '预约结婚登记', '复婚'], [
      law('《中华人民共和国民法典》', '第一千零四十九条：要求结婚的男女双方应当亲自到婚姻登记机关申请结婚登记。符合本法规定的，予以登记，发给结婚证。完成结婚登记，即确立婚姻关系。'),
      regulation('《婚姻登记条例》（2025年4月6日国务院令第804号修订）', '第二条：内地居民办理婚姻登记的机关是县级人民政府民政部门或者省、自治区、直辖市人民政府按照便民原则确定的乡（镇）人民政府。（修订后的条例自2025年5月10日起施行，实行婚姻登记“全国通办”，办理婚姻登记不收取费用。）'),
    ]),
    item('07-0502-000', '离婚登记', '07', 'civil_affairs', ['county'], ['person'], ['marriage'], ['离婚', '协议离婚', '办离婚', '离婚冷静期', '领离婚证', '离婚登记'], [
      law('《中华人民共和国民法典》', '第一千零七十六条：夫妻双方自愿离婚的，应当签订书面离婚协议，并亲自到婚姻登记机关申请离婚登记；离婚协议应当载明双方自愿离婚的意思表示和对子女抚养、财产以及债务处理等事项协商一致的意见。'),
      law('《中华人民共和国民法典》', '第一千零七十七条：自婚姻登记机关收到离婚登记申请之日起三十日内，任何一方不愿意离婚的，可以撤回离婚登记申请；期限届满后三十日内，双方应当亲自到婚姻登记机关申请发给离婚证，未申请的视为撤回离婚登记申请。'),
      regulation('《婚姻登记条例》（2025年4月6日国务院令第804号修订）', '第二条：内地居民办理婚姻登记的机关是县级人民政府民政部门或者省、自治区、直辖市人民政府按照便民原则确定的乡（镇）人民政府。'),
    ]),
    item('05-0503-000', '最低生活保障', '05', 'civil_affairs', ['county'], ['person'], ['elderly', 'health'], ['低保', '申请低保', '吃低保', '低保户', '生活困难补助', '困难家庭救助'], [
      regulation(SOCIAL_ASSISTANCE, '第九条：国家对共同生活的家庭成员人均收入低于当地最低生活保障标准，且符合当地最低生活保障家庭财产状况规定的家庭，给予最低生活保障。'),
      regulation(SOCIAL_ASSISTANCE, '第十一条：申请最低生活保障，由共同生活的家庭成员向户籍所在地的乡镇人民政府、街道办事处提出书面申请；乡镇人民政府、街道办事处调查核实、公示后报县级人民政府民政部门审批。'),
    ]),
    item('05-0504-000', '特困人员救助供养', '05', 'civil_affairs', ['county'], ['person'], ['elderly'], ['五保户', '特困供养', '孤寡老人救助', '特困人员', '无依无靠老人'], [
      regulation(SOCIAL_ASSISTANCE, '第十四条：国家对无劳动能力、无生活来源且无法定赡养、抚养、扶养义务人，或者其法定赡养、抚养、扶养义务人无赡养、抚养、扶养能力的老年人、残疾人以及未满16周岁的未成年人，给予特困人员供养。'),
    ]),
    item('05-0505-000', '临时救助', '05', 'civil_affairs', ['county'], ['person'], ['health'], ['临时救助', '急难救助', '突发困难', '生活困难', '大病救助', '家里出事了'], [
      regulation(SOCIAL_ASSISTANCE, '第四十七条：国家对因火灾、交通事故等意外事件，家庭成员突发重大疾病等原因，导致基本生活暂时出现严重困难的家庭，以及遭遇其他特殊困难的家庭，给予临时救助。'),
    ]),
    item('05-0506-000', '残疾人两项补贴（困难残疾人生活补贴和重度残疾人护理补贴）', '05', 'civil_affairs', ['county'], ['person'], ['health'], ['残疾人补贴', '护理补贴', '两项补贴', '残疾补助', '重度残疾补贴', '残疾人生活补贴'], [
      law('《中华人民共和国残疾人保障法》', '第四十八条：各级人民政府对生活确有困难的残疾人，通过多种渠道给予生活、教育、住房和其他社会救助；对生活不能自理的残疾人，地方各级人民政府应当根据情况给予护理补贴。'),
      normative('《国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》（国发〔2015〕52号）', '困难残疾人生活补贴主要补助低保家庭中的残疾人，重度残疾人护理补贴主要补助残疾等级被评定为一级、二级且需要长期照护的重度残疾人；补贴实行申请制。'),
    ]),
    item('11-0507-000', '老年人优待证办理', '11', 'civil_affairs', ['county'], ['person'], ['elderly'], ['老年证', '敬老卡', '老人公交卡', '优待证', '老年卡', '老年人优待证'], [
      law('《中华人民共和国老年人权益保障法》', '第五十八条：提倡与老年人日常生活密切相关的服务行业为老年人提供优先、优惠服务；城市公共交通、公路、铁路、水路和航空客运，应当为老年人提供优待和照顾。'),
      law('《中华人民共和国老年人权益保障法》', '第五十九条：博物馆、美术馆、科技馆、纪念馆、公共图书馆、文化馆、影剧院、体育场馆、公园、旅游景点等场所，应当对老年人免费或者优惠开放。'),
    ]),
    item('01-0508-000', '社会团体成立登记', '01', 'civil_affairs', ['province', 'city', 'county'], ['company', 'person'], ['company_start'], ['成立协会', '成立商会', '社团登记', '成立学会', '社会团体法人'], [
      regulation('《社会团体登记管理条例》', '第三条：成立社会团体，应当经其业务主管单位审查同意，并依照本条例的规定进行登记；社会团体应当具备法人条件。'),
      regulation('《社会团体登记管理条例》', '第十二条：登记管理机关应当自收到全部有效文件之日起60日内，作出准予或者不予登记的决定；准予登记的，发给《社会团体法人登记证书》。'),
    ]),
    item('07-0509-000', '收养登记', '07', 'civil_affairs', ['county'], ['person'], ['birth'], ['收养孩子', '领养', '收养登记', '抱养孩子', '解除收养'], [
      law('《中华人民共和国民法典》', '第一千一百零五条：收养应当向县级以上人民政府民政部门登记。收养关系自登记之日起成立；县级以上人民政府民政部门应当依法进行收养评估。'),
      regulation('《中国公民收养子女登记办法》', '第八条：收养登记机关收到收养登记申请书及有关材料后，应当自次日起30日内进行审查；对符合民法典规定条件的，办理收养登记，发给收养登记证。'),
    ]),
  ],

  implementations: [
    impl('07-0501-000', COUNTIES, {
      acceptanceConditions: [
        cond('男女双方完全自愿，男年满22周岁、女年满20周岁，双方均无配偶，且没有直系血亲和三代以内旁系血亲关系。'),
        cond('双方亲自到场；实行婚姻登记“全国通办”，可在全国任一婚姻登记机关办理，建议通过“苏服办”预约。'),
      ],
      processSteps: instantSteps('审查并询问相关情况，符合条件的当场予以登记，颁发结婚证（同步生成电子证照），可选择颁证仪式。'),
      legalLimitDays: 0,
      promisedLimitDays: 0,
      materials: [
        licence('id_cards', '男女双方居民身份证', 'id_card', { count: 2 }),
        upload('declaration', '申请结婚登记声明书（无配偶及无禁止结婚亲属关系的签字声明）', 'original', { count: 2, note: '现场在婚姻登记员面前签署' }),
        upload('photos', '双方近期半身免冠合影2寸彩色照片', 'original', { count: 3, note: '可现场拍摄' }),
      ],
      channels: ['online', 'mobile', 'window'],
      visits: 1,
      onlineDepth: 3,
      minRealNameLevel: 2,
      formSchema: form('结婚登记预约', {
        maleName: str('男方姓名', 30), maleIdNumber: F.idNumber,
        femaleName: str('女方姓名', 30), femaleIdNumber: F.idNumber,
        appointmentDate: date('预约日期'),
        ceremony: { type: 'boolean', title: '是否参加颁证仪式' },
        phone: F.phone,
      }, ['maleName', 'maleIdNumber', 'femaleName', 'femaleIdNumber', 'appointmentDate', 'phone']),
    }, { where: MARRIAGE_OFFICE }),

    impl('07-0502-000', COUNTIES, {
      acceptanceConditions: [
        cond('双方自愿离婚，对子女抚养、财产以及债务处理等事项协商一致，并签订书面离婚协议。'),
        cond('自婚姻登记机关收到离婚登记申请之日起30日为离婚冷静期；冷静期届满后30日内，双方亲自到场申请发给离婚证。'),
      ],
      processSteps: [
        { name: '申请', description: '双方持证件和离婚协议书共同到婚姻登记机关提出申请，填写《离婚登记申请书》。' },
        { name: '受理', description: '审查材料，符合条件的出具《离婚登记申请受理回执单》。' },
        { name: '冷静期', description: '自收到申请之日起30日内，任何一方不愿意离婚的，可以撤回离婚登记申请。' },
        { name: '审查', description: '冷静期届满后30日内，双方共同到场申请发给离婚证，婚姻登记机关询问并审查。' },
        { name: '登记', description: '符合条件的当场予以登记，发给离婚证。' },
      ],
      legalLimitDays: 0,
      promisedLimitDays: 0,
      materials: [
        licence('id_cards', '双方居民身份证', 'id_card', { count: 2 }),
        licence('marriage', '结婚证', 'marriage', { count: 2 }),
        upload('agreement', '离婚协议书', 'original', { count: 3 }),
        upload('photos', '双方近期半身免冠单人2寸彩色照片', 'original', { count: 4, note: '每人2张，可现场拍摄' }),
      ],
      channels: ['online', 'window'],
      visits: 2,
      onlineDepth: 2,
      minRealNameLevel: 2,
      formSchema: form('离婚登记预约', {
        applicantName: str('预约人姓名', 30), idNumber: F.idNumber, phone: F.phone,
        spouseName: str('对方姓名', 30),
        stage: pick('预约环节', ['提交离婚登记申请', '冷静期满后申请发给离婚证']),
        appointmentDate: date('预约日期'),
      }, ['applicantName', 'idNumber', 'phone', 'spouseName', 'stage', 'appointmentDate']),
    }, { where: MARRIAGE_OFFICE }),

    impl('05-0503-000', COUNTIES, {
      questions: [AGENT_QUESTION, { id: 'disabled', text: '家庭成员中是否有重度残疾人或重病患者？', options: [{ value: 'no', label: '否' }, { value: 'yes', label: '是' }] }],
      acceptanceConditions: [
        cond('共同生活的家庭成员人均收入低于当地最低生活保障标准，且家庭财产状况符合当地规定。'),
        cond('家庭成员申请有困难的，可以委托村（居）民委员会代为提出申请。', { agent: 'yes' }),
      ],
      processSteps: [
        { name: '申请', description: '向户籍所在地镇人民政府（街道办事处）提出书面申请，也可通过“苏服办”在线申请。' },
        { name: '受理', description: '材料齐全的予以受理，并启动家庭经济状况信息核对。' },
        { name: '调查审核', description: '通过入户调查、邻里访问、信息核对等方式调查核实，提出审核意见，在申请人所在村（社区）公示7天。' },
        { name: '审批确认', description: '县级民政部门（或经授权的镇街）审核确认，对符合条件的予以批准并公布；不符合的书面说明理由。' },
        { name: '发放', description: '自批准次月起按月社会化发放至申请人银行账户。' },
      ],
      legalLimitDays: 30,
      promisedLimitDays: 25,
      materials: [
        ...assistanceMaterials(),
        upload('disability', '残疾人证或医疗机构诊断证明', 'copy', { when: { disabled: 'yes' } }),
      ],
      channels: ['online', 'mobile', 'window'],
      visits: 1,
      onlineDepth: 3,
      minRealNameLevel: 3,
      formSchema: assistanceForm('最低生活保障申请书'),
    }, { where: { counter: '社会救助窗口（亦可在镇、街道便民服务中心申请）' } }),

    impl('05-0504-000', COUNTIES, {
      questions: [AGENT_QUESTION, { id: 'care', text: '是否选择到供养服务机构集中供养？', options: [{ value: 'home', label: '在家分散供养' }, { value: 'institution', label: '集中供养' }] }],
      acceptanceConditions: [cond('无劳动能力、无生活来源且无法定赡养、抚养、扶养义务人，或者其法定义务人无履行义务能力的老年人、残疾人以及未满16周岁的未成年人。')],
      processSteps: licenceSteps({ review: '镇（街道）调查核实并公示，县级民政部门审核确认。', decision: '符合条件的确认为特困人员，发给《特困人员救助供养证》。', delivery: '基本生活费按月发放；集中供养的安排入住供养服务机构。' }),
      legalLimitDays: 30,
      promisedLimitDays: 25,
      materials: [...assistanceMaterials(), upload('care_ability', '生活自理能力评估材料', 'copy', { when: { care: 'institution' } })],
      channels: ['online', 'window'],
      visits: 1,
      onlineDepth: 3,
      minRealNameLevel: 3,
      formSchema: assistanceForm('特困人员救助供养申请书'),
    }, { where: { counter: '社会救助窗口（亦可在镇、街道便民服务中心申请）' } }),

    impl('05-0505-000', COUNTIES, {
      questions: [{ id: 'urgent', text: '情况是否紧急、需要先行救助？', options: [{ value: 'no', label: '一般程序' }, { value: 'yes', label: '情况紧急' }] }, AGENT_QUESTION],
      acceptanceConditions: [
        cond('因意外事件、突发重大疾病等原因导致基本生活暂时出现严重困难。'),
        cond('情况紧急的，先行救助，事后补齐材料、补办手续。', { urgent: 'yes' }),
      ],
      processSteps: licenceSteps({ review: '镇（街道）调查核实，必要时公示。', decision: '县级民政部门（或经授权的镇街）确定救助金额。', delivery: '救助金一次性发放至申请人账户，或提供实物救助。' }),
      legalLimitDays: 15,
      promisedLimitDays: 10,
      materials: [...assistanceMaterials(), upload('hardship', '困难情况证明（医疗费用票据、事故证明等）', 'copy')],
      channels: ['online', 'mobile', 'window'],
      visits: 1,
      onlineDepth: 3,
      minRealNameLevel: 3,
      formSchema: assistanceForm('临时救助申请书'),
    }, { where: { counter: '社会救助窗口（亦可在镇、街道便民服务中心申请）' } }),

    impl('05-0506-000', COUNTIES, {
      questions: [{ id: 'subsidy', text: '申请哪项补贴？', options: [{ value: 'living', label: '困难残疾人生活补贴' }, { value: 'care', label: '重度残疾人护理补贴' }] }, AGENT_QUESTION],
      acceptanceConditions: [
        cond('持有第二代中华人民共和国残疾人证，且为低保家庭中的残疾人。', { subsidy: 'living' }),
        cond('持有第二代中华人民共和国残疾人证，残疾等级为一级、二级且需要长期照护。', { subsidy: 'care' }),
      ],
      processSteps: licenceSteps({ review: '镇（街道）初审，县级残联审核残疾等级信息。', decision: '县级民政部门审定。', delivery: '自审定次月起按月发放。' }),
      legalLimitDays: 20,
      promisedLimitDays: 15,
      materials: [
        applicationForm('残疾人两项补贴申请审批表'),
        idCard(),
        shared('disability_card', '残疾人证', '残联残疾人证信息'),
        shared('dibao', '低保对象认定信息', '民政社会救助信息', { when: { subsidy: 'living' } }),
        ...agentMaterials(),
      ],
      channels: ['online', 'mobile', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 3,
      formSchema: personForm('残疾人两项补贴申请', {
        subsidy: pick('申请补贴', ['困难残疾人生活补贴', '重度残疾人护理补贴']),
        disabilityCardNo: str('残疾人证号', 22, { pattern: '^\\d{17}[\\dX]\\d{2}[1-4]?$' }),
        bankAccount: F.bankAccount,
      }, ['subsidy', 'disabilityCardNo']),
    }, { where: { counter: '社会救助窗口（亦可在镇、街道便民服务中心申请）' } }),

    impl('11-0507-000', COUNTIES, {
      acceptanceConditions: [cond('年满60周岁的本地户籍老年人，或按本地规定享受同等优待的常住老年人。')],
      processSteps: instantSteps('核验身份后即时办结，发放实体优待证或电子优待证（“苏服办”亮证使用）。'),
      legalLimitDays: 1,
      promisedLimitDays: 0,
      materials: [idCard(), shared('photo', '本人相片', '公安人口信息库相片'), licence('residence_permit', '居住证', 'residence_permit', { required: false, note: '非本地户籍常住老年人提交' })],
      channels: ['online', 'mobile', 'window'],
      visits: 0,
      onlineDepth: 4,
      minRealNameLevel: 2,
      formSchema: personForm('老年人优待证申请', { delivery: pick('领取方式', ['电子证', '窗口领取', '邮寄']), address: str('居住地址', 200) }, ['delivery']),
    }, { where: { counter: '民政窗口（亦可在镇、街道便民服务中心办理）' } }),

    impl('01-0508-000', [PROVINCE, ...FLAGSHIP, KUNSHAN], {
      acceptanceConditions: [
        cond('已经业务主管单位审查同意；有50个以上的个人会员或者30个以上的单位会员（混合的不少于50个）。'),
        cond('有规范的名称和相应的组织机构、固定的住所、与其业务活动相适应的专职工作人员和合法的资产及经费来源。'),
      ],
      processSteps: licenceSteps({ decision: '准予登记的，发给《社会团体法人登记证书》。' }),
      legalLimitDays: 60,
      promisedLimitDays: 20,
      materials: [
        applicationForm('社会团体法人登记申请书'),
        upload('sponsor_approval', '业务主管单位的批准文件', 'original'),
        upload('capital', '验资报告、场所使用权证明', 'electronic'),
        upload('founders', '发起人和拟任负责人的基本情况、身份证明', 'electronic'),
        upload('charter', '章程草案', 'electronic'),
      ],
      channels: ['online', 'window'],
      visits: 1,
      onlineDepth: 3,
      minRealNameLevel: 2,
      formSchema: personForm('社会团体成立登记申请', {
        orgName: str('社会团体名称', 100),
        sponsor: str('业务主管单位', 100),
        domicile: str('住所', 200),
        members: { type: 'integer', title: '会员数', minimum: 30, maximum: 100000 },
        funds: { type: 'number', title: '活动资金（万元）', minimum: 3, maximum: 100000 },
      }, ['orgName', 'domicile', 'members', 'funds']),
    }, { where: { counter: '社会组织登记窗口' } }),

    impl('07-0509-000', COUNTIES, {
      acceptanceConditions: [cond('收养人、送养人和被收养人符合《中华人民共和国民法典》规定的条件；收养人经收养评估。'), cond('收养三周岁以上未成年人的，征得被收养人同意（八周岁以上）。')],
      processSteps: licenceSteps({ review: '审查材料并开展收养评估；收养查找不到生父母的未成年人的，登记前予以公告。', decision: '符合条件的办理收养登记，发给收养登记证。' }),
      legalLimitDays: calendarDays(30),
      promisedLimitDays: 20,
      materials: [
        applicationForm('收养登记申请书'),
        licence('adopter_id', '收养人居民身份证', 'id_card'),
        licence('adopter_hukou', '收养人居民户口簿', 'hukou'),
        upload('adopter_statement', '收养人婚姻、健康、无犯罪记录等证明及抚养教育承诺', 'original'),
        upload('placer_docs', '送养人证件和证明材料', 'original'),
        upload('child_photo', '被收养人照片', 'original', { count: 2 }),
      ],
      channels: ['window'],
      visits: 2,
      onlineDepth: 2,
      minRealNameLevel: 2,
      formSchema: personForm('收养登记申请', {
        childName: str('被收养人姓名', 30),
        childBirthDate: date('被收养人出生日期'),
        relation: pick('收养情形', ['收养社会福利机构抚养的儿童', '收养亲属子女', '继父母收养继子女', '其他']),
      }, ['childName', 'childBirthDate', 'relation']),
    }, { where: MARRIAGE_OFFICE }),
  ],
};

function assistanceForm(title: string): Record<string, unknown> {
  return personForm(title, {
    householdAddress: str('户籍地址', 200),
    members: { type: 'integer', title: '共同生活家庭成员人数', minimum: 1, maximum: 20 },
    monthlyIncome: { type: 'number', title: '家庭月总收入（元）', minimum: 0, maximum: 1000000 },
    reason: str('申请理由', 1000),
    bankAccount: F.bankAccount,
  }, ['householdAddress', 'members', 'monthlyIncome', 'reason']);
}
