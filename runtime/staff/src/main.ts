import 'element-plus/dist/index.css';
import { createApp } from 'vue';
import App from './App.vue';
import { i18n } from './shell/i18n.js';
import { createAppRouter } from './shell/router.js';
import './shell/styles.css';

const app = createApp(App);
app.use(i18n);
app.use(createAppRouter());
app.mount('#app');
