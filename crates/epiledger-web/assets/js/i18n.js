// The interface's words in Chinese and English. The measures' and regions' names come from the
// ledger's own vocabulary (vocab.json); the server's messages are shown as the server words them.

const KEY = 'epiledger.lang';

const zh = {
  skip: '跳到主要内容',
  tagline: '全国疫情每日通报',
  nav: '网站导航',
  'nav.dashboard': '疫情数据',
  'nav.report': '填报',
  'nav.desk': '汇总发布',
  'nav.cases': '病例',
  'footer.data': '数据：国家卫生健康委员会每日疫情通报（2020年1月20日至2022年9月14日），按 epiledger 账本整理。缺失不等于零。',
  'footer.api': 'API 说明（OpenAPI）',
  'footer.licenses': '第三方组件与许可',
  'role.reporter': '填报员',
  'role.compiler': '汇总员',
  'role.admin': '管理员',
  'role.public': '公众',

  'dash.title': '疫情通报',
  'dash.pick': '选择日期与版本',
  'dash.day': '通报日期',
  'dash.prevDay': '前一日',
  'dash.nextDay': '后一日',
  'dash.latest': '最新',
  'dash.version': '版本',
  'dash.versionNow': '当前所知（最新版本）',
  'dash.versionHint': '选择某一版本，即按该版本发布时所知的数据显示（as-of）。',
  'dash.releaseOpt': '第{n}版 · 发布于 {time}',
  'dash.headline': '主要数字',
  'dash.headlineNote': '各数字下方为较前一日的变化。“—”表示通报未给出该数字（缺失不等于零）。',
  'dash.bulletin': '通报全文',
  'dash.bulletinAs': '原文：',
  'dash.fmtText': '纯文本',
  'dash.curves': '疫情曲线',
  'dash.download': '下载',
  'dash.from': '起',
  'dash.to': '止',
  'dash.zoom': '缩放',
  'dash.d30': '30天',
  'dash.d90': '90天',
  'dash.display': '显示',
  'dash.impliedZero': '通报未列出该地区，但所列地区之和等于全国数，故为0（推算，非通报原文）',
  'dash.logScale': '对数刻度',
  'dash.avg7d': '7日平均',
  'dash.avgCurve': '新增确诊病例7日平均',
  'dash.chartRt': '有效再生数 Rt（全国本土病例）',
  'dash.rtNote': 'Rt：每个本土病例平均引起的新病例数，按7天滑动窗口估计（Cori 等 2013，与 EpiEstim 相同；序列间隔均值4.7天、标准差2.9天），阴影为95%可信区间；高于1表示仍在增长。',
  'dash.rtMean': 'Rt 均值',
  'dash.rtBand': '95%可信区间',
  'dash.rtNone': '该范围内没有 Rt 估计',
  'dash.per100k': '每10万人',
  'dash.per100kUnit': '每10万人',
  'dash.d365': '一年',
  'dash.all': '全部',
  'dash.chartNew': '每日新增（全国）',
  'dash.chartStock': '现有与累计（全国）',
  'dash.rightAxis': '（右轴）',
  'dash.curvesNote': '图表可用鼠标滚轮、双指或下方滑块缩放；“数据表”给出同一范围内的数字。',
  'dash.curvesTable': '数据表（当前范围）',
  'dash.curvesTableCap': '全国每日数字，{from} 至 {to}',
  'dash.map': '各地',
  'dash.mapMetric': '地图显示',
  'dash.mNew': '新增确诊病例',
  'dash.mAsym': '新增无症状感染者',
  'dash.mActive': '现有确诊病例',
  'dash.mCum': '累计确诊病例',
  'dash.people': '病例登记',
  'dash.peopleNote': '由病例登记中的个案得出：按发病日期的病例（确诊和临床诊断），以及去标识化个案列表中的年龄和性别（同一周、年龄段、性别和省份不足5例的组合不公开）。',
  'dash.peopleEmpty': '病例登记中还没有病例。',
  'dash.peopleFailed': '无法读取病例登记：{msg}',
  'dash.peopleSummary': '病例登记：{cases}例病例（其中{without}例无发病日期）；去标识化列表{rows}行。',
  'dash.onset': '按发病日期的病例',
  'dash.pyramid': '年龄和性别（去标识化列表）',
  'dash.male': '男',
  'dash.female': '女',
  'dash.ageUnknown': '不详',
  'dash.mapNote': '灰色：通报未给出该数字。新疆生产建设兵团不在地图上，见下表。港澳台的新增与现有确诊由其累计数推算。',
  'dash.mapNone': '通报未给出任何地区的该数字',
  'dash.mapFailed': '地图无法显示：{msg}',
  'dash.units': '各地数字',
  'dash.unitsCap': '31个省（自治区、直辖市）和新疆生产建设兵团，港澳台地区，全国；点击列标题排序',
  'dash.region': '地区',
  'dash.notified': '港澳台地区（通报累计数）',
  'dash.derivedSum': '本土与境外输入之和',
  'dash.derivedNotified': '由累计数推算',
  'dash.facts': '当日全部数字',
  'dash.factsShow': '显示账本中当日的全部数字',
  'dash.factsCap': '{date}账本中的全部数字（{n}项）',
  'dash.code': '代码',
  'dash.measure': '指标',
  'dash.origin': '来源',
  'dash.value': '数值',
  'dash.date': '日期',
  'dash.noFacts': '账本中没有该日的数字。',
  'dash.loadingAll': '正在载入……',
  'dash.loading': '正在载入{date}……',
  'dash.failed': '载入失败：{msg}',
  'dash.showing': '{date}疫情通报，第{n}版，发布于 {time}；{asof}。',
  'dash.asOf': '按 {time} 时所知显示',
  'dash.asKnownNow': '按当前所知显示',
  'dash.noBulletin': '{date}没有已发布的通报。',
  'dash.noPrev': '前一日无此数字',
  'dash.delta': '较前一日 {d}',
  'dash.errata': '第{n}版订正说明',
  'dash.ariaSeries': '{name}：{from} 至 {to}，最高 {max}（{maxDay}）',

  'signin.title': '登录',
  'signin.token': '令牌',
  'signin.tokenHint': '以 elt_ 开头的令牌，由管理员用 epiledger token create 生成。只保存在本浏览器标签页中。',
  'signin.submit': '登录',
  'signin.checking': '正在核验令牌……',
  'signin.bad': '令牌无效：{msg}',
  'signin.role': '这是“{role}”令牌，本页面不接受。',
  'signin.empty': '请输入令牌。',
  'signin.out': '已退出。',
  'signin.signout': '退出',
  'report.signedInAs': '当前身份：',
  'report.date': '日期（北京时间0—24时）',
};

const en = {
  skip: 'Skip to the main content',
  tagline: 'The daily epidemic bulletin',
  nav: 'Site',
  'nav.dashboard': 'Figures',
  'nav.report': 'Report',
  'nav.desk': 'Compile & publish',
  'nav.cases': 'Cases',
  'footer.data': 'Data: the daily epidemic bulletins of the National Health Commission (2020-01-20 to 2022-09-14), kept as the epiledger ledger. Missing is not zero.',
  'footer.api': 'The API (OpenAPI)',
  'footer.licenses': 'Third-party components and licences',
  'role.reporter': 'Reporter',
  'role.compiler': 'Compiler',
  'role.admin': 'Administrator',
  'role.public': 'Public',

  'dash.title': 'Epidemic bulletin',
  'dash.pick': 'Day and release',
  'dash.day': 'Day',
  'dash.prevDay': 'Previous day',
  'dash.nextDay': 'Next day',
  'dash.latest': 'Latest',
  'dash.version': 'Release',
  'dash.versionNow': 'As known now (newest release)',
  'dash.versionHint': 'Pick a release to read the figures as they were known when it was published (as-of).',
  'dash.releaseOpt': 'Release {n} · published {time}',
  'dash.headline': 'Headline figures',
  'dash.headlineNote': 'With the change on the previous day. “—”: the bulletin gives no such figure (missing is not zero).',
  'dash.bulletin': 'The bulletin',
  'dash.bulletinAs': 'As',
  'dash.fmtText': 'text',
  'dash.curves': 'Epidemic curves',
  'dash.download': 'Download',
  'dash.from': 'From',
  'dash.to': 'To',
  'dash.zoom': 'Zoom',
  'dash.d30': '30 days',
  'dash.d90': '90 days',
  'dash.display': 'Display',
  'dash.impliedZero': 'not listed by the bulletin, whose listed regions add up to the national figure: 0, implied (not stated)',
  'dash.logScale': 'Logarithmic scale',
  'dash.avg7d': '7-day average',
  'dash.avgCurve': 'New confirmed cases, 7-day average',
  'dash.chartRt': 'Reproduction number Rt (local cases, Chinese mainland)',
  'dash.rtNote': 'Rt: how many new cases each local case causes on average, estimated over sliding 7-day windows (Cori et al. 2013, as EpiEstim computes it; serial interval mean 4.7 days, SD 2.9), with its 95% credible interval shaded. Above 1, the epidemic is growing.',
  'dash.rtMean': 'Rt (mean)',
  'dash.rtBand': '95% credible interval',
  'dash.rtNone': 'no Rt estimate in this range',
  'dash.per100k': 'per 100,000',
  'dash.per100kUnit': 'per 100,000',
  'dash.d365': '1 year',
  'dash.all': 'All',
  'dash.chartNew': 'New cases a day (Chinese mainland)',
  'dash.chartStock': 'Active and cumulative (Chinese mainland)',
  'dash.rightAxis': '(right axis)',
  'dash.curvesNote': 'Zoom with the mouse wheel, a pinch or the slider; the data table gives the same range as numbers.',
  'dash.curvesTable': 'Data table (the range shown)',
  'dash.curvesTableCap': 'National figures a day, {from} to {to}',
  'dash.map': 'Regions',
  'dash.mapMetric': 'Map of',
  'dash.mNew': 'New confirmed cases',
  'dash.mAsym': 'New asymptomatic infections',
  'dash.mActive': 'Active confirmed cases',
  'dash.mCum': 'Cumulative confirmed cases',
  'dash.people': 'The case register',
  'dash.peopleNote': 'From the individual cases of the case register: cases (confirmed and clinically diagnosed) by date of onset, and the age and sex of the de-identified line list (a combination of week, age band, sex and province shared by fewer than 5 cards is not shown).',
  'dash.peopleEmpty': 'The case register holds no case yet.',
  'dash.peopleFailed': 'The case register could not be read: {msg}',
  'dash.peopleSummary': 'The case register: {cases} cases ({without} without a date of onset); the de-identified line list has {rows} rows.',
  'dash.onset': 'Cases by date of onset',
  'dash.pyramid': 'Age and sex (de-identified line list)',
  'dash.male': 'male',
  'dash.female': 'female',
  'dash.ageUnknown': 'unknown',
  'dash.mapNote': 'Grey: the bulletin gives no such figure. The XPCC is not on the map; see the table. The new and active cases of Hong Kong, Macao and Taiwan are derived from their cumulative figures.',
  'dash.mapNone': 'the bulletin gives this figure for no region',
  'dash.mapFailed': 'The map cannot be shown: {msg}',
  'dash.units': 'Figures by region',
  'dash.unitsCap': 'The 31 provinces and the XPCC; Hong Kong, Macao and Taiwan; the nation. Sort by a column with its header.',
  'dash.region': 'Region',
  'dash.notified': 'Hong Kong, Macao and Taiwan (notified cumulative figures)',
  'dash.derivedSum': 'local + imported',
  'dash.derivedNotified': 'derived from the cumulative figures',
  'dash.facts': 'Every figure of the day',
  'dash.factsShow': 'Show every figure of the day in the ledger',
  'dash.factsCap': 'Every figure of {date} in the ledger ({n})',
  'dash.code': 'Code',
  'dash.measure': 'Measure',
  'dash.origin': 'Origin',
  'dash.value': 'Value',
  'dash.date': 'Date',
  'dash.noFacts': 'The ledger has no figure of this day.',
  'dash.loadingAll': 'Loading…',
  'dash.loading': 'Loading {date}…',
  'dash.failed': 'Could not load: {msg}',
  'dash.showing': 'Bulletin of {date}, release {n}, published {time}; {asof}.',
  'dash.asOf': 'as known at {time}',
  'dash.asKnownNow': 'as known now',
  'dash.noBulletin': 'No bulletin was published for {date}.',
  'dash.noPrev': 'no figure the day before',
  'dash.delta': '{d} on the previous day',
  'dash.errata': 'Errata of release {n}',
  'dash.ariaSeries': '{name}: {from} to {to}, highest {max} on {maxDay}',

  'signin.title': 'Sign in',
  'signin.token': 'Token',
  'signin.tokenHint': 'A token starting with elt_, made by an administrator with epiledger token create. It is kept in this browser tab only.',
  'signin.submit': 'Sign in',
  'signin.checking': 'Checking the token…',
  'signin.bad': 'The token is not accepted: {msg}',
  'signin.role': 'This is a “{role}” token; this page does not take it.',
  'signin.empty': 'Enter a token.',
  'signin.out': 'Signed out.',
  'signin.signout': 'Sign out',
  'report.signedInAs': 'Signed in as',
  'report.date': 'Reporting day (0–24h Beijing time)',
};

const dicts = { zh, en };

/** Adds words (the pages' own). */
export function extend(more) {
  Object.assign(zh, more.zh);
  Object.assign(en, more.en);
}

function initial() {
  const q = new URLSearchParams(location.search).get('lang');
  if (q === 'zh' || q === 'en') return q;
  try {
    const saved = localStorage.getItem(KEY);
    if (saved === 'zh' || saved === 'en') return saved;
  } catch { /* storage may be off */ }
  const langs = navigator.languages || [navigator.language || 'zh'];
  return langs.some((l) => String(l).toLowerCase().startsWith('zh')) ? 'zh' : 'en';
}

let lang = initial();

export function getLang() { return lang; }

export function setLang(l) {
  lang = l === 'en' ? 'en' : 'zh';
  try { localStorage.setItem(KEY, lang); } catch { /* ignore */ }
}

/** The words of a key, with {name} filled in. */
export function t(key, vars) {
  return tIn(lang, key, vars);
}

/** The words of a key in a given language. */
export function tIn(l, key, vars) {
  let s = dicts[l][key] ?? dicts.en[key] ?? key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (vars[k] ?? m));
  return s;
}

/** Fills the elements marked data-i18n (text) and data-i18n-attr ("attr:key;attr:key"). */
export function applyI18n(root) {
  for (const e of root.querySelectorAll('[data-i18n]')) e.textContent = t(e.dataset.i18n);
  for (const e of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of e.dataset.i18nAttr.split(';')) {
      const [attr, k] = pair.split(':');
      if (attr && k) e.setAttribute(attr.trim(), t(k.trim()));
    }
  }
}
