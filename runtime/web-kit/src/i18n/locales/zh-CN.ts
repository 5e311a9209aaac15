/** The texts every app shares (sign-in, password, network errors) in Chinese; each key has its English twin in en.ts. */
export default {
  login: {
    title: '登录',
    username: '用户名',
    password: '密码',
    submit: '登录',
    usernameRequired: '请输入用户名',
    passwordRequired: '请输入密码',
    locked: '账户已锁定',
    failed: '登录失败',
    mustChange: '首次登录或密码已过期，请先修改密码',
  },
  password: {
    title: '修改密码',
    current: '当前密码',
    new: '新密码',
    confirm: '确认新密码',
    submit: '修改密码',
    cancel: '取消',
    currentRequired: '请输入当前密码',
    newRequired: '请输入新密码',
    confirmMismatch: '两次输入的新密码不一致',
    sameAsCurrent: '新密码不能与当前密码相同',
    changed: '密码已修改',
  },
  session: {
    changePassword: '修改密码',
    signOut: '退出登录',
  },
  errors: {
    network: '无法连接服务器',
    sessionExpired: '登录已过期，请重新登录',
  },
};
