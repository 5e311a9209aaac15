/** The HTTP client of the designer: the shared staff-app client (@yiwang/web-kit) with the designer's texts loaded first. */
import '../shell/i18n.js';

export * from '@yiwang/web-kit/api';
