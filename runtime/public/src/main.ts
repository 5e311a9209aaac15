import { createApp } from 'vue';
import App from './App.vue';
import { addMessages } from './i18n.js';
import { messages } from './locales.js';
import './styles.css';

addMessages(messages);
createApp(App).mount('#app');
