/**
 * The captcha the portal config may ask for. The page loads the provider's `scriptUrl` and renders
 * its widget in a container; the widget hands over a token, sent as `captchaToken`.
 *
 * Built in: `turnstile` (Cloudflare), `hcaptcha`, `recaptcha` (Google, v2 checkbox) — they share
 * `render(container, { sitekey, callback, 'expired-callback' })` and `reset(id)`. For another
 * provider, the script at `scriptUrl` (the provider's, or a small adapter the deployment serves)
 * defines the hook below: any provider name not built in is looked up as `window.yiwangCaptcha`.
 *
 *   window.yiwangCaptcha = {
 *     render(container, { siteKey, provider, locale, onToken, onExpired }) { ... return widgetId },
 *     reset(widgetId) { ... },          // optional: after a refused submission
 *   };
 */
import type { CaptchaConfig } from './api.js';
import type { Locale } from './i18n.js';

export interface CaptchaHookOptions {
  readonly siteKey: string;
  readonly provider: string;
  readonly locale: Locale;
  onToken(token: string): void;
  onExpired(): void;
}

/** What a deployment's script defines for a provider that is not built in. */
export interface YiwangCaptchaHook {
  render(container: HTMLElement, options: CaptchaHookOptions): unknown;
  reset?(widget: unknown): void;
}

/** The widget API of turnstile, hcaptcha and grecaptcha (v2). */
interface SiteverifyWidgets {
  render(container: HTMLElement, options: Record<string, unknown>): unknown;
  reset(widget?: unknown): void;
}

declare global {
  interface Window {
    yiwangCaptcha?: YiwangCaptchaHook;
  }
}

const BUILT_IN: Readonly<Record<string, string>> = { turnstile: 'turnstile', hcaptcha: 'hcaptcha', recaptcha: 'grecaptcha' };

export interface CaptchaWidget {
  reset(): void;
}

const loaded = new Map<string, Promise<void>>();

function loadScript(url: string): Promise<void> {
  let promise = loaded.get(url);
  if (!promise) {
    promise = new Promise<void>((resolve, reject) => {
      const script = document.createElement('script');
      script.src = url;
      script.async = true;
      script.onload = () => resolve();
      script.onerror = () => reject(new Error(`captcha script ${url} did not load`));
      document.head.appendChild(script);
    });
    loaded.set(url, promise);
  }
  return promise;
}

/** Some providers define their global a moment after their script ran (grecaptcha's render): wait up to 10 s. */
async function waitFor<T>(read: () => T | undefined): Promise<T> {
  for (let waited = 0; waited < 10_000; waited += 100) {
    const value = read();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the captcha script defined no widget');
}

export async function renderCaptcha(container: HTMLElement, config: CaptchaConfig, locale: Locale, onToken: (token: string | null) => void): Promise<CaptchaWidget> {
  await loadScript(config.scriptUrl);
  const global = BUILT_IN[config.provider];
  if (global) {
    const widgets = await waitFor(() => (window as unknown as Record<string, SiteverifyWidgets | undefined>)[global]?.render ? (window as unknown as Record<string, SiteverifyWidgets>)[global] : undefined);
    const language = locale === 'en' ? 'en' : 'zh-CN';
    // the widget's language: Turnstile's `language`, hCaptcha's `hl`; reCAPTCHA takes `hl` in the script URL only
    const languageOption = config.provider === 'turnstile' ? { language } : config.provider === 'hcaptcha' ? { hl: language } : {};
    const id = widgets.render(container, {
      sitekey: config.siteKey,
      ...languageOption,
      callback: (token: string) => onToken(token),
      'expired-callback': () => onToken(null),
    });
    return { reset: () => { widgets.reset(id); onToken(null); } };
  }
  const hook = await waitFor(() => window.yiwangCaptcha);
  const id = hook.render(container, { siteKey: config.siteKey, provider: config.provider, locale, onToken: (token) => onToken(token), onExpired: () => onToken(null) });
  return { reset: () => { hook.reset?.(id); onToken(null); } };
}
