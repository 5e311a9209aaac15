import { ref } from 'vue';

/** Below 768 px the app is laid out for a phone: tab bar, card lists, full-width forms. */
const query = window.matchMedia('(max-width: 767px)');
export const isPhone = ref(query.matches);
query.addEventListener('change', (event) => { isPhone.value = event.matches; });
