// The one registry of error codes. A code is never reused or renamed once released;
// error-codes.test.ts keeps this list honest. Messages are what people read: Chinese.
export const ERROR_CODES = {
  VALIDATION_FAILED: { status: 400, message: '提交的内容不符合要求，请按提示修改' },
  MALFORMED_JSON: { status: 400, message: '请求内容不是有效的 JSON' },
  UNAUTHENTICATED: { status: 401, message: '请先登录' },
  LOGIN_FAILED: { status: 401, message: '账号或密码不正确' },
  INVALID_TOKEN: { status: 401, message: '接入凭证无效或已停用' },
  FORBIDDEN: { status: 403, message: '您没有权限进行此操作' },
  OUT_OF_REGION: { status: 403, message: '该事务不在您的区划管辖范围内' },
  CSRF_INVALID: { status: 403, message: '页面已过期或来源不明，请刷新页面后重新提交' },
  ROUTE_NOT_FOUND: { status: 404, message: '您访问的页面或接口不存在' },
  NOT_FOUND: { status: 404, message: '您要找的内容不存在' },
  METHOD_NOT_ALLOWED: { status: 405, message: '不支持该请求方式' },
  CONFLICT: { status: 409, message: '内容已被他人修改，请刷新后重试' },
  PAYLOAD_TOO_LARGE: { status: 413, message: '提交的内容过大' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: '不支持该内容类型' },
  RATE_LIMITED: { status: 429, message: '操作过于频繁，请稍后再试' },
  INTERNAL: { status: 500, message: '系统出现问题，我们已记录，请稍后再试' },
  DATABASE_UNAVAILABLE: { status: 503, message: '系统暂时无法访问数据，请稍后再试' },
  SHUTTING_DOWN: { status: 503, message: '系统正在维护重启，请稍后再试' },
  REGION_CODE_MALFORMED: { status: 400, message: '行政区划代码应为 6、9 或 12 位数字' },
  REGION_NOT_FOUND: { status: 404, message: '没有这个行政区划' },
  ORG_NOT_FOUND: { status: 404, message: '没有这个机构' },
  CALENDAR_DATE_INVALID: { status: 400, message: '日期格式应为 YYYY-MM-DD，且须为真实日期' },
  CALENDAR_YEAR_NOT_LOADED: { status: 422, message: '该年度的法定节假日安排尚未加载，无法准确计算工作日' },
  PASSWORD_CHANGE_REQUIRED: { status: 403, message: '请先修改初始密码' },
  PASSWORD_TOO_WEAK: { status: 400, message: '密码至少 12 位，且不能与账号相同' },
  CALENDAR_SCHEDULE_INVALID: { status: 400, message: '节假日安排的内容不符合要求，请对照通知逐项核对' },
  CALENDAR_OVERRIDE_EXISTS: { status: 409, message: '该区划在这一天已有日历调整，请先删除原调整' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;
