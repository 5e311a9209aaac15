/** The sign-in pieces every staff app shows: the login page, the change-password form, the language switch. */
export { default as ChangePasswordForm } from './ChangePasswordForm.vue';
export { default as LanguageSwitch } from './LanguageSwitch.vue';
export { default as LoginPage } from './LoginPage.vue';
