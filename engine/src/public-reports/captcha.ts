import type { CaptchaSettings } from '../config/index.js';
import type { Logger } from '../logging/index.js';

/** Confirms that a captcha token was solved by a person, for the portal's submissions. */
export interface CaptchaVerifier {
  /** true when the provider confirms the token; false for a refused token and for a provider that cannot be asked */
  verify(token: string, clientAddress: string | null): Promise<boolean>;
}

/** How long the provider may take to answer. */
const VERIFY_TIMEOUT_MS = 5_000;

/**
 * The siteverify protocol that reCAPTCHA, hCaptcha and Cloudflare Turnstile share: a form POST of
 * `secret`, `response` (the token) and `remoteip` to the provider, answered `{ success, ... }`.
 * The secret goes to the provider only (never after a redirect); nothing logged here carries it.
 * With `hostname` set the answer must name that site; with `minScore` (score-based providers:
 * reCAPTCHA v3) its `score` must reach it, an answer without a score failing.
 */
export class SiteverifyCaptcha implements CaptchaVerifier {
  constructor(
    private readonly settings: Pick<CaptchaSettings, 'verifyUrl' | 'secret' | 'hostname' | 'minScore'>,
    private readonly logger: Logger,
  ) {}

  async verify(token: string, clientAddress: string | null): Promise<boolean> {
    const form = new URLSearchParams({ secret: this.settings.secret, response: token });
    if (clientAddress) form.set('remoteip', clientAddress);
    const verifyUrl = this.settings.verifyUrl;
    try {
      // a redirect would carry the secret wherever the answer points: refused
      const response = await fetch(verifyUrl, { method: 'POST', body: form, redirect: 'error', signal: AbortSignal.timeout(VERIFY_TIMEOUT_MS) });
      if (!response.ok) {
        this.logger.warn({ verifyUrl, status: response.status }, 'the captcha provider refused to verify a token');
        return false;
      }
      const answer = (await response.json()) as { success?: unknown; hostname?: unknown; score?: unknown };
      if (answer.success !== true) return false;
      const { hostname, minScore } = this.settings;
      if (hostname && answer.hostname !== hostname) {
        this.logger.warn({ expected: hostname, hostname: answer.hostname }, 'a captcha token was solved on another site');
        return false;
      }
      if (typeof minScore === 'number' && !(typeof answer.score === 'number' && answer.score >= minScore)) {
        this.logger.info({ minScore, score: answer.score }, 'a captcha token scored below the minimum');
        return false;
      }
      return true;
    } catch (error) {
      this.logger.warn({ verifyUrl, reason: (error as Error).message }, 'the captcha provider could not be asked to verify a token');
      return false;
    }
  }
}
