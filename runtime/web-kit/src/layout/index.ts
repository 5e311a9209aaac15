/**
 * What a signed-in app's layout shares: the user's menu in the header (修改密码, 退出登录). Apart from
 * `./session-ui` so the login page's first load does not carry the layout's dropdown and dialog.
 */
export { default as UserMenu } from './UserMenu.vue';
